// Matches a parsed code pattern against a syntax node, binding metavariables. The native query
// only finds candidates (node type and keywords); this decides, in JavaScript, on the few
// candidates the keyword gates let through.
import type Parser from "tree-sitter";
import type { NameTable } from "../names/index.js";
import { nameSegments, significantChildren, stringContent, type PatternNode } from "./parse.js";

type Node = Parser.SyntaxNode;

/** Metavariable bindings: one node for `$X`, the sibling run for `$...X`. */
export type Bindings = ReadonlyMap<string, { text: string; nodes: Node[] }>;

const ARGUMENT_LISTS = new Set(["arguments", "argument_list"]);
/** Containers whose entries match in any order, extra entries allowed (options objects, dicts). */
const UNORDERED = new Set(["object", "dictionary"]);
const KEYWORD_ARGUMENTS = new Set(["keyword_argument"]);
const STRING_TARGETS = new Set(["string", "template_string"]);

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Target children a pattern may leave out: modifiers (`async (req, res) => ...` matches
 * `($REQ, $RES) => ...`) and TypeScript annotations (`function f(x: string)` matches
 * `function $F($X) {...}`). When the pattern has one, it must match like any other child.
 */
const OPTIONAL = new Set(["async", "export", "static", "readonly", "public", "private", "protected", "override", "declare", "abstract", "type_annotation", "type_arguments", "type_parameters", "accessibility_modifier", "override_modifier"]);

export class PatternMatcher {
  constructor(private readonly names: () => NameTable) {}

  /** The bindings when `pattern` matches `node`, else undefined. */
  match(pattern: PatternNode, node: Node): Bindings | undefined {
    return this.node(pattern, node, new Map());
  }

  private bind(env: Bindings, name: string | undefined, nodes: Node[]): Bindings | undefined {
    if (!name) return env;
    const text = normalize(nodes.map((n) => n.text).join(", "));
    const previous = env.get(name);
    if (previous) return previous.text === text ? env : undefined;
    const next = new Map(env);
    next.set(name, { text, nodes });
    return next;
  }

  private node(p: PatternNode, n: Node, env: Bindings): Bindings | undefined {
    // Parentheses around an expression do not change what it is.
    if (n.type === "parenthesized_expression" && p.type !== "parenthesized_expression" && n.namedChildCount === 1) {
      return this.node(p, n.namedChildren[0]!, env);
    }
    switch (p.kind) {
      case "meta":
      case "variadic":
        return this.bind(env, p.name, [n]);
      case "name": {
        if (normalize(n.text) === p.text && nameSegments(n)) return env;
        return this.names().refersTo(n, p.text) ? env : undefined;
      }
      case "string":
        if (!STRING_TARGETS.has(n.type) || n.namedChildren.some((c) => /substitution|interpolation/.test(c.type))) return undefined;
        return stringContent(n) === p.content ? env : undefined;
      case "leaf":
        return n.type === p.type && n.text === p.text ? env : undefined;
      case "node": {
        if (n.type !== p.type) return undefined;
        let children = significantChildren(n).map((c) => c.node);
        if (children.some((c) => OPTIONAL.has(c.type))) {
          const wantedTypes = new Set(p.children.map((c) => c.type));
          children = children.filter((c) => !OPTIONAL.has(c.type) || wantedTypes.has(c.type));
        }
        if (ARGUMENT_LISTS.has(p.type)) return this.arguments(p.children, children, env);
        if (UNORDERED.has(p.type)) return this.unordered(p.children, children, env);
        return this.list(p.children, children, 0, 0, env);
      }
    }
  }

  /** Ordered siblings; a variadic takes any run of them. */
  private list(ps: PatternNode[], ns: Node[], i: number, j: number, env: Bindings): Bindings | undefined {
    if (i === ps.length) return j === ns.length ? env : undefined;
    const p = ps[i]!;
    if (p.kind === "variadic") {
      for (let k = j; k <= ns.length; k++) {
        const bound = this.bind(env, p.name, ns.slice(j, k));
        const rest = bound && this.list(ps, ns, i + 1, k, bound);
        if (rest) return rest;
      }
      return undefined;
    }
    if (j >= ns.length) return undefined;
    const here = this.node(p, ns[j]!, env);
    return here && this.list(ps, ns, i + 1, j + 1, here);
  }

  /** Positional arguments in order; keyword arguments in any order, others may be present. */
  private arguments(ps: PatternNode[], ns: Node[], env: Bindings): Bindings | undefined {
    const positional = ps.filter((p) => !KEYWORD_ARGUMENTS.has(p.type) || p.kind === "variadic");
    const keywords = ps.filter((p) => KEYWORD_ARGUMENTS.has(p.type) && p.kind !== "variadic");
    const targetPositional = ns.filter((n) => !KEYWORD_ARGUMENTS.has(n.type));
    const targetKeywords = ns.filter((n) => KEYWORD_ARGUMENTS.has(n.type));
    const bound = this.list(positional, targetPositional, 0, 0, env);
    return bound && this.unordered(keywords, targetKeywords, bound);
  }

  /** Each pattern entry matches a distinct target entry, in any order; variadics are implied. */
  private unordered(ps: PatternNode[], ns: Node[], env: Bindings, used = new Set<number>()): Bindings | undefined {
    const [first, ...rest] = ps.filter((p) => p.kind !== "variadic");
    if (!first) return env;
    for (let k = 0; k < ns.length; k++) {
      if (used.has(k)) continue;
      const here = this.node(first, ns[k]!, env);
      if (!here) continue;
      used.add(k);
      const all = this.unordered(rest, ns, here, used);
      used.delete(k);
      if (all) return all;
    }
    return undefined;
  }
}
