// The review: inline comments on new findings only, placed where GitHub accepts them, never the
// same finding twice, and "fixed" replies that resolve the thread when a finding goes away.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import type { Finding } from "../../src/findings.js";
import { fingerprintMarker, fixedMarker } from "../../src/render/review-comment.js";
import { validateGraphQLRequest } from "../support/openapi.js";
import {
  CHECK_RUN_URL,
  HEAD_SHA,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  createTestApp,
  deliver,
  fakeAnalyze,
  finding,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
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

const USERS = "import { db } from './db';\nexport function find(id) {\n  const q = `SELECT * FROM users WHERE id = ${id}`;\n  return db.query(q);\n}\n";
/** Adds lines 1-5 of users.ts; line 6+ do not exist in the diff. */
const USERS_FILE: MockFile = { filename: "src/users.ts", patch: addedPatch(USERS), content: USERS };
const CONFIG = "const a = 1;\nconst token = 'x';\n";
const CONFIG_FILE: MockFile = { filename: "src/config.ts", patch: addedPatch(CONFIG), content: CONFIG };
/** No patch from GitHub: scanned whole, no inline comment possible. */
const HUGE_FILE: MockFile = { filename: "src/huge.ts", changes: 9000, content: "let a = 1;\nlet b = eval(x);\n" };

const sqlA = finding({
  path: "src/users.ts",
  line: 3,
  endLine: 4,
  suggestion: "  return db.query('SELECT * FROM users WHERE id = ?', [id]);\n",
  trace: [
    { line: 2, code: "find(id)" },
    { line: 4, code: "db.query(q)" },
  ],
});
const secretB = finding({
  path: "src/config.ts",
  line: 2,
  ruleId: "secrets/generic-token",
  category: "secrets",
  severity: "critical",
  title: "Hardcoded token",
  message: "A token is committed in the source.",
  fix: "Load it from the environment.",
  cwe: "CWE-798",
  snippet: "const token = '[REDACTED]';",
});
const evalC = finding({ path: "src/huge.ts", line: 2, ruleId: "js-eval-dynamic", category: "code-injection", title: "eval of dynamic code", cwe: "CWE-95" });

interface CommentStub {
  id: number;
  path: string;
  body: string;
  type?: "Bot" | "User";
  in_reply_to_id?: number;
}

function mockComments(gh: GH, comments: CommentStub[]): void {
  gh.scope
    .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`)
    .query(true)
    .reply(
      200,
      comments.map((c) => ({
        id: c.id,
        path: c.path,
        body: c.body,
        user: { login: c.type === "User" ? "octocat" : "vibeguard[bot]", type: c.type ?? "Bot" },
        ...(c.in_reply_to_id !== undefined ? { in_reply_to_id: c.in_reply_to_id } : {}),
      })),
    );
}

function mockReview(gh: GH, status = 200): void {
  gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(status, status === 200 ? { id: 77 } : { message: "Unprocessable Entity" });
}

function setup(options: { yaml?: string; files: MockFile[]; findings: Finding[]; comments?: CommentStub[] }) {
  const gh = github();
  mockCheckCreate(gh);
  mockConfig(gh, options.yaml);
  mockFiles(gh, options.files);
  mockCheckUpdates(gh);
  mockComments(gh, options.comments ?? []);
  // Read only when there is a comment to post: earlier reviews name the comments GitHub refused.
  gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).query(true).optionally().reply(200, []);
  const app = createTestApp(fakeAnalyze(options.findings));
  return { gh, app };
}

function reviews(gh: GH) {
  return requestsTo(gh, "POST", `/pulls/${PR_NUMBER}/reviews`).map((r) => r.body as Record<string, any>);
}

describe("the review on a push", () => {
  it("posts one review with an inline comment per new finding, on the right lines", async () => {
    const { gh, app } = setup({ files: [USERS_FILE, CONFIG_FILE, HUGE_FILE], findings: [sqlA, secretB, evalC] });
    mockReview(gh);

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    const [review] = reviews(gh);
    expect(reviews(gh)).toHaveLength(1);
    expect(review!.commit_id).toBe(HEAD_SHA);
    expect(review!.event).toBe("COMMENT");
    expect(review!.body).toBe(
      [
        "### vibeguard security review",
        "",
        "vibeguard found 2 new security issues in this push (1 critical, 1 high); see the inline comments.",
        "",
        `1 could not be placed on a changed line of the diff: see the [check run](${CHECK_RUN_URL}).`,
        "",
        "3 findings are at or above `high` severity, so the vibeguard check fails.",
      ].join("\n"),
    );
    // Worst first; the multi-line finding spans line..endLine; no deprecated `position`.
    expect(review!.comments.map((c: Record<string, unknown>) => ({ ...c, body: undefined }))).toEqual([
      { path: "src/config.ts", line: 2, side: "RIGHT", body: undefined },
      { path: "src/users.ts", start_line: 3, start_side: "RIGHT", line: 4, side: "RIGHT", body: undefined },
    ]);
    const [secretComment, sqlComment] = review!.comments.map((c: { body: string }) => c.body) as string[];
    expect(sqlComment).toBe(
      [
        "**🟠 High: SQL query built from a template string**",
        "",
        "The query interpolates request data, so a caller can change its meaning.",
        "",
        "**How to fix:** Pass the value as a query parameter.",
        "",
        "```suggestion",
        "  return db.query('SELECT * FROM users WHERE id = ?', [id]);",
        "```",
        "",
        "<details><summary>Dataflow from source to sink</summary>",
        "",
        "1. line 2: `find(id)`",
        "2. line 4: `db.query(q)`",
        "",
        "</details>",
        "",
        "<sub>Rule `js/sql-injection` · CWE-89 · If this is a false positive, add `// vibeguard-ignore js/sql-injection` with a reason on the flagged line or the line above.</sub>",
        fingerprintMarker(sqlA.fingerprint),
      ].join("\n"),
    );
    expect(secretComment).toContain("**🔴 Critical: Hardcoded token**");
    expect(secretComment).toContain("Rule `secrets/generic-token` · CWE-798");
    expect(secretComment).not.toContain("```suggestion");
    expect(secretComment!.endsWith(fingerprintMarker(secretB.fingerprint))).toBe(true);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("requests changes when request_changes is set and a finding fails the check", async () => {
    const { gh, app } = setup({ yaml: "request_changes: true\n", files: [CONFIG_FILE], findings: [secretB] });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [review] = reviews(gh);
    expect(review!.event).toBe("REQUEST_CHANGES");
    expect(review!.body).toContain("so the vibeguard check fails and this review requests changes.");
    expect(gh.invalid()).toEqual([]);
  });

  it("only comments, even with request_changes, when nothing reaches fail_on", async () => {
    const low = finding({ path: "src/config.ts", line: 2, severity: "low" });
    const { gh, app } = setup({ yaml: "request_changes: true\n", files: [CONFIG_FILE], findings: [low] });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(reviews(gh)[0]!.event).toBe("COMMENT");
  });

  it("caps inline comments at max_comments and says the rest are in the check run", async () => {
    const many = [1, 2, 3, 4, 5].map((line) => finding({ path: "src/users.ts", line }));
    const { gh, app } = setup({ yaml: "max_comments: 2\n", files: [USERS_FILE], findings: many });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [review] = reviews(gh);
    expect(review!.comments.map((c: { line: number }) => c.line)).toEqual([1, 2]);
    expect(review!.body).toContain(`3 more are not commented inline because of the \`max_comments\` limit: see the [check run](${CHECK_RUN_URL}).`);
  });

  it("posts no review when every new finding is outside the diff (check run only)", async () => {
    const { gh, app } = setup({ files: [HUGE_FILE], findings: [evalC] });
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(reviews(gh)).toHaveLength(0);
    const [update] = checkRunUpdates(gh);
    expect(update!.output.annotations).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("drops the suggestion and comments on the first line when a multi-line finding leaves the diff", async () => {
    // The patch adds lines 1-2 only; the finding spans 2-3.
    const content = "a\nb\nc\n";
    const file: MockFile = { filename: "src/x.ts", patch: "@@ -1,2 +1,3 @@\n+a\n+b\n-z\n c", content };
    const spanning = finding({ path: "src/x.ts", line: 2, endLine: 4, suggestion: "fixed\n" });
    const { gh, app } = setup({ files: [file], findings: [spanning] });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const [comment] = reviews(gh)[0]!.comments as Record<string, unknown>[];
    expect(comment).toMatchObject({ path: "src/x.ts", line: 2, side: "RIGHT" });
    expect(comment!.start_line).toBeUndefined();
    expect(comment!.body).not.toContain("```suggestion");
  });

  it("falls back to a review without inline comments when GitHub rejects them (422)", async () => {
    const { gh, app } = setup({ files: [CONFIG_FILE], findings: [secretB] });
    mockReview(gh, 422);
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    const sent = reviews(gh);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.comments).toBeUndefined();
    expect(sent[1]!.body).toContain("GitHub did not accept the inline comments; they are listed in the check run.");
    expect(gh.invalid()).toEqual([]);
  });

  it("posts nothing at all in checks-only mode", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [CONFIG_FILE]);
    mockCheckUpdates(gh);
    const app = createTestApp(fakeAnalyze([secretB]));
    await deliver(app, "pull_request", pullRequestPayload("opened"));
    expect(gh.requests.some((r) => /\/pulls\/2\/(comments|reviews)/.test(r.path))).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe("later pushes", () => {
  it("does not post the same finding twice: only the new one gets a comment", async () => {
    const { gh, app } = setup({
      files: [USERS_FILE, CONFIG_FILE],
      findings: [sqlA, secretB],
      comments: [
        { id: 10, path: "src/users.ts", body: `**High** ...\n${fingerprintMarker(sqlA.fingerprint)}` },
        // A human quoting the marker does not count as the App's comment.
        { id: 11, path: "src/config.ts", body: `quoting: ${fingerprintMarker(secretB.fingerprint)}`, type: "User" },
      ],
    });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("synchronize"));
    const [review] = reviews(gh);
    expect(review!.comments).toHaveLength(1);
    expect(review!.comments[0].path).toBe("src/config.ts");
    expect(review!.body).toContain("vibeguard found 1 new security issue in this push (1 critical)");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("posts no review when a push leaves every commented flaw in place", async () => {
    const { gh, app } = setup({
      files: [USERS_FILE, CONFIG_FILE],
      findings: [sqlA, secretB],
      comments: [
        { id: 10, path: "src/users.ts", body: fingerprintMarker(sqlA.fingerprint) },
        { id: 12, path: "src/config.ts", body: fingerprintMarker(secretB.fingerprint) },
      ],
    });
    await deliver(app, "pull_request", pullRequestPayload("synchronize"));
    expect(reviews(gh)).toHaveLength(0);
    expect(gh.requests.some((r) => r.path.endsWith("/replies") || r.path.endsWith("/graphql"))).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("replies 'fixed' and resolves the thread when a push removes a flaw from an analysed file", async () => {
    const reverted = finding({ path: "src/gone.ts", line: 1, ruleId: "js/x", snippet: "gone()" });
    const { gh, app } = setup({
      // users.ts is analysed and no longer has sqlA; config.ts still has secretB; gone.ts left the PR.
      files: [USERS_FILE, CONFIG_FILE],
      findings: [secretB],
      comments: [
        { id: 10, path: "src/users.ts", body: fingerprintMarker(sqlA.fingerprint) },
        { id: 12, path: "src/config.ts", body: fingerprintMarker(secretB.fingerprint) },
        { id: 14, path: "src/gone.ts", body: fingerprintMarker(reverted.fingerprint) },
      ],
    });
    const graphql = nock("https://api.github.com");
    const gql: Record<string, any>[] = [];
    graphql
      .post("/graphql", (body) => {
        gql.push(body as Record<string, any>);
        return /reviewThreads/.test((body as { query: string }).query);
      })
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: true, endCursor: "c1" },
                nodes: [{ id: "T_10", isResolved: false, comments: { nodes: [{ databaseId: 10 }] } }],
              },
            },
          },
        },
      })
      .post("/graphql", (body) => {
        gql.push(body as Record<string, any>);
        return /reviewThreads/.test((body as { query: string }).query);
      })
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  { id: "T_12", isResolved: false, comments: { nodes: [{ databaseId: 12 }] } },
                  { id: "T_14", isResolved: true, comments: { nodes: [{ databaseId: 14 }] } },
                ],
              },
            },
          },
        },
      })
      .post("/graphql", (body) => {
        gql.push(body as Record<string, any>);
        return /resolveReviewThread/.test((body as { query: string }).query);
      })
      .reply(200, { data: { resolveReviewThread: { thread: { id: "T_10", isResolved: true } } } });
    for (const id of [10, 14]) {
      gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/${id}/replies`).reply(201, { id: 100 + id });
    }

    await deliver(app, "pull_request", pullRequestPayload("synchronize"));

    const replies = requestsTo(gh, "POST", /\/replies$/);
    expect(replies.map((r) => r.path)).toEqual([
      `/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/10/replies`,
      `/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/14/replies`,
    ]);
    expect(replies[0]!.body).toEqual({
      body: `✅ Fixed: vibeguard no longer finds this issue as of \`ec26c3e\`. Resolving this thread.\n${fixedMarker(sqlA.fingerprint)}`,
    });
    // Threads listed page by page, then only the open thread of comment 10 resolved (14 was already resolved).
    expect(gql.map((b) => b.variables)).toEqual([
      { owner: OWNER, repo: REPO, number: PR_NUMBER, cursor: null },
      { owner: OWNER, repo: REPO, number: PR_NUMBER, cursor: "c1" },
      { threadId: "T_10" },
    ]);
    for (const body of gql) expect(validateGraphQLRequest(body)).toEqual([]);
    expect(reviews(gh)).toHaveLength(0);
    expect(gh.invalid()).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("does not declare fixed a finding whose file this run could not read", async () => {
    const big: MockFile = { ...USERS_FILE, size: 5 * 1024 * 1024 };
    const { gh, app } = setup({
      files: [big],
      findings: [],
      comments: [{ id: 10, path: "src/users.ts", body: fingerprintMarker(sqlA.fingerprint) }],
    });
    await deliver(app, "pull_request", pullRequestPayload("synchronize"));
    expect(gh.requests.some((r) => r.path.endsWith("/replies") || r.path.endsWith("/graphql"))).toBe(false);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("says 'suppressed' when the flaw is now covered by a vibeguard-ignore comment", async () => {
    const { gh, app } = setup({
      files: [USERS_FILE],
      findings: [{ ...sqlA, suppressed: true }],
      comments: [{ id: 10, path: "src/users.ts", body: fingerprintMarker(sqlA.fingerprint) }],
    });
    nock("https://api.github.com")
      .post("/graphql")
      .reply(200, { data: { repository: { pullRequest: { reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } } } } });
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments/10/replies`).reply(201, { id: 1 });
    await deliver(app, "pull_request", pullRequestPayload("synchronize"));
    const [reply] = requestsTo(gh, "POST", /\/replies$/);
    expect((reply!.body as { body: string }).body).toContain("now suppressed by a `vibeguard-ignore` comment");
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("comments again when a flaw marked fixed comes back, and never re-closes a closed thread", async () => {
    const { gh, app } = setup({
      files: [USERS_FILE],
      findings: [sqlA],
      comments: [
        { id: 10, path: "src/users.ts", body: fingerprintMarker(sqlA.fingerprint) },
        { id: 11, path: "src/users.ts", body: `Fixed\n${fixedMarker(sqlA.fingerprint)}`, in_reply_to_id: 10 },
      ],
    });
    mockReview(gh);
    await deliver(app, "pull_request", pullRequestPayload("synchronize"));
    expect(reviews(gh)[0]!.comments).toHaveLength(1);
    expect(gh.requests.some((r) => r.path.endsWith("/replies"))).toBe(false);
  });
});
