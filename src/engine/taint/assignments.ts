// Where variables get their values inside one function (or module top level): the def side of
// the def-use chains that taint tracking follows. Collected lazily, only for scopes with a sink.
import Parser from "tree-sitter";
import { grammarLanguage, type GrammarId } from "../languages.js";
import { FUNCTION_TYPES, statementOf } from "../syntax.js";

export { statementOf };

type Node = Parser.SyntaxNode;

export interface Assignment {
  /** Variable keys bound: identifiers, or simple member chains such as `opts.cmd`. */
  names: string[];
  /** The value expression; undefined for a binding that is itself a source. */
  value?: Node;
  /** The source node for a binding that is a source (a request parameter, a destructured request field). */
  source?: Node;
  /** `x += y`: the old value flows on. */
  augmented: boolean;
  /** The assignment node; its statement (statementOf) decides whether it always runs before a use. */
  node: Node;
  /** Where the assignment takes effect (its end). */
  at: number;
}

const ASSIGNMENT_QUERIES: Record<"javascript" | "python", string> = {
  javascript: `
    (variable_declarator name: (_) @lhs value: (_) @rhs) @assign
    (assignment_expression left: (_) @lhs right: (_) @rhs) @assign
    (augmented_assignment_expression left: (_) @lhs right: (_) @rhs) @augment
    (for_in_statement left: (_) @lhs right: (_) @rhs) @assign
    [(function_declaration) (function_expression) (arrow_function) (method_definition) (generator_function_declaration) (generator_function)] @nested
  `,
  python: `
    (assignment left: (_) @lhs right: (_) @rhs) @assign
    (augmented_assignment left: (_) @lhs right: (_) @rhs) @augment
    (for_statement left: (_) @lhs right: (_) @rhs) @assign
    (named_expression name: (_) @lhs value: (_) @rhs) @assign
    (for_in_clause left: (_) @lhs right: (_) @rhs) @assign
    (with_item value: (as_pattern (_) @rhs alias: (as_pattern_target (_) @lhs))) @assign
    [(function_definition) (lambda)] @nested
  `,
};

const queries = new Map<GrammarId, Parser.Query>();

function assignmentQuery(grammar: GrammarId): Parser.Query {
  let query = queries.get(grammar);
  if (!query) {
    query = new Parser.Query(grammarLanguage(grammar), ASSIGNMENT_QUERIES[grammar === "python" ? "python" : "javascript"]);
    queries.set(grammar, query);
  }
  return query;
}

/** The innermost function-like node strictly containing `node`, or the root. */
export function scopeOf(node: Node): Node {
  let n = node.parent;
  while (n) {
    if (FUNCTION_TYPES.has(n.type)) return n;
    if (!n.parent) return n;
    n = n.parent;
  }
  return node;
}

/** Variable keys that assigning to `target` binds. */
export function boundNames(target: Node): string[] {
  switch (target.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      return [target.text];
    case "member_expression":
    case "attribute":
      return isSimpleChain(target) ? [target.text] : [];
    case "pair_pattern": {
      const value = target.childForFieldName("value");
      return value ? boundNames(value) : [];
    }
    case "assignment_pattern":
    case "object_assignment_pattern": {
      const left = target.childForFieldName("left") ?? target.namedChildren[0];
      return left ? boundNames(left) : [];
    }
    case "typed_parameter":
      return target.namedChildren[0] ? boundNames(target.namedChildren[0]) : [];
    case "default_parameter":
    case "typed_default_parameter": {
      const name = target.childForFieldName("name");
      return name ? boundNames(name) : [];
    }
    case "required_parameter":
    case "optional_parameter": {
      const pattern = target.childForFieldName("pattern");
      return pattern ? boundNames(pattern) : [];
    }
    case "object_pattern":
    case "array_pattern":
    case "rest_pattern":
    case "pattern_list":
    case "tuple_pattern":
    case "list_pattern":
    case "list_splat_pattern":
    case "as_pattern_target":
    case "parenthesized_expression":
    case "lexical_declaration":
      return target.namedChildren.flatMap(boundNames);
    default:
      return [];
  }
}

/** `a.b.c` made only of names: usable as a variable key. */
export function isSimpleChain(node: Node): boolean {
  let n: Node | null = node;
  while (n && (n.type === "member_expression" || n.type === "attribute")) n = n.childForFieldName("object");
  return !!n && (n.type === "identifier" || n.type === "this");
}

/** How deep below the module node a module-level assignment starts (export > declaration > declarator). */
const MODULE_DEPTH = 3;

/**
 * All assignments whose nearest enclosing scope is `scope`, in source order. Nested functions'
 * assignments are left out by range, so no node walks up its parents here.
 */
export function collectAssignments(grammar: GrammarId, scope: Node): Assignment[] {
  const query = assignmentQuery(grammar);
  const out: Assignment[] = [];
  // The module: only assignments near the top (`const x = ...`, `export const`, `a.b = ...`),
  // so a large bundle is not searched whole for the rare variable a flow looks up there.
  const matches = scope.parent ? query.matches(scope) : query.matches(scope, { maxStartDepth: MODULE_DEPTH });
  {
    const nested: Array<[number, number]> = [];
    const found: Assignment[] = [];
    for (const match of matches) {
      let lhs: Node | undefined;
      let rhs: Node | undefined;
      let whole: Node | undefined;
      let augmented = false;
      for (const c of match.captures) {
        if (c.name === "lhs") lhs = c.node;
        else if (c.name === "rhs") rhs = c.node;
        else if (c.name === "nested") {
          if (c.node.id !== scope.id) nested.push([c.node.startIndex, c.node.endIndex]);
        } else {
          whole = c.node;
          augmented = c.name === "augment";
        }
      }
      if (!lhs || !rhs || !whole) continue;
      const names = boundNames(lhs);
      if (names.length > 0) found.push({ names, value: rhs, augmented, node: whole, at: whole.endIndex });
    }
    for (const a of found) {
      const start = a.node.startIndex;
      if (!nested.some(([s, e]) => s <= start && a.at <= e)) out.push(a);
    }
  }
  out.sort((a, b) => a.at - b.at);
  return out;
}

/** Names of a function's parameters. */
export function parameterNames(fn: Node): string[] {
  const single = fn.childForFieldName("parameter");
  if (single) return boundNames(single);
  const params = fn.childForFieldName("parameters");
  return params ? params.namedChildren.flatMap(boundNames) : [];
}
