// The README's "Code patterns" examples must stay valid and do what the README says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { parseRule, type LoadedRules } from "../../src/engine/load-rules.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("### Code patterns"), readme.indexOf("### Writing a taint rule"));
const [patternsExample, taintExample] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as Record<string, unknown>);

const head = (language: string) => ({
  id: "readme-example",
  title: "README example",
  message: "A message long enough.",
  severity: "high",
  category: "command-injection",
  cwe: "CWE-78",
  languages: [language],
  fix: "Fix it like this please.",
});

function engineFor(language: string, body: Record<string, unknown>) {
  const loaded: LoadedRules = { rules: [{ definition: parseRule({ ...head(language), ...body }, "readme.yml"), file: "readme.yml" }], taintLibraries: new Map() };
  return createEngine(loaded);
}

describe("README code pattern examples", () => {
  it("the pattern example flags shell=True with a dynamic command in Python", () => {
    const engine = engineFor("python", { patterns: [(patternsExample!.patterns as unknown[])[0]] });
    const code = "import subprocess as sp\nsp.call(cmd, shell=True)\nsp.call('ls', shell=True)\n";
    expect(engine.scan({ path: "a.py", content: code, added: "all" }).map((f) => f.line)).toEqual([2]);
  });

  it("the JavaScript pattern matches the spellings the README lists", () => {
    const engine = engineFor("javascript", { patterns: [(patternsExample!.patterns as unknown[])[1]] });
    const code = [
      'const cp = require("child_process");',
      'const { exec: run } = require("child_process");',
      "cp.exec(c);",
      "run(c);",
      'require("child_process").exec(c);',
      "",
    ].join("\n");
    expect(engine.scan({ path: "a.js", content: code, added: "all" }).map((f) => f.line)).toEqual([3, 4, 5]);
    const ts = 'import cp = require("child_process");\ncp.exec(c);\n';
    expect(engine.scan({ path: "a.ts", content: ts, added: "all" }).map((f) => f.line)).toEqual([2]);
  });

  it("the taint example reports the flow into os.system and subprocess.run(shell=True), not the quoted one", () => {
    const taint = taintExample!.taint as { sources: unknown[] };
    // The example includes the shared web-request set; this test's rule set has no library.
    const engine = engineFor("python", { taint: { ...taint, sources: taint.sources.filter((s) => !(s as { include?: string }).include) } });
    const code = [
      "import os, shlex, subprocess",
      "from flask import request as r",
      "def view():",
      "    name = r.args['name']",
      "    os.system('ls ' + name)", // 5
      "    subprocess.run('ls ' + name, cwd='/', shell=True)", // 6
      "    os.system('ls ' + shlex.quote(name))",
      "",
    ].join("\n");
    expect(engine.scan({ path: "a.py", content: code, added: "all" }).map((f) => f.line)).toEqual([5, 6]);
  });

  it("the error message has the form the README shows", () => {
    expect(() => engineFor("python", { patterns: [{ pattern: "subprocess.call($CMD,, shell=True)" }] })).toThrow(
      'readme.yml: patterns.0.pattern: pattern does not parse as python near ",": subprocess.call($CMD,, shell=True)',
    );
  });
});
