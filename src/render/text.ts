// Terminal output: findings grouped by file, then the security checklist the check run shows.
import type { AnalysisResult } from "../analysis/types.js";
import { SEVERITIES, atOrAbove, severityRank, type Finding, type Severity } from "../findings.js";
import { checklistStates, type ChecklistState } from "./json.js";

export interface TextOptions {
  failOn: Severity;
  /** ANSI colours; the CLI turns them on only for a terminal. */
  color: boolean;
  /** How many skipped files to list by name before summarising the rest. */
  maxSkippedListed?: number;
}

type Style = (text: string) => string;

interface Palette {
  bold: Style;
  dim: Style;
  red: Style;
  yellow: Style;
  blue: Style;
  green: Style;
  magenta: Style;
  cyan: Style;
}

function palette(color: boolean): Palette {
  const wrap = (open: number, close: number): Style => (color ? (t) => `\u001b[${open}m${t}\u001b[${close}m` : (t) => t);
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    green: wrap(32, 39),
    magenta: wrap(35, 39),
    cyan: wrap(36, 39),
  };
}

const SEVERITY_TEXT: Record<Severity, string> = { critical: "CRITICAL", high: "HIGH", medium: "MEDIUM", low: "LOW" };

function severityStyle(p: Palette, severity: Severity): Style {
  switch (severity) {
    case "critical":
      return (t) => p.bold(p.magenta(t));
    case "high":
      return p.red;
    case "medium":
      return p.yellow;
    case "low":
      return p.blue;
  }
}

const STATE_TEXT: Record<ChecklistState, string> = {
  passed: "passed",
  failed: "failed",
  "not-applicable": "not applicable",
  "needs-human": "needs a human",
};

function stateStyle(p: Palette, state: ChecklistState): Style {
  switch (state) {
    case "passed":
      return p.green;
    case "failed":
      return p.red;
    case "needs-human":
      return p.yellow;
    case "not-applicable":
      return p.dim;
  }
}

/** Control characters from file content must not reach the terminal. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, "?");
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function renderFinding(f: Finding, p: Palette): string {
  const lines: string[] = [];
  const severity = severityStyle(p, f.severity)(SEVERITY_TEXT[f.severity].padEnd(8));
  const where = `${f.line}:${f.column}`;
  const suppressed = f.suppressed ? ` ${p.dim("(suppressed)")}` : "";
  lines.push(`  ${severity} ${p.bold(f.ruleId)} ${p.dim(where)}  ${clean(f.title)}${suppressed}`);
  lines.push(indent(clean(f.message), "      "));
  if (f.snippet) lines.push(`      ${p.dim("│")} ${p.cyan(clean(f.snippet))}`);
  if (f.trace && f.trace.length > 0) {
    lines.push(`      ${p.dim("dataflow:")}`);
    f.trace.forEach((step, i) => {
      const arrow = i === 0 ? "source" : i === f.trace!.length - 1 ? "sink  " : "      ";
      const note = step.note ? `  ${p.dim(`(${clean(step.note)})`)}` : "";
      lines.push(`        ${p.dim(arrow)} ${p.dim(`line ${step.line}`)}  ${clean(step.code.split("\n")[0] ?? "")}${note}`);
    });
  }
  if (f.fix) lines.push(indent(clean(`fix: ${f.fix}`), "      "));
  if (f.cwe) lines.push(`      ${p.dim(f.cwe)}`);
  return lines.join("\n");
}

function compareInFile(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || severityRank(b.severity) - severityRank(a.severity) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

export function renderText(result: AnalysisResult, options: TextOptions): string {
  const p = palette(options.color);
  const out: string[] = [];
  const open = result.findings.filter((f) => !f.suppressed);
  const suppressed = result.findings.filter((f) => f.suppressed);

  // Findings by file; suppressed ones are listed with their file, marked, so nothing hides.
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.path) ?? [];
    list.push(f);
    byFile.set(f.path, list);
  }
  for (const path of [...byFile.keys()].sort()) {
    const list = byFile.get(path)!.sort(compareInFile);
    out.push(p.bold(p.cyan(clean(path))));
    for (const f of list) out.push(renderFinding(f, p), "");
  }

  // The checklist, as the check run shows it.
  out.push(p.bold("Security checklist"));
  const rows = checklistStates(result, options.failOn);
  const width = Math.max(...rows.map((r) => r.title.length));
  for (const row of rows) {
    const count = row.state === "failed" ? ` (${row.findings})` : "";
    out.push(`  ${row.title.padEnd(width)}  ${stateStyle(p, row.state)(STATE_TEXT[row.state] + count)}`);
    for (const note of row.notes ?? []) out.push(`  ${"".padEnd(width)}  ${p.dim(clean(note))}`);
  }
  out.push("");

  // Files not read, and why.
  if (result.skipped.length > 0) {
    const max = options.maxSkippedListed ?? 20;
    out.push(p.bold(`Not analysed (${result.skipped.length})`));
    for (const s of result.skipped.slice(0, max)) out.push(`  ${clean(s.path)}  ${p.dim(clean(s.reason))}`);
    if (result.skipped.length > max) out.push(p.dim(`  … and ${result.skipped.length - max} more (use --format json for the full list)`));
    out.push("");
  }

  const counts = SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const failing = open.filter((f) => atOrAbove(f.severity, options.failOn));
  const analysed = `${plural(result.analyzed.length, "file")} analysed`;
  const found = counts.length > 0 ? counts.map(([s, n]) => `${n} ${s}`).join(", ") : "no findings";
  const extra = suppressed.length > 0 ? `, ${suppressed.length} suppressed` : "";
  out.push(`${analysed}: ${found}${extra}.`);
  if (failing.length > 0) {
    out.push(p.red(p.bold(`Failed: ${plural(failing.length, "finding")} at or above ${options.failOn}.`)));
  } else {
    out.push(p.green(`Passed: nothing at or above ${options.failOn}.`));
  }
  return `${out.join("\n")}\n`;
}
