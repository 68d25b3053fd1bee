// Start-up sweep (issue 12, point 4): check runs this App left in progress longer than the
// configured time are re-queued or concluded; fresh ones and other apps' are left alone.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { scheduleStaleRunSweep, staleMinutesFromEnv, sweepStaleRuns, type StaleRun } from "../../src/github/stale-runs.js";
import { HEAD_SHA, INSTALLATION_ID, OWNER, PR_NUMBER, REPO, github, testPrivateKey } from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

const APP_ID = 123;
const NOW = Date.parse("2026-12-04T12:00:00Z");

function appAuth() {
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  const app = new Octokit({ auth: { appId: APP_ID, privateKey: testPrivateKey() } });
  return {
    auth: async (installationId?: number) =>
      installationId === undefined ? app : new Octokit({ auth: { appId: APP_ID, privateKey: testPrivateKey(), installationId } }),
  };
}

function mockWalk(gh: ReturnType<typeof github>, runs: Array<Record<string, unknown>>) {
  gh.scope.get("/app").reply(200, { id: APP_ID, slug: "vibeguard", name: "vibeguard", owner: { login: OWNER } });
  gh.scope.get("/app/installations").query(true).reply(200, [{ id: INSTALLATION_ID, account: { login: OWNER } }]);
  gh.scope
    .get("/installation/repositories")
    .query(true)
    .reply(200, { total_count: 1, repositories: [{ name: REPO, owner: { login: OWNER }, html_url: `https://github.com/${OWNER}/${REPO}` }] });
  gh.scope
    .get(`/repos/${OWNER}/${REPO}/pulls`)
    .query(true)
    .reply(200, [{ number: PR_NUMBER, head: { sha: HEAD_SHA } }]);
  gh.scope
    .get(`/repos/${OWNER}/${REPO}/commits/${HEAD_SHA}/check-runs`)
    .query((q) => q.status === "in_progress" && q.app_id === String(APP_ID) && q.check_name === "vibeguard")
    .reply(200, { total_count: runs.length, check_runs: runs });
}

const old = { id: 501, status: "in_progress", head_sha: HEAD_SHA, external_id: `pr:${PR_NUMBER}`, started_at: "2026-12-04T10:00:00Z", html_url: "u" };
const fresh = { ...old, id: 502, started_at: "2026-12-04T11:55:00Z" };

describe("stale check runs at start-up", () => {
  it("concludes runs in progress for longer than the limit, with an explanation, and leaves fresh ones alone", async () => {
    const gh = github();
    mockWalk(gh, [old, fresh]);
    gh.scope.patch(`/repos/${OWNER}/${REPO}/check-runs/501`).reply(200, { id: 501 });
    const result = await sweepStaleRuns(appAuth(), pino({ level: "silent" }), { olderThanMs: 30 * 60_000, now: () => NOW, retryDelayMs: 0 });
    expect(result).toEqual({ found: 1, requeued: 0, concluded: 1, errors: 0 });
    const update = gh.requests.find((r) => r.method === "PATCH")!.body as Record<string, any>;
    expect(update.conclusion).toBe("failure");
    expect(update.output.title).toBe("vibeguard was interrupted");
    expect(gh.requests.some((r) => r.path.includes("/check-runs/502"))).toBe(false);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("re-queues instead when a re-queue is given", async () => {
    const gh = github();
    mockWalk(gh, [old]);
    const requeued: StaleRun[] = [];
    const result = await sweepStaleRuns(appAuth(), pino({ level: "silent" }), {
      olderThanMs: 30 * 60_000,
      now: () => NOW,
      requeue: async (run) => {
        requeued.push(run);
        return true;
      },
    });
    expect(result.requeued).toBe(1);
    expect(requeued[0]).toMatchObject({ checkRunId: 501, owner: OWNER, repo: REPO, headSha: HEAD_SHA, target: { kind: "pull_request", number: PR_NUMBER } });
    expect(gh.requests.some((r) => r.method === "PATCH")).toBe(false);
  });

  it("keeps going when one repository cannot be read", async () => {
    const gh = github();
    gh.scope.get("/app").reply(200, { id: APP_ID });
    gh.scope.get("/app/installations").query(true).reply(200, [{ id: INSTALLATION_ID }]);
    gh.scope.get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [{ name: REPO, owner: { login: OWNER }, html_url: "u" }] });
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls`).query(true).reply(500, {});
    const result = await sweepStaleRuns(appAuth(), pino({ level: "silent" }), { olderThanMs: 1, now: () => NOW });
    expect(result).toEqual({ found: 0, requeued: 0, concluded: 0, errors: 1 });
  });

  it("reads the limit from VIBEGUARD_STALE_RUN_MINUTES and stays off in tests or with 0", () => {
    expect(staleMinutesFromEnv({})).toBe(30);
    expect(staleMinutesFromEnv({ VIBEGUARD_STALE_RUN_MINUTES: "5" })).toBe(5);
    let called = false;
    const probe = { auth: async () => ((called = true), {}), log: pino({ level: "silent" }) };
    scheduleStaleRunSweep(probe, { analyze: async () => ({ findings: [], skipped: [], analyzed: [], checked: new Set() }) }, { APP_ID: "1", VIBEGUARD_STALE_RUN_MINUTES: "0" });
    scheduleStaleRunSweep(probe, { analyze: async () => ({ findings: [], skipped: [], analyzed: [], checked: new Set() }) }, { APP_ID: "1", NODE_ENV: "test" });
    expect(called).toBe(false);
  });
});
