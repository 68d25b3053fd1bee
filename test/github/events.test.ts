// Which events start a run and what they review: forks, re-runs (check_run / check_suite),
// merge queues, GitHub Enterprise, and the real analysis behind the default export.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import {
  deliverToDefaultApp,
  CHECK_RUN_ID,
  HEAD_SHA,
  INSTALLATION_ID,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  createTestApp,
  deliver,
  example,
  fakeAnalyze,
  fileEntry,
  finding,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockContents,
  mockFiles,
  pullRequestPayload,
  checkRunUpdates,
  requestsTo,
  type MockFile,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

type GH = ReturnType<typeof github>;

const CONTENT = "export const run = (req) => {\n  eval(req.body.code);\n};\n";
const FILE: MockFile = { filename: "src/run.js", patch: addedPatch(CONTENT), content: CONTENT };
const evalFinding = finding({ path: "src/run.js", line: 2, ruleId: "js-eval-dynamic", category: "code-injection" });

function repository(): Record<string, unknown> {
  return pullRequestPayload("opened").repository as Record<string, unknown>;
}


function creates(gh: GH) {
  return requestsTo(gh, "POST", "/check-runs").map((r) => r.body as Record<string, any>);
}

describe("pull requests from forks", () => {
  it("reads the head content from the base repository at the head SHA and reviews on the base repository", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]); // contents mocked on the base repository only
    mockCheckUpdates(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
    const analyze = fakeAnalyze([evalFinding]);
    const app = createTestApp(analyze);
    const payload = pullRequestPayload("opened", (p) => {
      p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: "forker/Hello-World", name: "Hello-World", owner: { ...p.pull_request.head.repo.owner, login: "forker" }, fork: true };
      p.pull_request.head.label = "forker:changes";
    });

    await deliver(app, "pull_request", payload);

    expect(analyze.calls[0]!.map((f) => f.content)).toEqual([CONTENT]);
    expect(gh.requests.some((r) => r.path.includes("/forker/"))).toBe(false);
    expect(creates(gh)[0]!.head_sha).toBe(HEAD_SHA);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("failure");
    expect(requestsTo(gh, "POST", "/reviews")).toHaveLength(1);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("re-runs", () => {
  function checkRunPayload(externalId: string, headSha = HEAD_SHA, name = "vibeguard"): Record<string, any> {
    const payload = example("check_run", "rerequested");
    payload.repository = repository();
    payload.installation = { id: INSTALLATION_ID };
    payload.check_run.name = name;
    payload.check_run.external_id = externalId;
    payload.check_run.head_sha = headSha;
    payload.check_run.pull_requests = []; // as GitHub sends for forks
    return payload;
  }

  function pullGet(gh: GH, headSha = HEAD_SHA, draft = false): void {
    const pr = pullRequestPayload("opened").pull_request as Record<string, any>;
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { ...pr, draft, head: { ...pr.head, sha: headSha } });
  }

  it("check_run rerequested: finds the pull request through external_id and runs again on a new check run", async () => {
    const gh = github();
    mockCheckCreate(gh);
    pullGet(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([evalFinding]);
    const app = createTestApp(analyze);

    await deliver(app, "check_run", checkRunPayload("pr:2"));

    expect(creates(gh)).toEqual([
      expect.objectContaining({ name: "vibeguard", head_sha: HEAD_SHA, status: "in_progress", external_id: "pr:2" }),
    ]);
    expect(analyze.calls).toHaveLength(1);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("failure");
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("check_run rerequested on a commit the pull request has moved past: concluded as superseded", async () => {
    const gh = github();
    const old = "1".repeat(40);
    mockCheckCreate(gh);
    pullGet(gh, HEAD_SHA);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "check_run", checkRunPayload("pr:2", old));
    expect(creates(gh)[0]!.head_sha).toBe(old);
    expect(checkRunUpdates(gh)).toEqual([
      {
        conclusion: "neutral",
        completed_at: expect.any(String),
        output: { title: "Superseded by ec26c3e", summary: expect.stringContaining("`ec26c3e`") },
      },
    ]);
    expect(analyze.calls).toHaveLength(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("check_run rerequested: a failing pull-request lookup still concludes the new run", async () => {
    const gh = github();
    mockCheckCreate(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(500, {});
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "check_run", checkRunPayload("pr:2"));
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("failure");
    expect(checkRunUpdates(gh)[0]!.output.summary).toContain("while looking up the pull request, GitHub answered HTTP 500");
  });

  it("ignores re-runs of other apps' check runs", async () => {
    const gh = github();
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "check_run", checkRunPayload("pr:2", HEAD_SHA, "randscape"));
    expect(gh.requests.filter((r) => !r.path.includes("access_tokens"))).toEqual([]);
  });

  it("check_suite rerequested: uses the suite's pull request", async () => {
    const gh = github();
    mockCheckCreate(gh);
    pullGet(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    const payload = example("check_suite", "rerequested");
    payload.installation = { id: INSTALLATION_ID };
    await deliver(app, "check_suite", payload);
    expect(creates(gh)[0]).toMatchObject({ head_sha: HEAD_SHA, external_id: "pr:2" });
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("check_suite rerequested without pull requests (a fork): finds the run's external_id in the suite", async () => {
    const gh = github();
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/check-suites/118578147/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 1, name: "vibeguard", external_id: "pr:2" }] });
    mockCheckCreate(gh);
    pullGet(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    const payload = example("check_suite", "rerequested");
    payload.installation = { id: INSTALLATION_ID };
    payload.check_suite.pull_requests = [];
    await deliver(app, "check_suite", payload);
    expect(creates(gh)[0]).toMatchObject({ head_sha: HEAD_SHA, external_id: "pr:2" });
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("merge queue", () => {
  const BASE = "380387fbc80638b734a49e1be1c4dfec1c01b33c";
  const MG_HEAD = "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d";

  function mergeGroupPayload(): Record<string, any> {
    const payload = example("merge_group", "checks_requested");
    payload.repository = repository();
    payload.installation = { id: INSTALLATION_ID };
    return payload;
  }

  it("analyses base_sha...head_sha and reports the required check on the merge group's head, without a review", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/compare/${BASE}...${MG_HEAD}`)
      .query(true)
      .reply(200, { files: [fileEntry(FILE)], commits: [] });
    mockContents(gh, [FILE], { sha: MG_HEAD });
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([evalFinding]);
    const app = createTestApp(analyze);

    await deliver(app, "merge_group", mergeGroupPayload());

    expect(creates(gh)).toEqual([
      {
        name: "vibeguard",
        head_sha: MG_HEAD,
        status: "in_progress",
        external_id: `merge_group:${BASE}`,
        output: expect.any(Object),
      },
    ]);
    expect(analyze.calls[0]!.map((f) => f.path)).toEqual(["src/run.js"]);
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    expect(update!.output.summary).toContain("in this merge group at `2ffea6d`");
    expect(update!.output.summary).toContain(`https://github.com/${OWNER}/${REPO}/blob/${MG_HEAD}/src/run.js#L2`);
    expect(gh.requests.some((r) => /\/pulls\//.test(r.path))).toBe(false);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("says more files may exist when compare returns its 300-file maximum", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    const files = Array.from({ length: 300 }, (_, i) => fileEntry({ filename: `img/${i}.png` }));
    gh.scope.get(`/repos/${OWNER}/${REPO}/compare/${BASE}...${MG_HEAD}`).query(true).reply(200, { files, commits: [] });
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "merge_group", mergeGroupPayload());
    expect(checkRunUpdates(gh)[0]!.output.summary).toContain("GitHub lists at most 300 changed files here and returned that many");
  });
});

describe("GitHub Enterprise Server", () => {
  it("sends every request, GraphQL included, to the GHE host", async () => {
    const base = "https://ghe.example.com/api/v3";
    const gh = github(base);
    const prefix = "/api/v3";
    mockCheckCreate(gh, prefix);
    mockConfig(gh, undefined, prefix);
    mockFiles(gh, [FILE], { prefix });
    gh.scope.patch(`${prefix}/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`).reply(200, {});
    const gone = finding({ path: "src/run.js", line: 1, ruleId: "js/old", snippet: "old()" });
    gh.scope
      .get(`${prefix}/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
      .query(true)
      .reply(200, [{ id: 5, path: "src/run.js", body: `<!-- vibeguard:fingerprint=${gone.fingerprint} -->`, user: { login: "vibeguard[bot]", type: "Bot" } }]);
    gh.scope.post(`${prefix}/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
    gh.scope.post(`${prefix}/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/5/replies`).reply(201, { id: 6 });
    gh.scope
      .post("/api/graphql")
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ id: "T5", isResolved: false, comments: { nodes: [{ databaseId: 5 }] } }] },
            },
          },
        },
      })
      .post("/api/graphql")
      .reply(200, { data: { resolveReviewThread: { thread: { id: "T5", isResolved: true } } } });
    const app = createTestApp(fakeAnalyze([evalFinding]), { baseUrl: base });

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    // nock refuses anything else (net connect is disabled), and every mock above was used.
    expect(nock.pendingMocks()).toEqual([]);
    expect(gh.requests.length).toBeGreaterThan(8);
    expect(gh.requests.every((r) => r.path.startsWith("/api/"))).toBe(true);
    expect(gh.invalid({ spec: "ghes-3.19" })).toEqual([]);
  });
});

describe("the default export with the real analysis", () => {
  it("flags eval of request data in a JavaScript file end to end", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
    await deliverToDefaultApp("pull_request", pullRequestPayload("opened"));

    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    // The rule set grows; what holds is that eval of request data is flagged on line 2 and fails.
    const annotations = update!.output.annotations as Record<string, unknown>[];
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) expect(a).toMatchObject({ path: "src/run.js", start_line: 2 });
    expect(annotations.some((a) => a.annotation_level === "failure")).toBe(true);
    const rows = (update!.output.summary as string).split("\n");
    expect(rows.find((r) => r.startsWith("| **Code injection**"))).toContain("❌ **Failed**");
    expect(rows.find((r) => r.startsWith("| **No hardcoded secrets**"))).toContain("✅ Passed");
    const [review] = requestsTo(gh, "POST", "/reviews").map((r) => r.body as Record<string, any>);
    expect(review!.comments).toHaveLength(annotations.length);
    for (const c of review!.comments) expect(c).toMatchObject({ path: "src/run.js", line: 2, side: "RIGHT" });
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
