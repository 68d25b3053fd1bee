// The changed files of a pull request (or merge group) and their head content: what the analysis
// reads, which lines count as added, and which files were not read and why.
//
// Content is always read from the base repository (the one the App is installed on) at the head
// SHA, also for pull requests from forks: GitHub keeps a fork's PR commits reachable in the base
// repository (refs/pull/N/head), while the fork itself is usually outside the installation.
import picomatch from "picomatch";
import type { SourceFile } from "../analysis/types.js";
import type { VibeguardConfig } from "../config/schema.js";
import { linesFromPatch } from "../diff/index.js";
import { addedLinesBetween } from "../diff/local.js";
import type { AddedLines, SkippedFile } from "../findings.js";
import { httpStatus, mapLimit } from "./errors.js";
import type { GitHub, RepoRef } from "./octokit.js";

/** GitHub's pull-request file listing stops here. */
export const PULL_FILES_LIMIT = 3000;
/** GitHub's compare endpoint lists at most this many files. */
export const COMPARE_FILES_LIMIT = 300;
/** Larger files are not read. */
export const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Content one review holds at most (3000 files of up to 1 MiB would be 3 GiB): files past it
 * are reported as not analysed. Peak memory is this plus `concurrency` files in flight.
 */
export const MAX_REVIEW_BYTES = 64 * 1024 * 1024;

export interface ChangedFile {
  filename: string;
  status: string;
  patch?: string | undefined;
  changes: number;
  additions: number;
  previous_filename?: string | undefined;
}

export interface FileLines {
  added: AddedLines;
  /** New-file lines shown in the diff (added or context): where GitHub accepts a review comment. */
  commentable: ReadonlySet<number>;
  /** Old-file lines the patch deletes (a removed safeguard's comment can go there, `side: LEFT`). */
  deleted?: ReadonlySet<number>;
}

export interface PreparedFiles {
  sources: SourceFile[];
  skipped: SkippedFile[];
  /** Paths scanned whole because GitHub sent no patch and the base version could not be read. */
  wholeFile: string[];
  /** Files that were removed or only lost lines. */
  deletedOnly: number;
  /** Lines per path for every file the analysis reads. */
  lines: Map<string, FileLines>;
  /** Paths listed as changed that certainly have no added line (removed, deletions only, unchanged rename). */
  noAdditions: Set<string>;
  /** Every path GitHub listed (new names and, for renames, old names). */
  listed: Set<string>;
}

function toChangedFile(f: ChangedFile): ChangedFile {
  return {
    filename: f.filename,
    status: f.status,
    patch: f.patch,
    changes: f.changes,
    additions: f.additions,
    previous_filename: f.previous_filename,
  };
}

/** Every changed file of a pull request (GitHub stops at 3000), with patches. */
export async function listPullRequestFiles(gh: GitHub, repo: RepoRef, pullNumber: number): Promise<ChangedFile[]> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  return files.map(toChangedFile);
}

/**
 * Changed files between two commits (three-dot: what `head` adds on top of the merge base), as a
 * merge group needs. GitHub returns at most 300 files, all on the first page.
 */
export async function listCompareFiles(gh: GitHub, repo: RepoRef, base: string, head: string): Promise<{ files: ChangedFile[]; mergeBase: string | undefined }> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}`, per_page: 1 });
  return { files: (data.files ?? []).map(toChangedFile), mergeBase: data.merge_base_commit?.sha };
}

/** The merge base of `base` and `head`: what GitHub's three-dot pull-request diff compares with. */
export async function mergeBaseOf(gh: GitHub, repo: RepoRef, base: string, head: string): Promise<string | undefined> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}`, per_page: 1, page: 1 });
  return data.merge_base_commit?.sha;
}

function decode(content: string): Buffer {
  return Buffer.from(content, "base64");
}

type Fetched = { content: string } | { skipped: string };

/** Head content of one file, or why it is not read. Errors other than 404 propagate. */
async function fetchContent(gh: GitHub, repo: RepoRef, ref: string, path: string): Promise<Fetched> {
  let data: unknown;
  try {
    ({ data } = await gh.rest.repos.getContent({ ...repo, path, ref }));
  } catch (error) {
    if (httpStatus(error) === 404) return { skipped: `not found at ${ref.slice(0, 7)}` };
    throw error;
  }
  if (Array.isArray(data)) return { skipped: "is a directory" };
  const file = data as { type?: string; size?: number; encoding?: string; content?: string; sha?: string };
  if (file.type !== "file") return { skipped: `is a ${file.type ?? "non-file entry"}` };
  if ((file.size ?? 0) > MAX_FILE_BYTES) return { skipped: `larger than 1 MiB (${file.size} bytes)` };
  let bytes: Buffer;
  if (file.encoding === "base64" && typeof file.content === "string") {
    bytes = decode(file.content);
  } else if (file.sha) {
    // The contents API leaves `content` empty above its own size limit; the blob API has it.
    const blob = await gh.rest.git.getBlob({ ...repo, file_sha: file.sha });
    bytes = blob.data.encoding === "base64" ? decode(blob.data.content) : Buffer.from(blob.data.content, "utf8");
  } else {
    return { skipped: "content not available" };
  }
  if (bytes.length > MAX_FILE_BYTES) return { skipped: `larger than 1 MiB (${bytes.length} bytes)` };
  if (bytes.includes(0)) return { skipped: "binary file" };
  return { content: bytes.toString("utf8") };
}

export interface PrepareOptions {
  config: VibeguardConfig;
  concurrency?: number;
  /**
   * The commit the change is compared with (the merge base), looked up only when a file that
   * existed before has no patch; undefined when it cannot be found.
   */
  baseRef?: () => Promise<string | undefined>;
  /** Content bytes read for one review at most (default MAX_REVIEW_BYTES). */
  maxTotalBytes?: number;
}

function overBudget(budget: number): string {
  return `not read: this review already holds ${Math.round(budget / (1024 * 1024))} MiB of changed files`;
}

type FetchItem = { path: string; lines: FileLines; whole: boolean; basePath?: string | undefined };

/**
 * For a file GitHub sent no patch for, the added lines from its base and head versions. Inline
 * comments cannot go on such a file (GitHub shows no diff for it), so nothing is commentable.
 * Undefined when the base version cannot be read.
 */
async function linesFromBase(gh: GitHub, repo: RepoRef, baseRef: string | undefined, basePath: string, head: string): Promise<FileLines | undefined> {
  if (!baseRef) return undefined;
  let base: Fetched;
  try {
    base = await fetchContent(gh, repo, baseRef, basePath);
  } catch {
    return undefined;
  }
  if ("skipped" in base) return undefined;
  const diff = await addedLinesBetween(base.content, head);
  return { added: diff.added, commentable: new Set() };
}

/** Decide what to read, read it with bounded concurrency, and say what was left out. */
export async function prepareFiles(
  gh: GitHub,
  repo: RepoRef,
  ref: string,
  changed: readonly ChangedFile[],
  options: PrepareOptions,
): Promise<PreparedFiles> {
  const ignored = options.config.ignore_paths.length > 0 ? picomatch(options.config.ignore_paths, { dot: true }) : () => false;
  const prepared: PreparedFiles = {
    sources: [],
    skipped: [],
    wholeFile: [],
    deletedOnly: 0,
    lines: new Map(),
    noAdditions: new Set(),
    listed: new Set(),
  };
  const toFetch: FetchItem[] = [];

  for (const file of changed) {
    const path = file.filename;
    prepared.listed.add(path);
    if (file.previous_filename) prepared.listed.add(file.previous_filename);
    if (file.status === "removed") {
      prepared.deletedOnly++;
      prepared.noAdditions.add(path);
      continue;
    }
    if (ignored(path)) {
      prepared.skipped.push({ path, reason: "ignored by ignore_paths" });
      continue;
    }
    if (file.patch) {
      let lines: { added: Set<number>; commentable: Set<number> } | undefined;
      try {
        lines = linesFromPatch(file.patch);
      } catch {
        lines = undefined; // unparsable patch: scan the whole file rather than nothing
      }
      if (lines && lines.added.size === 0) {
        prepared.deletedOnly++;
        prepared.noAdditions.add(path);
        continue;
      }
      toFetch.push(lines ? { path, lines, whole: false } : { path, lines: { added: "all", commentable: new Set() }, whole: true });
      continue;
    }
    if (file.changes === 0) {
      if (file.status === "renamed" || file.status === "changed") {
        prepared.noAdditions.add(path); // renamed or mode change without a content change
      } else {
        prepared.skipped.push({ path, reason: "no text diff (binary or empty file)" });
      }
      continue;
    }
    // GitHub omits the patch of a diff that is too large. A new file is added whole; for any other
    // the added lines come from comparing it with its base version (read after the head).
    const isNew = file.status === "added";
    toFetch.push({ path, lines: { added: "all", commentable: new Set() }, whole: !isNew, basePath: isNew ? undefined : (file.previous_filename ?? path) });
  }

  let baseRef: Promise<string | undefined> | undefined;
  const resolveBase = (): Promise<string | undefined> =>
    (baseRef ??= (options.baseRef ?? (async () => undefined))().catch(() => undefined));
  const budget = options.maxTotalBytes ?? MAX_REVIEW_BYTES;
  let held = 0;
  const fetched = await mapLimit(toFetch, options.concurrency ?? 8, async (item) => {
    if (held >= budget) return { head: { skipped: overBudget(budget) } as Fetched, lines: item.lines, whole: item.whole };
    let head = await fetchContent(gh, repo, ref, item.path);
    if (!("skipped" in head)) {
      // Strings hold UTF-16; the byte count of the UTF-8 content is the fair measure of the file.
      const size = Buffer.byteLength(head.content);
      if (held + size > budget) head = { skipped: overBudget(budget) };
      else held += size;
    }
    if ("skipped" in head || item.basePath === undefined) return { head, lines: item.lines, whole: item.whole };
    const lines = await linesFromBase(gh, repo, await resolveBase(), item.basePath, head.content);
    return lines ? { head, lines, whole: false } : { head, lines: item.lines, whole: true };
  });
  toFetch.forEach((item, i) => {
    const { head, lines, whole } = fetched[i]!;
    if ("skipped" in head) {
      prepared.skipped.push({ path: item.path, reason: head.skipped });
      return;
    }
    if (lines.added !== "all" && lines.added.size === 0) {
      prepared.deletedOnly++;
      prepared.noAdditions.add(item.path);
      return;
    }
    prepared.sources.push({ path: item.path, content: head.content, added: lines.added });
    prepared.lines.set(item.path, lines);
    if (whole) prepared.wholeFile.push(item.path);
  });
  return prepared;
}
