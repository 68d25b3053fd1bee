// Runs the whole analysis on one file's old and new version, with the added lines a diff gives.
import { diffLines } from "diff";
import { analyze } from "../../src/analysis/analyze.js";
import type { Finding } from "../../src/findings.js";

export function addedLines(before: string, after: string): Set<number> {
  const added = new Set<number>();
  let line = 1;
  for (const part of diffLines(before, after)) {
    const count = part.count ?? 0;
    if (part.added) for (let i = 0; i < count; i++) added.add(line++);
    else if (!part.removed) line += count;
  }
  return added;
}

export async function compare(path: string, before: string, after: string): Promise<Finding[]> {
  const result = await analyze([{ path, content: after, added: addedLines(before, after), base: before }]);
  return result.findings;
}

/** The removed-safeguard findings (own ones, and others' findings that say they replaced a safe version). */
export async function removals(path: string, before: string, after: string): Promise<Finding[]> {
  return (await compare(path, before, after)).filter((f) => f.removed);
}

export const lines = (...l: string[]) => `${l.join("\n")}\n`;
