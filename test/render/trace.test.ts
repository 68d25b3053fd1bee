// The dataflow trace's hops across functions (issue 8.4) in JSON, terminal text and the review comment.
import { describe, expect, it } from "vitest";
import { toJsonFinding } from "../../src/render/json.js";
import { renderFindingComment } from "../../src/render/review-comment.js";
import { renderText } from "../../src/render/text.js";
import { finding } from "./fixtures.js";

const trace = [
  { line: 20, code: "await runQuery(`SELECT * FROM t WHERE id = ${req.query.id}`);", kind: "call" as const, note: "passed to runQuery(), which reaches the sink" },
  { line: 4, code: "function runQuery(sql) {", kind: "param" as const, note: "parameter of runQuery()" },
  { line: 5, code: "return db.query(sql);", kind: "sink" as const },
];
const f = finding({ ruleId: "js-sql-injection", line: 20, endLine: 20, trace });

describe("trace hops", () => {
  it("JSON keeps each step's line and code and adds kind and note where set", () => {
    expect(toJsonFinding(f).trace).toEqual([
      { line: 20, code: trace[0]!.code, kind: "call", note: "passed to runQuery(), which reaches the sink" },
      { line: 4, code: "function runQuery(sql) {", kind: "param", note: "parameter of runQuery()" },
      { line: 5, code: "return db.query(sql);", kind: "sink" },
    ]);
    expect(toJsonFinding(finding({ trace: [{ line: 1, code: "a" }] })).trace).toEqual([{ line: 1, code: "a" }]);
  });

  it("the review comment lists the call into the helper as a step, with its note", () => {
    const body = renderFindingComment(f, { withSuggestion: false });
    expect(body).toContain("1. line 20: ");
    expect(body).toContain("(passed to runQuery(), which reaches the sink)");
    expect(body).toContain("2. line 4: `function runQuery(sql) {` (parameter of runQuery())");
  });

  it("terminal text shows the notes next to the steps", () => {
    const text = renderText({ findings: [f], skipped: [], analyzed: ["src/app.js"], checked: new Set(["sql-injection"]) }, { failOn: "high", color: false });
    expect(text).toMatch(/line 4 {2}function runQuery\(sql\) \{ {2}\(parameter of runQuery\(\)\)/);
  });
});
