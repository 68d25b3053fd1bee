// `npm run accuracy`: scores the analysis on the dev corpus (test/corpus/): recall per checklist
// item on labelled flaws, how often labelled safe idioms and unlabelled lines are flagged, and
// any finding at medium or above in the apps marked clean. A measure, not a test.
//   --verbose   list each missed flaw and each false alarm
//   --json      print the figures as JSON
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { analyze, type SourceFile } from "../src/analysis/analyze.js";
import { CHECKLIST_IDS, type ChecklistId } from "../src/checklist.js";
import { atOrAbove, type Finding } from "../src/findings.js";

export const CORPUS_DIR = fileURLToPath(new URL("../test/corpus/", import.meta.url));
/** A finding this many lines from a labelled line still counts for it (multi-line statements). */
const SLACK = 2;

const item = z.enum(CHECKLIST_IDS);
const labelSchema = z.union([
  z.strictObject({
    file: z.string(),
    at: z.string().min(3),
    item: z.union([item, z.array(item).min(1)]),
    /** Other lines where a report of this flaw also counts (a helper's call site, for its sink). */
    also: z.array(z.string().min(3)).optional(),
  }),
  z.strictObject({ file: z.string(), at: z.string().min(3), safe: item }),
]);
const corpusSchema = z.strictObject({
  apps: z.record(z.string(), z.strictObject({ framework: z.string(), clean: z.boolean().optional() })),
  labels: z.array(labelSchema),
});

interface Located {
  file: string;
  line: number;
  /** Every line where a report counts: `line` and the `also` lines. */
  lines: number[];
  items: ChecklistId[];
  safe: boolean;
  at: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function locate(labels: z.infer<typeof corpusSchema>["labels"], contents: Map<string, string>): Located[] {
  return labels.map((label) => {
    const text = contents.get(label.file);
    if (text === undefined) throw new Error(`labels.yml: no file ${label.file}`);
    const lines = text.split("\n");
    const lineOf = (at: string) => {
      const hits = lines.flatMap((l, i) => (l.includes(at) ? [i + 1] : []));
      if (hits.length !== 1) throw new Error(`labels.yml: "${at}" occurs on ${hits.length} lines of ${label.file} (needs exactly one)`);
      return hits[0]!;
    };
    const items = "item" in label ? (Array.isArray(label.item) ? label.item : [label.item]) : [label.safe];
    const line = lineOf(label.at);
    const also = "also" in label ? (label.also ?? []).map(lineOf) : [];
    return { file: label.file, line, lines: [line, ...also], items, safe: "safe" in label, at: label.at };
  });
}

const near = (f: Finding, line: number) => f.line - SLACK <= line && line <= f.endLine + SLACK;
const onLine = (f: Finding, line: number) => f.line <= line && line <= f.endLine;
const isCodeLine = (l: string) => l.trim() !== "" && !/^\s*(\/\/|#|\*|\/\*|"""|import |from \S+ import )/.test(l);

export interface ItemScore {
  flaws: number;
  found: number;
  foundMediumUp: number;
  safeIdioms: number;
  safeFlagged: number;
}

export interface AccuracyReport {
  items: Record<string, ItemScore>;
  totals: ItemScore & { recall: number; safeIdiomRate: number };
  /** Code lines not near a labelled flaw, and those carrying a finding (secrets excluded). */
  unlabelledLines: number;
  unlabelledFlagged: number;
  unlabelledFlaggedMediumUp: number;
  cleanAppFindings: Finding[];
  misses: Located[];
  falseAlarms: Array<{ finding: Finding; label?: Located }>;
}

export async function measure(): Promise<AccuracyReport> {
  const corpus = corpusSchema.parse(parseYaml(readFileSync(join(CORPUS_DIR, "labels.yml"), "utf8")));
  const contents = new Map<string, string>();
  for (const app of Object.keys(corpus.apps)) {
    for (const full of walk(join(CORPUS_DIR, app))) contents.set(relative(CORPUS_DIR, full).split("\\").join("/"), readFileSync(full, "utf8"));
  }
  const files: SourceFile[] = [...contents].map(([path, content]) => ({ path, content, added: "all" }));
  const { findings: all } = await analyze(files);
  const findings = all.filter((f) => !f.suppressed);
  const located = locate(corpus.labels, contents);

  const items: Record<string, ItemScore> = {};
  const score = (id: string) => (items[id] ??= { flaws: 0, found: 0, foundMediumUp: 0, safeIdioms: 0, safeFlagged: 0 });
  const misses: Located[] = [];
  const falseAlarms: AccuracyReport["falseAlarms"] = [];
  for (const label of located) {
    const s = score(label.items[0]!);
    const inFile = findings.filter((f) => f.path === label.file);
    if (label.safe) {
      s.safeIdioms++;
      const wrong = inFile.filter((f) => f.category !== "secrets" && onLine(f, label.line));
      if (wrong.length > 0) {
        s.safeFlagged++;
        for (const finding of wrong) falseAlarms.push({ finding, label });
      }
      continue;
    }
    s.flaws++;
    const hits = inFile.filter((f) => label.items.includes(f.category) && label.lines.some((l) => near(f, l)));
    if (hits.length > 0) s.found++;
    else misses.push(label);
    if (hits.some((f) => atOrAbove(f.severity, "medium"))) s.foundMediumUp++;
  }

  // Unlabelled lines: every code line not within SLACK of a labelled flaw.
  let unlabelledLines = 0;
  let unlabelledFlagged = 0;
  let unlabelledFlaggedMediumUp = 0;
  for (const [path, text] of contents) {
    const flawLines = located.filter((l) => l.file === path && !l.safe).flatMap((l) => l.lines);
    text.split("\n").forEach((l, i) => {
      const line = i + 1;
      if (!isCodeLine(l) || flawLines.some((f) => Math.abs(f - line) <= SLACK)) return;
      unlabelledLines++;
      const here = findings.filter((f) => f.path === path && f.category !== "secrets" && f.line === line);
      if (here.length > 0) unlabelledFlagged++;
      if (here.some((f) => atOrAbove(f.severity, "medium"))) unlabelledFlaggedMediumUp++;
      for (const finding of here) if (!falseAlarms.some((a) => a.finding === finding)) falseAlarms.push({ finding });
    });
  }

  const cleanApps = Object.entries(corpus.apps).filter(([, a]) => a.clean).map(([name]) => `${name}/`);
  const cleanAppFindings = findings.filter((f) => cleanApps.some((p) => f.path.startsWith(p)) && atOrAbove(f.severity, "medium"));

  const sum = (k: keyof ItemScore) => Object.values(items).reduce((n, s) => n + s[k], 0);
  const totals = {
    flaws: sum("flaws"),
    found: sum("found"),
    foundMediumUp: sum("foundMediumUp"),
    safeIdioms: sum("safeIdioms"),
    safeFlagged: sum("safeFlagged"),
    recall: sum("found") / Math.max(1, sum("flaws")),
    safeIdiomRate: sum("safeFlagged") / Math.max(1, sum("safeIdioms")),
  };
  return { items, totals, unlabelledLines, unlabelledFlagged, unlabelledFlaggedMediumUp, cleanAppFindings, misses, falseAlarms };
}

const pct = (n: number, d: number) => (d === 0 ? "   -  " : `${((100 * n) / d).toFixed(1).padStart(5)}%`);

export function renderReport(r: AccuracyReport, verbose: boolean): string {
  const out: string[] = [];
  out.push("checklist item      flaws found recall  (med+)   safe idioms flagged");
  for (const id of CHECKLIST_IDS) {
    const s = r.items[id];
    if (!s) continue;
    out.push(
      `${id.padEnd(18)} ${String(s.flaws).padStart(5)} ${String(s.found).padStart(5)} ${pct(s.found, s.flaws)} ${pct(s.foundMediumUp, s.flaws)}   ${String(s.safeIdioms).padStart(5)} ${String(s.safeFlagged).padStart(7)}`,
    );
  }
  const t = r.totals;
  out.push(`${"all".padEnd(18)} ${String(t.flaws).padStart(5)} ${String(t.found).padStart(5)} ${pct(t.found, t.flaws)} ${pct(t.foundMediumUp, t.flaws)}   ${String(t.safeIdioms).padStart(5)} ${String(t.safeFlagged).padStart(7)}`);
  out.push("");
  out.push(`recall ${pct(t.found, t.flaws).trim()} (${t.found}/${t.flaws}); safe idioms flagged ${pct(t.safeFlagged, t.safeIdioms).trim()} (${t.safeFlagged}/${t.safeIdioms})`);
  out.push(
    `unlabelled code lines flagged ${pct(r.unlabelledFlagged, r.unlabelledLines).trim()} (${r.unlabelledFlagged}/${r.unlabelledLines}), at medium or above ${pct(r.unlabelledFlaggedMediumUp, r.unlabelledLines).trim()}`,
  );
  out.push(`clean apps: ${r.cleanAppFindings.length} finding(s) at medium or above`);
  for (const f of r.cleanAppFindings) out.push(`  ${f.path}:${f.line} ${f.ruleId} (${f.severity})`);
  if (verbose) {
    out.push("", "missed:");
    for (const m of r.misses) out.push(`  ${m.file}:${m.line} [${m.items.join("|")}] ${m.at}`);
    out.push("", "false alarms:");
    for (const { finding: f, label } of r.falseAlarms) out.push(`  ${f.path}:${f.line} ${f.ruleId} (${f.severity})${label ? ` on a safe ${label.items[0]} idiom` : ""}`);
  }
  return out.join("\n");
}

async function main(): Promise<void> {
  const report = await measure();
  if (process.argv.includes("--json")) {
    const { misses, falseAlarms, cleanAppFindings, ...figures } = report;
    console.log(JSON.stringify({ ...figures, misses: misses.length, falseAlarms: falseAlarms.length, cleanAppFindings: cleanAppFindings.length }, null, 2));
  } else console.log(renderReport(report, process.argv.includes("--verbose")));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
