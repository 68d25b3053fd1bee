// Taint tracking entry point: a sink reports when data from a source reaches it without passing
// through a sanitizer (see README "Writing a taint rule").
import type Parser from "tree-sitter";
import type { TraceStep } from "../../findings.js";
import type { GrammarId } from "../languages.js";
import { isLiteral, type Ancestry } from "../syntax.js";
import type { Deadline } from "../deadline.js";
import { concat, TaintEvaluator } from "./evaluate.js";
import { FunctionIndex } from "./functions.js";
import type { ConstantResolver } from "./constants.js";
import type { Assignment } from "./assignments.js";

type Capture = Parser.QueryCapture;

/** The matches of one taint rule's endpoint queries on some rows of one file. */
export interface TaintEndpoints {
  sources: Capture[][];
  sanitizers: Capture[][];
  propagators: Capture[][];
}

export interface TaintHit {
  node: Parser.SyntaxNode;
  captures: Capture[];
  trace: TraceStep[];
}

function captured(matches: Capture[][], name: string): Parser.SyntaxNode[] {
  const out: Parser.SyntaxNode[] = [];
  for (const captures of matches) for (const c of captures) if (c.name === name) out.push(c.node);
  return out;
}

/**
 * Report each sink whose argument carries data from a source. `endpointsOn` finds the rule's
 * sources, sanitizers and propagators on some rows; it is asked only for rows the flow visits.
 */
/** What the taint step shares with the rest of one file's scan. */
export interface TaintContext {
  ancestry: Ancestry;
  /** The text of 0-based row `row`, without its line break. */
  lineAt: (row: number) => string;
  deadline?: Deadline;
  /** Constant propagation for the file: a source whose value is constant taints nothing. */
  constants?: ConstantResolver;
  /** Each scope's assignments, shared by every rule. */
  assignments?: Map<number, Assignment[]>;
  /** The file's functions and calls, shared by every rule (built on first need). */
  functions?: FunctionIndex;
}

/** The function index a context shares; created with the context's ancestry when missing. */
function functionsOf(grammar: GrammarId, context: TaintContext): FunctionIndex {
  context.functions ??= new FunctionIndex(grammar, context.ancestry);
  return context.functions;
}

/** The per-file cache of each scope's assignments, shared by every rule. */
function assignmentsOf(context: TaintContext): Map<number, Assignment[]> {
  context.assignments ??= new Map();
  return context.assignments;
}

/** Carried arguments (@carry) of each propagator match, by propagator node id. */
function carriersOf(matches: Capture[][]): Map<number, Parser.SyntaxNode[]> {
  const out = new Map<number, Parser.SyntaxNode[]>();
  for (const captures of matches) {
    const propagator = captures.find((c) => c.name === "propagator")?.node;
    if (!propagator) continue;
    const carried = captures.filter((c) => c.name === "carry").map((c) => c.node);
    if (carried.length > 0) out.set(propagator.id, [...(out.get(propagator.id) ?? []), ...carried]);
  }
  return out;
}

/** How many call-site hops a sink inside a helper is followed outwards. */
const MAX_SINK_HOPS = 3;
/** How many (helper, argument) targets one sink may explore, and call sites per helper. */
const MAX_SINK_TARGETS = 12;
const MAX_CALL_SITES = 32;

export function runTaint(grammar: GrammarId, sinks: Capture[][], endpointsOn: (first: number, last: number) => TaintEndpoints, context: TaintContext): TaintHit[] {
  const evaluator = new TaintEvaluator(
    grammar,
    (first, last) => {
      const endpoints = endpointsOn(first, last);
      return {
        sources: captured(endpoints.sources, "source"),
        objectSources: captured(endpoints.sources, "source-object"),
        sanitizers: captured(endpoints.sanitizers, "sanitizer"),
        propagators: captured(endpoints.propagators, "propagator"),
        carriers: carriersOf(endpoints.propagators),
      };
    },
    context.ancestry,
    context.lineAt,
    context.deadline,
    { functions: functionsOf(grammar, context), constants: context.constants, assignments: assignmentsOf(context) },
  );
  const hits: TaintHit[] = [];
  const reported = new Set<number>();
  /** Helper parameters whose call sites were already checked for this rule (once is enough per call site). */
  const explored = new Set<string>();
  for (const captures of sinks) {
    const sink = captures.find((c) => c.name === "sink")?.node;
    if (!sink) continue;
    context.deadline?.check();
    evaluator.ensure(context.ancestry.scopeOf(sink));
    const report = captures.find((c) => c.name === "match")?.node ?? sink;
    const sinkStep = evaluator.step(report);
    const trace = reported.has(report.id) ? null : evaluator.evaluate(sink);
    if (trace) {
      reported.add(report.id);
      const last = trace[trace.length - 1];
      hits.push({ node: report, captures, trace: last && last.line === sinkStep.line ? trace : [...trace, sinkStep] });
    }
    // A helper whose parameter reaches the sink makes its call sites sinks for that argument.
    hits.push(...throughCallSites(evaluator, sink, [{ ...sinkStep, kind: "sink" }], reported, context, explored));
  }
  return hits;
}

/**
 * Sinks reached through helpers: when `target` (inside a function) depends on one of the
 * function's parameters, each call site's argument for it is checked like a sink, and reported
 * at the call when tainted; call sites inside other helpers are followed the same way.
 */
function throughCallSites(
  evaluator: TaintEvaluator,
  target: Parser.SyntaxNode,
  tail: TraceStep[],
  reported: Set<number>,
  context: TaintContext,
  explored: Set<string>,
): TaintHit[] {
  const hits: TaintHit[] = [];
  const pending: Array<{ target: Parser.SyntaxNode; tail: TraceStep[]; hops: number }> = [{ target, tail, hops: 0 }];
  // Bounded work per sink: helpers of helpers fan out quickly in library code.
  let budget = MAX_SINK_TARGETS;
  while (pending.length > 0 && budget-- > 0) {
    const item = pending.shift()!;
    const fn = context.ancestry.scopeOf(item.target);
    if (context.ancestry.isRoot(fn)) continue;
    const def = evaluator.definitionOf(fn);
    if (!def) continue;
    const params = fn.childForFieldName("parameters")?.namedChildren.length ?? (fn.childForFieldName("parameter") ? 1 : 0);
    if (params === 0) continue;
    // One evaluation with every parameter tainted first: most sinks depend on none of them.
    const any = evaluator.parameterEvaluator(fn, -1);
    if (!any) continue;
    any.ensure(fn);
    if (!any.evaluate(item.target)) continue;
    for (let i = 0; i < params; i++) {
      const key = `${fn.id}:${i}`;
      if (explored.has(key)) continue;
      context.deadline?.check();
      const inner = evaluator.parameterEvaluator(fn, i);
      if (!inner) continue;
      inner.ensure(fn);
      const path = inner.evaluate(item.target);
      if (!path) continue;
      explored.add(key);
      const [first, ...restOfPath] = path;
      const parameter: TraceStep = { ...first!, kind: "param", note: `parameter of ${def.name}()` };
      const insideHelper = concat([parameter, ...restOfPath], item.tail);
      for (const call of evaluator.callsTo(def).slice(0, MAX_CALL_SITES)) {
        const arg = evaluator.argumentFor(call, def, i);
        if (!arg) continue;
        const callStep: TraceStep = { ...evaluator.step(call), kind: "call", note: `passed to ${def.name}(), which reaches the sink` };
        const rest = concat([callStep], insideHelper);
        evaluator.ensure(context.ancestry.scopeOf(arg));
        const trace = evaluator.evaluate(arg);
        if (trace && !reported.has(call.id)) {
          reported.add(call.id);
          hits.push({ node: call, captures: [], trace: concat(trace, rest) });
        }
        // Followed outwards only while it may still meet a source: not when reported, not a literal.
        if (!trace && item.hops + 1 < MAX_SINK_HOPS && !isLiteral(arg)) pending.push({ target: arg, tail: rest, hops: item.hops + 1 });
      }
    }
  }
  return hits;
}
