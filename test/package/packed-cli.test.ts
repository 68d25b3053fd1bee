// The CLI as users install it: `npm pack` (whose prepack builds dist/), the tarball unpacked into
// a throwaway repository's node_modules, and `npx vibeguard` run there. Offline and
// deterministic: instead of resolving the package's dependencies from the registry, each one it
// declares is linked from this checkout's node_modules (their own dependencies resolve from
// there too). So an undeclared dependency, a missing rules/ folder, a bin that needs tsx or the
// TypeScript sources all fail here: tsx is a dev dependency and is not linked, and src/ is not
// in the package.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_ENV, REPO_ROOT, commitAll, git, initRepo, removeDir, tempDir, writeFiles } from "../cli/helpers.js";

const NPM_ENV = { ...GIT_ENV, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

describe("the packed CLI", () => {
  let packDir: string;
  let repo: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    packDir = tempDir("vibeguard-pack-");
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", packDir], { cwd: REPO_ROOT, env: NPM_ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const info = JSON.parse(out.slice(out.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarball = join(packDir, info[0]!.filename);
    files = info[0]!.files.map((f) => f.path);

    // A repository whose main branch is clean and whose feature branch adds a flaw.
    repo = initRepo();
    writeFiles(repo, { ".gitignore": "node_modules/\n", "app.js": "const input = process.argv[2];\nconsole.log(input);\n" });
    commitAll(repo, "clean");
    git(repo, "checkout", "-q", "-b", "feature");
    writeFiles(repo, { "app.js": "const input = process.argv[2];\nconsole.log(input);\neval(input);\n" });
    commitAll(repo, "adds eval");

    // Install: unpack into node_modules/vibeguard, link its declared dependencies, add the bin.
    const modules = join(repo, "node_modules");
    const target = join(modules, "vibeguard");
    mkdirSync(target, { recursive: true });
    execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
    const manifest = JSON.parse(readFileSync(join(target, "package.json"), "utf8")) as { dependencies: Record<string, string>; bin: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies)) {
      const link = join(modules, dep);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(REPO_ROOT, "node_modules", dep), link, "dir");
    }
    mkdirSync(join(modules, ".bin"));
    for (const [name, path] of Object.entries(manifest.bin)) symlinkSync(join("..", "vibeguard", path), join(modules, ".bin", name));
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "scanned-app", private: true, dependencies: { vibeguard: `file:${tarball}` } }));
  }, 600_000);

  afterAll(() => {
    removeDir(packDir);
    removeDir(repo);
  });

  function npx(args: string[]) {
    const out = spawnSync("npm", ["exec", "--offline", "--no", "--", "vibeguard", ...args], { cwd: repo, env: NPM_ENV, encoding: "utf8", timeout: 120_000 });
    return { code: out.status, stdout: out.stdout, stderr: out.stderr };
  }

  it("ships the compiled CLI, the rules snapshot and the rules, and no TypeScript sources or Action bundle", () => {
    expect(files).toContain("bin/vibeguard.js");
    expect(files).toContain("dist/cli/vibeguard.js");
    expect(files).toContain("dist/rules.snapshot.json");
    expect(files).toContain("rules/javascript/js-eval-dynamic.yml");
    expect(files).toContain("rules/python/taint-library.yml");
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("dist/action/") || f.endsWith(".ts"))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(repo, "node_modules/vibeguard/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
    expect(existsSync(join(repo, "node_modules/tsx"))).toBe(false);
  });

  it("npx vibeguard scan --base main reports the flaw the branch added, from the built-in rules", () => {
    const run = npx(["scan", "--base", "main", "--format", "json"]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as { version: string; findings: { ruleId: string; path: string; line: number }[] };
    expect(out.findings.filter((f) => f.ruleId === "js-eval-dynamic").map((f) => [f.path, f.line])).toEqual([["app.js", 3]]);
    expect(out.version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version);
    expect(run.code).toBe(1);
  });

  it("uses the rules snapshot of the package (no YAML parse) and still matches the rule files", async () => {
    const dir = join(repo, "node_modules/vibeguard");
    const { readRulesSnapshot } = await import("../../src/engine/rules-snapshot.js");
    const loaded = readRulesSnapshot(join(dir, "rules"), [join(dir, "dist/rules.snapshot.json")]);
    expect(loaded?.rules.length).toBe(readdirSync(join(dir, "rules"), { recursive: true }).filter((f) => String(f).endsWith(".yml") && !String(f).endsWith("taint-library.yml")).length);
  });

  it("--staged and --help work from the package, and a bad option exits 2 with one line", () => {
    git(repo, "checkout", "-q", "main");
    writeFiles(repo, { "lib.py": "import os\nos.system(input())\n" });
    git(repo, "add", "lib.py");
    const staged = npx(["scan", "--staged", "--format", "json"]);
    expect((JSON.parse(staged.stdout) as { findings: { path: string }[] }).findings.map((f) => f.path)).toContain("lib.py");
    expect(npx(["--help"]).stdout).toContain("--staged");
    const bad = npx(["scan", "--frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
