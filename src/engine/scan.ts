// Runs the compiled rules over one parsed file: one pass of the merged query, then relational
// conditions, constraints and taint tracking in JavaScript on the (few) matches.
import type Parser from "tree-sitter";
import { fingerprint } from "../fingerprint.js";
import { isAdded, type AddedLines, type Finding, type TraceStep } from "../findings.js";
import type { CompiledRule, CompiledRuleSet, GrammarProgram, RelationKind } from "./compile.js";
import { parserFor, type GrammarId } from "./languages.js";
import { isLiteral } from "./syntax.js";
import { runTaint, type TaintEndpoints } from "./taint/index.js";

type Node = Parser.SyntaxNode;
type Capture = Parser.QueryCapture;

interface Range {
  start: number;
  end: number;
}

/** A node a rule reports, before it becomes a Finding. */
export interface RawHit {
  rule: number;
  node: Node;
  captures: Capture[];
  trace?: TraceStep[];
}

/** The node a match stands for: @match if captured, else the widest capture. */
export function anchorOf(captures: Capture[]): Node | undefined {
  let widest: Node | undefined;
  for (const c of captures) {
    if (c.name === "match") return c.node;
    if (!widest || c.node.endIndex - c.node.startIndex > widest.endIndex - widest.startIndex) widest = c.node;
  }
  return widest;
}

const contains = (outer: Range, inner: Range) => outer.start <= inner.start && inner.end <= outer.end;

function satisfiesConstraints(rule: CompiledRule, pattern: number, captures: Capture[]): boolean {
  const constraints = rule.constraintRegexes[pattern];
  if (!constraints || constraints.size === 0) return true;
  for (const [name, constraint] of constraints) {
    const capture = captures.find((c) => c.name === name);
    if (!capture) return false;
    const node = capture.node;
    if (constraint.literal !== undefined && isLiteral(node) !== constraint.literal) return false;
    if (constraint.regex || constraint.notRegex) {
      const text = node.text;
      if (constraint.regex && !constraint.regex.test(text)) return false;
      if (constraint.notRegex && constraint.notRegex.test(text)) return false;
    }
  }
  return true;
}

/** Relation ranges collected for one rule pattern: kind -> ranges of matching nodes. */
type RelationRanges = Map<RelationKind, Range[]>;

function relationsHold(relations: RelationRanges | undefined, rule: CompiledRule, pattern: number, node: Range): boolean {
  const def = rule.definition.patterns![pattern]!;
  const ranges = (kind: RelationKind) => relations?.get(kind) ?? [];
  if (def.inside && !ranges("inside").some((r) => contains(r, node))) return false;
  if (def["not-inside"] && ranges("not-inside").some((r) => contains(r, node))) return false;
  if (def.has && !ranges("has").some((r) => contains(node, r) && (r.start !== node.start || r.end !== node.end))) return false;
  if (def["not-has"] && ranges("not-has").some((r) => contains(node, r) && (r.start !== node.start || r.end !== node.end))) return false;
  return true;
}

/** Run every rule of `program` over a parsed tree; returns hits on any line (filtering is the caller's). */
export function runProgram(ruleset: CompiledRuleSet, program: GrammarProgram, root: Node): RawHit[] {
  const matches = program.query.matches(root);
  const candidates: Array<{ rule: number; pattern: number; captures: Capture[] }> = [];
  const relations = new Map<string, RelationRanges>();
  const taint = new Map<number, TaintEndpoints>();

  for (const match of matches) {
    const roles = program.roles[match.pattern];
    if (!roles) continue;
    for (const role of roles) {
      if (role.kind === "pattern") {
        candidates.push({ rule: role.rule, pattern: role.pattern, captures: match.captures });
      } else if (role.kind === "relation") {
        const anchor = anchorOf(match.captures);
        if (!anchor) continue;
        const key = `${role.rule}:${role.pattern}`;
        const byKind = relations.get(key) ?? new Map<RelationKind, Range[]>();
        relations.set(key, byKind);
        const list = byKind.get(role.relation) ?? [];
        list.push({ start: anchor.startIndex, end: anchor.endIndex });
        byKind.set(role.relation, list);
      } else {
        const endpoints = taint.get(role.rule) ?? { sources: [], sinks: [], sanitizers: [], propagators: [] };
        taint.set(role.rule, endpoints);
        const list = role.role === "source" ? endpoints.sources : role.role === "sink" ? endpoints.sinks : role.role === "sanitizer" ? endpoints.sanitizers : endpoints.propagators;
        list.push(match.captures);
      }
    }
  }

  const hits: RawHit[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const rule = ruleset.rules[candidate.rule]!;
    const node = anchorOf(candidate.captures);
    if (!node) continue;
    const key = `${candidate.rule}:${node.startIndex}:${node.endIndex}`;
    if (seen.has(key)) continue;
    if (!satisfiesConstraints(rule, candidate.pattern, candidate.captures)) continue;
    const range = { start: node.startIndex, end: node.endIndex };
    if (!relationsHold(relations.get(`${candidate.rule}:${candidate.pattern}`), rule, candidate.pattern, range)) continue;
    seen.add(key);
    hits.push({ rule: candidate.rule, node, captures: candidate.captures });
  }

  for (const [ruleIndex, endpoints] of taint) {
    if (endpoints.sinks.length === 0) continue;
    for (const hit of runTaint(program.grammar, root, endpoints)) {
      hits.push({ rule: ruleIndex, node: hit.node, captures: hit.captures, trace: hit.trace });
    }
  }
  return hits;
}

/** Line-oriented view of a file's text, computed once per file and only when a hit needs it. */
class SourceLines {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 1-based line's text without its line break. */
  line(line: number): string {
    const starts = this.lineStarts();
    const start = starts[line - 1];
    if (start === undefined) return "";
    const next = starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, "");
  }

  lineStart(line: number): number {
    return this.lineStarts()[line - 1] ?? this.text.length;
  }
}

function renderTemplate(template: string, captures: Capture[]): string {
  return template.replace(/\$([A-Za-z_][\w-]*)/g, (whole, name: string) => captures.find((c) => c.name === name)?.node.text ?? whole);
}

/** The suggested replacement for lines line..endLine of the target capture, if the rule has one. */
function suggestionFor(rule: CompiledRule, hit: RawHit, text: string, lines: SourceLines): { suggestion: string; line: number; endLine: number } | undefined {
  const replacement = rule.definition.replacement;
  if (!replacement) return undefined;
  const target = hit.captures.find((c) => c.name === replacement.capture)?.node ?? (replacement.capture === "match" ? hit.node : undefined);
  if (!target) return undefined;
  const line = target.startPosition.row + 1;
  const endLine = target.endPosition.row + 1;
  const from = lines.lineStart(line);
  const endLineText = lines.line(endLine);
  const to = lines.lineStart(endLine) + endLineText.length;
  const before = text.slice(from, target.startIndex);
  const after = text.slice(target.endIndex, to);
  return { suggestion: before + renderTemplate(replacement.template, hit.captures) + after, line, endLine };
}

export interface ScanInput {
  path: string;
  content: string;
  added: AddedLines;
  grammar: GrammarId;
}

/** Parse one file once, run every applicable rule, keep findings whose reported line was added. */
export function scanSource(ruleset: CompiledRuleSet, input: ScanInput): Finding[] {
  const program = ruleset.programs.get(input.grammar);
  if (!program) return [];
  const tree = parserFor(input.grammar).parse(input.content);
  const hits = runProgram(ruleset, program, tree.rootNode);
  const lines = new SourceLines(input.content);
  const findings: Finding[] = [];
  const occurrences = new Map<string, number>();
  hits.sort((a, b) => a.node.startIndex - b.node.startIndex || a.rule - b.rule);
  for (const hit of hits) {
    const line = hit.node.startPosition.row + 1;
    if (!isAdded(input.added, line)) continue;
    const rule = ruleset.rules[hit.rule]!;
    const def = rule.definition;
    const code = hit.node.text.slice(0, 500);
    const occurrenceKey = `${def.id}\0${code}`;
    const occurrence = occurrences.get(occurrenceKey) ?? 0;
    occurrences.set(occurrenceKey, occurrence + 1);
    const finding: Finding = {
      ruleId: def.id,
      category: def.category,
      severity: def.severity,
      path: input.path,
      line,
      endLine: hit.node.endPosition.row + 1,
      column: hit.node.startPosition.column + 1,
      endColumn: hit.node.endPosition.column + 1,
      title: def.title,
      message: hit.trace ? `${def.message.trim()} ${describeTrace(hit.trace)}` : def.message.trim(),
      fix: def.fix.trim(),
      cwe: def.cwe,
      fingerprint: fingerprint(def.id, input.path, code, occurrence),
      suppressed: false,
      snippet: lines.line(line).trim().slice(0, 300),
    };
    const suggestion = suggestionFor(rule, hit, input.content, lines);
    if (suggestion && suggestion.line === line) {
      finding.suggestion = suggestion.suggestion;
      finding.endLine = suggestion.endLine;
    }
    if (hit.trace) finding.trace = hit.trace;
    if (def.references) finding.links = def.references;
    findings.push(finding);
  }
  return findings;
}

function describeTrace(trace: TraceStep[]): string {
  const first = trace[0];
  const last = trace[trace.length - 1];
  if (!first || !last) return "";
  return trace.length > 1 ? `Untrusted data flows from line ${first.line} to line ${last.line}.` : "";
}
