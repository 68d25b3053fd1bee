// The embedded queue runs analyses on the thread that also answers webhooks. The analysis is
// synchronous within a file, so it is called a file at a time here with a turn of the event loop
// in between: a webhook waits at most for one file, never for a whole 3000-file pull request,
// and jobs running side by side take turns file by file.
import type { AnalysisResult, AnalyzeOptions, SourceFile } from "../analysis/types.js";
import type { Analyze } from "../github/run.js";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Findings in the order analyze() promises: by path, then line, then column. */
function byPosition(a: { path: string; line: number; column: number }, b: { path: string; line: number; column: number }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column;
}

/** Merge per-file results field by field: lists are joined, sets united (fields added later included). */
function merge(results: AnalysisResult[]): AnalysisResult {
  const merged: Record<string, unknown> = { findings: [], skipped: [], analyzed: [], checked: new Set() };
  for (const result of results) {
    for (const [key, value] of Object.entries(result)) {
      const current = merged[key];
      if (Array.isArray(value)) merged[key] = [...((current as unknown[] | undefined) ?? []), ...value];
      else if (value instanceof Set) merged[key] = new Set([...((current as Set<unknown> | undefined) ?? []), ...value]);
      else if (value !== undefined) merged[key] = value;
    }
  }
  const out = merged as unknown as AnalysisResult;
  out.findings.sort(byPosition);
  return out;
}

// One file at a time across every job of the process, handed on through setImmediate: with
// several reviews running, Node would otherwise run each one's next file back to back in a single
// turn of the event loop (every pending setImmediate callback runs in one check phase), and a
// webhook would wait for all of them. This way the loop polls for I/O between any two files.
let busy = false;
const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (!busy) {
    busy = true;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) setImmediate(next);
  else busy = false;
}

export function yieldingAnalyze(analyze: Analyze): Analyze {
  return async (files: SourceFile[], options?: AnalyzeOptions) => {
    const results: AnalysisResult[] = [];
    for (const file of files) {
      await turn();
      await acquire();
      try {
        results.push(await analyze([file], options));
      } finally {
        release();
      }
    }
    return results.length === 1 ? results[0]! : results.length === 0 ? analyze([], options) : merge(results);
  };
}
