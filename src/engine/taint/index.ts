// Taint tracking entry point: a sink reports when data from a source reaches it without passing
// through a sanitizer (see README "Writing a taint rule").
import type Parser from "tree-sitter";
import type { TraceStep } from "../../findings.js";
import type { GrammarId } from "../languages.js";
import type { Ancestry } from "../syntax.js";
import type { Deadline } from "../deadline.js";
import { TaintEvaluator } from "./evaluate.js";

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
}

export function runTaint(grammar: GrammarId, sinks: Capture[][], endpointsOn: (first: number, last: number) => TaintEndpoints, context: TaintContext): TaintHit[] {
  const evaluator = new TaintEvaluator(
    grammar,
    (first, last) => {
      const endpoints = endpointsOn(first, last);
      return {
        sources: captured(endpoints.sources, "source"),
        sanitizers: captured(endpoints.sanitizers, "sanitizer"),
        propagators: captured(endpoints.propagators, "propagator"),
      };
    },
    context.ancestry,
    context.lineAt,
    context.deadline,
  );
  const hits: TaintHit[] = [];
  const reported = new Set<number>();
  for (const captures of sinks) {
    const sink = captures.find((c) => c.name === "sink")?.node;
    if (!sink) continue;
    context.deadline?.check();
    evaluator.ensure(context.ancestry.scopeOf(sink));
    const report = captures.find((c) => c.name === "match")?.node ?? sink;
    if (reported.has(report.id)) continue;
    const trace = evaluator.evaluate(sink);
    if (!trace) continue;
    reported.add(report.id);
    const sinkStep = evaluator.step(report);
    const last = trace[trace.length - 1];
    hits.push({ node: report, captures, trace: last && last.line === sinkStep.line ? trace : [...trace, sinkStep] });
  }
  return hits;
}
