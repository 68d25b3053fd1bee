// GitHub faults (issue 12, point 4) through the Octokit the App runs with (vibeguardOctokit):
// 5xx and network errors retried with backoff, primary and secondary rate limits waited out,
// and an error that survives the retries concluding the check run with an explanation.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { DEFAULT_LIMITS, limitsFromEnv, vibeguardOctokit } from "../../src/github/octokit.js";
import {
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  checkRunUpdates,
  createTestApp,
  deliver,
  fakeAnalyze,
  fileEntry,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockContents,
  mockHead,
  pullRequestPayload,
  requestsTo,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

const CODE = "export const a = 1;\n";
const FILE = { filename: "src/a.ts", patch: addedPatch(CODE), content: CODE };
/** Real waits shrunk a thousandfold: a "second" of Retry-After is a millisecond. */
const Octokit = vibeguardOctokit({ ...DEFAULT_LIMITS, retryAfterBaseValue: 1 });
const FILES_PATH = `/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`;

function run(gh: ReturnType<typeof github>, listFiles: (scope: nock.Scope) => void) {
  mockCheckCreate(gh);
  mockConfig(gh, "comment_mode: checks-only\n");
  listFiles(gh.scope);
  mockContents(gh, [FILE]);
  mockHead(gh);
  mockCheckUpdates(gh);
  return deliver(createTestApp(fakeAnalyze([]), { Octokit }), "pull_request", pullRequestPayload("opened"));
}

describe("GitHub faults", () => {
  it("retries 5xx answers and dropped connections, then completes the run", async () => {
    const gh = github();
    await run(gh, (scope) => {
      scope.get(FILES_PATH).query(true).reply(502, { message: "Bad Gateway" });
      scope.get(FILES_PATH).query(true).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
      scope.get(FILES_PATH).query(true).reply(200, [fileEntry(FILE)]);
    });
    expect(requestsTo(gh, "GET", "/files")).toHaveLength(3);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("waits out a secondary rate limit (Probot's default would give up)", async () => {
    const gh = github();
    await run(gh, (scope) => {
      scope
        .get(FILES_PATH)
        .query(true)
        .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "2" });
      scope.get(FILES_PATH).query(true).reply(200, [fileEntry(FILE)]);
    });
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("waits for a primary rate limit's reset", async () => {
    const gh = github();
    const reset = String(Math.ceil(Date.now() / 1000) + 3);
    await run(gh, (scope) => {
      scope
        .get(FILES_PATH)
        .query(true)
        .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
      scope.get(FILES_PATH).query(true).reply(200, [fileEntry(FILE)]);
    });
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
  });

  it("concludes the check run naming the call when GitHub keeps failing", async () => {
    const gh = github();
    await run(gh, (scope) => {
      scope.get(FILES_PATH).query(true).times(DEFAULT_LIMITS.retries + 1).reply(503, { message: "Service Unavailable" });
    });
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    expect(update!.output.summary).toContain(`while listing the changed files, GitHub answered HTTP 503 to GET ${FILES_PATH}, even after retries.`);
    expect(requestsTo(gh, "GET", "/files")).toHaveLength(DEFAULT_LIMITS.retries + 1);
    // The contents and head were never needed.
    nock.cleanAll();
  });

  it("does not retry a 422 (it will not change)", async () => {
    const gh = github();
    await run(gh, (scope) => {
      scope.get(FILES_PATH).query(true).reply(422, { message: "Unprocessable" });
    });
    expect(requestsTo(gh, "GET", "/files")).toHaveLength(1);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("failure");
    nock.cleanAll();
  });

  it("reads its limits from the environment", () => {
    expect(limitsFromEnv({ GITHUB_RETRIES: "5", GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS: "30" })).toMatchObject({ retries: 5, maxRateLimitWaitSeconds: 30 });
    expect(limitsFromEnv({ GITHUB_RETRIES: "x" }).retries).toBe(DEFAULT_LIMITS.retries);
  });
});
