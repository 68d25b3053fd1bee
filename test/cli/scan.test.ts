// The CLI's behaviour around the scan: exit codes, --all, usage errors, configuration, output.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HELP, packageVersion } from "../../src/cli/main.js";
import { JSON_FINDING_KEYS } from "../../src/render/json.js";
import { sarifValidator } from "../render/sarif-schema.js";
import { commitAll, initRepo, PINNED, removeDir, runBin, runMain, tempDir, writeFiles } from "./helpers.js";

const FLAWED = "const input = process.argv[2];\neval(input);\n";
const CLEAN = "export const sum = (a, b) => a + b;\n";

describe("vibeguard scan --all", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFiles(dir, {
      "app/main.js": FLAWED,
      "app/util.js": CLEAN,
      "app/tool.py": "import sys\neval(sys.argv[1])\n",
      "app/node_modules/dep/index.js": FLAWED,
      "app/node_modules/dep/other.js": FLAWED,
      "app/vendor/lib.js": FLAWED,
      "app/.git/HEAD": "ref: refs/heads/main\n",
      "quiet/ok.js": CLEAN,
      "quiet/suppressed.js": "// vibeguard-ignore js-eval-dynamic\neval(process.argv[2]);\n",
      "low/tests/app.test.js": FLAWED,
    });
  });
  afterAll(() => removeDir(dir));

  it("treats every line of every file under a folder as added", async () => {
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "app", "--format", "json"]);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.findings.map((f: { path: string; line: number }) => `${f.path}:${f.line}`).sort()).toEqual(["app/main.js:2", "app/tool.py:2"]);
  });

  it("lists node_modules once as skipped, never its files, and never enters .git", async () => {
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "app", "--format", "json"]);
    const skipped: Array<{ path: string; reason: string }> = JSON.parse(run.stdout).skipped;
    const paths = skipped.map((s) => s.path);
    expect(paths.filter((p) => p.includes("node_modules"))).toEqual(["app/node_modules/"]);
    expect(paths.some((p) => p.includes(".git"))).toBe(false);
    // Vendored code is listed as skipped by the engine's rule (its secrets are still scanned).
    expect(skipped.find((s) => s.path === "app/vendor/lib.js")?.reason).toMatch(/^vendored/);
  });

  it("accepts single files and reports paths relative to the current folder", async () => {
    const run = await runMain(join(dir, "app"), ["scan", ...PINNED, "--all", "main.js", "../quiet/ok.js", "--format", "json"]);
    expect(JSON.parse(run.stdout).findings.map((f: { path: string }) => f.path)).toEqual(["main.js"]);
  });

  it("exits 0 when nothing is found", async () => {
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "quiet/ok.js"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });

  it("keeps suppressed findings in JSON, marked, and does not fail on them", async () => {
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "quiet", "--format", "json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ path: "quiet/suppressed.js", line: 2, ruleId: "js-eval-dynamic", suppressed: true });
    expect(Object.keys(out.findings[0])).toEqual([...JSON_FINDING_KEYS]);
    expect(out.summary.suppressed).toBe(1);
  });

  it("applies --fail-on: a test file's finding is lowered to low and only fails with --fail-on low", async () => {
    const high = await runMain(dir, ["scan", ...PINNED, "--all", "low", "--format", "json"]);
    expect(JSON.parse(high.stdout).findings.map((f: { severity: string }) => f.severity)).toEqual(["low"]);
    expect(high.code).toBe(0);
    expect((await runMain(dir, ["scan", ...PINNED, "--all", "low", "--fail-on", "low"])).code).toBe(1);
    expect((await runMain(dir, ["scan", ...PINNED, "--all", "app/main.js", "--fail-on", "critical"])).code).toBe(0);
  });

  it("writes the report to --output and nothing to standard output", async () => {
    // The output folder does not exist: that is an error, not a crash.
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "app/main.js", "--format", "json", "--output", "out/report.json"]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "vibeguard: cannot write out/report.json: ENOENT\n" });
    const ok = await runMain(dir, ["scan", ...PINNED, "--all", "app/main.js", "--format", "sarif", "--output", "report.sarif"]);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "report.sarif"), "utf8")).version).toBe("2.1.0");
  });

  it("the launcher exits 0 and 1 as a process", () => {
    expect(runBin(dir, ["scan", ...PINNED, "--all", "quiet/ok.js"]).code).toBe(0);
    const failing = runBin(dir, ["scan", ...PINNED, "--all", "app/main.js"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("js-eval-dynamic");
  });
});

describe("vibeguard scan: usage errors exit 2 with one line", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFiles(dir, { "a.js": CLEAN });
  });
  afterAll(() => removeDir(dir));

  const cases: Array<[string, string[], RegExp]> = [
    ["unknown flag", ["scan", "--all", "a.js", "--frobnicate"], /unknown option '--frobnicate'/i],
    ["missing value", ["scan", "--base"], /argument missing/i],
    ["bad format", ["scan", "--all", "a.js", "--format", "xml"], /bad --format xml/],
    ["bad fail-on", ["scan", "--all", "a.js", "--fail-on", "severe"], /bad --fail-on severe/],
    ["no command", [], /missing command/],
    ["unknown command", ["check"], /unknown command: check/],
    ["nothing to scan", ["scan"], /nothing to scan/],
    ["--all without paths", ["scan", "--all"], /--all needs at least one/],
    ["--head without --base", ["scan", "--all", "a.js", "--head", "HEAD"], /--head needs --base/],
    ["--all with --base", ["scan", "--all", "a.js", "--base", "HEAD"], /cannot be used together/],
    ["missing path", ["scan", "--all", "nope.js"], /no such file or folder: nope.js/],
    ["not a git repository", ["scan", "--base", "HEAD"], /not a git repository/],
    ["bad rules folder", ["scan", "--all", "a.js", "--rules", "no-such-rules"], /--rules no-such-rules: no such folder/],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    // Keep git from finding a repository above the temp folder.
    const ceiling = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = dirname(dir);
    const run = await runMain(dir, [...PINNED, ...args]).finally(() => {
      if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = ceiling;
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr.startsWith("vibeguard: ")).toBe(true);
  });

  it("prints help and the version", async () => {
    expect(await runMain(dir, ["--help"])).toEqual({ code: 0, stdout: HELP, stderr: "" });
    expect(await runMain(dir, ["scan", ...PINNED, "-h"])).toMatchObject({ code: 0, stdout: HELP });
    expect(await runMain(dir, ["--version"])).toEqual({ code: 0, stdout: `${packageVersion()}\n`, stderr: "" });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("vibeguard scan: configuration", () => {
  let repo: string;
  beforeAll(() => {
    repo = initRepo();
    writeFiles(repo, { "a.js": "const x = 1;\n" });
    commitAll(repo, "init");
    writeFiles(repo, { "a.js": "const x = 1;\neval(process.argv[2]);\n", "sub/b.js": FLAWED });
  });
  afterAll(() => removeDir(repo));

  it("reads .github/vibeguard.yml from the repository root: fail_on applies without --fail-on", async () => {
    writeFiles(repo, { ".github/vibeguard.yml": "fail_on: critical\n" });
    expect((await runMain(join(repo, "sub"), ["scan", ...PINNED, "--base", "HEAD"])).code).toBe(0);
    // The flag wins over the file.
    expect((await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--fail-on", "high"])).code).toBe(1);
  });

  it("applies the file's rules: disabled rules and ignored paths", async () => {
    writeFiles(repo, { ".github/vibeguard.yml": "disabled_rules: [js-eval-dynamic]\n" });
    expect(JSON.parse((await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--format", "json"])).stdout).findings).toEqual([]);
    writeFiles(repo, { ".github/vibeguard.yml": "ignore_paths: ['sub/**']\n" });
    const out = JSON.parse((await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--format", "json"])).stdout);
    expect(out.findings.map((f: { path: string }) => f.path)).toEqual(["a.js"]);
    expect(out.skipped).toContainEqual({ path: "sub/b.js", reason: "ignored by configuration (ignore_paths)" });
  });

  it("exits 2 naming the file and the key for an invalid config file", async () => {
    writeFiles(repo, { ".github/vibeguard.yml": "fail_on: sometimes\n" });
    const run = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^vibeguard: .*\.github\/vibeguard\.yml: fail_on: /);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("exits 2 for an unknown key, invalid YAML or a missing --config file", async () => {
    writeFiles(repo, { ".github/vibeguard.yml": "fail_on: high\nfial_on: low\n", "bad.yml": "fail_on: [\n" });
    expect((await runMain(repo, ["scan", ...PINNED, "--base", "HEAD"])).stderr).toMatch(/vibeguard\.yml: fial_on: /);
    const yaml = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--config", "bad.yml"]);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/^vibeguard: bad\.yml: invalid YAML/);
    const missing = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--config", "none.yml"]);
    expect(missing).toMatchObject({ code: 2, stderr: "vibeguard: none.yml: cannot read: ENOENT\n" });
    writeFiles(repo, { ".github/vibeguard.yml": "" });
    expect(existsSync(join(repo, ".github/vibeguard.yml"))).toBe(true);
    expect((await runMain(repo, ["scan", ...PINNED, "--base", "HEAD"])).code).toBe(1);
  });
});

describe("vibeguard scan: text output", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFiles(dir, { "main.js": FLAWED });
  });
  afterAll(() => removeDir(dir));

  it("shows the finding and the security checklist, without colours when not on a terminal", async () => {
    const run = await runMain(dir, ["scan", ...PINNED, "--all", "main.js"]);
    expect(run.stdout).toContain("main.js");
    expect(run.stdout).toMatch(/HIGH\s+js-eval-dynamic 2:1/);
    expect(run.stdout).toContain("Security checklist");
    expect(run.stdout).toMatch(/Code injection\s+failed \(1\)/);
    expect(run.stdout).toMatch(/Authentication and authorization\s+needs a human/);
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("colours on a terminal unless --no-color", async () => {
    expect((await runMain(dir, ["scan", ...PINNED, "--all", "main.js"], true)).stdout).toContain("\u001b[");
    expect((await runMain(dir, ["scan", ...PINNED, "--all", "main.js", "--no-color"], true)).stdout).not.toContain("\u001b[");
  });
});

describe("vibeguard scan: SARIF from a real scan (built-in rules)", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeFiles(dir, {
      "web/app.js": [
        'const express = require("express");',
        "const app = express();",
        'app.get("/x", (req, res) => {',
        "  const code = req.query.code;",
        '  const wrapped = "(" + code + ")";',
        "  eval(wrapped);",
        "  // vibeguard-ignore",
        "  eval(req.body.other);",
        "});",
        "",
      ].join("\n"),
    });
  });
  afterAll(() => removeDir(dir));

  it("validates against the SARIF 2.1.0 schema, with code flows for traced findings and in-source suppressions", async () => {
    const validate = sarifValidator();
    const sarif = await runMain(dir, ["scan", "--all", "web", "--format", "sarif"]);
    const log = JSON.parse(sarif.stdout);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(log)).toBe(true);
    const json = JSON.parse((await runMain(dir, ["scan", "--all", "web", "--format", "json"])).stdout);
    const results = log.runs[0].results as Array<{ ruleId: string; codeFlows?: unknown; suppressions?: unknown; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
    // One result per finding, in the same order, with the same rule and line.
    expect(results.map((r) => `${r.ruleId}:${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual(
      json.findings.map((f: { ruleId: string; line: number }) => `${f.ruleId}:${f.line}`),
    );
    // Which rule reports the eval depends on the rules of the day (a taint flow replaces the pattern finding).
    expect(results.some((r) => r.locations[0]!.physicalLocation.region.startLine === 6)).toBe(true);
    json.findings.forEach((f: { trace?: unknown; suppressed: boolean }, i: number) => {
      expect(results[i]!.codeFlows !== undefined).toBe(f.trace !== undefined);
      expect(results[i]!.suppressions !== undefined).toBe(f.suppressed);
    });
    expect(json.findings.some((f: { suppressed: boolean; line: number }) => f.suppressed && f.line === 8)).toBe(true);
  });
});
