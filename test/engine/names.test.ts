import { describe, expect, it } from "vitest";
import type Parser from "tree-sitter";
import { parserFor, type GrammarId } from "../../src/engine/languages.js";
import { namesOf } from "../../src/engine/names/index.js";

/** The canonical name of the callee of the call on the line containing `marker`. */
function calleeOn(grammar: GrammarId, code: string, marker: string): string | undefined {
  const tree = parserFor(grammar).parse(code);
  const offset = code.indexOf(marker);
  const find = (n: Parser.SyntaxNode): Parser.SyntaxNode | undefined => {
    if ((n.type === "call" || n.type === "call_expression") && n.startIndex === offset) return n;
    for (const c of n.namedChildren) {
      const f = find(c);
      if (f) return f;
    }
    return undefined;
  };
  const call = find(tree.rootNode);
  if (!call) throw new Error(`no call at ${marker}`);
  return namesOf(tree.rootNode, grammar).canonicalOf(call.childForFieldName("function")!);
}

describe("names: Python imports", () => {
  it("resolves import-as, from-import-as, dotted imports and star imports", () => {
    const code = [
      "import jwt as jsonwt",
      "from Crypto.Cipher import DES as D",
      "import os.path",
      "from subprocess import call",
      "from flask import request as r",
      "jsonwt.decode(t)",
      "D.new(k, D.MODE_ECB)",
      "os.path.join(a)",
      "call(cmd)",
      "r.args.get('q')",
      "",
    ].join("\n");
    expect(calleeOn("python", code, "jsonwt.decode")).toBe("jwt.decode");
    expect(calleeOn("python", code, "D.new")).toBe("Crypto.Cipher.DES.new");
    expect(calleeOn("python", code, "os.path.join")).toBe("os.path.join");
    expect(calleeOn("python", code, "call(cmd)")).toBe("subprocess.call");
    expect(calleeOn("python", code, "r.args.get")).toBe("flask.request.args.get");
  });

  it("lists every canonical spelling under a star import, and keeps globals as themselves", () => {
    const code = "from os import *\nsystem(cmd)\n";
    const tree = parserFor("python").parse(code);
    const call = tree.rootNode.namedChildren[1]!.namedChildren[0]!;
    expect(namesOf(tree.rootNode, "python").canonicalNamesOf(call.childForFieldName("function")!)).toEqual(["system", "os.system"]);
    expect(calleeOn("python", "eval(x)\n", "eval")).toBe("eval");
  });

  it("respects local definitions that shadow an import", () => {
    const code = ["from subprocess import call", "def f(call):", "    call(x)", "def g():", "    call = make()", "    call(y)", "call(z)", ""].join("\n");
    expect(calleeOn("python", code, "call(x)")).toBeUndefined();
    expect(calleeOn("python", code, "call(y)")).toBeUndefined();
    expect(calleeOn("python", code, "call(z)")).toBe("subprocess.call");
  });
});

describe("names: JavaScript imports and require", () => {
  it("resolves require, destructuring, ES imports and dynamic import", () => {
    const code = [
      "const cp = require('node:child_process');",
      "const { exec: run, spawn } = require('child_process');",
      "import * as ns from 'fs';",
      "import jwt, { verify as check } from 'jsonwebtoken';",
      "const execSync = require('child_process').execSync;",
      "async function f() { const m = await import('vm'); m.runInNewContext(x); }",
      "cp.exec(a);",
      "run(b);",
      "spawn(c);",
      "ns.readFile(d);",
      "jwt.decode(e);",
      "check(g);",
      "execSync(h);",
      "",
    ].join("\n");
    expect(calleeOn("javascript", code, "cp.exec")).toBe("child_process.exec");
    expect(calleeOn("javascript", code, "run(b)")).toBe("child_process.exec");
    expect(calleeOn("javascript", code, "spawn(c)")).toBe("child_process.spawn");
    expect(calleeOn("javascript", code, "ns.readFile")).toBe("fs.readFile");
    expect(calleeOn("javascript", code, "jwt.decode")).toBe("jsonwebtoken.decode");
    expect(calleeOn("javascript", code, "check(g)")).toBe("jsonwebtoken.verify");
    expect(calleeOn("javascript", code, "execSync(h)")).toBe("child_process.execSync");
    expect(calleeOn("javascript", code, "m.runInNewContext")).toBe("vm.runInNewContext");
    expect(namesOf(parserFor("javascript").parse(code).rootNode, "javascript").aliasesOf("child_process.exec")).toEqual(["run"]);
  });

  it("respects parameters and local declarations that shadow an import, in TypeScript too", () => {
    const code = [
      "import { exec } from 'child_process';",
      "function a(exec: (s: string) => void) { exec(x); }",
      "function b() { const exec = (s: string) => s; exec(y); }",
      "exec(z);",
      "",
    ].join("\n");
    expect(calleeOn("typescript", code, "exec(x)")).toBeUndefined();
    expect(calleeOn("typescript", code, "exec(y)")).toBeUndefined();
    expect(calleeOn("typescript", code, "exec(z)")).toBe("child_process.exec");
  });
});
