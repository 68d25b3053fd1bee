// The contract between the analysis (engine + secrets) and its callers (CLI, GitHub App).
import type { ChecklistId } from "../checklist.js";
import type { VibeguardConfig } from "../config/schema.js";
import type { DependencyClient } from "../deps/client.js";
import type { AddedLines, Finding, SkippedFile } from "../findings.js";

/** One changed file as the new revision has it. */
export interface SourceFile {
  /** Repository-relative path, forward slashes. */
  path: string;
  content: string;
  /** The lines this change added; only findings on these lines are reported. */
  added: AddedLines;
  /** The file before the change (merge base / PR base), when known: removed safeguards are looked for against it. */
  base?: string;
}

export interface AnalyzeOptions {
  config?: VibeguardConfig;
  /** Registry/OSV client for the dependency checks; without one they run offline (checks 3, 5, 6). */
  dependencyClient?: DependencyClient;
  /** Every path in the change, when `files` is only part of it (batches): lockfiles beside manifests count. */
  changedPaths?: string[];
  /** Per-file budget for the rule engine (parse, queries, taint); past it the file is skipped. */
  fileTimeLimitMs?: number;
}

export interface AnalysisResult {
  /** Findings on added lines, suppressed ones included (marked `suppressed`), sorted by path and line. */
  findings: Finding[];
  skipped: SkippedFile[];
  /** Paths that were actually analysed (by the engine, the secrets scanner or both). */
  analyzed: string[];
  /**
   * Checklist items that some rule or scanner actually checked on added code in this change:
   * an item in here with no unsuppressed finding has "passed"; an item not in here is "not applicable".
   */
  checked: Set<ChecklistId>;
  /** What an item could not check and why, e.g. dependencies: "not checked: OSV unreachable". */
  notes?: Partial<Record<ChecklistId, string[]>>;
}
