// The Finding: the one shape every analyser (rule engine, secrets scanner) produces and
// every renderer (text, JSON, SARIF, review comment, check run) reads.
import type { ChecklistId } from "./checklist.js";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** What a step of a dataflow path does, where it is more than an assignment (interprocedural hops). */
export type TraceStepKind = "call" | "param" | "return" | "sink";

/** One step of a dataflow path, from source to sink. */
export interface TraceStep {
  line: number;
  code: string;
  /** Set on hops across functions: the call into a helper, its parameter, its return, a sink inside it. */
  kind?: TraceStepKind;
  /** What the hop does, in words: "passed to buildQuery()", "returned by readInput()". */
  note?: string;
}

export interface Finding {
  ruleId: string;
  /** Checklist item id. */
  category: ChecklistId;
  severity: Severity;
  /** Repository-relative (or cwd-relative) path with forward slashes. */
  path: string;
  /** 1-based line of the flagged code: an added line, or for a removed safeguard the closest surviving line. */
  line: number;
  endLine: number;
  /** 1-based column. */
  column: number;
  endColumn: number;
  /** Short title of the rule, e.g. "SQL query built from a template string". */
  title: string;
  /** What is wrong and why, one or two sentences. Never contains a full secret. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** e.g. "CWE-89"; empty when none applies. */
  cwe: string;
  /** Stable across unrelated line moves: derived from rule, path and normalised flagged code. */
  fingerprint: string;
  suppressed: boolean;
  /** The flagged source text (first line, trimmed); redacted for secrets. */
  snippet: string;
  /** Replacement text for the flagged lines (line..endLine), used for suggested changes. */
  suggestion?: string;
  /** Dataflow path, source first, sink last (taint rules only). */
  trace?: TraceStep[];
  /**
   * For a removed safeguard: the deleted line of the old file (GitHub's `side: LEFT` placement
   * when the surviving line is outside the patch).
   */
  removed?: { line: number; code: string };
  /** Extra links (e.g. a provider's key revocation page). */
  links?: string[];
}

/** A file the analysis did not read, and why; never dropped silently. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Which lines of the new file count as added: a set of 1-based line numbers, or every line. */
export type AddedLines = ReadonlySet<number> | "all";

export function isAdded(added: AddedLines, line: number): boolean {
  return added === "all" || added.has(line);
}
