// Taint tracking entry point (see README "Writing a taint rule").
import type Parser from "tree-sitter";
import type { TraceStep } from "../../findings.js";
import type { GrammarId } from "../languages.js";

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

export function runTaint(_grammar: GrammarId, _root: Parser.SyntaxNode, _endpoints: TaintEndpoints): TaintHit[] {
  return [];
}
