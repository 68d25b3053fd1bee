// analyze() over many files in batches, letting the event loop turn between batches.
//
// Why: syntax trees live in native memory that node-tree-sitter frees in N-API finalizers, and
// Node runs those finalizers only after the event loop turns (a setImmediate), not inside the
// garbage collection itself. One synchronous pass over hundreds of files therefore keeps every
// tree alive until it returns: measured ~28 MB of RSS per MB of JavaScript parsed, with or
// without gc() calls. Yielding every few MB keeps RSS flat (see bench/run.ts, --no-yield).
import { analyze, type AnalyzeDeps } from "../analysis/analyze.js";
import type { AnalysisResult, AnalyzeOptions, SourceFile } from "../analysis/types.js";
import type { ChecklistId } from "../checklist.js";

export const DEFAULT_BATCH_BYTES = 4 * 1024 * 1024;

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function analyzeInBatches(
  files: SourceFile[],
  options: AnalyzeOptions & AnalyzeDeps,
  batchBytes = DEFAULT_BATCH_BYTES,
): Promise<AnalysisResult> {
  const merged: AnalysisResult = { findings: [], skipped: [], analyzed: [], checked: new Set(), notes: {} };
  // Each batch sees every changed path, so a lockfile in another batch still marks its folder.
  const batchOptions = { changedPaths: files.map((f) => f.path), ...options };
  let batch: SourceFile[] = [];
  let size = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await analyze(batch, batchOptions);
    merged.findings.push(...result.findings);
    merged.skipped.push(...result.skipped);
    merged.analyzed.push(...result.analyzed);
    for (const id of result.checked) merged.checked.add(id);
    for (const [id, lines] of Object.entries(result.notes ?? {}) as Array<[ChecklistId, string[]]>) {
      const list = (merged.notes![id] ??= []);
      for (const line of lines) if (!list.includes(line)) list.push(line);
    }
    batch = [];
    size = 0;
    await turnEventLoop();
  };
  for (const file of files) {
    batch.push(file);
    size += file.content.length;
    if (size >= batchBytes) await flush();
  }
  await flush();
  // The order analyze() gives: by path, then line, then column.
  merged.findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
  return merged;
}
