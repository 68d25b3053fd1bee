// What a run concludes, decided from the analysis result and the configuration; the renderers in
// src/render/ only turn these decisions into text.
import { CHECKLIST, type ChecklistItem } from "../checklist.js";
import type { AnalysisResult } from "../analysis/types.js";
import type { VibeguardConfig } from "../config/schema.js";
import { SEVERITIES, atOrAbove, severityRank, type Finding, type Severity, type SkippedFile } from "../findings.js";

export type ItemState = "passed" | "failed" | "not-applicable" | "needs-human";

export interface ChecklistRow {
  item: ChecklistItem;
  state: ItemState;
  /** Unsuppressed findings of this item. */
  findings: Finding[];
  /** True when one of them is at or above the fail threshold. */
  failing: boolean;
  suppressed: number;
  /** What the item could not check, and why ("not checked: OSV unreachable"). */
  notes: string[];
}

export type AnnotationLevel = "failure" | "warning" | "notice";

/** Facts about the run that are not findings: what was not read, and why. */
export interface RunFacts {
  /** Repository web URL (payload `repository.html_url`), for blob links. */
  repoHtmlUrl: string;
  headSha: string;
  kind: "pull_request" | "merge_group";
  /** Files the analysis did not read, from the App and the analysis, one entry per path. */
  skipped: SkippedFile[];
  /**
   * Files GitHub gave no patch for (diff too large) whose base version could not be read: their
   * whole content was treated as added.
   */
  wholeFile: string[];
  /** Files whose change removed them or only deleted lines: nothing to analyse. */
  deletedOnly: number;
  /** Changed files GitHub listed, and the total the PR has when GitHub's listing is capped. */
  listedFiles: number;
  totalFiles: number | undefined;
  /** The limit GitHub applies to the listing (3000 for pull requests, 300 for compare). */
  listLimit: number;
}

/**
 * Skips that are the configuration's or the file's nature (ignore_paths, binary, vendored,
 * generated, minified, no text diff): the review is complete without them. Any other reason
 * (too large, analysis time limit, an error, unreadable) leaves the review incomplete.
 */
export function isDeliberateSkip(reason: string): boolean {
  return /^(ignored by|binary|no text diff|vendored|generated|minified|is a (directory|submodule|symlink))/i.test(reason);
}

export interface Incompleteness {
  /** Changed files GitHub did not list; "unknown" when the listing stopped at its cap without a total. */
  unlisted: number | "unknown";
  /** Listed files that were not (fully) analysed, and why. */
  files: SkippedFile[];
}

/** What this run did not review, or undefined when it reviewed everything it should. */
export function incompleteness(facts: RunFacts): Incompleteness | undefined {
  let unlisted: number | "unknown" = 0;
  if (facts.totalFiles !== undefined && facts.totalFiles > facts.listedFiles) unlisted = facts.totalFiles - facts.listedFiles;
  else if (facts.totalFiles === undefined && facts.listedFiles >= facts.listLimit) unlisted = "unknown";
  const files = facts.skipped.filter((s) => !isDeliberateSkip(s.reason));
  if (unlisted === 0 && files.length === 0) return undefined;
  return { unlisted, files };
}

export type RunConclusion = "success" | "failure" | "neutral";

/** Findings decide first; a clean but incomplete review concludes as `on_incomplete` says. */
export function runConclusion(report: Report, facts: RunFacts, onIncomplete: VibeguardConfig["on_incomplete"]): RunConclusion {
  if (report.conclusion === "failure") return "failure";
  return incompleteness(facts) ? onIncomplete : "success";
}

export interface Report {
  threshold: Severity;
  /** Unsuppressed findings, worst first, then by path and line. */
  findings: Finding[];
  suppressed: Finding[];
  /** Unsuppressed findings at or above the threshold. */
  failing: Finding[];
  conclusion: "success" | "failure";
  counts: Record<Severity, number>;
  /** Distinct files with an unsuppressed finding. */
  files: number;
  rows: ChecklistRow[];
  analyzed: string[];
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

export function annotationLevel(finding: Finding, threshold: Severity): AnnotationLevel {
  if (atOrAbove(finding.severity, threshold)) return "failure";
  return finding.severity === "low" ? "notice" : "warning";
}

export function buildReport(result: AnalysisResult, config: VibeguardConfig): Report {
  const threshold = config.fail_on;
  const findings = result.findings.filter((f) => !f.suppressed).sort(compareFindings);
  const suppressed = result.findings.filter((f) => f.suppressed);
  const failing = findings.filter((f) => atOrAbove(f.severity, threshold));
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  const analysedSomething = result.analyzed.length > 0;
  const rows: ChecklistRow[] = CHECKLIST.map((item) => {
    const own = findings.filter((f) => f.category === item.id);
    const suppressedCount = suppressed.filter((f) => f.category === item.id).length;
    let state: ItemState;
    if (own.length > 0) state = "failed";
    else if (item.needsHuman && analysedSomething) state = "needs-human";
    else if (result.checked.has(item.id)) state = "passed";
    else state = "not-applicable";
    return {
      item,
      state,
      findings: own,
      failing: own.some((f) => atOrAbove(f.severity, threshold)),
      suppressed: suppressedCount,
      notes: result.notes?.[item.id] ?? [],
    };
  });
  return {
    threshold,
    findings,
    suppressed,
    failing,
    conclusion: failing.length > 0 ? "failure" : "success",
    counts,
    files: new Set(findings.map((f) => f.path)).size,
    rows,
    analyzed: result.analyzed,
  };
}

/** Web link to the flagged lines on the analysed commit (not to a branch, which moves). */
export function blobUrl(repoHtmlUrl: string, sha: string, path: string, line: number, endLine = line): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  const anchor = endLine > line ? `#L${line}-L${endLine}` : `#L${line}`;
  return `${repoHtmlUrl.replace(/\/+$/, "")}/blob/${sha}/${encoded}${anchor}`;
}
