// Scopes and the names they declare, so a local definition shadows an import of the same name.
import type Parser from "tree-sitter";
import { FUNCTION_TYPES } from "../syntax.js";

type Node = Parser.SyntaxNode;

/** Python's function-like nodes; every other function type of syntax.ts is JavaScript's. */
const PY_FUNCTIONS = new Set(["function_definition", "lambda"]);

export function isScope(node: Node, family: "javascript" | "python"): boolean {
  if (family === "python") return node.type === "module" || PY_FUNCTIONS.has(node.type);
  return node.type === "program" || (FUNCTION_TYPES.has(node.type) && !PY_FUNCTIONS.has(node.type));
}

/** The innermost function (or the module) around a node. */
export function enclosingScope(node: Node, family: "javascript" | "python"): Node {
  let n: Node = node;
  for (let p = node.parent; p; p = p.parent) {
    n = p;
    if (isScope(p, family)) return p;
  }
  return n;
}

/** Identifiers a binding pattern (parameter, destructuring, target list) introduces. */
function patternNames(node: Node, out: Set<string>): void {
  switch (node.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      out.add(node.text);
      return;
    case "pair_pattern":
      if (node.childForFieldName("value")) patternNames(node.childForFieldName("value")!, out);
      return;
    case "assignment_pattern":
    case "object_assignment_pattern":
    case "default_parameter":
    case "typed_default_parameter":
      if (node.childForFieldName("left") ?? node.childForFieldName("name")) patternNames((node.childForFieldName("left") ?? node.childForFieldName("name"))!, out);
      return;
    case "required_parameter":
    case "optional_parameter":
      if (node.childForFieldName("pattern")) patternNames(node.childForFieldName("pattern")!, out);
      return;
    case "typed_parameter":
    case "list_splat_pattern":
    case "dictionary_splat_pattern":
    case "rest_pattern":
    case "object_pattern":
    case "array_pattern":
    case "pattern_list":
    case "tuple_pattern":
    case "list_pattern":
    case "formal_parameters":
    case "parameters":
    case "lambda_parameters":
      for (const child of node.namedChildren) if (child.type !== "type" && child.type !== "type_annotation") patternNames(child, out);
      return;
  }
}

const NESTED_SCOPES = new Set([...["function_declaration", "function_expression", "function", "arrow_function", "method_definition", "generator_function_declaration", "generator_function"], "function_definition", "lambda", "class_definition", "class_declaration", "class"]);

/**
 * Names a scope declares other than by the import nodes in `imported` (ids of binding
 * identifiers): parameters, variables, assignment targets, functions and classes. Nested
 * functions are not entered; their own names are.
 */
export function declaredIn(scope: Node, family: "javascript" | "python", imported: Set<number>): Set<string> {
  const out = new Set<string>();
  const params = scope.childForFieldName("parameters") ?? (scope.type === "arrow_function" ? scope.childForFieldName("parameter") : null);
  if (params) patternNames(params, out);
  const body = scope.type === "program" || scope.type === "module" ? scope : scope.childForFieldName("body");
  if (!body) return out;
  const visit = (node: Node) => {
    for (const child of node.namedChildren) {
      if (imported.has(child.id)) continue;
      const type = child.type;
      if (NESTED_SCOPES.has(type)) {
        const name = child.childForFieldName("name");
        if (name) out.add(name.text);
        continue;
      }
      if (type === "import_statement" || type === "import_from_statement") continue;
      if (type === "variable_declarator") {
        const name = child.childForFieldName("name");
        if (name && !isImportedName(name, imported)) patternNames(name, out);
      } else if (family === "python" && (type === "assignment" || type === "augmented_assignment")) {
        const left = child.childForFieldName("left");
        if (left) patternNames(left, out);
      } else if (family === "python" && (type === "for_statement" || type === "for_in_clause")) {
        const left = child.childForFieldName("left");
        if (left) patternNames(left, out);
      } else if (type === "as_pattern_target" || type === "catch_clause") {
        const param = child.childForFieldName("parameter") ?? child.namedChildren[0];
        if (param && type === "catch_clause") patternNames(param, out);
        else if (param) patternNames(param, out);
      }
      visit(child);
    }
  };
  visit(body);
  return out;
}

/** A declarator's binding identifiers that an import already accounts for (`const cp = require(...)`). */
function isImportedName(name: Node, imported: Set<number>): boolean {
  if (imported.has(name.id)) return true;
  if (name.type !== "object_pattern") return false;
  // Destructured require: every bound identifier is an import binding.
  const ids: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === "identifier" || n.type === "shorthand_property_identifier_pattern") ids.push(n);
    for (const c of n.namedChildren) walk(c);
  };
  walk(name);
  return ids.length > 0 && ids.every((n) => imported.has(n.id));
}
