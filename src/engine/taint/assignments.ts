// Where variables get their values inside one function (or module top level): the def side of
// the def-use chains that taint tracking follows. Collected lazily, only for scopes with a sink.
import Parser from "tree-sitter";
import { grammarLanguage, type GrammarId } from "../languages.js";

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

/** Patterns nested deeper than this bind nothing we track (and cannot overflow the stack). */
const MAX_PATTERN_DEPTH = 50;

/** Variable keys that assigning to `target` binds. */
export function boundNames(target: Node, depth = 0): string[] {
  if (depth > MAX_PATTERN_DEPTH) return [];
  const inner = (n: Node) => boundNames(n, depth + 1);
  switch (target.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      return [target.text];
    case "member_expression":
    case "attribute":
      return isSimpleChain(target) ? [target.text] : [];
    case "pair_pattern": {
      const value = target.childForFieldName("value");
      return value ? inner(value) : [];
    }
    case "assignment_pattern":
    case "object_assignment_pattern": {
      const left = target.childForFieldName("left") ?? target.namedChildren[0];
      return left ? inner(left) : [];
    }
    case "typed_parameter":
      return target.namedChildren[0] ? inner(target.namedChildren[0]) : [];
    case "default_parameter":
    case "typed_default_parameter": {
      const name = target.childForFieldName("name");
      return name ? inner(name) : [];
    }
    case "required_parameter":
    case "optional_parameter": {
      const pattern = target.childForFieldName("pattern");
      return pattern ? inner(pattern) : [];
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
      return target.namedChildren.flatMap(inner);
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
export function collectAssignments(grammar: GrammarId, scope: Node, isModule: boolean): Assignment[] {
  const query = assignmentQuery(grammar);
  const out: Assignment[] = [];
  // The module: only assignments near the top (`const x = ...`, `export const`, `a.b = ...`),
  // so a large bundle is not searched whole for the rare variable a flow looks up there.
  const matches = !isModule ? query.matches(scope) : query.matches(scope, { maxStartDepth: MODULE_DEPTH });
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
    // Outermost nested functions as disjoint sorted ranges, then one binary search per assignment.
    nested.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
    const outer: Array<[number, number]> = [];
    for (const range of nested) {
      const last = outer[outer.length - 1];
      if (last && range[0] < last[1]) continue;
      outer.push(range);
    }
    for (const a of found) {
      const start = a.node.startIndex;
      let lo = 0;
      let hi = outer.length - 1;
      let inside = false;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [s, e] = outer[mid]!;
        if (start < s) hi = mid - 1;
        else if (start >= e) lo = mid + 1;
        else {
          inside = a.at <= e;
          break;
        }
      }
      if (!inside) out.push(a);
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
  return params ? params.namedChildren.flatMap((p) => boundNames(p)) : [];
}
