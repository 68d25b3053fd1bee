// The required test: in a throwaway repository, a flaw on an unchanged line is not
// reported and the same flaw on a line the last commit added is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAll, git, initRepo, PINNED, removeDir, runBin, runMain, writeFiles } from "./helpers.js";

const FIRST = ["const userInput = process.argv[2];", "eval(userInput);", ""].join("\n");
// Line 2 is unchanged; line 5 is the new flaw.
const SECOND = ["const userInput = process.argv[2];", "eval(userInput);", "", "function run(code) {", "  return eval(code);", "}", ""].join("\n");

interface JsonFinding {
  ruleId: string;
  path: string;
  line: number;
  suppressed: boolean;
}

describe("vibeguard scan --base (git range)", () => {
  let repo: string;

  beforeAll(() => {
    repo = initRepo();
    writeFiles(repo, { "src/app.js": FIRST });
    commitAll(repo, "first: a flaw on an existing line");
    writeFiles(repo, { "src/app.js": SECOND });
    commitAll(repo, "second: the same flaw on a new line");
  });
  afterAll(() => removeDir(repo));

  // The built-in rules, through the real launcher: other rules may flag the same code, so only
  // js-eval-dynamic findings are compared.
  it("reports the flaw on the added line and not the one on the unchanged line (bin, child process)", () => {
    const run = runBin(repo, ["scan", "--base", "HEAD~1", "--format", "json"]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    const evals = out.findings.filter((f) => f.ruleId === "js-eval-dynamic");
    expect(evals.map((f) => [f.path, f.line])).toEqual([["src/app.js", 5]]);
    expect(run.code).toBe(1);
  });

  it("reads the head revision, not the work tree, with --head", async () => {
    // An uncommitted flaw in the work tree must not show when --head names a commit.
    writeFiles(repo, { "src/app.js": `${SECOND}eval(process.env.X);\n` });
    try {
      const withHead = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
      expect((JSON.parse(withHead.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.line)).toEqual([5]);
      const workTree = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD~1", "--format", "json"]);
      expect((JSON.parse(workTree.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.line)).toEqual([5, 7]);
    } finally {
      git(repo, "checkout", "--", "src/app.js");
    }
  });

  it("reports nothing when the range added no flawed line", async () => {
    const run = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).findings).toEqual([]);
  });

  it("gives repository-relative paths when run from a subfolder", async () => {
    const run = await runMain(`${repo}/src`, ["scan", ...PINNED, "--base", "HEAD~1", "--format", "json"]);
    expect((JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.path)).toEqual(["src/app.js"]);
  });

  it("scans untracked files as all added by default, and not with --no-untracked", async () => {
    writeFiles(repo, { "extra.js": "eval(process.argv[3]);\n", ".gitignore": "ignored.js\n", "ignored.js": "eval(a);\n" });
    try {
      const withUntracked = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--format", "json"]);
      expect((JSON.parse(withUntracked.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.path}:${f.line}`)).toEqual(["extra.js:1"]);
      const without = await runMain(repo, ["scan", ...PINNED, "--base", "HEAD", "--no-untracked", "--format", "json"]);
      expect(JSON.parse(without.stdout).findings).toEqual([]);
    } finally {
      git(repo, "clean", "-fdxq");
    }
  });

  it("exits 2 with a one-line reason for an unknown revision", async () => {
    const run = await runMain(repo, ["scan", ...PINNED, "--base", "no-such-rev"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("vibeguard: unknown revision: no-such-rev\n");
  });

  it("does not let a revision be read as an option", async () => {
    const run = await runMain(repo, ["scan", ...PINNED, "--base=--output=/tmp/x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown revision/);
  });

  it("compares with the merge base, as a pull request does, not with the base branch's tip", async () => {
    const branchy = initRepo();
    try {
      writeFiles(branchy, { "legacy.js": "const keep = 1;\neval(oldCode);\n" });
      commitAll(branchy, "A");
      git(branchy, "checkout", "-q", "-b", "feature");
      writeFiles(branchy, { "new.js": "eval(newCode);\n" });
      commitAll(branchy, "feature adds a flaw");
      git(branchy, "checkout", "-q", "main");
      // main removes the old flaw after the branch point; the feature branch still has it.
      writeFiles(branchy, { "legacy.js": "const keep = 1;\n" });
      commitAll(branchy, "B");
      git(branchy, "checkout", "-q", "feature");
      for (const args of [["--base", "main"], ["--base", "main", "--head", "feature"]]) {
        const run = await runMain(branchy, ["scan", ...PINNED, ...args, "--format", "json"]);
        expect((JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.path}:${f.line}`)).toEqual(["new.js:1"]);
      }
    } finally {
      removeDir(branchy);
    }
  });
});
