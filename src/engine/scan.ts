// Runs the compiled rules over one parsed file: one pass of the merged query, then relational
// conditions, constraints and taint tracking in JavaScript on the (few) matches.
import type Parser from "tree-sitter";
import { fingerprint } from "../fingerprint.js";
import { isAdded, type AddedLines, type Finding, type TraceStep } from "../findings.js";
import { relationKey, type CompiledRule, type CompiledRuleSet, type GrammarProgram, type RelationKind, type Role } from "./compile.js";
import { parserFor, type GrammarId } from "./languages.js";
import { lineIndexOf, lineStartsOf } from "../text/lines.js";
import { noteParsed } from "./memory.js";
import { timed } from "./timing.js";
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

/** Does the node meet its pattern's inside / not-inside / has / not-has conditions? */
function relationsHold(program: GrammarProgram, rule: CompiledRule, pattern: number, node: Node, root: Node): boolean {
  const def = rule.definition.patterns![pattern]!;
  const range = { start: node.startIndex, end: node.endIndex };
  const anchors = (kind: RelationKind): Range[] => {
    const out: Range[] = [];
    for (const entry of def[kind] ?? []) {
      const relation = program.relations.get(relationKey(entry))!;
      // Ancestors intersect the node's own lines; descendants lie inside it.
      const matches = kind === "inside" || kind === "not-inside" ? relation.matches(root, root, { startPosition: node.startPosition, endPosition: node.endPosition }) : relation.matches(root, node);
      for (const captures of matches) {
        const anchor = anchorOf(captures);
        if (anchor) out.push({ start: anchor.startIndex, end: anchor.endIndex });
      }
    }
    return out;
  };
  const strictlyInside = (r: Range) => contains(range, r) && (r.start !== range.start || r.end !== range.end);
  if (def.inside && !anchors("inside").some((r) => contains(r, range))) return false;
  if (def["not-inside"] && anchors("not-inside").some((r) => contains(r, range))) return false;
  if (def.has && !anchors("has").some(strictlyInside)) return false;
  if (def["not-has"] && anchors("not-has").some(strictlyInside)) return false;
  return true;
}

/** Run every rule of `program` over a parsed tree; returns hits on any line (filtering is the caller's). */
export function runProgram(ruleset: CompiledRuleSet, program: GrammarProgram, root: Node, text: string, lines = new SourceLines(text)): RawHit[] {
  const candidates: Array<{ rule: number; pattern: number; captures: Capture[] }> = [];
  const sinks = new Map<number, Capture[][]>();
  if (program.main) {
    for (const match of timed("candidates", () => program.main!.run(root, text, lines))) {
      for (const role of match.roles) {
        if (role.kind === "pattern") candidates.push({ rule: role.rule, pattern: role.pattern, captures: match.captures });
        else if (role.kind === "taint" && role.role === "sink") sinks.set(role.rule, [...(sinks.get(role.rule) ?? []), match.captures]);
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
    if (!timed("relations", () => relationsHold(program, rule, candidate.pattern, node, root))) continue;
    seen.add(key);
    hits.push({ rule: candidate.rule, node, captures: candidate.captures });
  }

  const isSourceOfSinkRule = (role: Role) => role.kind === "taint" && role.role === "source" && sinks.has(role.rule);
  // Taint is tracked within one file: with no possible source in it, no sink can be reached.
  if (sinks.size > 0 && program.taint && program.taint.mayMatch(text, lines, isSourceOfSinkRule, root)) {
    // Sources, sanitizers and propagators matter only around sinks: found on demand, by rows.
    const taint = program.taint;
    const ofSinkRule = (role: Role) => role.kind === "taint" && sinks.has(role.rule);
    const cache = new Map<string, Map<number, TaintEndpoints>>();
    const endpointsOn = (first: number, last: number): Map<number, TaintEndpoints> => {
      const key = `${first}:${last}`;
      let byRule = cache.get(key);
      if (byRule) return byRule;
      byRule = new Map();
      cache.set(key, byRule);
      const matches = timed("taintEndpoints", () => taint.run(root, text, lines, [first, last], ofSinkRule));
      for (const match of matches) {
        for (const role of match.roles) {
          if (role.kind !== "taint" || !sinks.has(role.rule)) continue;
          const target = byRule.get(role.rule) ?? { sources: [], sanitizers: [], propagators: [] };
          byRule.set(role.rule, target);
          const list = role.role === "source" ? target.sources : role.role === "sanitizer" ? target.sanitizers : target.propagators;
          list.push(match.captures);
        }
      }
      return byRule;
    };
    const none: TaintEndpoints = { sources: [], sanitizers: [], propagators: [] };
    for (const [ruleIndex, ruleSinks] of sinks) {
      const found = timed("taintFlow", () => runTaint(program.grammar, ruleSinks, (first, last) => endpointsOn(first, last).get(ruleIndex) ?? none));
      for (const hit of found) hits.push({ rule: ruleIndex, node: hit.node, captures: hit.captures, trace: hit.trace });
    }
  }
  return hits;
}

/** Line-oriented view of a file's text, computed once per file and only when a hit needs it. */
export class SourceLines {
  private starts: Int32Array | undefined;
  constructor(private readonly text: string) {}

  private lineStarts(): Int32Array {
    return (this.starts ??= lineStartsOf(this.text));
  }

  /** 0-based row of a string offset. */
  rowOf(offset: number): number {
    return lineIndexOf(this.lineStarts(), offset);
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

/** The template with `$name` replaced by captures' text; undefined when a named capture is missing. */
function renderTemplate(template: string, captures: Capture[]): string | undefined {
  let missing = false;
  const text = template.replace(/\$([A-Za-z_][\w-]*)/g, (_, name: string) => {
    const capture = captures.find((c) => c.name === name);
    if (!capture) missing = true;
    return capture?.node.text ?? "";
  });
  return missing ? undefined : text;
}

/** The suggested replacement for lines line..endLine of the target capture, if the rule has one. */
function suggestionFor(rule: CompiledRule, hit: RawHit, text: string, lines: SourceLines): { suggestion: string; line: number; endLine: number } | undefined {
  const replacement = rule.definition.replacement;
  if (!replacement) return undefined;
  // Only the pattern that captures the target offers the replacement.
  const target = hit.captures.find((c) => c.name === replacement.capture)?.node ?? (replacement.capture === "match" && !hit.trace ? hit.node : undefined);
  if (!target) return undefined;
  const line = target.startPosition.row + 1;
  const endLine = target.endPosition.row + 1;
  const from = lines.lineStart(line);
  const endLineText = lines.line(endLine);
  const to = lines.lineStart(endLine) + endLineText.length;
  const rendered = renderTemplate(replacement.template, hit.captures);
  if (rendered === undefined) return undefined;
  const before = text.slice(from, target.startIndex);
  const after = text.slice(target.endIndex, to);
  return { suggestion: before + rendered + after, line, endLine };
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
  noteParsed(input.content.length);
  const tree = timed("parse", () => parserFor(input.grammar).parse(input.content));
  const lines = new SourceLines(input.content);
  const hits = runProgram(ruleset, program, tree.rootNode, input.content, lines);
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
  return withoutWeakerTwins(findings, ruleset, hits);
}

/**
 * One flaw, one comment: where a taint rule proves a flaw, a pattern rule of the same checklist
 * item on the same line only says less, so it is dropped. Without a proven flow it stays.
 */
function withoutWeakerTwins(findings: Finding[], ruleset: CompiledRuleSet, hits: RawHit[]): Finding[] {
  const proven = new Set(findings.filter((f) => f.trace).map((f) => `${f.category}:${f.line}`));
  if (proven.size === 0) return findings;
  const taintRules = new Set(hits.filter((h) => h.trace).map((h) => ruleset.rules[h.rule]!.definition.id));
  return findings.filter((f) => f.trace || taintRules.has(f.ruleId) || !proven.has(`${f.category}:${f.line}`));
}

function describeTrace(trace: TraceStep[]): string {
  const first = trace[0];
  const last = trace[trace.length - 1];
  if (!first || !last) return "";
  return trace.length > 1 ? `Untrusted data flows from line ${first.line} to line ${last.line}.` : "";
}
