// Code patterns to keyword-gated queries: each pattern becomes a small native query that finds
// candidate nodes (the pattern's root node type), the literal words the pattern requires (its
// identifiers, keywords and string contents: the keyword gates), and a check that matches the
// whole pattern in JavaScript and turns metavariables into captures.
import type Parser from "tree-sitter";
import type { Literal } from "../gates.js";
import type { GrammarId } from "../languages.js";
import type { NameTable } from "../names/index.js";
import { PatternMatcher } from "./match.js";
import { metavariablesOf, parsePattern, PatternSyntaxError, type PatternNode } from "./parse.js";

export { PatternSyntaxError } from "./parse.js";
export type { PatternNode } from "./parse.js";

type Capture = Parser.QueryCapture;

/** What a match check may ask about the file. */
export interface MatchContext {
  grammar: GrammarId;
  names(): NameTable;
}

/** Decides on a native match: undefined rejects it; otherwise the captures to use. */
export type MatchCheck = (captures: Capture[], context: MatchContext) => Capture[] | undefined;

/** The taint role a pattern plays; its metavariable `$SINK`, `$SOURCE`... becomes the role's capture. */
export type PatternRole = "source" | "sink" | "sanitizer" | "propagator";

export interface CompiledPattern {
  /**
   * The native query: the root node type(s), captured as @match, nothing deeper. A query with
   * children costs tree-sitter an analysis of the grammar per parent node (milliseconds each);
   * a childless one almost nothing. The check does the structural work.
   */
  query: string;
  /** The node types a match can have (the query's patterns). */
  rootTypes: string[];
  /** Literal sets the pattern requires (some literal of every set), as keyword gates. */
  gates: Literal[][];
  check: MatchCheck;
  /** Metavariable names (without `$`). */
  metavariables: string[];
}

const ROLE_METAVARIABLES: Record<string, PatternRole> = { SINK: "sink", SOURCE: "source", SANITIZER: "sanitizer", PROPAGATOR: "propagator" };

/** Node types a name or string pattern can meet in the file, per family. */
function rootTypes(root: PatternNode, grammar: GrammarId): string[] {
  const python = grammar === "python";
  if (root.kind === "name") return python ? ["identifier", "attribute"] : ["identifier", "member_expression"];
  if (root.kind === "string") return python ? ["string"] : ["string", "template_string"];
  return [root.type];
}

const WORD = /^[A-Za-z_$][\w$]*$/;
const printable = (text: string) => text.length >= 2 && !/[^\x20-\x7e]/.test(text);

/** Every literal the pattern requires: one set per identifier, keyword or string content. */
export function gatesOfCodePattern(root: PatternNode): Literal[][] {
  const sets: Literal[][] = [];
  const seen = new Set<string>();
  const add = (literal: Literal) => {
    const key = `${literal.text}\0${literal.canonical ?? ""}`;
    if (!printable(literal.text) || seen.has(key)) return;
    seen.add(key);
    sets.push([literal]);
  };
  const visit = (p: PatternNode) => {
    switch (p.kind) {
      case "name": {
        const last = p.segments[p.segments.length - 1]!;
        // The last segment is in every spelling but an alias of the whole name (see names/).
        add({ text: last, left: true, right: true, canonical: p.segments.length > 1 ? p.text : undefined });
        break;
      }
      case "string":
        if (!/[\\'"`]/.test(p.content)) add({ text: p.content, left: false, right: false });
        break;
      case "leaf":
        if (WORD.test(p.text)) add({ text: p.text, left: true, right: true });
        break;
      case "node":
        p.children.forEach(visit);
        break;
    }
  };
  visit(root);
  return sets;
}

/**
 * Compile one code pattern for one grammar. Throws PatternSyntaxError when the snippet does not
 * parse, or a sink pattern does not say which value is the sink.
 */
export function compileCodePattern(source: string, grammar: GrammarId, role?: PatternRole): CompiledPattern {
  const root = parsePattern(source, grammar);
  const metavariables = [...metavariablesOf(root)];
  const roleVariable = Object.entries(ROLE_METAVARIABLES).find(([name, r]) => r === role && metavariables.includes(name))?.[0];
  if (role === "sink" && !roleVariable) throw new PatternSyntaxError("a taint sink pattern must mark the dangerous value as $SINK");
  const types = rootTypes(root, grammar);
  const captureName = (name: string) => (ROLE_METAVARIABLES[name] ? ROLE_METAVARIABLES[name]! : name);
  const check: MatchCheck = (captures, context) => {
    const node = captures.find((c) => c.name === "match")?.node;
    if (!node) return undefined;
    const bindings = new PatternMatcher(context.names).match(root, node);
    if (!bindings) return undefined;
    const out: Capture[] = [{ name: "match", node }];
    if (role && !roleVariable) out.push({ name: role, node });
    for (const [name, bound] of bindings) if (bound.nodes[0]) out.push({ name: captureName(name), node: bound.nodes[0] });
    return out;
  };
  return { query: types.map((t) => `(${t}) @match`).join("\n"), rootTypes: types, gates: gatesOfCodePattern(root), check, metavariables };
}
