import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { loadRules, RuleLoadError } from "../../src/engine/load-rules.js";
import { compileRules } from "../../src/engine/compile.js";
import { skipReasonForContent, skipReasonForPath } from "../../src/engine/skip.js";

const RULES = join(import.meta.dirname, "../fixtures/engine-rules");
const engine = createEngine(loadRules(RULES));
const scan = (path: string, content: string, added: ReadonlySet<number> | "all" = "all") => engine.scan({ path, content, added });
const lines = (findings: { line: number }[]) => findings.map((f) => f.line);

describe("taint tracking (JavaScript)", () => {
  const code = [
    'app.get("/u", async (req, res) => {',
    "  const id = req.query.id;",
    '  const sql = "SELECT * FROM u WHERE id = " + id;',
    "  await db.query(sql);",
    "  await db.query(`SELECT ${req.params.x}`);",
    "  const { name } = req.body;",
    "  db.query(`SELECT * FROM t WHERE n = '${name}'`);",
    "  const n = parseInt(req.query.n, 10);",
    '  db.query("SELECT " + n);',
    '  db.query("SELECT ?", [req.query.id]);',
    "  let q = req.query.q;",
    '  q = "const";',
    "  db.query(q);",
    "  const s = req.query.s.trim();",
    "  if (ALLOWED.includes(s)) { db.query(s); }",
    "  if (!ALLOWED.includes(s)) return res.end();",
    "  db.query(s);",
    "  db.query(`x ${CONST_ID}`);",
    "});",
    'function other(id) { db.query("SELECT " + id); }',
    "const top = req.query.z;",
    "function inner() { db.query(top); }",
  ].join("\n");
  const findings = scan("app.js", code);

  it("flags direct use, hops, destructuring, interpolation and closures", () => {
    expect(lines(findings.filter((f) => f.ruleId === "t-sql"))).toEqual([4, 5, 7, 22]);
  });

  it("keeps one finding per flaw: a proven flow drops the weaker pattern finding of the same item on that line", () => {
    // Lines 3/9/20 concatenate without a proven flow into that call; line 4's flow is proven.
    expect(findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(["t-sql@4", "t-sql@5", "t-sql@7", "t-sql-pattern@9", "t-sql-pattern@20", "t-sql@22"]);
  });

  it("treats x.startsWith(ROOT) as a guard on x", () => {
    const code = "app.get('/f', (req, res) => {\n  const p = req.query.p;\n  if (!p.startsWith('/safe/')) return res.end();\n  db.query(p);\n  if (p.startsWith('/x/')) { db.query(p); }\n});";
    expect(lines(scan("guard.js", code))).toEqual([]);
  });

  it("carries the path from source to sink", () => {
    expect(findings[0]!.trace).toEqual([
      { line: 2, code: "const id = req.query.id;" },
      { line: 3, code: 'const sql = "SELECT * FROM u WHERE id = " + id;' },
      { line: 4, code: "await db.query(sql);" },
    ]);
    expect(findings[0]!.message).toContain("from line 2 to line 4");
  });

  it("works the same on TypeScript and TSX", () => {
    const ts = "app.get('/u', (req: Request, res: Response) => {\n  const id: string = req.query.id as string;\n  db.query('SELECT ' + id);\n});";
    expect(lines(scan("a.ts", ts))).toEqual([3]);
    expect(lines(scan("a.tsx", ts + "\nconst el = <div>{x}</div>;"))).toEqual([3]);
  });
});

describe("taint tracking (Python)", () => {
  const code = [
    "from flask import request",
    '@app.route("/u")',
    "def view():",
    '    uid = request.args.get("id")',
    '    q = f"SELECT * FROM u WHERE id = {uid}"',
    "    cur.execute(q)",
    '    cur.execute("SELECT * FROM u WHERE id = %s" % request.form["x"])',
    '    cur.execute("SELECT %s", (uid,))',
    '    n = int(request.args["n"])',
    '    cur.execute("SELECT {}".format(n))',
    '    a, b = request.json["a"], 1',
    '    cur.execute("SELECT " + a)',
    "    if uid not in ALLOWED:",
    "        abort(400)",
    "    cur.execute(uid)",
    '@router.get("/items/{item_id}")',
    "async def item(item_id: str, db=Depends(get_db)):",
    "    db.execute(f\"SELECT * FROM items WHERE id = '{item_id}'\")",
    "def helper(x):",
    '    cur.execute("SELECT " + x)',
    'def fmt():',
    '    cur.execute("SELECT {}".format(request.args["v"]))',
  ].join("\n");

  it("flags f-strings, %, tuple unpacking, .format() and route parameters; honours sanitizers and guards", () => {
    expect(lines(scan("views.py", code))).toEqual([6, 7, 12, 18, 22]);
  });

  it("does not take a keyword argument's name for a variable", () => {
    const view = ["def view():", '    content = request.args["c"]', '    cur.execute(sql="SELECT 1", content="x")'].join("\n");
    expect(scan("kw.py", view)).toEqual([]);
  });
});

describe("pattern rules", () => {
  it("applies inside / not-inside relations", () => {
    const code = "function handleA() { danger(); try { danger(); } catch {} }\nfunction other() { danger(); }";
    expect(scan("x.js", code).map((f) => [f.line, f.column])).toEqual([[1, 22]]);
  });

  it("applies has / not-has relations and capture constraints", () => {
    const code = ["wrap(inner());", "wrap(inner(never()));", "wrap(other());", "wrap(ok, inner());"].join("\n");
    expect(lines(scan("x.js", code))).toEqual([1]);
  });

  it("builds a suggested replacement from the rule's template", () => {
    const [finding] = scan("x.js", "function handleB() {\n  const v = danger(1);\n}");
    expect(finding!.suggestion).toBe("  const v = safe(1);");
  });

  it("still scans a file with syntax errors", () => {
    const code = "function handleC() {\n  danger();\n  const = ;\n}\nlet x = {";
    expect(lines(scan("broken.js", code))).toEqual([2]);
  });
});

describe("added lines and fingerprints", () => {
  const code = "function handleD() {\n  danger();\n  danger();\n}";

  it("reports only findings on added lines", () => {
    expect(lines(scan("x.js", code, new Set([3])))).toEqual([3]);
    expect(scan("x.js", code, new Set([1, 4]))).toEqual([]);
  });

  it("keeps fingerprints when unrelated lines above move, and tells identical flaws apart", () => {
    const before = scan("x.js", code).map((f) => f.fingerprint);
    const after = scan("x.js", "// a new comment\n\n" + code).map((f) => f.fingerprint);
    expect(after).toEqual(before);
    expect(new Set(before).size).toBe(2);
    expect(scan("y.js", code)[0]!.fingerprint).not.toBe(before[0]);
  });
});

describe("rule loading errors name the file and the field", () => {
  function ruleDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "vg-rules-"));
    mkdirSync(join(dir, "javascript"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "javascript", name), text);
    return dir;
  }
  const valid = (extra: string) =>
    `id: r1\ntitle: A valid title\nmessage: A message long enough.\nseverity: high\ncategory: xss\ncwe: CWE-79\nlanguages: [javascript]\nfix: Fix it like this please.\n${extra}`;

  it("rejects a bad severity", () => {
    const dir = ruleDir({ "bad.yml": valid("patterns:\n  - query: '(identifier) @match'\n").replace("severity: high", "severity: huge") });
    expect(() => loadRules(dir)).toThrow(RuleLoadError);
    expect(() => loadRules(dir)).toThrow(/bad\.yml: severity:/);
  });

  it("rejects unknown fields and a rule with neither patterns nor taint", () => {
    expect(() => loadRules(ruleDir({ "x.yml": valid("patterns:\n  - query: '(identifier) @match'\n    insde: '(x)'\n") }))).toThrow(/x\.yml: patterns\.0\.insde: unknown field/);
    expect(() => loadRules(ruleDir({ "y.yml": valid("") }))).toThrow(/y\.yml: patterns: a rule needs exactly one/);
  });

  it("rejects a query that does not compile, naming the field", () => {
    const loaded = loadRules(ruleDir({ "q.yml": valid("patterns:\n  - query: '(no_such_node) @match'\n") }));
    expect(() => compileRules(loaded)).toThrow(/q\.yml: patterns\.0\.query: invalid query for javascript/);
  });

  it("rejects duplicate ids and invalid YAML", () => {
    const rule = valid("patterns:\n  - query: '(identifier) @match'\n");
    expect(() => loadRules(ruleDir({ "a.yml": rule, "b.yml": rule }))).toThrow(/b\.yml: id: duplicate rule id "r1"/);
    expect(() => loadRules(ruleDir({ "c.yml": "id: [unclosed" }))).toThrow(/c\.yml: invalid YAML/);
  });
});

describe("skip reasons", () => {
  it("names vendored, minified and generated paths", () => {
    expect(skipReasonForPath("node_modules/x/index.js")).toBe("vendored");
    expect(skipReasonForPath("app/vendor/lib.py")).toBe("vendored");
    expect(skipReasonForPath("static/app.min.js")).toBe("minified");
    expect(skipReasonForPath("api/service_pb2.py")).toBe("generated");
    expect(skipReasonForPath("src/app.js")).toBeUndefined();
  });

  it("names over-size, generated and minified content", () => {
    expect(skipReasonForContent("x".repeat(2 * 1024 * 1024))).toMatch(/^over size limit/);
    expect(skipReasonForContent("// Code generated by protoc. DO NOT EDIT.\nvar a = 1;")).toBe("generated");
    expect(skipReasonForContent("var a=1;".repeat(2000))).toBe("minified");
    expect(skipReasonForContent("const a = 1;\n".repeat(500))).toBeUndefined();
  });
});
