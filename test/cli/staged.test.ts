// `vibeguard scan --staged` (the pre-commit hook): only lines the index adds over HEAD count, and
// file content comes from the index, so unstaged work-tree edits neither add nor hide findings.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll, git, initRepo, PINNED, removeDir, runBin, runMain, writeFiles } from "./helpers.js";

interface JsonOut {
  findings: { ruleId: string; path: string; line: number }[];
  skipped: { path: string; reason: string }[];
}

const BASE = ["const userInput = process.argv[2];", "eval(userInput);", ""].join("\n");

function scan(out: string): JsonOut {
  return JSON.parse(out) as JsonOut;
}

describe("vibeguard scan --staged", () => {
  let repo: string;
  beforeEach(() => {
    repo = initRepo();
    writeFiles(repo, { "src/app.js": BASE, "README.md": "# x\n" });
    commitAll(repo, "base: a flaw on an existing line");
  });
  afterEach(() => removeDir(repo));

  it("reports a staged added line, not the committed one, with repository-relative paths", async () => {
    writeFiles(repo, { "src/app.js": `${BASE}eval(process.argv[3]);\n` });
    git(repo, "add", "src/app.js");
    const run = await runMain(`${repo}/src`, ["scan", ...PINNED, "--staged", "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(scan(run.stdout).findings.map((f) => [f.path, f.line])).toEqual([["src/app.js", 3]]);
    expect(run.code).toBe(1);
  });

  it("reads the staged content: an unstaged fix does not hide a staged flaw, an unstaged flaw is not reported", async () => {
    writeFiles(repo, { "src/app.js": `${BASE}eval(process.argv[3]);\n` });
    git(repo, "add", "src/app.js");
    // Work tree: the staged flaw removed, another one added on a different line; neither is staged.
    writeFiles(repo, { "src/app.js": `${BASE}\n\nconsole.log(1);\neval(process.env.CODE);\n` });
    writeFiles(repo, { "src/untracked.js": "eval(process.argv[4]);\n" });
    const run = await runMain(repo, ["scan", ...PINNED, "--staged", "--format", "json"]);
    expect(scan(run.stdout).findings.map((f) => [f.path, f.line])).toEqual([["src/app.js", 3]]);
  });

  it("reports nothing, exit 0, when nothing is staged even if the work tree has flaws", async () => {
    writeFiles(repo, { "src/app.js": `${BASE}eval(process.argv[3]);\n` });
    const run = await runMain(repo, ["scan", ...PINNED, "--staged", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(scan(run.stdout).findings).toEqual([]);
  });

  it("treats every line of a newly staged file as added, and limits the scan to the paths given", async () => {
    writeFiles(repo, { "lib/new.js": "const x = 1;\neval(process.argv[2]);\n", "src/other.js": "eval(process.argv[5]);\n" });
    git(repo, "add", "lib/new.js", "src/other.js");
    const all = await runMain(repo, ["scan", ...PINNED, "--staged", "--format", "json"]);
    expect(scan(all.stdout).findings.map((f) => [f.path, f.line])).toEqual([
      ["lib/new.js", 2],
      ["src/other.js", 1],
    ]);
    const limited = await runMain(repo, ["scan", ...PINNED, "--staged", "--format", "json", "lib/new.js"]);
    expect(scan(limited.stdout).findings.map((f) => f.path)).toEqual(["lib/new.js"]);
  });

  it("works before the first commit (every staged file is new)", async () => {
    const fresh = initRepo();
    try {
      writeFiles(fresh, { "a.py": "import os\neval(input())\n" });
      git(fresh, "add", "a.py");
      const run = await runMain(fresh, ["scan", ...PINNED, "--staged", "--format", "json"]);
      expect(run.stderr).toBe("");
      expect(scan(run.stdout).findings.map((f) => [f.path, f.line])).toEqual([["a.py", 2]]);
    } finally {
      removeDir(fresh);
    }
  });

  it("leaves a staged deletion alone and lists a staged binary file as skipped", async () => {
    git(repo, "rm", "-q", "README.md");
    writeFiles(repo, { "logo.bin": "\u0000\u0001\u0002" });
    git(repo, "add", "logo.bin");
    const run = await runMain(repo, ["scan", ...PINNED, "--staged", "--format", "json"]);
    expect(run.code).toBe(0);
    const out = scan(run.stdout);
    expect(out.findings).toEqual([]);
    expect(out.skipped).toEqual([{ path: "logo.bin", reason: "binary" }]);
  });

  it("rejects --staged with --base, --all or --head, and works through the real launcher", () => {
    for (const extra of [["--base", "HEAD"], ["--all", "."], ["--head", "HEAD"]]) {
      const run = runBin(repo, ["scan", "--staged", ...extra]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^vibeguard: .*--staged/);
    }
    writeFiles(repo, { "src/app.js": `${BASE}eval(process.argv[3]);\n` });
    git(repo, "add", "src/app.js");
    const run = runBin(repo, ["scan", ...PINNED, "--staged"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/src\/app\.js[\s\S]*js-eval-dynamic/);
  });
});
