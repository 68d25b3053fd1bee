// Added lines computed locally from two versions of a file, for when GitHub sends no patch (its
// per-file diff is too large). The `diff` package's Myers diff does the work, asynchronously (it
// yields to the event loop between steps) and within a time and edit-length budget; past the
// budget a linear fallback counts a head line as added when the base has fewer copies of it.
import { diffLines, type ChangeObject } from "diff";

export interface LocalDiffOptions {
  /** Milliseconds before the Myers diff gives up. */
  timeoutMs?: number;
  /** Largest edit distance (in lines) the Myers diff explores. */
  maxEditLength?: number;
}

export interface LocalDiff {
  /** 1-based lines of the head version that are not in the base version. */
  added: Set<number>;
  /** "myers" for an exact diff; "line-count" when the budget ran out and the fallback decided. */
  method: "myers" | "line-count";
}

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** Linear: a head line is added when it occurs more often in head (so far) than in base. */
export function addedByLineCount(base: string, head: string): Set<number> {
  const available = new Map<string, number>();
  for (const line of splitLines(base)) available.set(line, (available.get(line) ?? 0) + 1);
  const added = new Set<number>();
  splitLines(head).forEach((line, i) => {
    const left = available.get(line) ?? 0;
    if (left > 0) available.set(line, left - 1);
    else added.add(i + 1);
  });
  return added;
}

function fromChanges(changes: ChangeObject<string>[]): Set<number> {
  const added = new Set<number>();
  let line = 1;
  for (const change of changes) {
    const count = change.count ?? 0;
    if (change.removed) continue;
    if (change.added) for (let i = 0; i < count; i++) added.add(line + i);
    line += count;
  }
  return added;
}

/** The lines `head` adds to `base`. */
export function addedLinesBetween(base: string, head: string, options: LocalDiffOptions = {}): Promise<LocalDiff> {
  return new Promise((resolve) => {
    diffLines(base, head, {
      timeout: options.timeoutMs ?? 3_000,
      maxEditLength: options.maxEditLength ?? 20_000,
      callback: (changes: ChangeObject<string>[] | undefined) => {
        if (changes) resolve({ added: fromChanges(changes), method: "myers" });
        else resolve({ added: addedByLineCount(base, head), method: "line-count" });
      },
    });
  });
}
