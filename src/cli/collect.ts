// What the CLI scans: the lines a git range added (--base), or every line of some files (--all).
// Both produce the analysis input plus the files left out and why; nothing is dropped silently.
import { lstat, readFile, readdir, stat as statFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { SourceFile } from "../analysis/types.js";
import { parseUnifiedDiff } from "../diff/index.js";
import { DEFAULT_MAX_FILE_BYTES } from "../engine/skip.js";
import type { SkippedFile } from "../findings.js";
import { diffText, INDEX, mergeBase, readBlobs, repoRoot, resolveCommit, stagedDiffText, untrackedFiles } from "./git.js";

export interface Collected {
  files: SourceFile[];
  skipped: SkippedFile[];
  /** The folder output paths are relative to (and where the default config is looked for). */
  root: string;
}

export class UsageError extends Error {
  override name = "UsageError";
}

function toSlash(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function tooLarge(path: string, size: number): SkippedFile {
  return { path, reason: `over size limit (${size} bytes > ${DEFAULT_MAX_FILE_BYTES})` };
}

/** Read a work-tree file if it is a regular file of reasonable size. */
async function readWorkTreeFile(full: string, path: string, follow = false): Promise<{ content: string } | { skipped: SkippedFile }> {
  try {
    const stat = follow ? await statFile(full) : await lstat(full);
    if (stat.isSymbolicLink()) return { skipped: { path, reason: "symbolic link: not followed" } };
    if (!stat.isFile()) return { skipped: { path, reason: "not a regular file" } };
    if (stat.size > DEFAULT_MAX_FILE_BYTES) return { skipped: tooLarge(path, stat.size) };
    return { content: await readFile(full, "utf8") };
  } catch (error) {
    return { skipped: { path, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
}

export interface RangeOptions {
  cwd: string;
  base: string;
  /** A revision, or undefined for the work tree (staged and unstaged changes). */
  head?: string;
  /** With the work tree as head: also scan untracked, not ignored files, every line added. */
  untracked: boolean;
}

type Wanted = { path: string; added: Set<number> | "all"; oldPath?: string };

/** From parsed diffs: the files with added lines, and the binary ones (listed as skipped). */
function addedByFile(diffs: ReturnType<typeof parseUnifiedDiff>, keepDeletions = false): { wanted: Wanted[]; skipped: SkippedFile[] } {
  const skipped: SkippedFile[] = [];
  const wanted: Wanted[] = [];
  for (const diff of diffs) {
    if (diff.status === "deleted") continue;
    if (diff.status === "binary") {
      skipped.push({ path: diff.path, reason: "binary" });
      continue;
    }
    // A pure rename or a mode change adds no line; a modified file that only lost lines is kept
    // when its old version is compared (a deleted line can be a removed safeguard).
    if (diff.added.size === 0 && !(keepDeletions && (diff.status === "modified" || diff.status === "renamed"))) continue;
    wanted.push({ path: diff.path, added: diff.added, ...(diff.oldPath ? { oldPath: diff.oldPath } : {}) });
  }
  return { wanted, skipped };
}

/** Blobs read through git into analysis input, too-large and unreadable ones listed as skipped. */
async function filesFromBlobs(root: string, rev: string, wanted: readonly Wanted[], skipped: SkippedFile[]): Promise<SourceFile[]> {
  const blobs = await readBlobs(
    root,
    rev,
    wanted.map((w) => w.path),
  );
  const byPath = new Map(blobs.map((b) => [b.path, b]));
  const files: SourceFile[] = [];
  for (const { path, added } of wanted) {
    const blob = byPath.get(path);
    if (!blob || "error" in blob) skipped.push({ path, reason: blob ? blob.error : "not read" });
    else if (blob.content.length > DEFAULT_MAX_FILE_BYTES) skipped.push(tooLarge(path, blob.content.length));
    else files.push({ path, content: blob.content.toString("utf8"), added });
  }
  return files;
}

/** The lines added between two revisions (or a revision and the work tree), repository-relative. */
export async function collectRange(options: RangeOptions): Promise<Collected> {
  const root = await repoRoot(options.cwd);
  const base = await resolveCommit(root, options.base);
  const head = options.head === undefined ? undefined : await resolveCommit(root, options.head);
  // Like a pull request: compare with where the change branched off, not with the base's tip.
  const from = (await mergeBase(root, base, head ?? (await resolveCommit(root, "HEAD")))) ?? base;
  const diffs = parseUnifiedDiff(await diffText(root, from, head));

  const { wanted, skipped } = addedByFile(diffs, true);
  if (head === undefined && options.untracked) {
    const known = new Set(wanted.map((w) => w.path));
    for (const path of await untrackedFiles(root)) if (!known.has(path)) wanted.push({ path, added: "all" });
  }
  wanted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const files: SourceFile[] = [];
  if (head === undefined) {
    for (const { path, added } of wanted) {
      const read = await readWorkTreeFile(join(root, path), path);
      if ("skipped" in read) skipped.push(read.skipped);
      else files.push({ path, content: read.content, added });
    }
  } else {
    files.push(...(await filesFromBlobs(root, head, wanted, skipped)));
  }
  await attachBases(root, from, files, new Map(wanted.map((w) => [w.path, w.oldPath ?? w.path])));
  return { files, skipped, root };
}

/** Each file's merge-base version, for finding removed safeguards (files new in the range have none). */
async function attachBases(root: string, rev: string, files: SourceFile[], oldPaths: Map<string, string>): Promise<void> {
  const oldPath = (path: string) => oldPaths.get(path) ?? path;
  const blobs = await readBlobs(
    root,
    rev,
    files.map((f) => oldPath(f.path)),
  );
  const byPath = new Map(blobs.map((b) => [b.path, b]));
  for (const file of files) {
    const blob = byPath.get(oldPath(file.path));
    if (blob && "content" in blob && blob.content.length <= DEFAULT_MAX_FILE_BYTES) file.base = blob.content.toString("utf8");
  }
}

/**
 * What `git commit` would add (for a pre-commit hook): the lines the index adds over HEAD, with
 * file content from the index, so unstaged edits in the work tree neither hide nor add findings.
 */
export async function collectStaged(options: { cwd: string; paths?: string[] }): Promise<Collected> {
  const root = await repoRoot(options.cwd);
  let { wanted, skipped } = addedByFile(parseUnifiedDiff(await stagedDiffText(root)));
  if (options.paths && options.paths.length > 0) {
    // Limit to the given files and folders (pre-commit passes the staged file names).
    const limits = options.paths.map((p) => toSlash(relative(root, resolve(options.cwd, p))));
    const within = (path: string) => limits.some((l) => l === "" || path === l || path.startsWith(`${l}/`));
    wanted = wanted.filter((w) => within(w.path));
    skipped = skipped.filter((s) => within(s.path));
  }
  wanted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files = await filesFromBlobs(root, INDEX, wanted, skipped);
  return { files, skipped, root };
}

/** Folders never walked into: version control data (silently) and installed dependencies (listed once). */
const SILENT_DIRS = new Set([".git", ".hg", ".svn"]);
const DEPENDENCY_DIRS = new Set(["node_modules", "bower_components", ".venv", "venv", "__pycache__"]);

export interface AllOptions {
  cwd: string;
  paths: string[];
}

/** Every line of the given files, and of every file under the given folders, cwd-relative. */
export async function collectAll(options: AllOptions): Promise<Collected> {
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();

  const display = (full: string) => toSlash(relative(options.cwd, full)) || ".";

  async function addFile(full: string, follow = false): Promise<void> {
    const path = display(full);
    if (seen.has(path)) return;
    seen.add(path);
    const read = await readWorkTreeFile(full, path, follow);
    if ("skipped" in read) skipped.push(read.skipped);
    else files.push({ path, content: read.content, added: "all" });
  }

  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: display(dir), reason: `cannot read folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SILENT_DIRS.has(entry.name)) continue;
        if (DEPENDENCY_DIRS.has(entry.name)) {
          skipped.push({ path: `${display(full)}/`, reason: "vendored: installed dependencies, folder not scanned" });
          continue;
        }
        await walk(full);
      } else if (entry.isFile()) {
        await addFile(full);
      } else if (entry.isSymbolicLink()) {
        skipped.push({ path: display(full), reason: "symbolic link: not followed" });
      }
    }
  }

  for (const given of options.paths) {
    const full = resolve(options.cwd, given);
    let stat;
    try {
      stat = await statFile(full);
    } catch {
      throw new UsageError(`no such file or folder: ${given}`);
    }
    // Paths named on the command line are followed even when they are symbolic links.
    if (stat.isDirectory()) await walk(full);
    else await addFile(full, true);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, skipped, root: options.cwd };
}
