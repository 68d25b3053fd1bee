// Small, language-aware questions about syntax nodes that rules and taint tracking share.
import type Parser from "tree-sitter";

type Node = Parser.SyntaxNode;

const PLAIN_LITERALS = new Set([
  "number",
  "true",
  "false",
  "null",
  "undefined",
  "regex",
  "integer",
  "float",
  "none",
]);

const WRAPPERS = new Set(["parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression"]);

/**
 * True when the node's value is fixed in the source: a string without interpolation, a number,
 * a boolean or null, or a concatenation of such. An identifier is not a literal.
 */
export function isLiteral(node: Node): boolean {
  const type = node.type;
  if (PLAIN_LITERALS.has(type)) return true;
  if (type === "string") {
    // Python f-strings carry `interpolation` children; JS strings never interpolate.
    for (const child of node.namedChildren) if (child.type === "interpolation") return false;
    return true;
  }
  if (type === "template_string") {
    for (const child of node.namedChildren) if (child.type === "template_substitution") return false;
    return true;
  }
  if (type === "concatenated_string") return node.namedChildren.every(isLiteral);
  if (type === "binary_expression" || type === "binary_operator") {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    return !!left && !!right && isLiteral(left) && isLiteral(right);
  }
  if (WRAPPERS.has(type)) {
    const inner = node.namedChildren[0];
    return !!inner && isLiteral(inner);
  }
  return false;
}

/** Innermost enclosing function-like node (or undefined at module level). */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (FUNCTION_TYPES.has(n.type)) return n;
  }
  return undefined;
}

export const FUNCTION_TYPES = new Set([
  "function_declaration",
  "function_expression",
  "function",
  "arrow_function",
  "method_definition",
  "generator_function_declaration",
  "generator_function",
  "function_definition",
  "lambda",
]);

/** Nodes whose children are statements. */
const BLOCKS = new Set(["statement_block", "program", "module", "block", "switch_body", "class_body", "else_clause"]);

/** The statement holding `node`, i.e. the ancestor whose parent is a block. */
export function statementOf(node: Node): Node {
  let n = node;
  while (n.parent && !BLOCKS.has(n.parent.type)) n = n.parent;
  return n;
}

