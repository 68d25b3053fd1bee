// The GitHub Action's entry point (src/action/run.ts) against the same nock-faked GitHub the
// App's tests use: the App's review run with a workflow token, the inputs, SARIF, and the
// read-only token of a fork's pull request degrading to annotations and the job summary.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "../../src/action/run.js";
import type { Finding } from "../../src/findings.js";
import { fingerprintMarker, fixedMarker } from "../../src/render/review-comment.js";
import {
  CHECK_RUN_URL,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  checkRunUpdates,
  fakeAnalyze,
  finding,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockContents,
  mockFiles,
  pullRequestPayload,
  requestsTo,
  example,
  type MockFile,
} from "../github/helpers.js";
import { nockGitHub, validateGraphQLRequest, type RecordedGitHub } from "../support/openapi.js";
import { sarifValidator } from "../render/sarif-schema.js";

const TOKEN = "ghs_workflowtoken0123456789";
const USERS = "import { db } from './db';\nexport function find(id) {\n  const q = `SELECT * FROM users WHERE id = ${id}`;\n  return db.query(q);\n}\n";
const USERS_FILE: MockFile = { filename: "src/users.ts", patch: addedPatch(USERS), content: USERS };
const sql = finding({ path: "src/users.ts", line: 3, severity: "high" });
const lowNote = finding({ path: "src/users.ts", line: 4, ruleId: "js/low-thing", severity: "low", category: "security-config", cwe: "" });

let root: string;
let work: string;
let stdout: string;
const NO_RETRIES = { retry: { enabled: false }, throttle: { enabled: false } };

function setEnv(event: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}): void {
  const eventPath = join(work, "event.json");
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(join(work, "summary.md"), "");
  writeFileSync(join(work, "output.txt"), "");
  vi.stubEnv("GITHUB_EVENT_NAME", event);
  vi.stubEnv("GITHUB_EVENT_PATH", eventPath);
  vi.stubEnv("GITHUB_API_URL", "https://api.github.com");
  vi.stubEnv("GITHUB_STEP_SUMMARY", join(work, "summary.md"));
  vi.stubEnv("GITHUB_OUTPUT", join(work, "output.txt"));
  vi.stubEnv("GITHUB_WORKSPACE", work);
  vi.stubEnv("INPUT_GITHUB_TOKEN", TOKEN);
  for (const [name, value] of Object.entries(inputs)) vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
}

function outputs(): Record<string, string> {
  // GITHUB_OUTPUT heredoc format: name<<delimiter\nvalue\ndelimiter
  const text = readFileSync(join(work, "output.txt"), "utf8");
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

function summary(): string {
  return readFileSync(join(work, "summary.md"), "utf8");
}

// One folder for the whole file: @actions/core remembers the job-summary path it first saw.
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "vibeguard-action-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  work = root;
  for (const name of readdirSync(work)) rmSync(join(work, name), { recursive: true, force: true });
  stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  nock.cleanAll();
});

function gitHub(): RecordedGitHub {
  return nockGitHub("https://api.github.com");
}

function mockNoComments(gh: RecordedGitHub, comments: { id: number; path: string; body: string }[] = []): void {
  gh.scope
    .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
    .query(true)
    .reply(
      200,
      comments.map((c) => ({ ...c, user: { login: "github-actions[bot]", type: "Bot" } })),
    );
}

function authHeaders(gh: RecordedGitHub): string[] {
  return gh.requests.map((r) => String((r as { headers?: Record<string, unknown> }).headers?.authorization ?? ""));
}

describe("the Action on pull_request", () => {
  it("creates the vibeguard check run with the checklist, posts the review with inline comments, writes SARIF and fails the step", async () => {
    const gh = gitHub();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [USERS_FILE]);
    mockCheckUpdates(gh);
    mockNoComments(gh);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 7 });
    setEnv("pull_request", pullRequestPayload("opened"), { sarif: "out/vibeguard.sarif" });

    const result = await runAction({ analyze: fakeAnalyze([sql, lowNote]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result).toMatchObject({ mode: "reviewed", conclusion: "failure", findings: 2 });
    expect(result.failure).toMatch(/^vibeguard: /);
    // The check run: created for the head commit, completed with the checklist and annotations.
    const create = requestsTo(gh, "POST", "/check-runs")[0]!.body as Record<string, any>;
    expect(create).toMatchObject({ name: "vibeguard", head_sha: HEAD_SHA, status: "in_progress", external_id: `pr:${PR_NUMBER}` });
    const [done] = checkRunUpdates(gh);
    expect(done!.conclusion).toBe("failure");
    expect(done!.output.summary).toContain("SQL injection");
    expect(done!.output.annotations.map((a: any) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ["src/users.ts", 3, "failure"],
      ["src/users.ts", 4, "notice"],
    ]);
    // The review: inline comments with the dedupe marker.
    const review = requestsTo(gh, "POST", `/pulls/${PR_NUMBER}/reviews`)[0]!.body as Record<string, any>;
    expect(review.commit_id).toBe(HEAD_SHA);
    expect(review.comments.map((c: any) => [c.path, c.line])).toEqual([
      ["src/users.ts", 3],
      ["src/users.ts", 4],
    ]);
    expect(review.comments[0].body).toContain(fingerprintMarker(sql.fingerprint));
    // With the workflow's token, and every request one GitHub accepts.
    expect(new Set(authHeaders(gh))).toEqual(new Set([`token ${TOKEN}`]));
    expect(gh.invalid()).toEqual([]);
    // (The org `.github` repository's config lookup is the App's, not the Action's.)
    expect(nock.pendingMocks().filter((m) => !m.includes("\\/\\.github\\/contents"))).toEqual([]);
    // Outputs, job summary, SARIF (valid 2.1.0, with fingerprints).
    expect(outputs()).toMatchObject({ conclusion: "failure", findings: "2", sarif: join(work, "out/vibeguard.sarif"), "check-run-url": CHECK_RUN_URL });
    expect(summary()).toContain(CHECK_RUN_URL);
    expect(summary()).toContain("SQL injection");
    const sarif = JSON.parse(readFileSync(join(work, "out/vibeguard.sarif"), "utf8"));
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    expect(sarif.runs[0].results.map((r: any) => r.partialFingerprints["vibeguard/v1"])).toEqual([sql.fingerprint, lowNote.fingerprint]);
    // The token never reaches the output except as a masked secret registration.
    expect(stdout.replace(`::add-mask::${TOKEN}`, "")).not.toContain(TOKEN);
    // Local annotations only when the check run could not carry them.
    expect(stdout).not.toMatch(/^::error file=/m);
  });

  it("does not repeat a comment, and replies 'fixed' and resolves the thread of a finding that is gone", async () => {
    const gone = finding({ path: "src/users.ts", line: 1, ruleId: "js/gone", snippet: "gone()" });
    const gh = gitHub();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [USERS_FILE]);
    mockCheckUpdates(gh);
    mockNoComments(gh, [
      { id: 10, path: "src/users.ts", body: fingerprintMarker(sql.fingerprint) },
      { id: 11, path: "src/users.ts", body: fingerprintMarker(gone.fingerprint) },
    ]);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/11/replies`).reply(201, { id: 111 });
    const gql: Record<string, any>[] = [];
    nock("https://api.github.com")
      .post("/graphql", (body) => (gql.push(body as Record<string, any>), /reviewThreads/.test((body as { query: string }).query)))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [{ id: "T_11", isResolved: false, comments: { nodes: [{ databaseId: 11 }] } }],
              },
            },
          },
        },
      })
      .post("/graphql", (body) => (gql.push(body as Record<string, any>), /resolveReviewThread/.test((body as { query: string }).query)))
      .reply(200, { data: { resolveReviewThread: { thread: { id: "T_11", isResolved: true } } } });
    setEnv("pull_request", pullRequestPayload("synchronize"));

    const result = await runAction({ analyze: fakeAnalyze([sql]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result.mode).toBe("reviewed");
    expect(requestsTo(gh, "POST", `/pulls/${PR_NUMBER}/reviews`)).toHaveLength(0); // sql already has its comment
    const reply = requestsTo(gh, "POST", /\/comments\/11\/replies$/)[0]!.body as { body: string };
    expect(reply.body).toContain(fixedMarker(gone.fingerprint));
    expect(gql.map((b) => b.variables)).toEqual([{ owner: OWNER, repo: REPO, number: PR_NUMBER, cursor: null }, { threadId: "T_11" }]);
    for (const body of gql) expect(validateGraphQLRequest(body)).toEqual([]);
    expect(gh.invalid()).toEqual([]);
  });

  it("fail_on and comment_mode inputs override the repository configuration", async () => {
    const gh = gitHub();
    mockCheckCreate(gh);
    mockConfig(gh, "fail_on: low\ncomment_mode: review\n");
    mockFiles(gh, [USERS_FILE]);
    mockCheckUpdates(gh);
    setEnv("pull_request", pullRequestPayload("opened"), { fail_on: "critical", comment_mode: "checks-only" });

    const result = await runAction({ analyze: fakeAnalyze([sql]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result).toMatchObject({ mode: "reviewed", conclusion: "success" });
    expect(result.failure).toBeUndefined();
    expect(checkRunUpdates(gh)[0]!.output.annotations[0].annotation_level).toBe("warning");
    expect(gh.requests.some((r) => r.path.includes("/reviews") || r.path.includes("/comments"))).toBe(false);
    // The configuration is read at the pull request's base commit.
    const base = pullRequestPayload("opened").pull_request.base.sha as string;
    expect(gh.requests.find((r) => r.path.includes("/contents/.github"))!.path).toContain(`ref=${base}`);
  });

  it("a configuration file at the config path that does not validate concludes action_required and names the file and key", async () => {
    const gh = gitHub();
    mockCheckCreate(gh);
    gh.scope
      .get(new RegExp(`^/repos/${OWNER}/${REPO}/contents/ci(%2F|/)vibeguard\\.yml\\?ref=`))
      .reply(200, "fail_on: sometimes\n", { "content-type": "application/vnd.github.raw; charset=utf-8" });
    mockCheckUpdates(gh);
    setEnv("pull_request", pullRequestPayload("opened"), { config: "ci/vibeguard.yml" });

    const result = await runAction({ analyze: fakeAnalyze([sql]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result.conclusion).toBe("action_required");
    expect(result.failure).toMatch(/Invalid configuration: fail_on/);
    expect(checkRunUpdates(gh)[0]!.output.summary).toContain("`ci/vibeguard.yml`");
  });

  it("rejects a bad input value before calling GitHub", async () => {
    const gh = gitHub();
    setEnv("pull_request", pullRequestPayload("opened"), { fail_on: "severe" });
    await expect(runAction({ analyze: fakeAnalyze([]), octokit: NO_RETRIES })).rejects.toThrow(/fail_on: "severe"/);
    expect(gh.requests).toEqual([]);
  });

  it("skips pull_request actions the App does not review, without a request", async () => {
    const gh = gitHub();
    setEnv("pull_request", pullRequestPayload("closed"));
    const result = await runAction({ analyze: fakeAnalyze([sql]), octokit: NO_RETRIES });
    expect(result).toMatchObject({ mode: "skipped" });
    expect(result.failure).toBeUndefined();
    expect(gh.requests).toEqual([]);
    expect(stdout).toMatch(/::notice::vibeguard: nothing to review: pull_request\.closed is not reviewed/);
  });
});

describe("the Action with a read-only token (a pull request from a fork)", () => {
  it("reports annotations and the job summary, posts nothing, and does not fail the step", async () => {
    const gh = gitHub();
    gh.scope
      .post(`/repos/${OWNER}/${REPO}/check-runs`)
      .reply(403, { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest/checks/runs#create-a-check-run" });
    mockConfig(gh, undefined);
    mockFiles(gh, [USERS_FILE]);
    setEnv("pull_request", pullRequestPayload("opened"), { sarif: "vibeguard.sarif" });

    const result = await runAction({ analyze: fakeAnalyze([sql, lowNote]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result).toMatchObject({ mode: "local", conclusion: "failure", findings: 2 });
    expect(result.failure).toBeUndefined();
    // Only the refused create; no update, review or comment call.
    expect(gh.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(stdout).toMatch(/^::warning::vibeguard: this workflow's token cannot create check runs/m);
    expect(stdout).toMatch(/^::error title=High%3A .*,file=src\/users\.ts,line=3,endLine=3,col=1,endColumn=10::/m);
    expect(stdout).toMatch(/^::notice title=Low%3A .*,file=src\/users\.ts,line=4,endLine=4/m);
    const text = summary();
    expect(text).toContain("read-only `GITHUB_TOKEN`");
    expect(text).toContain("SQL injection");
    expect(outputs()).toMatchObject({ conclusion: "failure", findings: "2" });
    expect(JSON.parse(readFileSync(join(work, "vibeguard.sarif"), "utf8")).runs[0].results).toHaveLength(2);
  });
});

describe("the Action on merge_group", () => {
  it("reviews what the group adds over its base: a check run, no review", async () => {
    const payload = example("merge_group", "checks_requested");
    const baseSha = payload.merge_group.base_sha as string;
    const headSha = payload.merge_group.head_sha as string;
    const owner = payload.repository.owner.login as string;
    const repo = payload.repository.name as string;
    const gh = gitHub();
    gh.scope.post(`/repos/${owner}/${repo}/check-runs`).reply(201, { id: 4242, html_url: "https://github.com/x/runs/4242" });
    gh.scope
      .get(new RegExp(`^/repos/${owner}/${repo}/contents/\\.github(%2F|/)vibeguard\\.yml\\?ref=${baseSha}$`))
      .reply(404, { message: "Not Found" });
    gh.scope.get(`/repos/${owner}/${repo}/compare/${baseSha}...${headSha}`).query(true).reply(200, {
      files: [{ sha: "b".repeat(40), filename: "src/users.ts", status: "added", additions: 5, deletions: 0, changes: 5, patch: addedPatch(USERS), blob_url: "u", raw_url: "u", contents_url: "u" }],
    });
    mockContents(gh, [USERS_FILE], { sha: headSha, owner, repo });
    gh.scope.patch(`/repos/${owner}/${repo}/check-runs/4242`).reply(200, { id: 4242 });
    setEnv("merge_group", payload);

    const result = await runAction({ analyze: fakeAnalyze([{ ...sql }]), octokit: NO_RETRIES, retryDelayMs: 0 });

    expect(result).toMatchObject({ mode: "reviewed", conclusion: "failure" });
    expect((requestsTo(gh, "POST", "/check-runs")[0]!.body as Record<string, unknown>).external_id).toBe(`merge_group:${baseSha}`);
    expect(gh.requests.some((r) => r.path.includes("/reviews"))).toBe(false);
    expect(gh.invalid()).toEqual([]);
  });
});
