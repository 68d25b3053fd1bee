// Hostile input (issue 15, points 1 and 2): deep nesting and long expression chains must cost
// time linear in the file, stay within the per-file deadline, and never fail the whole analysis.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { AnalysisTimeLimitError, createEngine, type Engine } from "../../src/engine/index.js";
import { loadRules } from "../../src/engine/load-rules.js";
import { isLiteral } from "../../src/engine/syntax.js";
import { parserFor } from "../../src/engine/languages.js";

const engine = createEngine(loadRules());

/** `depth` nested `if` blocks around `eval(req.body.x)` in an Express handler (~55 KB at 5,000). */
function nestedIfs(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => `if (a${i % 10}) {\n`).join("");
  return `app.get("/x", (req, res) => {\n${open}eval(req.body.x);\n${"}\n".repeat(depth)}});\n`;
}

/** A query built from `terms` concatenated literals, one per line (~120 KB at 20,000), then a tainted one. */
function longConcatenation(terms: number): string {
  return `app.get("/y", async (req, res) => {\n  await db.query("SELECT a"${'\n + "x"'.repeat(terms)});\n  await db.query("SELECT " + req.query.id);\n});\n`;
}

describe("deep nesting (issue 15.1)", () => {
  it("tracks taint through 5,000 nested blocks in linear time (was 56 s)", () => {
    const code = nestedIfs(5000);
    const start = performance.now();
    const findings = engine.scan({ path: "src/deep.js", content: code, added: "all", timeLimitMs: 60_000 });
    const seconds = (performance.now() - start) / 1000;
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(["js-code-injection@5002"]);
    // Generous for a loaded CI machine; the quadratic walk took a minute.
    expect(seconds).toBeLessThan(20);
  }, 120_000);

  it("ends a file's analysis at its deadline with AnalysisTimeLimitError (parse cancelled by the progress callback)", () => {
    const code = nestedIfs(5000);
    expect(() => engine.scan({ path: "src/deep.js", content: code, added: "all", timeLimitMs: 0 })).toThrow(AnalysisTimeLimitError);
    // The parser is usable again afterwards: a cancelled parse is reset, not resumed.
    expect(engine.scan({ path: "src/ok.js", content: 'app.get("/", (req, res) => eval(req.query.x));\n', added: "all" }).map((f) => f.ruleId)).toEqual([
      "js-code-injection",
    ]);
  });

  it("skips only the file over its time limit, saying so, and still analyses the others", async () => {
    // The analysis passes its budget to the engine; only the deep file is held to it here.
    const holdDeepFile: Engine = { ...engine, scan: (file) => engine.scan(file.path === "src/deep.js" ? file : { ...file, timeLimitMs: undefined }) };
    const result = await analyze(
      [
        { path: "src/deep.js", content: nestedIfs(5000), added: "all" },
        { path: "src/ok.js", content: 'app.get("/", (req, res) => eval(req.query.x));\n', added: "all" },
      ],
      { engine: holdDeepFile, fileTimeLimitMs: 0 },
    );
    expect(result.skipped.map((s) => [s.path, s.reason.split(" (")[0]])).toEqual([["src/deep.js", "skipped: analysis time limit"]]);
    expect(result.findings.map((f) => `${f.path}:${f.ruleId}`)).toEqual(["src/ok.js:js-code-injection"]);
  });
});

describe("long expression chains (issue 15.2)", () => {
  it("decides literalness of a 20,000-term concatenation without overflowing the stack", () => {
    const tree = parserFor("javascript").parse(`x = "a"${' + "b"'.repeat(20_000)};`);
    const value = tree.rootNode.descendantsOfType("assignment_expression")[0]!.childForFieldName("right")!;
    expect(isLiteral(value)).toBe(true);
  });

  it("scans a 120 KB file with a 20,000-term concatenation and reports the real flaw in it", () => {
    const code = longConcatenation(20_000);
    const findings = engine.scan({ path: "src/long.js", content: code, added: "all" });
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(["js-sql-injection@20003"]);
  });

  it("an engine error in one file skips that file with the reason; the run goes on", async () => {
    const failing: Engine = {
      ...engine,
      scan(file) {
        if (file.path === "src/bad.js") throw new RangeError("Maximum call stack size exceeded");
        return engine.scan(file);
      },
    };
    const result = await analyze(
      [
        { path: "src/bad.js", content: "eval(x);\n", added: "all" },
        { path: "src/ok.js", content: 'app.get("/", (req, res) => eval(req.query.x));\n', added: "all" },
      ],
      { engine: failing },
    );
    expect(result.skipped).toEqual([{ path: "src/bad.js", reason: "skipped: analysis error: Maximum call stack size exceeded (rules not run; secrets still scanned)" }]);
    expect(result.findings.map((f) => f.path)).toEqual(["src/ok.js"]);
  });
});
