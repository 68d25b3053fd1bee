// Hostile and unusual pull requests (issue 15, points 3-8): each test here failed before the fix
// it covers. Every request body is validated against GitHub's OpenAPI description.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { fingerprintMarker, rejectedMarker } from "../../src/render/review-comment.js";
import {
  CHECK_RUN_ID,
  CHECK_RUN_URL,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  checkRunUpdates,
  contentEntry,
  createTestApp,
  fileEntry,
  mockContents,
  deliver,
  fakeAnalyze,
  finding,
  github,
  mockCheckCreate,
  mockCheckLookup,
  mockCheckUpdates,
  mockConfig,
  mockFiles,
  pullRequestPayload,
  requestsTo,
  type MockFile,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

type GH = ReturnType<typeof github>;

/** The example payload's base.sha, and the merge base the fake compare answers with. */
const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
const MERGE_BASE = "9".repeat(40);
const NEWER_SHA = "1".repeat(40);

const CODE = "import { db } from './db';\nexport function find(id) {\n  return db.query(`SELECT * FROM users WHERE id = ${id}`);\n}\n";
const FILE: MockFile = { filename: "src/users.ts", patch: addedPatch(CODE), content: CODE };

function noComments(gh: GH): void {
  gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
}

function reviews(gh: GH) {
  return requestsTo(gh, "POST", `/pulls/${PR_NUMBER}/reviews`).map((r) => r.body as Record<string, any>);
}

describe("3. repository regexes are checked before anything runs", () => {
  for (const [yaml, key] of [
    ["secrets:\n  allow_regexes: ['^test_', '(a+)+!']\n", "secrets.allow_regexes.1"],
    ["secrets:\n  allow_regexes: ['(\\w|\\d)+$']\n", "secrets.allow_regexes.0"],
    [
      "secrets:\n  extra_patterns:\n    - id: acme\n      description: Acme key\n      regex: '(x+x+)+y'\n      keywords: [acme]\n",
      "secrets.extra_patterns.0.regex",
    ],
  ] as const) {
    it(`concludes action_required naming ${key}`, async () => {
      const gh = github();
      mockCheckCreate(gh);
      mockConfig(gh, yaml);
      mockCheckUpdates(gh);
      const analyze = fakeAnalyze([]);
      const app = createTestApp(analyze);
      const started = Date.now();
      await deliver(app, "pull_request", pullRequestPayload("opened"));
      expect(Date.now() - started).toBeLessThan(5_000);
      const [update] = checkRunUpdates(gh);
      expect(update!.conclusion).toBe("action_required");
      expect(update!.output.title).toBe(`Invalid configuration: ${key}`);
      expect(update!.output.summary).toContain(`the key \`${key}\` is invalid`);
      expect(analyze.calls).toHaveLength(0);
      expect(gh.invalid()).toEqual([]);
    });
  }

  it("accepts ordinary patterns", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\nsecrets:\n  allow_regexes: ['^EXAMPLE[A-Z0-9]{8}$', '(?:dummy|sample)-key']\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
  });
});

describe("4. a file whose patch GitHub omitted", () => {
  const BASE = "const a = 1;\nconst b = eval(input);\nconst c = 3;\n";
  const HEAD = "const a = 1;\nconst b = eval(input);\nconst added = eval(other);\nconst c = 3;\n";
  const BIG: MockFile = { filename: "src/big.js", status: "modified", changes: 9000, content: HEAD };

  function compare(gh: GH, status = 200): void {
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/compare/${BASE_SHA}...${HEAD_SHA}`)
      .query(true)
      .reply(status, status === 200 ? { merge_base_commit: { sha: MERGE_BASE }, files: [] } : { message: "Server Error" });
  }

  it("reports only the lines added since the merge base, read from the base version", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [BIG]);
    compare(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/contents/src%2Fbig.js`).query({ ref: MERGE_BASE }).reply(200, contentEntry("src/big.js", BASE));
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [file] = analyze.calls[0]!;
    expect(file!.added).toEqual(new Set([3]));
    expect(checkRunUpdates(gh)[0]!.output.summary).not.toContain("GitHub sent no diff");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("reads the base under the old name of a renamed file", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query(true)
      .reply(200, [{ sha: "b".repeat(40), filename: "src/new.js", previous_filename: "src/old.js", status: "renamed", additions: 1, deletions: 0, changes: 9000, blob_url: "u", raw_url: "u", contents_url: "u" }]);
    gh.scope.get(`/repos/${OWNER}/${REPO}/contents/src%2Fnew.js`).query({ ref: HEAD_SHA }).reply(200, contentEntry("src/new.js", HEAD));
    compare(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/contents/src%2Fold.js`).query({ ref: MERGE_BASE }).reply(200, contentEntry("src/old.js", BASE));
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { head: { sha: HEAD_SHA } });
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    await deliver(createTestApp(analyze), "pull_request", pullRequestPayload("opened"));
    expect(analyze.calls[0]![0]!.added).toEqual(new Set([3]));
  });

  it("says so in the summary when the base cannot be read, and scans the whole file", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [BIG]);
    compare(gh, 500);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    await deliver(createTestApp(analyze), "pull_request", pullRequestPayload("opened"));
    expect(analyze.calls[0]![0]!.added).toBe("all");
    expect(checkRunUpdates(gh)[0]!.output.summary).toContain(
      "`src/big.js`: GitHub sent no diff for this file (too large) and its base version could not be read",
    );
  });
});

describe("5. a run whose commit is no longer the pull request's head", () => {
  it("posts nothing, touches no thread and concludes neutral 'superseded by <sha>'", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(200, [fileEntry(FILE)]);
    mockContents(gh, [FILE]);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { head: { sha: NEWER_SHA } });
    mockCheckUpdates(gh);
    // An earlier finding comment that this (stale) run no longer sees: it must not be marked fixed.
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
      .query(true)
      .optionally()
      .reply(200, [{ id: 5, path: "src/users.ts", body: `x\n${fingerprintMarker("js/sql:aaaa")}`, user: { login: "vibeguard[bot]", type: "Bot" } }]);
    const analyze = fakeAnalyze([finding({ path: "src/users.ts", line: 3 })]);
    await deliver(createTestApp(analyze), "pull_request", pullRequestPayload("opened"));

    expect(checkRunUpdates(gh)).toEqual([
      { conclusion: "neutral", completed_at: expect.any(String), output: { title: "Superseded by 1111111", summary: expect.stringContaining("`1111111`") } },
    ]);
    expect(reviews(gh)).toEqual([]);
    expect(gh.requests.filter((r) => r.method === "POST" && /comments|replies|graphql/.test(r.path))).toEqual([]);
    expect(gh.invalid()).toEqual([]);
  });
});

describe("5b. the head moving on after the check run, before the review", () => {
  it("completes the check run for its own commit but writes no review, reply or resolution", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(200, [fileEntry(FILE)]);
    mockContents(gh, [FILE]);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { head: { sha: HEAD_SHA } });
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}`).reply(200, { head: { sha: NEWER_SHA } });
    mockCheckUpdates(gh);
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
      .query(true)
      .reply(200, [{ id: 5, path: "src/users.ts", body: `x\n${fingerprintMarker("js/sql:aaaa")}`, user: { login: "vibeguard[bot]", type: "Bot" } }]);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).query(true).reply(200, []);
    await deliver(createTestApp(fakeAnalyze([finding({ path: "src/users.ts", line: 3 })])), "pull_request", pullRequestPayload("opened"));
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("failure");
    expect(reviews(gh)).toEqual([]);
    expect(gh.requests.filter((r) => r.method === "POST" && /comments|replies|graphql/.test(r.path))).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("6. an incomplete review does not pass silently", () => {
  const LARGE: MockFile = { filename: "src/large.ts", patch: addedPatch("x"), content: "x", size: 3 * 1024 * 1024 };

  async function runWith(yaml: string, files: MockFile[], change: (p: Record<string, any>) => void = () => {}) {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, `comment_mode: checks-only\n${yaml}`);
    mockFiles(gh, files);
    mockCheckUpdates(gh);
    await deliver(createTestApp(fakeAnalyze([])), "pull_request", pullRequestPayload("opened", change));
    return checkRunUpdates(gh)[0]!;
  }

  it("concludes neutral by default when a file was not analysed, naming it at the top of the summary", async () => {
    const update = await runWith("", [FILE, LARGE]);
    expect(update.conclusion).toBe("neutral");
    expect(update.output.title).toBe("Incomplete review: no issues in the analysed files, 1 file not analysed");
    const summary: string = update.output.summary;
    expect(summary.indexOf("`src/large.ts`: larger than 1 MiB")).toBeGreaterThan(0);
    expect(summary.indexOf("`src/large.ts`: larger than 1 MiB")).toBeLessThan(summary.indexOf("| Item |"));
    expect(summary).toContain("**Result: incomplete.**");
  });

  it("concludes as on_incomplete says", async () => {
    expect((await runWith("on_incomplete: failure\n", [FILE, LARGE])).conclusion).toBe("failure");
    nock.cleanAll();
    expect((await runWith("on_incomplete: success\n", [FILE, LARGE])).conclusion).toBe("success");
  });

  it("counts files GitHub did not list (over 3000)", async () => {
    const update = await runWith("", [FILE], (p) => (p.pull_request.changed_files = 3500));
    expect(update.conclusion).toBe("neutral");
    expect(update.output.summary.indexOf("3499 were not analysed")).toBeLessThan(update.output.summary.indexOf("| Item |"));
  });

  it("deliberate skips (ignore_paths, binary) leave the review complete", async () => {
    const update = await runWith("ignore_paths: ['vendor/**']\n", [FILE, { filename: "vendor/x.js", patch: addedPatch("eval(x)") }, { filename: "logo.png" }]);
    expect(update.conclusion).toBe("success");
  });

  it("an invalid on_incomplete names the key", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "on_incomplete: pass\n");
    mockCheckUpdates(gh);
    await deliver(createTestApp(fakeAnalyze([])), "pull_request", pullRequestPayload("opened"));
    expect(checkRunUpdates(gh)[0]!.output.title).toBe("Invalid configuration: on_incomplete");
  });
});

describe("7. GitHub rejecting some inline comments (422)", () => {
  const lines = Array.from({ length: 8 }, (_, i) => `const v${i} = eval(input${i});`).join("\n") + "\n";
  const EVALS: MockFile = { filename: "src/evals.js", patch: addedPatch(lines), content: lines };
  const findings = Array.from({ length: 8 }, (_, i) =>
    finding({ path: "src/evals.js", line: i + 1, ruleId: "js-eval-dynamic", category: "code-injection", snippet: `eval(input${i})` }),
  );
  /** GitHub refuses comments on these lines (say, the diff moved under them). */
  const REFUSED = new Set([3, 6]);

  function fakeReviews(gh: GH, earlier: Array<Record<string, unknown>> = []) {
    const state = { pending: 0, deleted: 0, nextId: 100 };
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).query(true).reply(200, earlier);
    gh.scope
      .post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`)
      .times(40)
      .reply((_uri, body) => {
        const b = body as { event?: string; comments?: { line: number }[] };
        if ((b.comments ?? []).some((c) => REFUSED.has(c.line))) return [422, { message: "Unprocessable Entity", errors: ["Line could not be resolved"] }];
        if (!b.event) state.pending++;
        return [200, { id: state.nextId++ }];
      });
    gh.scope
      .delete(new RegExp(`^/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews/\\d+$`))
      .times(40)
      .reply(() => {
        state.deleted++;
        return [200, { id: 1 }];
      });
    return state;
  }

  it("posts every comment GitHub accepts in one review, and names the refused ones", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [EVALS]);
    mockCheckUpdates(gh);
    noComments(gh);
    const state = fakeReviews(gh);
    await deliver(createTestApp(fakeAnalyze(findings, ["code-injection"])), "pull_request", pullRequestPayload("opened"));

    const submitted = reviews(gh).filter((r) => r.event);
    const final = submitted.at(-1)!;
    expect(final.comments.map((c: { line: number }) => c.line).sort()).toEqual([1, 2, 4, 5, 7, 8]);
    expect(submitted.filter((r) => r.comments?.length && !r.comments.some((c: { line: number }) => REFUSED.has(c.line)))).toHaveLength(1);
    expect(final.body).toContain("2 were not accepted by GitHub as an inline comment");
    expect(final.body).toContain(rejectedMarker([findings[2]!.fingerprint, findings[5]!.fingerprint]));
    // Every probe review was a pending one, deleted again.
    expect(state.deleted).toBe(state.pending);
    expect(gh.invalid()).toEqual([]);
  });

  it("never resends a comment GitHub refused on an earlier push", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [EVALS]);
    mockCheckUpdates(gh);
    // The earlier push posted six comments and named two refused ones in its body.
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
      .query(true)
      .reply(
        200,
        findings
          .filter((f) => !REFUSED.has(f.line))
          .map((f, i) => ({ id: 50 + i, path: f.path, body: `x\n${fingerprintMarker(f.fingerprint)}`, user: { login: "vibeguard[bot]", type: "Bot" } })),
      );
    const earlierBody = `### vibeguard security review\n\n${rejectedMarker([findings[2]!.fingerprint, findings[5]!.fingerprint])}`;
    // A new finding on line 9 makes a review to post; the refused two are not in it.
    const more = `${lines}const w = eval(z);\n`;
    nock.cleanAll();
    const gh2 = github();
    mockCheckCreate(gh2);
    mockConfig(gh2, undefined);
    mockFiles(gh2, [{ ...EVALS, patch: addedPatch(more), content: more }]);
    mockCheckUpdates(gh2);
    gh2.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
      .query(true)
      .reply(
        200,
        findings
          .filter((f) => !REFUSED.has(f.line))
          .map((f, i) => ({ id: 50 + i, path: f.path, body: `x\n${fingerprintMarker(f.fingerprint)}`, user: { login: "vibeguard[bot]", type: "Bot" } })),
      );
    fakeReviews(gh2, [{ id: 9, body: earlierBody, user: { login: "vibeguard[bot]", type: "Bot" }, state: "COMMENTED" }]);
    const extra = finding({ path: "src/evals.js", line: 9, ruleId: "js-eval-dynamic", category: "code-injection", snippet: "eval(z)" });
    await deliver(createTestApp(fakeAnalyze([...findings, extra], ["code-injection"])), "pull_request", pullRequestPayload("synchronize"));

    const sent = reviews(gh2);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.comments.map((c: { line: number }) => c.line)).toEqual([9]);
    expect(gh2.invalid()).toEqual([]);
    void gh;
  });
});

describe("8. duplicate deliveries and retried creates", () => {
  it("two concurrent deliveries for the same head make one check run and one review", async () => {
    const gh = github();
    mockCheckLookup(gh, []);
    mockCheckLookup(gh, [
      { id: CHECK_RUN_ID, head_sha: HEAD_SHA, external_id: `pr:${PR_NUMBER}`, status: "completed", conclusion: "failure", name: "vibeguard", html_url: CHECK_RUN_URL, output: { title: "1 high in 1 file" } },
    ]);
    gh.scope.post(`/repos/${OWNER}/${REPO}/check-runs`).times(2).reply(201, { id: CHECK_RUN_ID, html_url: CHECK_RUN_URL });
    mockConfig(gh, undefined);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh, 2);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).times(2).reply(200, []);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).query(true).times(2).reply(200, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).times(2).reply(200, { id: 1 });
    const analyze = fakeAnalyze([finding({ path: "src/users.ts", line: 3 })]);
    const app = createTestApp(analyze);

    const payload = pullRequestPayload("opened");
    await Promise.all([deliver(app, "pull_request", payload), deliver(app, "pull_request", pullRequestPayload("synchronize"))]);

    expect(requestsTo(gh, "POST", "/check-runs")).toHaveLength(1);
    expect(reviews(gh)).toHaveLength(1);
    expect(analyze.calls).toHaveLength(1);
  });

  it("a create that failed with a 5xx after GitHub made the run adopts that run instead of leaving it in progress", async () => {
    const gh = github();
    mockCheckLookup(gh, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(502, { message: "Bad Gateway" });
    mockCheckLookup(gh, [
      { id: CHECK_RUN_ID, head_sha: HEAD_SHA, external_id: `pr:${PR_NUMBER}`, status: "in_progress", conclusion: null, name: "vibeguard", html_url: CHECK_RUN_URL },
    ]);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    await deliver(createTestApp(fakeAnalyze([])), "pull_request", pullRequestPayload("opened"));

    expect(requestsTo(gh, "POST", "/check-runs")).toHaveLength(1);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    expect(nock.pendingMocks()).toEqual([]);
  });

  for (const [what, conclusion, title] of [
    ["superseded (the head came back after a force-push)", "neutral", "Superseded by 1111111"],
    ["stopped by an error", "failure", "vibeguard could not complete the review"],
    ["incomplete", "neutral", "Incomplete review: no issues in the analysed files, 1 file not analysed"],
  ] as const) {
    it(`reviews a head again when this App's earlier run on it was ${what}`, async () => {
      const gh = github();
      mockCheckLookup(gh, [
        { id: 17, head_sha: HEAD_SHA, external_id: `pr:${PR_NUMBER}`, status: "completed", conclusion, name: "vibeguard", html_url: "u", output: { title } },
      ]);
      gh.scope.post(`/repos/${OWNER}/${REPO}/check-runs`).reply(201, { id: CHECK_RUN_ID, html_url: CHECK_RUN_URL });
      mockConfig(gh, "comment_mode: checks-only\n");
      mockFiles(gh, [FILE]);
      mockCheckUpdates(gh);
      await deliver(createTestApp(fakeAnalyze([])), "pull_request", pullRequestPayload("synchronize"));
      expect(requestsTo(gh, "POST", "/check-runs")).toHaveLength(1);
      expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
    });
  }

  it("adopts this App's run left in progress on the same head (a crashed earlier run) instead of creating a second", async () => {
    const gh = github();
    mockCheckLookup(gh, [
      { id: 999, head_sha: HEAD_SHA, external_id: "pr:77", status: "in_progress", conclusion: null, name: "vibeguard", html_url: "u" },
      { id: CHECK_RUN_ID, head_sha: HEAD_SHA, external_id: `pr:${PR_NUMBER}`, status: "in_progress", conclusion: null, name: "vibeguard", html_url: CHECK_RUN_URL },
    ]);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    await deliver(createTestApp(fakeAnalyze([])), "pull_request", pullRequestPayload("opened"));
    expect(requestsTo(gh, "POST", "/check-runs")).toHaveLength(0);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
  });
});
