// Throwaway git repositories and CLI runs for the CLI tests; everything stays in a temp folder.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = join(REPO_ROOT, "bin/vibeguard.js");
/**
 * A pinned copy of two built-in rules: the CLI tests check the CLI, so they must not change
 * when rules are added to rules/. The git-range test runs the built-in rules.
 */
export const FIXTURE_RULES = join(REPO_ROOT, "test/cli/fixtures/rules");
export const PINNED = ["--rules", FIXTURE_RULES];

/** Identity and isolation so commits work on CI machines with no git config. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Vibeguard Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Vibeguard Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  NO_COLOR: "",
};

export function tempDir(prefix = "vibeguard-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export function initRepo(): string {
  const dir = tempDir("vibeguard-repo-");
  git(dir, "init", "-q", "-b", "main");
  return dir;
}

export function commitAll(dir: string, message: string): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real launcher in a child process, as a user would run it. */
export function runBin(cwd: string, args: string[]): RunResult {
  const out = spawnSync(process.execPath, [BIN, ...args], { cwd, env: GIT_ENV, encoding: "utf8", timeout: 60_000 });
  return { code: out.status ?? -1, stdout: out.stdout, stderr: out.stderr };
}

/** main() in this process, with captured output: much faster than a child process. */
export async function runMain(cwd: string, args: string[], isTTY = false): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    isTTY,
    env: { ...GIT_ENV },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}
