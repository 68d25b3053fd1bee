import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { Octokit } from "@octokit/rest";
import {
  convertNullable,
  matchGitHubOperation,
  nockGitHub,
  validateGitHubRequest,
  validateGraphQLRequest,
} from "./openapi.js";

const goodAnnotation = {
  path: "src/db.ts",
  start_line: 3,
  end_line: 3,
  annotation_level: "failure",
  message: "SQL query built from a template string",
  title: "SQL injection",
};

const goodCheckRun = {
  name: "vibeguard",
  head_sha: "a".repeat(40),
  status: "completed",
  conclusion: "failure",
  completed_at: "2025-01-01T00:00:00Z",
  output: { title: "1 finding", summary: "## Security checklist", annotations: [goodAnnotation] },
};

describe("validateGitHubRequest: paths", () => {
  it("matches concrete paths to templates, with or without the GHES /api/v3 prefix", () => {
    expect(matchGitHubOperation("PATCH", "/repos/o/r/check-runs/123")).toBe("/repos/{owner}/{repo}/check-runs/{check_run_id}");
    expect(matchGitHubOperation("patch", "/api/v3/repos/o/r/check-runs/123")).toBe("/repos/{owner}/{repo}/check-runs/{check_run_id}");
    expect(matchGitHubOperation("GET", "/repos/o/r/pulls/7/files?per_page=100&page=2")).toBe("/repos/{owner}/{repo}/pulls/{pull_number}/files");
    expect(matchGitHubOperation("GET", "http://127.0.0.1:1234/api/v3/repos/o/r")).toBe("/repos/{owner}/{repo}");
    expect(matchGitHubOperation("POST", "/app/installations/42/access_tokens")).toBe("/app/installations/{installation_id}/access_tokens");
  });

  it("lets the last parameter span segments (contents paths, refs)", () => {
    expect(matchGitHubOperation("GET", "/repos/o/r/contents/src/db/query.ts?ref=abc")).toBe("/repos/{owner}/{repo}/contents/{path}");
    expect(matchGitHubOperation("GET", "/repos/o/r/contents/src%2Fdb.ts")).toBe("/repos/{owner}/{repo}/contents/{path}");
    expect(matchGitHubOperation("GET", "/repos/o/r/git/ref/heads/feature/x")).toBe("/repos/{owner}/{repo}/git/ref/{ref}");
    // A literal sub-route still wins over a greedy parameter.
    expect(matchGitHubOperation("GET", "/repos/o/r/pulls/1/reviews")).toBe("/repos/{owner}/{repo}/pulls/{pull_number}/reviews");
  });

  it("reports an unknown path or a method the path does not have", () => {
    expect(validateGitHubRequest("GET", "/repos/o/r/no-such-thing/1/2/3", undefined)[0]).toMatch(/no such operation/);
    expect(validateGitHubRequest("DELETE", "/repos/o/r/check-runs/1", undefined)[0]).toMatch(/^DELETE \/repos\/o\/r\/check-runs\/1: no such operation/);
    expect(validateGitHubRequest("GET", "/repos/o/r/pulls/1/files", undefined)).toEqual([]);
  });

  it("validates against a GHES description when asked", () => {
    expect(validateGitHubRequest("POST", "/api/v3/repos/o/r/check-runs", goodCheckRun, { spec: "ghes-3.19" })).toEqual([]);
  });
});

describe("validateGitHubRequest: check runs", () => {
  it("accepts a well-formed completed check run (object or JSON string body)", () => {
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", goodCheckRun)).toEqual([]);
    expect(validateGitHubRequest("POST", "/api/v3/repos/o/r/check-runs", JSON.stringify(goodCheckRun))).toEqual([]);
    expect(validateGitHubRequest("PATCH", "/repos/o/r/check-runs/9", { output: goodCheckRun.output })).toEqual([]);
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", { name: "vibeguard", head_sha: "abc", status: "in_progress" })).toEqual([]);
  });

  it("rejects a bad conclusion", () => {
    const errors = validateGitHubRequest("POST", "/repos/o/r/check-runs", { ...goodCheckRun, conclusion: "failed" });
    expect(errors).toContainEqual(expect.stringMatching(/^POST \/repos\/\{owner\}\/\{repo\}\/check-runs: \/conclusion must be equal to one of the allowed values/));
  });

  it("rejects a bad annotation level with the message format callers rely on", () => {
    const body = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [{ ...goodAnnotation, annotation_level: "error" }] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", body)).toContainEqual(
      expect.stringMatching(/^POST \/repos\/\{owner\}\/\{repo\}\/check-runs: \/output\/annotations\/0\/annotation_level must be equal to one of the allowed values/),
    );
  });

  it("rejects an annotation missing path", () => {
    const { path: _path, ...noPath } = goodAnnotation;
    const body = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [noPath] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", body)).toContainEqual(
      expect.stringContaining("/output/annotations/0 must have required property 'path'"),
    );
  });

  it("rejects more than 50 annotations, a missing head_sha, an oversized summary and a wrong type", () => {
    const many = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: Array.from({ length: 51 }, () => goodAnnotation) } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", many)).toContainEqual(expect.stringContaining("/output/annotations must NOT have more than 50 items"));
    const { head_sha: _sha, ...noSha } = goodCheckRun;
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", noSha)).toContainEqual(expect.stringContaining("must have required property 'head_sha'"));
    const big = { ...goodCheckRun, output: { title: "t", summary: "x".repeat(65536) } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", big)).toContainEqual(expect.stringContaining("/output/summary must NOT have more than 65535 characters"));
    const badLine = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [{ ...goodAnnotation, start_line: "3" }] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", badLine)).toContainEqual(expect.stringContaining("/output/annotations/0/start_line must be integer"));
  });

  it("rejects a bad date-time and unknown (typo'd) properties", () => {
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", { ...goodCheckRun, completed_at: "yesterday" })).toContainEqual(
      expect.stringContaining('/completed_at must match format "date-time"'),
    );
    const typo = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [{ ...goodAnnotation, annotation_levels: "failure" }] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", typo)).toContainEqual(
      expect.stringContaining("/output/annotations/0 must NOT have unknown property 'annotation_levels'"),
    );
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", typo, { rejectUnknownProperties: false })).toEqual([]);
  });

  it("enforces GitHub's prose-only rules: conclusion required when completed, sane annotation ranges", () => {
    const { conclusion: _c, ...noConclusion } = goodCheckRun;
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", noConclusion)).toContainEqual(expect.stringContaining("must have property 'conclusion'"));
    // The update operation encodes the same rule as an anyOf in the description itself.
    expect(validateGitHubRequest("PATCH", "/repos/o/r/check-runs/1", { status: "completed" }).length).toBeGreaterThan(0);
    const backwards = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [{ ...goodAnnotation, start_line: 5, end_line: 4 }] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", backwards)).toContainEqual(expect.stringContaining("end_line must be >= start_line"));
    const columns = { ...goodCheckRun, output: { ...goodCheckRun.output, annotations: [{ ...goodAnnotation, end_line: 4, start_column: 1, end_column: 2 }] } };
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", columns)).toContainEqual(expect.stringContaining("start_column/end_column"));
  });
});

describe("validateGitHubRequest: reviews and other operations", () => {
  const review = {
    commit_id: "b".repeat(40),
    event: "COMMENT",
    body: "vibeguard found 1 issue",
    comments: [{ path: "src/db.ts", line: 3, side: "RIGHT", body: "SQL injection" }],
  };

  it("accepts a review with inline comments and rejects broken ones", () => {
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", review)).toEqual([]);
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", { ...review, event: "comment" })).toContainEqual(expect.stringContaining("/event must be equal to one of the allowed values"));
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", { ...review, comments: [{ line: 3, body: "x" }] })).toContainEqual(
      expect.stringContaining("/comments/0 must have required property 'path'"),
    );
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", { ...review, comments: [{ path: "a", body: "x" }] })).toContainEqual(
      expect.stringContaining("must have property 'line'"),
    );
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", { ...review, body: undefined })).toContainEqual(expect.stringContaining("/body is required when event is COMMENT"));
    expect(validateGitHubRequest("POST", "/repos/o/r/pulls/1/reviews", { ...review, comments: [{ ...review.comments[0], side: "right" }] })).toContainEqual(
      expect.stringContaining("side must be LEFT or RIGHT"),
    );
  });

  it("handles optional bodies, required bodies and operations that take none", () => {
    expect(validateGitHubRequest("POST", "/app/installations/1/access_tokens", undefined)).toEqual([]);
    expect(validateGitHubRequest("POST", "/app/installations/1/access_tokens", { permissions: { checks: "write" } })).toEqual([]);
    expect(validateGitHubRequest("POST", "/app/installations/1/access_tokens", { permissions: { checks: "admin" } })[0]).toMatch(/permissions\/checks must be equal to one of the allowed values/);
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", undefined)).toEqual(["POST /repos/{owner}/{repo}/check-runs: request body is required"]);
    expect(validateGitHubRequest("GET", "/repos/o/r/pulls/1", { a: 1 })).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}: operation takes no request body"]);
    expect(validateGitHubRequest("POST", "/repos/o/r/check-runs", "{not json")[0]).toMatch(/not valid JSON/);
    expect(validateGitHubRequest("POST", "/repos/o/r/issues/1/comments", { body: "hi" })).toEqual([]);
    expect(validateGitHubRequest("PATCH", "/repos/o/r/pulls/comments/5", { body: null })[0]).toMatch(/\/body must be string/);
  });

  it("accepts null where the description says nullable", () => {
    // PATCH /repos/{owner}/{repo}/issues/{issue_number}: milestone is nullable (oneOf string|integer).
    expect(validateGitHubRequest("PATCH", "/repos/o/r/issues/1", { milestone: null, body: null })).toEqual([]);
  });
});

describe("convertNullable", () => {
  it("turns nullable into type arrays, enum nulls and anyOf", () => {
    expect(convertNullable({ type: "string", nullable: true, enum: ["a"] })).toEqual({ type: ["string", "null"], enum: ["a", null] });
    expect(convertNullable({ nullable: true, allOf: [{ $ref: "#/x" }] })).toEqual({ anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }] });
    expect(convertNullable({ type: "object", properties: { nullable: { type: "boolean" }, example: { type: "string", nullable: true } } })).toEqual({
      type: "object",
      properties: { nullable: { type: "boolean" }, example: { type: ["string", "null"] } },
    });
  });
});

describe("validateGraphQLRequest", () => {
  it("accepts a query with variables and rejects malformed requests", () => {
    expect(validateGraphQLRequest({ query: "query($id: ID!) { node(id: $id) { id } }", variables: { id: "x" } })).toEqual([]);
    expect(validateGraphQLRequest(JSON.stringify({ query: "mutation { a { b } }" }))).toEqual([]);
    expect(validateGraphQLRequest({ variables: {} })).toContain("/query must be a non-empty string");
    expect(validateGraphQLRequest({ query: "{ a { b }", variables: [] })).toEqual(["/query has unbalanced braces", "/variables must be an object"]);
    expect(validateGraphQLRequest({ query: "{ a }", extra: 1 })).toEqual(["/ must NOT have unknown property 'extra'"]);
    expect(validateGitHubRequest("POST", "/api/graphql", { query: "{ viewer { login } }" })).toEqual([]);
    expect(validateGitHubRequest("POST", "/graphql", { variables: {} })).toEqual(["POST /graphql: /query must be a non-empty string"]);
  });
});

describe("nockGitHub", () => {
  afterEach(() => nock.cleanAll());

  it("records method, path, parsed body and headers of every request Octokit sends", async () => {
    const gh = nockGitHub();
    gh.scope.post("/repos/o/r/check-runs").reply(201, { id: 7 });
    gh.scope.patch("/repos/o/r/check-runs/7").reply(200, { id: 7 });
    gh.scope.get("/repos/o/r/pulls/1/files").query(true).reply(200, []);
    const octokit = new Octokit({ auth: "ghs_test" });
    await octokit.checks.create({ owner: "o", repo: "r", name: "vibeguard", head_sha: "abc", status: "in_progress" });
    await octokit.checks.update({ owner: "o", repo: "r", check_run_id: 7, conclusion: "nope" as "success" });
    await octokit.pulls.listFiles({ owner: "o", repo: "r", pull_number: 1, per_page: 100 });
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/o/r/check-runs",
      "PATCH /repos/o/r/check-runs/7",
      "GET /repos/o/r/pulls/1/files?per_page=100",
    ]);
    expect(gh.requests[0]!.body).toEqual({ name: "vibeguard", head_sha: "abc", status: "in_progress" });
    expect(gh.requests[0]!.headers.authorization).toBe("token ghs_test");
    expect(gh.requests[2]!.body).toBeUndefined();
    expect(gh.invalid()).toEqual([expect.stringMatching(/^PATCH \/repos\/\{owner\}\/\{repo\}\/check-runs\/\{check_run_id\}: \/conclusion must be equal/)]);
    expect(gh.scope.isDone()).toBe(true);
  });
});
