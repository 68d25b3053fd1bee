// The few git operations the CLI needs. git always runs through execFile/spawn with an argument
// array (never a shell), with revisions resolved to commit ids first so nothing the user typed
// can be read as an option or a path.
import { execFile, spawn } from "node:child_process";

/** Large diffs are fine; a runaway one still ends. */
const MAX_BUFFER = 1024 * 1024 * 1024;

export class GitError extends Error {
  override name = "GitError";
}

/** Settings that keep git's output in the shape we parse, whatever the user's config says. */
const FIXED_CONFIG = ["-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "color.ui=false"];

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ""
  );
}

export function runGit(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...FIXED_CONFIG, ...args],
      { cwd, maxBuffer: MAX_BUFFER, encoding: "utf8", env: { ...process.env, GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" } },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === "ENOENT") reject(new GitError("git is not installed or not on PATH"));
          else reject(new GitError(firstLine(stderr) || error.message.split("\n")[0]!));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** The top folder of the work tree `cwd` is in; throws GitError when it is not in one. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    const out = await runGit(["rev-parse", "--show-toplevel"], cwd);
    const root = out.trim();
    if (!root) throw new GitError("not inside a git work tree");
    return root;
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.message)) {
      throw new GitError("not a git repository (or any parent folder); --base needs one");
    }
    throw error;
  }
}

/** Resolve a revision to a commit id; throws GitError naming the revision when it is unknown. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  try {
    const out = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], root);
    const sha = out.trim();
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error("no commit");
    return sha;
  } catch {
    throw new GitError(`unknown revision: ${rev}`);
  }
}

/**
 * The commit a change started from, as a pull request sees it (`git merge-base`): lines the base
 * branch changed after the branch point are not the change's. Undefined for unrelated histories.
 */
export async function mergeBase(root: string, base: string, head: string): Promise<string | undefined> {
  try {
    const out = await runGit(["merge-base", base, head], root);
    const sha = out.trim().split("\n")[0] ?? "";
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `git diff` of base against head (a commit) or against the working tree (head undefined),
 * with zero context lines: only added lines matter. Deleted files are left out.
 */
export function diffText(root: string, base: string, head: string | undefined): Promise<string> {
  const args = [
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "-M",
    "--unified=0",
    "--diff-filter=d",
    base,
  ];
  if (head) args.push(head);
  args.push("--");
  return runGit(args, root);
}

/**
 * `git diff --cached`: the index against HEAD (against nothing on an unborn branch, where every
 * staged file is new), zero context lines, deleted files left out.
 */
export function stagedDiffText(root: string): Promise<string> {
  return runGit(
    ["diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--src-prefix=a/", "--dst-prefix=b/", "-M", "--unified=0", "--diff-filter=d", "--"],
    root,
  );
}

/** Files in the work tree git does not track and does not ignore, repository-relative. */
export async function untrackedFiles(root: string): Promise<string[]> {
  const out = await runGit(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], root);
  return out.split("\0").filter((p) => p.length > 0);
}

/** readBlobs from the index (what `git commit` would record) rather than a commit. */
export const INDEX = "";

export type BlobResult = { path: string; content: Buffer } | { path: string; error: string };

/**
 * Read many files of one commit with a single `git cat-file --batch` process; with `commit` set
 * to INDEX, the staged version of each file (`:path`, stage 0) instead.
 * A path that is missing or not a regular file comes back with an error instead of content.
 */
export function readBlobs(root: string, commit: string, paths: string[]): Promise<BlobResult[]> {
  return new Promise((resolve, reject) => {
    const asked = paths.filter((p) => !p.includes("\n"));
    const results: BlobResult[] = paths.filter((p) => p.includes("\n")).map((path) => ({ path, error: "path contains a line break" }));
    if (asked.length === 0) {
      resolve(results);
      return;
    }
    const child = spawn("git", [...FIXED_CONFIG, "cat-file", "--batch"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error) => reject(new GitError(`cannot run git cat-file: ${error.message}`)));
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new GitError(firstLine(stderr) || `git cat-file exited with ${code}`));
        return;
      }
      const out = Buffer.concat(chunks);
      let at = 0;
      for (const path of asked) {
        const eol = out.indexOf(0x0a, at);
        if (eol < 0) {
          results.push({ path, error: "no answer from git cat-file" });
          continue;
        }
        const header = out.subarray(at, eol).toString("utf8");
        at = eol + 1;
        const match = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
        if (!match) {
          results.push({ path, error: `not in the commit (${header.split(" ").pop()})` });
          continue;
        }
        const size = Number(match[3]);
        const content = out.subarray(at, at + size);
        at += size + 1; // content, then a line feed
        if (match[2] !== "blob") results.push({ path, error: `not a file (${match[2]})` });
        else results.push({ path, content });
      }
      resolve(results);
    });
    child.stdin.on("error", () => {
      /* reported through close */
    });
    child.stdin.end(asked.map((p) => `${commit}:${p}\n`).join(""));
  });
}
