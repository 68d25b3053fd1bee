// Taint tracking entry point: a sink reports when data from a source reaches it without passing
// through a sanitizer (see README "Writing a taint rule").
import type Parser from "tree-sitter";
import type { TraceStep } from "../../findings.js";
import type { GrammarId } from "../languages.js";
import { step, TaintEvaluator } from "./evaluate.js";

type Capture = Parser.QueryCapture;

/** The matches of one taint rule's endpoint queries in one file. */
export interface TaintEndpoints {
  sources: Capture[][];
  sinks: Capture[][];
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

export function runTaint(grammar: GrammarId, _root: Parser.SyntaxNode, endpoints: TaintEndpoints): TaintHit[] {
  const evaluator = new TaintEvaluator(grammar, {
    sources: captured(endpoints.sources, "source"),
    sanitizers: captured(endpoints.sanitizers, "sanitizer"),
    propagators: captured(endpoints.propagators, "propagator"),
  });
  const hits: TaintHit[] = [];
  const reported = new Set<number>();
  for (const captures of endpoints.sinks) {
    const sink = captures.find((c) => c.name === "sink")?.node;
    if (!sink) continue;
    const report = captures.find((c) => c.name === "match")?.node ?? sink;
    if (reported.has(report.id)) continue;
    const trace = evaluator.evaluate(sink);
    if (!trace) continue;
    reported.add(report.id);
    const sinkStep = step(report);
    const last = trace[trace.length - 1];
    hits.push({ node: report, captures, trace: last && last.line === sinkStep.line ? trace : [...trace, sinkStep] });
  }
  return hits;
}
