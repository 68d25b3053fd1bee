// Where each line of the old file went in the new one: kept lines map to their new number,
// deleted lines to the closest surviving line (the line now at the place they were deleted from).
import { diffLines } from "diff";

export interface LineMap {
  /** 1-based new line for a 1-based old line. */
  newLineOf(oldLine: number): number;
  /** True when the old line is still there, unchanged. */
  kept(oldLine: number): boolean;
}

function lineCount(text: string): number {
  if (text.length === 0) return 0;
  const n = text.split("\n").length;
  return text.endsWith("\n") ? n - 1 : n;
}

export function mapLines(oldText: string, newText: string): LineMap {
  const target: number[] = [0];
  const keptLines = new Set<number>();
  let oldLine = 1;
  let newLine = 1;
  for (const part of diffLines(oldText, newText)) {
    const count = part.count ?? lineCount(part.value);
    if (part.added) {
      newLine += count;
    } else if (part.removed) {
      for (let i = 0; i < count; i++) target[oldLine++] = newLine;
    } else {
      for (let i = 0; i < count; i++) {
        keptLines.add(oldLine);
        target[oldLine++] = newLine++;
      }
    }
  }
  const last = Math.max(1, lineCount(newText));
  return {
    newLineOf: (line) => Math.min(Math.max(1, target[line] ?? last), last),
    kept: (line) => keptLines.has(line),
  };
}
