// The diff model: which lines of the new file a change added. Reviews report only on those lines.
// Parsing is delegated to the `diff` package; this module only interprets its hunks.
import { parsePatch, type StructuredPatch } from "diff";

export type FileChangeStatus = "added" | "modified" | "renamed" | "deleted" | "binary";

export interface FileDiff {
  /** Path in the new revision (the old path for deleted files), without a/ b/ prefixes. */
  path: string;
  /** Path in the old revision when it differs (renames). */
  oldPath?: string;
  status: FileChangeStatus;
  /** 1-based line numbers of the new file that the change added. */
  added: Set<number>;
  /** 1-based new-file lines that appear in the diff (added or context): where GitHub accepts a review comment. */
  commentable: Set<number>;
}

export class DiffParseError extends Error {
  override name = "DiffParseError";
}

interface HunkLines {
  added: Set<number>;
  commentable: Set<number>;
  /** 1-based old-file lines the patch deletes: where a `side: LEFT` review comment can go. */
  deleted?: Set<number>;
}

function linesOfHunks(hunks: StructuredPatch["hunks"]): HunkLines {
  const added = new Set<number>();
  const commentable = new Set<number>();
  const deleted = new Set<number>();
  for (const hunk of hunks) {
    let newLine = hunk.newStart;
    let oldLine = hunk.oldStart;
    for (const line of hunk.lines) {
      const marker = line[0];
      if (marker === "-") deleted.add(oldLine++);
      else if (marker === " " || line === "") oldLine++;
      if (marker === "+") {
        added.add(newLine);
        commentable.add(newLine);
        newLine++;
      } else if (marker === " " || line === "") {
        // Some tools strip the single space of an empty context line.
        commentable.add(newLine);
        newLine++;
      }
      // "-" lines belong to the old file; "\" is "\ No newline at end of file".
    }
  }
  return { added, commentable, deleted };
}

function parse(text: string): StructuredPatch[] {
  // CRLF files keep a trailing \r on each hunk line; the markers are unaffected.
  try {
    return parsePatch(text);
  } catch (error) {
    throw new DiffParseError(`cannot parse diff: ${(error as Error).message}`);
  }
}

/**
 * Added lines of one file from a GitHub per-file `patch` (hunks only, no file headers).
 * An empty or missing patch yields no lines: the caller decides what a missing patch means.
 */
export function addedLinesFromPatch(patch: string | undefined | null): Set<number> {
  return linesFromPatch(patch).added;
}

/** Added and commentable lines of one file from a GitHub per-file `patch`. */
export function linesFromPatch(patch: string | undefined | null): HunkLines {
  if (!patch) return { added: new Set(), commentable: new Set() };
  const hunks = parse(patch).flatMap((p) => p.hunks);
  return linesOfHunks(hunks);
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === "/dev/null") return undefined;
  return name.replace(/^[ab]\//, "");
}

/** Every file of a whole `git diff` (or any unified diff with file headers). */
export function parseUnifiedDiff(text: string): FileDiff[] {
  if (!text.trim()) return [];
  const files: FileDiff[] = [];
  for (const patch of parse(text)) {
    const newPath = stripPrefix(patch.newFileName);
    const oldPath = stripPrefix(patch.oldFileName);
    const path = newPath ?? oldPath;
    if (!path) continue;
    const { added, commentable } = linesOfHunks(patch.hunks);
    let status: FileChangeStatus;
    if (patch.isBinary) status = "binary";
    else if (patch.isDelete || !newPath) status = "deleted";
    else if (patch.isCreate || !oldPath) status = "added";
    else if (patch.isRename || oldPath !== newPath) status = "renamed";
    else status = "modified";
    const file: FileDiff = { path, status, added, commentable };
    if (oldPath && oldPath !== path) file.oldPath = oldPath;
    files.push(file);
  }
  return files;
}
