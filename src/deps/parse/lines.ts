// Line helpers shared by the manifest parsers.
import { isAdded, type AddedLines } from "../../findings.js";
import { lineIndexOf, lineStartsOf } from "../../text/lines.js";

export class LineIndex {
  readonly lines: string[];
  private readonly starts: Int32Array;

  constructor(readonly content: string) {
    this.lines = content.split(/\r?\n/);
    this.starts = lineStartsOf(content);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    return lineIndexOf(this.starts, offset) + 1;
  }

  /** 1-based column of an offset. */
  columnOf(offset: number): number {
    return offset - this.starts[lineIndexOf(this.starts, offset)]! + 1;
  }

  text(line: number): string {
    return this.lines[line - 1] ?? "";
  }
}

export { isAdded, type AddedLines };

/** Columns (1-based, end exclusive as the findings use them) of `needle` on a line, else the whole line. */
export function spanOf(lineText: string, needle: string, from = 0): { column: number; endColumn: number } {
  const i = needle ? lineText.indexOf(needle, from) : -1;
  if (i < 0) {
    const lead = lineText.length - lineText.trimStart().length;
    return { column: lead + 1, endColumn: Math.max(lead + 1, lineText.trimEnd().length + 1) };
  }
  return { column: i + 1, endColumn: i + needle.length + 1 };
}
