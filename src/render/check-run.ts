// What the check run says: title, the security-checklist summary, the findings text and the
// annotations. The decisions (states, conclusion, levels) come from src/github/report.ts.
import type { Finding, Severity } from "../findings.js";
import { SEVERITIES } from "../findings.js";
import { annotationLevel, blobUrl, incompleteness, isDeliberateSkip, type ChecklistRow, type Report, type RunFacts } from "../github/report.js";

/** GitHub rejects a check-run `output.summary` or `output.text` longer than this. */
export const OUTPUT_LIMIT = 65_535;
/** GitHub's limit on an annotation title. */
const ANNOTATION_TITLE_LIMIT = 255;
/** Annotation message and raw_details are limited to 64 KB each. */
const ANNOTATION_TEXT_LIMIT = 60_000;
/** Links per checklist row; the rest are in the details text and the annotations. */
const LINKS_PER_ROW = 10;

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title: string;
  raw_details?: string;
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };
const SEVERITY_ICON: Record<Severity, string> = { critical: "🔴", high: "🟠", medium: "🟡", low: "🔵" };

export function severityLabel(severity: Severity): string {
  return `${SEVERITY_ICON[severity]} ${SEVERITY_LABEL[severity]}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const clean = text.replace(/\r?\n/g, " ");
  const runs = clean.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Text for a markdown table cell: no newlines, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * Cut `text` to at most `limit` UTF-8 bytes at a line boundary and append `note`, so the reader
 * knows something is missing. Returns the text unchanged when it fits.
 */
export function truncateMarkdown(text: string, limit: number, note: string): string {
  if (byteLength(text) <= limit) return text;
  const suffix = `\n\n${note}\n`;
  const budget = limit - byteLength(suffix);
  const lines = text.split("\n");
  let out = "";
  let size = 0;
  for (const line of lines) {
    const add = byteLength(line) + 1;
    if (size + add > budget) break;
    out += `${line}\n`;
    size += add;
  }
  if (out === "") {
    // One enormous line: cut by characters.
    let cut = text.slice(0, Math.max(0, budget));
    while (byteLength(cut) > budget) cut = cut.slice(0, -100);
    out = cut;
  }
  // Never leave an unclosed code fence behind.
  if ((out.match(/^```/gm) ?? []).length % 2 === 1) out += "```\n";
  return `${out.trimEnd()}${suffix}`;
}

// ---- title ---------------------------------------------------------------------------------

export function checkRunTitle(report: Report, facts?: RunFacts): string {
  const gap = facts ? incompleteness(facts) : undefined;
  if (report.findings.length === 0 && gap) {
    const missing = gap.unlisted === "unknown" ? "more" : gap.unlisted + gap.files.length;
    return `Incomplete review: no issues in the analysed files, ${missing} ${missing === 1 ? "file" : "files"} not analysed`;
  }
  if (report.findings.length === 0) {
    return report.suppressed.length > 0
      ? `No security issues found (${report.suppressed.length} suppressed)`
      : "No security issues found";
  }
  const parts = SEVERITIES.filter((s) => report.counts[s] > 0).map((s) => `${report.counts[s]} ${s}`);
  return `${parts.join(", ")} in ${plural(report.files, "file")}`;
}

// ---- summary: the checklist ----------------------------------------------------------------

const STATE_TEXT: Record<ChecklistRow["state"], string> = {
  passed: "✅ Passed",
  failed: "❌ Failed",
  "not-applicable": "➖ Not applicable",
  "needs-human": "👤 Needs a human",
};

function findingLink(f: Finding, facts: RunFacts): string {
  return `[${cell(f.path)}:${f.line}](${blobUrl(facts.repoHtmlUrl, facts.headSha, f.path, f.line, f.endLine)})`;
}

function rowDetails(row: ChecklistRow, facts: RunFacts): string {
  const parts: string[] = [];
  if (row.state === "failed") {
    const links = row.findings.slice(0, LINKS_PER_ROW).map((f) => findingLink(f, facts));
    const more = row.findings.length - LINKS_PER_ROW;
    parts.push(`${plural(row.findings.length, "finding")}: ${links.join(", ")}${more > 0 ? ` and ${more} more` : ""}`);
  } else if (row.state === "needs-human") {
    parts.push(cell(row.item.description));
  } else if (row.state === "passed") {
    parts.push("Changed code was checked; nothing found.");
  } else {
    parts.push("Nothing of this kind changed.");
  }
  if (row.suppressed > 0) parts.push(`(${row.suppressed} suppressed)`);
  for (const note of row.notes) parts.push(`_${cell(note.charAt(0).toUpperCase() + note.slice(1))}._`);
  return parts.join(" ");
}

function stateText(row: ChecklistRow): string {
  if (row.state !== "failed") return STATE_TEXT[row.state];
  return row.failing ? "❌ **Failed**" : "⚠️ Failed (below threshold)";
}

function scopeSentence(report: Report, facts: RunFacts): string {
  const what = facts.kind === "merge_group" ? "in this merge group" : "in this pull request";
  const commit = code(facts.headSha.slice(0, 7));
  if (report.analyzed.length === 0) {
    if (facts.listedFiles === 0) return `No changed files ${what} at ${commit}.`;
    if (facts.deletedOnly === facts.listedFiles) return `The changes ${what} at ${commit} only delete code: nothing to analyse.`;
    return `No file ${what} at ${commit} could be analysed (see below).`;
  }
  return `vibeguard analysed the lines added in ${plural(report.analyzed.length, "file")} ${what} at ${commit}.`;
}

/** Listed files named at the top of the summary; the rest are counted. */
const INCOMPLETE_LISTED = 50;

/** The files this review did not cover, first thing in the summary, so nobody takes a pass for a full review. */
function incompleteSection(facts: RunFacts): string[] {
  const gap = incompleteness(facts);
  if (!gap) return [];
  const lines: string[] = ["### ⚠️ Not fully reviewed", ""];
  if (gap.unlisted === "unknown") {
    lines.push(
      `- GitHub lists at most ${facts.listLimit} changed files here and returned that many, so more files may have ` +
        "changed that were not analysed.",
    );
  } else if (gap.unlisted > 0) {
    lines.push(
      `- GitHub lists at most ${facts.listLimit} changed files; this change has ${facts.totalFiles}, so ` +
        `${gap.unlisted} were not analysed. Split the change or run the vibeguard CLI locally.`,
    );
  }
  for (const s of gap.files.slice(0, INCOMPLETE_LISTED)) lines.push(`- ${code(s.path)}: ${cell(s.reason)}`);
  if (gap.files.length > INCOMPLETE_LISTED) lines.push(`- and ${gap.files.length - INCOMPLETE_LISTED} more files not analysed`);
  lines.push("");
  return lines;
}

function verdictSentence(report: Report, facts?: RunFacts): string {
  const threshold = code(report.threshold);
  if (report.failing.length === 0 && facts && incompleteness(facts)) {
    return "**Result: incomplete.** Nothing failed in the code that was analysed, but not every changed file was (see above).";
  }
  if (report.failing.length > 0) {
    return `**Result: failed.** ${plural(report.failing.length, "finding")} at or above ${threshold} severity (the \`fail_on\` threshold).`;
  }
  if (report.findings.length > 0) {
    return `**Result: passed.** ${plural(report.findings.length, "finding")} below the ${threshold} threshold; please still have a look.`;
  }
  return "**Result: passed.** No security issues found in the added code.";
}

function notes(facts: RunFacts): string[] {
  const out: string[] = [];
  for (const path of facts.wholeFile) {
    out.push(
      `${code(path)}: GitHub sent no diff for this file (too large) and its base version could not be read, so the whole file was scanned as if every line were added.`,
    );
  }
  return out;
}

export function renderCheckRunSummary(report: Report, facts: RunFacts): string {
  const lines: string[] = [];
  lines.push("## Security checklist", "");
  lines.push(...incompleteSection(facts));
  lines.push(`${scopeSentence(report, facts)} ${verdictSentence(report, facts)}`, "");
  lines.push("| Item | State | Details |", "|---|---|---|");
  for (const row of report.rows) {
    lines.push(`| **${cell(row.item.title)}** | ${stateText(row)} | ${rowDetails(row, facts)} |`);
  }
  lines.push("");
  if (report.suppressed.length > 0) {
    lines.push(`${plural(report.suppressed.length, "finding was", "findings were")} suppressed with \`vibeguard-ignore\` comments.`, "");
  }
  const noteLines = notes(facts);
  if (noteLines.length > 0) {
    lines.push("### Notes", "", ...noteLines.map((n) => `- ${n}`), "");
  }
  const deliberate = facts.skipped.filter((s) => isDeliberateSkip(s.reason));
  if (deliberate.length > 0) {
    lines.push(`### Not analysed (${deliberate.length})`, "");
    for (const s of deliberate) lines.push(`- ${code(s.path)}: ${cell(s.reason)}`);
    lines.push("");
  }
  return truncateMarkdown(
    lines.join("\n"),
    OUTPUT_LIMIT,
    "_…truncated: this summary reached GitHub's 65,535-character limit. Every finding is also an annotation on the changed files._",
  );
}

// ---- text: every finding in detail ---------------------------------------------------------

export function renderFindingDetails(f: Finding, facts: RunFacts): string {
  const lines: string[] = [];
  lines.push(`### ${severityLabel(f.severity)}: ${f.title}`, "");
  lines.push(`${findingLink(f, facts)} · rule ${code(f.ruleId)}${f.cwe ? ` · ${f.cwe}` : ""}`, "");
  lines.push(f.message, "");
  lines.push(`**Fix:** ${f.fix}`, "");
  if (f.trace && f.trace.length > 0) {
    lines.push("Dataflow:", "");
    f.trace.forEach((step, i) => lines.push(`${i + 1}. line ${step.line}: ${code(step.code)}`));
    lines.push("");
  }
  for (const link of f.links ?? []) lines.push(`- ${link}`);
  return lines.join("\n").trimEnd();
}

export function renderCheckRunText(report: Report, facts: RunFacts): string | undefined {
  if (report.findings.length === 0) return undefined;
  const parts = ["## Findings", "", ...report.findings.map((f) => `${renderFindingDetails(f, facts)}\n`)];
  return truncateMarkdown(
    parts.join("\n"),
    OUTPUT_LIMIT,
    "_…truncated: the remaining findings did not fit GitHub's 65,535-character limit; every finding is an annotation on the changed files._",
  );
}

export function renderCheckRunOutput(report: Report, facts: RunFacts): CheckRunOutput {
  const output: CheckRunOutput = { title: checkRunTitle(report, facts), summary: renderCheckRunSummary(report, facts) };
  const text = renderCheckRunText(report, facts);
  if (text !== undefined) output.text = text;
  return output;
}

// ---- annotations ---------------------------------------------------------------------------

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function renderAnnotation(f: Finding, threshold: Severity): CheckRunAnnotation {
  const endLine = Math.max(f.line, f.endLine);
  const annotation: CheckRunAnnotation = {
    path: f.path,
    start_line: f.line,
    end_line: endLine,
    annotation_level: annotationLevel(f, threshold),
    title: clip(`${SEVERITY_LABEL[f.severity]}: ${f.title} (${f.ruleId}${f.cwe ? `, ${f.cwe}` : ""})`, ANNOTATION_TITLE_LIMIT),
    message: clip(`${f.message}\n\nFix: ${f.fix}\n\nSuppress with a \`vibeguard-ignore ${f.ruleId}\` comment.`, ANNOTATION_TEXT_LIMIT),
  };
  if (endLine === f.line && f.column > 0 && f.endColumn >= f.column) {
    annotation.start_column = f.column;
    annotation.end_column = f.endColumn;
  }
  if (f.trace && f.trace.length > 0) {
    annotation.raw_details = clip(
      `Dataflow (source to sink):\n${f.trace.map((s, i) => `${i + 1}. line ${s.line}: ${s.code}`).join("\n")}`,
      ANNOTATION_TEXT_LIMIT,
    );
  }
  return annotation;
}

// ---- runs that end without an analysis -----------------------------------------------------

export function renderDraftSkipped(): CheckRunOutput {
  return {
    title: "Skipped: draft pull request",
    summary:
      "This pull request is a draft, and this repository's vibeguard configuration has `skip_drafts: true`. " +
      "The security review runs when the pull request is marked ready for review.",
  };
}

export function renderConfigError(file: string, key: string, detail: string): CheckRunOutput {
  const where = key ? `the key ${code(key)}` : "the file";
  return {
    title: key ? `Invalid configuration: ${clip(key, 80)}` : "Invalid configuration file",
    summary:
      `## Configuration error\n\n${code(file)} could not be used: ${where} is invalid.\n\n` +
      `> ${cell(detail)}\n\n` +
      "Fix the file on the default branch (or in the organisation's `.github` repository) and re-run this check. " +
      "No analysis ran, so this change has not been reviewed.",
  };
}

export function renderRunError(reason: string): CheckRunOutput {
  return {
    title: "vibeguard could not complete the review",
    summary:
      "## Review failed\n\n" +
      `vibeguard stopped before it could review this change: ${reason}\n\n` +
      "This check fails so that an unreviewed change does not pass silently. Use **Re-run** to try again; " +
      "if it keeps failing, ask the vibeguard administrators to look at the App's logs.",
  };
}

export function renderSuperseded(headSha: string): CheckRunOutput {
  return {
    title: `Superseded by ${headSha.slice(0, 7)}`,
    summary: `The pull request's head is now ${code(headSha.slice(0, 7))}; vibeguard reviews that commit instead of this one.`,
  };
}

export function renderInterrupted(startedAt: string): CheckRunOutput {
  return {
    title: "vibeguard was interrupted",
    summary:
      "## Review interrupted\n\n" +
      `This review started at ${startedAt} and never finished: the vibeguard process running it stopped. ` +
      "This check fails so that an unreviewed change does not pass silently. Use **Re-run** (or push again) to review it.",
  };
}
