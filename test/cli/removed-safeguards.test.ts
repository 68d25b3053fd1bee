// The CLI compares each changed file with its merge-base version: a commit that only deletes
// the auth middleware adds no line, and is still reported with --base.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAll, git, initRepo, removeDir, runMain, writeFiles } from "./helpers.js";

const BEFORE = [
  "const express = require('express');",
  "const router = express.Router();",
  "router.use(requireAuth);",
  "router.get('/invoices', listInvoices);",
  "module.exports = router;",
  "",
].join("\n");

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  message: string;
  removed?: { line: number; code: string };
}

describe("vibeguard scan --base: removed safeguards", () => {
  let repo: string;

  beforeAll(() => {
    repo = initRepo();
    writeFiles(repo, { "src/invoices.js": BEFORE, "src/other.js": "module.exports = 1;\n" });
    commitAll(repo, "first: a guarded router");
    writeFiles(repo, { "src/invoices.js": BEFORE.replace("router.use(requireAuth);\n", ""), "src/other.js": "module.exports = 2;\n" });
    commitAll(repo, "second: the auth middleware deleted");
  });
  afterAll(() => removeDir(repo));

  it("reports the deleted router.use(requireAuth) on the closest surviving line, with the old line", async () => {
    const run = await runMain(repo, ["scan", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.ruleId, f.path, f.line])).toEqual([["js-removed-auth-router", "src/invoices.js", 3]]);
    expect(findings[0]!.removed).toEqual({ line: 3, code: "router.use(requireAuth);" });
    expect(findings[0]!.message).toContain("old line 3");
    expect(run.code).toBe(1);
  });

  it("compares a renamed file with its old path", async () => {
    const dir = initRepo();
    try {
      writeFiles(dir, { "src/a.js": BEFORE });
      commitAll(dir, "first");
      git(dir, "mv", "src/a.js", "src/b.js");
      writeFiles(dir, { "src/b.js": BEFORE.replace("router.use(requireAuth);\n", "") });
      commitAll(dir, "second: renamed, auth dropped");
      const run = await runMain(dir, ["scan", "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
      const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
      expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["js-removed-auth-router", "src/b.js"]]);
    } finally {
      removeDir(dir);
    }
  });

  it("stays quiet when nothing protective was removed", async () => {
    const run = await runMain(repo, ["scan", "--base", "HEAD", "--head", "HEAD", "--format", "json"]);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });
});
