// JSON output: a stable contract other tools read. The keys of a finding and their order are
// fixed; new information goes into new top-level keys, never into renamed ones.
import { DEFAULT_CONFIG } from "../config/schema.js";
import { buildReport, type ItemState } from "../github/report.js";
import type { AnalysisResult } from "../analysis/types.js";
import { SEVERITIES, atOrAbove, type Finding, type Severity, type TraceStep } from "../findings.js";

/** The keys of a finding in JSON output, in order; `trace` follows only when the finding has one. */
export const JSON_FINDING_KEYS = ["ruleId", "category", "severity", "path", "line", "endLine", "column", "message", "cwe", "fingerprint", "suppressed"] as const;

export interface JsonFinding {
  ruleId: string;
  category: string;
  severity: Severity;
  path: string;
  line: number;
  endLine: number;
  column: number;
  message: string;
  cwe: string;
  fingerprint: string;
  suppressed: boolean;
  trace?: TraceStep[];
  /** For a removed safeguard: the deleted line of the old file. */
  removed?: { line: number; code: string };
}

export type ChecklistState = ItemState;

export interface JsonOutput {
  findings: JsonFinding[];
  skipped: Array<{ path: string; reason: string }>;
  version: string;
  summary: {
    failOn: Severity;
    /** True when an unsuppressed finding at or above failOn remains (the CLI then exits 1). */
    failed: boolean;
    /** Unsuppressed findings by severity. */
    counts: Record<Severity, number>;
    suppressed: number;
    analyzed: number;
    checklist: Array<{ id: string; title: string; state: ChecklistState; findings: number; notes?: string[] }>;
  };
}

export interface JsonOptions {
  version: string;
  failOn: Severity;
}

export function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    path: f.path,
    line: f.line,
    endLine: f.endLine,
    column: f.column,
    message: f.message,
    cwe: f.cwe,
    fingerprint: f.fingerprint,
    suppressed: f.suppressed,
  };
  // kind/note appear only on hops across functions (the call into a helper, its parameter, its return).
  if (f.trace && f.trace.length > 0) {
    out.trace = f.trace.map((s) => ({ line: s.line, code: s.code, ...(s.kind ? { kind: s.kind } : {}), ...(s.note ? { note: s.note } : {}) }));
  }
  if (f.removed) out.removed = { line: f.removed.line, code: f.removed.code };
  return out;
}

/** The state of each checklist item, decided by the same code as the check run's summary. */
export function checklistStates(result: AnalysisResult, failOn: Severity): Array<{ id: string; title: string; state: ChecklistState; findings: number; notes?: string[] }> {
  const report = buildReport(result, { ...DEFAULT_CONFIG, fail_on: failOn });
  return report.rows.map((row) => ({
    id: row.item.id,
    title: row.item.title,
    state: row.state,
    findings: row.findings.length,
    ...(row.notes.length > 0 ? { notes: row.notes } : {}),
  }));
}

export function buildJson(result: AnalysisResult, options: JsonOptions): JsonOutput {
  const open = result.findings.filter((f) => !f.suppressed);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of open) counts[f.severity]++;
  return {
    findings: result.findings.map(toJsonFinding),
    skipped: result.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    version: options.version,
    summary: {
      failOn: options.failOn,
      failed: open.some((f) => atOrAbove(f.severity, options.failOn)),
      counts,
      suppressed: result.findings.length - open.length,
      analyzed: result.analyzed.length,
      checklist: checklistStates(result, options.failOn),
    },
  };
}

export function renderJson(result: AnalysisResult, options: JsonOptions): string {
  return `${JSON.stringify(buildJson(result, options), null, 2)}\n`;
}
