// Constant propagation: is a value fixed in the source? A literal, a variable whose every
// assignment (in its function, or at module level) is such a value, or a string built only from
// them (concatenation, template, f-string, `%`, `.format()`, `join`). Parameters, imports and
// anything computed at run time are not constant.
import type Parser from "tree-sitter";
import type { GrammarId } from "../languages.js";
import { isLiteral, type Ancestry } from "../syntax.js";
import { collectAssignments, parameterNames, type Assignment } from "./assignments.js";

type Node = Parser.SyntaxNode;

/** How many variable hops a constant is followed through. */
const MAX_DEPTH = 8;
const WRAPPERS = new Set(["parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "template_substitution", "interpolation", "await_expression"]);
const CONTAINERS = new Set(["array", "list", "tuple", "expression_list", "concatenated_string"]);
const COMPARISONS = new Set(["===", "==", "!==", "!=", "<", ">", "<=", ">="]);
/** Assignments that bind from an iteration or a context manager: not a fixed value. */
const LOOP_BINDINGS = new Set(["for_in_statement", "for_statement", "for_in_clause", "with_item"]);

export class ConstantResolver {
  private readonly assignments = new Map<number, Assignment[]>();
  private readonly memo = new Map<number, boolean>();

  constructor(
    private readonly grammar: GrammarId,
    private readonly ancestry: Ancestry,
  ) {}

  private assignmentsOf(scope: Node): Assignment[] {
    let list = this.assignments.get(scope.id);
    if (!list) {
      list = collectAssignments(this.grammar, scope, this.ancestry.isRoot(scope));
      this.assignments.set(scope.id, list);
    }
    return list;
  }

  /** Is `node`'s value fixed in the source? */
  isConstant(node: Node, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    const known = this.memo.get(node.id);
    if (known !== undefined) return known;
    this.memo.set(node.id, false); // a cycle (x = x + "a") is not constant
    const result = this.compute(node, depth + 1);
    this.memo.set(node.id, result);
    return result;
  }

  private all(nodes: Array<Node | null | undefined>, depth: number): boolean {
    return nodes.every((n) => !!n && this.isConstant(n, depth));
  }

  private compute(node: Node, depth: number): boolean {
    if (isLiteral(node)) return true;
    const type = node.type;
    if (WRAPPERS.has(type)) return this.all(node.namedChildren.filter((c) => c.type !== "comment"), depth);
    if (CONTAINERS.has(type)) return this.all(node.namedChildren.filter((c) => c.type !== "comment"), depth);
    switch (type) {
      case "identifier":
        return this.variable(node, depth);
      case "template_string":
        return this.all(node.namedChildren.filter((c) => c.type === "template_substitution"), depth);
      case "string":
        // An f-string: constant when every interpolated value is.
        return this.all(node.namedChildren.filter((c) => c.type === "interpolation"), depth);
      case "binary_expression":
      case "binary_operator": {
        const op = node.children.find((c) => !c.isNamed)?.type ?? "";
        if (COMPARISONS.has(op)) return false;
        return this.all([node.childForFieldName("left"), node.childForFieldName("right")], depth);
      }
      case "call":
      case "call_expression":
        return this.formatting(node, depth);
      default:
        return false;
    }
  }

  /**
   * The source texts a constant can take: a literal's own text, or every literal a variable is
   * assigned (followed through variables). Undefined when the value is not constant.
   */
  constantTexts(node: Node, depth = 0): string[] | undefined {
    if (!this.isConstant(node) || depth > MAX_DEPTH) return undefined;
    let n = node;
    while (WRAPPERS.has(n.type) && n.namedChildren.length === 1) n = n.namedChildren[0]!;
    if (n.type !== "identifier") return [n.text];
    const out: string[] = [];
    for (let scope = this.ancestry.scopeOf(n); ; scope = this.ancestry.scopeOf(scope)) {
      const assigned = this.assignmentsOf(scope).filter((a) => a.names.includes(n.text));
      if (assigned.length > 0) {
        for (const a of assigned) out.push(...(this.constantTexts(a.value!, depth + 1) ?? []));
        return out;
      }
      if (this.ancestry.isRoot(scope)) return out;
    }
  }

  /** "...".format(a, b), "sep".join([...]), "a".concat(b): constant when receiver and arguments are. */
  private formatting(call: Node, depth: number): boolean {
    const fn = call.childForFieldName("function");
    if (!fn || (fn.type !== "attribute" && fn.type !== "member_expression")) return false;
    const method = (fn.childForFieldName("attribute") ?? fn.childForFieldName("property"))?.text ?? "";
    if (!["format", "join", "concat", "upper", "lower", "strip", "trim", "replace"].includes(method)) return false;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a.type !== "comment").map((a) => (a.type === "keyword_argument" ? a.childForFieldName("value") : a));
    return this.all([fn.childForFieldName("object"), ...args], depth);
  }

  /** A variable is constant when every assignment to it, in the nearest scope that assigns it, is. */
  private variable(use: Node, depth: number): boolean {
    const key = use.text;
    for (let scope = this.ancestry.scopeOf(use); ; scope = this.ancestry.scopeOf(scope)) {
      const assigned = this.assignmentsOf(scope).filter((a) => a.names.includes(key));
      if (assigned.length > 0) {
        return assigned.every((a) => !a.source && !!a.value && !LOOP_BINDINGS.has(a.node.type) && a.names.length === 1 && this.isConstant(a.value, depth));
      }
      if (this.ancestry.isRoot(scope)) return false;
      if (parameterNames(scope).includes(key)) return false;
    }
  }
}
