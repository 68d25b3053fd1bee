// The check run through the whole App: created at once, completed with the checklist and every
// annotation, concluded whatever happens. Every request body is validated against GitHub's
// OpenAPI description.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { CHECKLIST } from "../../src/checklist.js";
import type { Finding } from "../../src/findings.js";
import {
  CHECK_RUN_ID,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  createTestApp,
  deliver,
  fakeAnalyze,
  fileEntry,
  finding,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockContents,
  mockFiles,
  mockHead,
  pullRequestPayload,
  checkRunUpdates,
  requestsTo,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

const CONTENT = "import { db } from './db';\nexport function find(id) {\n  return db.query(`SELECT * FROM users WHERE id = ${id}`);\n}\n";
const FILE = { filename: "src/users.ts", patch: addedPatch(CONTENT), content: CONTENT };

function noReview(gh: ReturnType<typeof github>): void {
  gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
}


describe("check run on a pull request", () => {
  it("is created in progress at once, then completed with the checklist, title, text and annotations", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    noReview(gh);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
    const sql = finding({ path: "src/users.ts", line: 3, column: 10, endColumn: 60 });
    const weak = finding({ path: "src/users.ts", line: 2, ruleId: "js/weak-hash", category: "weak-crypto", severity: "medium", cwe: "CWE-328", title: "Weak hash", message: "MD5 is broken.", fix: "Use SHA-256." });
    const analyze = fakeAnalyze([sql, weak], ["sql-injection", "secrets", "weak-crypto", "xss"]);
    const app = createTestApp(analyze);

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    // Created first, before anything is read.
    const create = requestsTo(gh, "POST", "/check-runs");
    expect(create).toHaveLength(1);
    expect(gh.requests.findIndex((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toBeLessThan(
      gh.requests.findIndex((r) => r.path.includes("/pulls/2/files")),
    );
    expect(create[0]!.body).toEqual({
      name: "vibeguard",
      head_sha: HEAD_SHA,
      status: "in_progress",
      external_id: "pr:2",
      output: {
        title: "Reviewing the change for security issues",
        summary: "vibeguard is reading the added code; the security checklist appears here when it is done.",
      },
    });

    // The analysis got the head content and the added lines.
    expect(analyze.calls).toHaveLength(1);
    expect(analyze.calls[0]).toEqual([{ path: "src/users.ts", content: CONTENT, added: new Set([1, 2, 3, 4]) }]);

    const updates = checkRunUpdates(gh);
    expect(updates).toHaveLength(1);
    const update = updates[0]!;
    expect(Object.keys(update).sort()).toEqual(["completed_at", "conclusion", "output"]);
    expect(update.conclusion).toBe("failure");
    expect(update.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(update.output.title).toBe("1 high, 1 medium in 1 file");
    expect(update.output.annotations).toEqual([
      {
        path: "src/users.ts",
        start_line: 3,
        end_line: 3,
        start_column: 10,
        end_column: 60,
        annotation_level: "failure",
        title: "High: SQL query built from a template string (js/sql-injection, CWE-89)",
        message:
          "The query interpolates request data, so a caller can change its meaning.\n\nFix: Pass the value as a query parameter.\n\nSuppress with a `vibeguard-ignore js/sql-injection` comment.",
      },
      {
        path: "src/users.ts",
        start_line: 2,
        end_line: 2,
        start_column: 1,
        end_column: 10,
        annotation_level: "warning",
        title: "Medium: Weak hash (js/weak-hash, CWE-328)",
        message: "MD5 is broken.\n\nFix: Use SHA-256.\n\nSuppress with a `vibeguard-ignore js/weak-hash` comment.",
      },
    ]);

    // The summary is the whole checklist, in order, every item with its state.
    const summary: string = update.output.summary;
    const rows = summary.split("\n").filter((l) => l.startsWith("| **"));
    expect(rows.map((r) => /^\| \*\*(.+?)\*\*/.exec(r)![1])).toEqual(CHECKLIST.map((i) => i.title));
    const row = (title: string) => rows.find((r) => r.startsWith(`| **${title}**`))!;
    const blob = `https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/src/users.ts`;
    expect(row("SQL and NoSQL injection")).toBe(`| **SQL and NoSQL injection** | ❌ **Failed** | 1 finding: [src/users.ts:3](${blob}#L3) |`);
    expect(row("Cryptography")).toBe(`| **Cryptography** | ⚠️ Failed (below threshold) | 1 finding: [src/users.ts:2](${blob}#L2) |`);
    expect(row("No hardcoded secrets")).toContain("✅ Passed");
    expect(row("Cross-site scripting")).toContain("✅ Passed");
    expect(row("Command injection")).toContain("➖ Not applicable");
    expect(row("Authentication and authorization")).toContain("👤 Needs a human");
    expect(row("Input validation")).toContain("👤 Needs a human");
    expect(summary).toContain("**Result: failed.** 1 finding at or above `high` severity");
    // Details text lists every finding.
    expect(update.output.text).toContain("### 🟠 High: SQL query built from a template string");
    expect(update.output.text).toContain("### 🟡 Medium: Weak hash");
    // The run was logged, the file content was not.
    expect(app.logs.join("")).toContain("vibeguard: check run completed");
    expect(app.logs.join("")).not.toContain("SELECT * FROM users");

    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("sends every annotation, 50 per request: 120 findings make 3 updates, only the last concludes", async () => {
    const content = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join("\n");
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [{ filename: "src/big.ts", patch: addedPatch(content), content }]);
    mockCheckUpdates(gh, 3);
    const findings = Array.from({ length: 120 }, (_, i) => finding({ path: "src/big.ts", line: i + 1, severity: i % 2 ? "low" : "high" }));
    const app = createTestApp(fakeAnalyze(findings));

    await deliver(app, "pull_request", pullRequestPayload("synchronize"));

    const updates = checkRunUpdates(gh);
    expect(updates.map((u) => u.output.annotations.length)).toEqual([50, 50, 20]);
    expect(updates.map((u) => u.conclusion)).toEqual([undefined, undefined, "failure"]);
    expect(updates[0]!.status).toBeUndefined();
    // Same title and summary on every update; the details text only with the conclusion.
    expect(new Set(updates.map((u) => u.output.title))).toEqual(new Set(["60 high, 60 low in 1 file"]));
    expect(updates[0]!.output.summary).toBe(updates[2]!.output.summary);
    expect(updates[0]!.output.text).toBeUndefined();
    expect(updates[2]!.output.text).toContain("## Findings");
    // All 120 lines annotated exactly once, with the right level.
    const all = updates.flatMap((u) => u.output.annotations as { start_line: number; annotation_level: string }[]);
    expect(all.map((a) => a.start_line).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(all.find((a) => a.start_line === 1)!.annotation_level).toBe("failure");
    expect(all.find((a) => a.start_line === 2)!.annotation_level).toBe("notice");
    // checks-only: no review, not even a look at earlier comments.
    expect(gh.requests.some((r) => r.path.includes("/comments") || r.path.includes("/reviews"))).toBe(false);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("concludes success with 'No security issues found' when nothing is found, and posts no review", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    noReview(gh);
    const app = createTestApp(fakeAnalyze([]));

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("success");
    expect(update!.output.title).toBe("No security issues found");
    expect(update!.output.text).toBeUndefined();
    expect(update!.output.annotations).toBeUndefined();
    expect(update!.output.summary).toContain("**Result: passed.** No security issues found in the added code.");
    expect(requestsTo(gh, "POST", "/reviews")).toHaveLength(0);
    expect(gh.invalid()).toEqual([]);
  });

  it("passes with findings below fail_on, and fails on a medium when fail_on is medium", async () => {
    for (const [yaml, expected] of [
      [undefined, "success"],
      ["fail_on: medium\ncomment_mode: checks-only\n", "failure"],
    ] as const) {
      const gh = github();
      mockCheckCreate(gh);
      mockConfig(gh, yaml);
      mockFiles(gh, [FILE]);
      mockCheckUpdates(gh);
      if (!yaml) {
        noReview(gh);
        gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
      }
      const app = createTestApp(fakeAnalyze([finding({ path: "src/users.ts", line: 3, severity: "medium" })]));
      await deliver(app, "pull_request", pullRequestPayload("opened"));
      const [update] = checkRunUpdates(gh);
      expect(update!.conclusion).toBe(expected);
      expect(update!.output.annotations[0].annotation_level).toBe(expected === "failure" ? "failure" : "warning");
      nock.cleanAll();
    }
  });
});

describe("files the analysis reads", () => {
  it("scans a file whose patch GitHub omitted whole, and lists too-large, binary and diff-less files", async () => {
    const big = "x".repeat(10);
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\nignore_paths: ['vendor/**']\n");
    const files = [
      { filename: "src/huge-diff.ts", changes: 40_000, content: "const a = 1;\nconst b = 2;\n" },
      { filename: "data/large.json", patch: addedPatch("{}"), content: big, size: 2 * 1024 * 1024 },
      { filename: "img/logo.bin", patch: addedPatch("x"), content: "PNG\0\0binary" },
      { filename: "img/logo.png" },
      { filename: "vendor/lib.js", patch: addedPatch("eval(x)") },
      { filename: "src/old.ts", status: "removed", patch: "@@ -1,1 +0,0 @@\n-gone" },
      { filename: "src/moved.ts", status: "renamed" },
    ];
    mockFiles(gh, files);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([finding({ path: "src/huge-diff.ts", line: 2 })]);
    const app = createTestApp(analyze);

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    expect(analyze.calls[0]).toEqual([{ path: "src/huge-diff.ts", content: "const a = 1;\nconst b = 2;\n", added: "all" }]);
    // Only the files that are read were fetched (not removed, ignored, diff-less ones).
    const fetched = requestsTo(gh, "GET", /\/contents\/(?!\.github)/).map((r) => decodeURIComponent(r.path.split("/contents/")[1]!.split("?")[0]!));
    expect(fetched.sort()).toEqual(["data/large.json", "img/logo.bin", "src/huge-diff.ts"]);
    const [update] = checkRunUpdates(gh);
    const summary: string = update!.output.summary;
    // A new file without a patch is added whole: nothing to say about it.
    expect(summary).not.toContain("GitHub sent no diff");
    // The file too large to read leaves the review incomplete: it heads the summary.
    expect(summary.split("\n").slice(0, 4).join("\n")).toBe("## Security checklist\n\n### ⚠️ Not fully reviewed\n");
    expect(summary.indexOf("- `data/large.json`: larger than 1 MiB (2097152 bytes)")).toBeLessThan(summary.indexOf("| Item |"));
    expect(update!.conclusion).toBe("failure"); // a finding fails it whatever on_incomplete says
    expect(summary).toContain("### Not analysed (3)");
    expect(summary).toContain("- `img/logo.bin`: binary file");
    expect(summary).toContain("- `img/logo.png`: no text diff (binary or empty file)");
    expect(summary).toContain("- `vendor/lib.js`: ignored by ignore_paths");
    expect(summary).not.toContain("src/old.ts");
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("says so when the pull request has more files than GitHub lists (3000)", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened", (p) => (p.pull_request.changed_files = 3500)));
    const [update] = checkRunUpdates(gh);
    expect(update!.output.summary).toContain("GitHub lists at most 3000 changed files; this change has 3500, so 3499 were not analysed.");
  });

  it("follows the file listing across pages", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    const page1 = Array.from({ length: 100 }, (_, i) => ({ filename: `a/f${i}.png` }));
    const { fileEntry } = await import("./helpers.js");
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: "100" })
      .reply(200, page1.map(fileEntry), {
        link: `<https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files?per_page=100&page=2>; rel="next"`,
      });
    gh.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [fileEntry(FILE)]);
    mockContents(gh, [FILE]);
    mockHead(gh);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(analyze.calls[0]!.map((f) => f.path)).toEqual(["src/users.ts"]);
    expect(checkRunUpdates(gh)[0]!.output.summary).toContain("### Not analysed (100)");
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("runs that end without findings to report", () => {
  it("concludes action_required naming the bad key when the configuration is invalid", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "fail_on: hihg\n");
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("action_required");
    expect(update!.output.title).toBe("Invalid configuration: fail_on");
    expect(update!.output.summary).toContain("`.github/vibeguard.yml` could not be used: the key `fail_on` is invalid.");
    expect(analyze.calls).toHaveLength(0);
    expect(gh.requests.some((r) => r.path.includes("/files"))).toBe(false);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("names an unknown nested key", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "secrets:\n  allow_regex: ['x']\n");
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("action_required");
    expect(update!.output.title).toBe("Invalid configuration: secrets.allow_regex");
  });

  it("concludes action_required when the YAML does not parse, without crashing the handler", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "fail_on: [high\nmax_comments: 3\n");
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("action_required");
    expect(update!.output.title).toBe("Invalid configuration file");
    expect(update!.output.summary).toContain("invalid YAML");
    expect(update!.output.summary).not.toContain("api.github.com");
    expect(gh.invalid()).toEqual([]);
  });

  it("skips a draft with a neutral conclusion, and reviews it when skip_drafts is false", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "pull_request", pullRequestPayload("opened", (p) => (p.pull_request.draft = true)));
    const [update] = checkRunUpdates(gh);
    expect(update).toEqual({
      conclusion: "neutral",
      completed_at: expect.any(String),
      output: {
        title: "Skipped: draft pull request",
        summary: expect.stringContaining("runs when the pull request is marked ready for review"),
      },
    });
    expect(analyze.calls).toHaveLength(0);
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();

    const gh2 = github();
    mockCheckCreate(gh2);
    mockConfig(gh2, "skip_drafts: false\ncomment_mode: checks-only\n");
    mockFiles(gh2, [FILE]);
    mockCheckUpdates(gh2);
    // A new App: the same delivery to the same App is a duplicate (one job per head commit).
    await deliver(createTestApp(analyze), "pull_request", pullRequestPayload("opened", (p) => (p.pull_request.draft = true)));
    expect(checkRunUpdates(gh2)[0]!.conclusion).toBe("success");
    expect(analyze.calls).toHaveLength(1);
  });

  it("reviews a draft once it is marked ready for review", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    const payload = pullRequestPayload("opened", (p) => {
      p.action = "ready_for_review";
      p.pull_request.draft = false;
    });
    await deliver(app, "pull_request", payload);
    expect(analyze.calls).toHaveLength(1);
    expect(checkRunUpdates(gh)[0]!.conclusion).toBe("success");
  });

  it("concludes success on a pull request that only deletes files, every item not applicable", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [
      { filename: "src/a.ts", status: "removed", patch: "@@ -1,2 +0,0 @@\n-a\n-b" },
      { filename: "src/b.ts", status: "modified", patch: "@@ -1,2 +1,1 @@\n a\n-b" },
    ]);
    mockCheckUpdates(gh);
    noReview(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(analyze.calls).toEqual([[]]);
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("success");
    expect(update!.output.summary).toContain("The changes in this pull request at `ec26c3e` only delete code: nothing to analyse.");
    const rows = (update!.output.summary as string).split("\n").filter((l) => l.startsWith("| **"));
    expect(rows).toHaveLength(CHECKLIST.length);
    for (const row of rows) expect(row).toContain("➖ Not applicable");
    expect(requestsTo(gh, "GET", /\/contents\/src/)).toHaveLength(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("concludes success when no changed file is one the analysis reads", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [{ filename: "logo.png" }]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("success");
    expect(update!.output.summary).toContain("No file in this pull request at `ec26c3e` could be analysed (see below).");
  });

  it("ignores closed pull requests", async () => {
    const gh = github();
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("reopened", (p) => (p.pull_request.state = "closed")));
    expect(gh.requests.filter((r) => !r.path.includes("access_tokens"))).toEqual([]);
  });
});

describe("errors after the check run exists", () => {
  it("concludes failure naming the GitHub call when listing files keeps failing", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(502, { message: "Bad Gateway" });
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    expect(update!.output.title).toBe("vibeguard could not complete the review");
    expect(update!.output.summary).toContain(
      `while listing the changed files, GitHub answered HTTP 502 to GET /repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files, even after retries.`,
    );
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("concludes failure when reading a file's content keeps failing", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(200, [fileEntry(FILE)]);
    gh.scope.get(/\/contents\/src/).reply(500, { message: "boom" });
    mockCheckUpdates(gh);
    const analyze = fakeAnalyze([]);
    const app = createTestApp(analyze);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    expect(update!.output.summary).toContain("while reading the changed files, GitHub answered HTTP 500 to GET /repos/Codertocat/Hello-World/contents/src%2Fusers.ts");
    expect(analyze.calls).toHaveLength(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("retries the concluding update until GitHub takes it", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(500, {});
    gh.scope.patch(`/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`).twice().reply(503, {});
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const updates = checkRunUpdates(gh);
    expect(updates).toHaveLength(3);
    expect(updates.every((u) => u.conclusion === "failure")).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("concludes failure when the analysis crashes, without posting or logging the error message", async () => {
    const secret = "sk_live_51H8secretsecretsecret0123456789";
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(async () => {
      throw new SyntaxError(`Unexpected token in "${secret}"`);
    });
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    expect(update!.output.summary).toContain("while analysing the change, an internal error (SyntaxError) occurred");
    expect(JSON.stringify(gh.requests)).not.toContain(secret);
    expect(app.logs.join("")).toContain("run failed");
    expect(app.logs.join("")).not.toContain(secret);
  });

  it("concludes the run when GitHub rejects the annotations (422), without them", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    gh.scope.patch(`/repos/${OWNER}/${REPO}/check-runs/${CHECK_RUN_ID}`).reply(422, { message: "Validation Failed" });
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([finding({ path: "src/users.ts", line: 3 })]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const updates = checkRunUpdates(gh);
    expect(updates).toHaveLength(2);
    expect(updates[1]!.conclusion).toBe("failure");
    expect(updates[1]!.output.annotations).toBeUndefined();
    expect(updates[1]!.output.title).toBe("1 high in 1 file");
    expect(updates[1]!.output.summary).toMatch(/^_GitHub did not accept the line annotations/);
  });

  it("retries the job, then logs it as failed, when even creating the check run keeps failing", async () => {
    const gh = github();
    gh.scope.post(`/repos/${OWNER}/${REPO}/check-runs`).times(3).reply(500, {});
    const app = createTestApp(fakeAnalyze([]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toHaveLength(3);
    expect(gh.requests.some((r) => r.method === "PATCH")).toBe(false);
    expect(app.logs.some((l) => l.includes("review job failed for good"))).toBe(true);
  });
});

describe("findings posted exactly", () => {
  it("keeps finding order worst-first in the annotations", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    const list: Finding[] = [
      finding({ path: "src/users.ts", line: 1, severity: "low" }),
      finding({ path: "src/users.ts", line: 2, severity: "critical" }),
    ];
    const app = createTestApp(fakeAnalyze(list));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [update] = checkRunUpdates(gh);
    expect(update!.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([2, 1]);
    expect(update!.output.title).toBe("1 critical, 1 low in 1 file");
  });
});
