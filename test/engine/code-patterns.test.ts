// Code-syntax patterns: each construct of the README's "Code patterns" section, flagged and not.
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { RuleLoadError, parseRule, type LoadedRules } from "../../src/engine/load-rules.js";
import type { TaintLibrary } from "../../src/engine/rule-schema.js";

type Language = "python" | "javascript";

const base = (language: Language) => ({
  id: "r1",
  title: "A test rule",
  message: "A message long enough.",
  severity: "high",
  category: "command-injection",
  cwe: "CWE-78",
  languages: [language],
  fix: "Fix it like this please.",
});

function engineOf(language: Language, extra: Record<string, unknown>, options: { gating?: boolean } = {}) {
  const loaded: LoadedRules = { rules: [{ definition: parseRule({ ...base(language), ...extra }, "r1.yml"), file: "r1.yml" }], taintLibraries: new Map<string, { library: TaintLibrary; file: string }>() };
  return createEngine(loaded, options);
}

/** Lines of the findings a single-pattern rule reports on `code`. */
function flagged(language: Language, pattern: Record<string, unknown>, code: string, path = language === "python" ? "a.py" : "a.js"): number[] {
  const engine = engineOf(language, { patterns: [pattern] });
  const gated = engine.scan({ path, content: code, added: "all" }).map((f) => f.line);
  // Keyword gating never changes a result.
  const ungated = engineOf(language, { patterns: [pattern] }, { gating: false }).scan({ path, content: code, added: "all" }).map((f) => f.line);
  expect(gated).toEqual(ungated);
  return gated;
}

const py = (...lines: string[]) => lines.join("\n") + "\n";

describe("code patterns: Python", () => {
  it("matches calls with keyword arguments in any order, other keywords allowed", () => {
    const code = py(
      "import subprocess",
      "subprocess.call(cmd, shell=True)", // 2
      "subprocess.call(cmd, cwd='/', shell=True)", // 3
      "subprocess.call(cmd)",
      "subprocess.call(cmd, shell=False)",
      "subprocess.call(a, b, shell=True)",
    );
    expect(flagged("python", { pattern: "subprocess.call($CMD, shell=True)" }, code)).toEqual([2, 3]);
  });

  it("matches every local spelling of a canonical name, and not a local definition", () => {
    const code = py(
      "import subprocess as sp",
      "from subprocess import call as run",
      "sp.call(x, shell=True)", // 3
      "run(y, shell=True)", // 4
      "def f(run):",
      "    run(z, shell=True)",
    );
    expect(flagged("python", { pattern: "subprocess.call($CMD, shell=True)" }, code)).toEqual([3, 4]);
    const crypto = py("from Crypto.Cipher import DES as D", "c = D.new(k, D.MODE_ECB)", "c = AES.new(k, AES.MODE_GCM)");
    expect(flagged("python", { pattern: "Crypto.Cipher.DES.new(...)" }, crypto)).toEqual([2]);
  });

  it("binds a metavariable used twice to equal text", () => {
    expect(flagged("python", { pattern: "$X == $X" }, py("if a == a: pass", "if a == b: pass", "if f(x) == f(x): pass"))).toEqual([1, 3]);
  });

  it("matches any number of arguments with ..., $$$ and $...ARGS", () => {
    const code = py("foo(1)", "foo(1, 2, 3)", "foo(2)", "foo()");
    expect(flagged("python", { pattern: "foo(1, ...)" }, code)).toEqual([1, 2]);
    expect(flagged("python", { pattern: "foo($$$)" }, code)).toEqual([1, 2, 3, 4]);
    expect(flagged("python", { pattern: "foo($...ARGS, 3)" }, code)).toEqual([2]);
  });

  it("matches statements in a body, with $$$ for the statements around", () => {
    const code = py("def a(x):", "    y = 1", "    eval(x)", "    return y", "def b(x):", "    return x");
    expect(flagged("python", { pattern: "def $F(...):\n    $$$\n    eval($X)\n    $$$" }, code)).toEqual([1]);
  });

  it("applies constraints to metavariables (literal, regex, not-regex)", () => {
    const code = py("eval('1 + 1')", "eval(expr)", "eval(user_expr)");
    expect(flagged("python", { pattern: "eval($X)", constraints: { $X: { literal: false } } }, code)).toEqual([2, 3]);
    expect(flagged("python", { pattern: "eval($X)", constraints: { X: { regex: "^user_" } } }, code)).toEqual([3]);
    expect(flagged("python", { pattern: "eval($X)", constraints: { X: { "not-regex": "^user_", literal: false } } }, code)).toEqual([2]);
  });

  it("matches strings by content, whatever the quotes", () => {
    expect(flagged("python", { pattern: "jwt.decode($T, algorithms=['none'])" }, py("import jwt", 'jwt.decode(t, algorithms=["none"])', "jwt.decode(t, algorithms=['HS256'])"))).toEqual([2]);
  });

  it("inserts metavariables into the fix template", () => {
    const engine = engineOf("python", { patterns: [{ pattern: "yaml.load($X)" }], replacement: { template: "yaml.safe_load($X)" } });
    const [finding] = engine.scan({ path: "a.py", content: "import yaml\ndata = yaml.load(body)\n", added: "all" });
    expect(finding?.suggestion).toBe("data = yaml.safe_load(body)");
  });

  it("uses code patterns in relations", () => {
    const code = py("def view(request):", "    eval(a)", "eval(b)", "def safe():", "    check(c)", "    eval(c)");
    expect(flagged("python", { pattern: "eval($X)", inside: [{ pattern: "def $F(request): ..." }] }, code)).toEqual([2]);
    expect(flagged("python", { pattern: "def $F(...): ...", "not-has": { pattern: "check(...)" } }, code)).toEqual([1]);
  });

  it("tracks taint between code-pattern sources, sanitizers and sinks", () => {
    const engine = engineOf("python", {
      taint: {
        sources: [{ pattern: "flask.request.args" }],
        sinks: [{ pattern: "os.system($SINK)" }],
        sanitizers: [{ pattern: "shlex.quote(...)" }],
      },
    });
    const code = py(
      "import os, shlex",
      "from flask import request as r",
      "def a():",
      "    q = r.args.get('q')",
      "    os.system('ls ' + q)", // 5
      "    os.system('ls ' + shlex.quote(q))",
      "    os.system('ls')",
    );
    expect(engine.scan({ path: "a.py", content: code, added: "all" }).map((f) => f.line)).toEqual([5]);
  });
});

describe("constraints on taint entries", () => {
  it("applies regex and literal constraints to a sink's metavariables, in either form", () => {
    const code = py("def v():", "    q = input()", "    cursor.execute(q)", "    other.execute(q)", "    cursor.execute('SELECT 1')");
    for (const sink of [
      { pattern: "$C.execute($SINK)", constraints: { $C: { regex: "^cur" } } },
      { query: "(call function: (attribute object: (_) @c attribute: (identifier) @m (#eq? @m \"execute\")) arguments: (argument_list . (_) @sink)) @match", constraints: { c: { regex: "^cur" } } },
    ]) {
      const engine = engineOf("python", { taint: { sources: [{ pattern: "input()" }], sinks: [sink] } });
      expect(engine.scan({ path: "a.py", content: code, added: "all" }).map((f) => f.line)).toEqual([3]);
    }
  });
});

describe("code patterns in taint-library sets", () => {
  it("includes code-pattern sources from a library set", () => {
    const library: TaintLibrary = { language: "python", sets: { "flask-args": [{ pattern: "flask.request.args" }, { query: "(call function: (identifier) @f (#eq? @f \"input\")) @source" }] } };
    const definition = parseRule({ ...base("python"), taint: { sources: [{ include: "flask-args" }], sinks: [{ pattern: "eval($SINK)" }] } }, "r1.yml");
    const engine = createEngine({ rules: [{ definition, file: "r1.yml" }], taintLibraries: new Map([["python", { library, file: "lib.yml" }]]) });
    const code = py("import flask", "def v():", "    eval(flask.request.args['x'])", "    eval(input())", "    eval('1')");
    expect(engine.scan({ path: "a.py", content: code, added: "all" }).map((f) => f.line)).toEqual([3, 4]);
  });
});

describe("code patterns: JavaScript, TypeScript and TSX", () => {
  const code = [
    "const cp = require('node:child_process');",
    "const { exec: run } = require('child_process');",
    "import { exec } from 'child_process';",
    "cp.exec(`ls ${dir}`);", // 4
    "run(cmd);", // 5
    "exec(cmd);", // 6
    "function local() { const exec = (s) => s; exec(cmd); }",
    "other.exec(cmd);",
    "",
  ].join("\n");

  it("matches every spelling of child_process.exec, in .js, .ts and .tsx", () => {
    for (const path of ["a.js", "a.ts", "a.tsx"]) expect(flagged("javascript", { pattern: "child_process.exec($CMD)" }, code, path)).toEqual([4, 5, 6]);
  });

  it("lets a pattern leave out modifiers and type annotations", () => {
    const handlers = "app.post('/a', async (req, res) => { res.send(req.body); });\napp.post('/b', (req: Request, res: Response) => { res.send(req.body); });\napp.post('/c', (req) => { res.send(1); });\n";
    expect(flagged("javascript", { pattern: "app.post($PATH, ($REQ, $RES) => { ... })" }, handlers, "a.ts")).toEqual([1, 2]);
  });

  it("matches objects by entries in any order, others allowed", () => {
    const spawn = "spawn(cmd, { cwd: d, shell: true });\nspawn(cmd, { shell: false });\nspawn(cmd);\n";
    expect(flagged("javascript", { pattern: "spawn($CMD, { shell: true })" }, spawn)).toEqual([1]);
  });

  it("is not thrown off by comments or trailing commas in an argument list", () => {
    const calls = "f(/* note */ a, b,);\nf(a, // note\n  b);\nf(a);\n";
    expect(flagged("javascript", { pattern: "f($A, $B)", constraints: { A: { regex: "^a$" } } }, calls)).toEqual([1, 2]);
    // Raw queries: a match capturing a comment is dropped; the documented idiom skips comments.
    expect(flagged("javascript", { query: "(call_expression arguments: (arguments . (_) @first)) @match", constraints: { first: { regex: "^a$" } } }, calls)).toEqual([2, 4]);
    expect(flagged("javascript", { query: "(call_expression arguments: (arguments . (comment)* . (_) @first)) @match", constraints: { first: { regex: "^a$" } } }, calls)).toEqual([1, 2, 4]);
  });

  it("names canonical modules in raw queries with #canonical?", () => {
    const query = '(call_expression function: (_) @fn (#canonical? @fn "child_process.exec")) @match';
    expect(flagged("javascript", { query }, code)).toEqual([4, 5, 6]);
  });
});

describe("code patterns: errors", () => {
  it("names the rule file, the field and the pattern when a pattern does not parse", () => {
    expect(() => engineOf("python", { patterns: [{ pattern: "subprocess.call($CMD,, shell=True" }] })).toThrow(RuleLoadError);
    expect(() => engineOf("python", { patterns: [{ pattern: "subprocess.call($CMD,, shell=True" }] })).toThrow(
      /r1\.yml: patterns\.0\.pattern: pattern does not parse as python.*: subprocess\.call\(\$CMD,, shell=True/,
    );
    expect(() => engineOf("javascript", { patterns: [{ pattern: "exec($X" }] })).toThrow(/r1\.yml: patterns\.0\.pattern: pattern does not parse as javascript/);
  });

  it("names the rule when a lazily compiled query group fails at first use", () => {
    const definition = parseRule({ ...base("javascript"), patterns: [{ query: '(no_such_node (identifier) @x (#eq? @x "foo")) @match' }] }, "r1.yml");
    const engine = createEngine({ rules: [{ definition, file: "r1.yml" }], taintLibraries: new Map() }, { lazy: true });
    expect(() => engine.scan({ path: "a.js", content: "foo();\n", added: "all" })).toThrow(RuleLoadError);
    expect(() => engine.scan({ path: "b.js", content: "foo(1);\n", added: "all" })).toThrow(/r1\.yml: patterns\.0\.query: invalid query for javascript/);
  });

  it("rejects a pattern of metavariables only, a sink without $SINK, and query with pattern", () => {
    expect(() => engineOf("python", { patterns: [{ pattern: "$X" }] })).toThrow(/must contain some code besides metavariables/);
    expect(() => engineOf("python", { taint: { sources: [{ pattern: "input()" }], sinks: [{ pattern: "os.system($CMD)" }] } })).toThrow(/taint\.sinks\.0\.pattern: a taint sink pattern must mark/);
    expect(() => parseRule({ ...base("python"), patterns: [{ pattern: "eval($X)", query: "(call) @match" }] }, "r1.yml")).toThrow(/exactly one of `query` or `pattern`/);
  });
});
