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
 * Iterative: a 20,000-term concatenation is a 20,000-deep tree, deeper than the call stack.
 */
export function isLiteral(node: Node): boolean {
  const pending: Node[] = [node];
  while (pending.length > 0) {
    const n = pending.pop()!;
    const type = n.type;
    if (PLAIN_LITERALS.has(type)) continue;
    if (type === "string") {
      // Python f-strings carry `interpolation` children; JS strings never interpolate.
      for (const child of n.namedChildren) if (child.type === "interpolation") return false;
      continue;
    }
    if (type === "template_string") {
      for (const child of n.namedChildren) if (child.type === "template_substitution") return false;
      continue;
    }
    if (type === "concatenated_string") {
      pending.push(...n.namedChildren);
      continue;
    }
    if (type === "binary_expression" || type === "binary_operator") {
      const left = n.childForFieldName("left");
      const right = n.childForFieldName("right");
      if (!left || !right) return false;
      pending.push(right, left);
      continue;
    }
    if (WRAPPERS.has(type)) {
      const inner = n.namedChildren[0];
      if (!inner) return false;
      pending.push(inner);
      continue;
    }
    return false;
  }
  return true;
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


/**
 * Parents, enclosing functions and statements of one tree's nodes, each found once.
 * tree-sitter nodes keep no parent pointer: `node.parent` descends from the root again, so a
 * walk up from depth d costs d² (5,000 nested blocks: a minute). Here one cursor descent from
 * the root records every ancestor on the way, and later questions are answered from that record.
 */
/** Consecutive upward misses after which a tree counts as deep (native parent lookups cost its depth each). */
const DEEP_WALK = 48;

export class Ancestry {
  private readonly parents = new Map<number, Node | null>();
  private readonly scopes = new Map<number, Node>();
  private readonly statements = new Map<number, Node>();

  private deep = false;
  private streak = 0;
  private lastMissParent = -1;

  constructor(readonly root: Node) {
    this.parents.set(root.id, null);
  }

  isRoot(node: Node): boolean {
    return node.id === this.root.id;
  }

  /** Remember that `parent` is the parent of `child` (a caller that walked children knows it). */
  note(child: Node, parent: Node): void {
    if (!this.parents.has(child.id)) this.parents.set(child.id, parent);
  }

  parentOf(node: Node): Node | null {
    const known = this.parents.get(node.id);
    if (known !== undefined) return known;
    // In a shallow tree the native lookup is cheapest. A long run of misses, each asking for the
    // parent of the previous answer, is a walk up a deep tree: from then on, descend instead.
    this.streak = node.id === this.lastMissParent ? this.streak + 1 : 0;
    if (this.streak > DEEP_WALK) this.deep = true;
    let parent: Node | null | undefined;
    if (this.deep) {
      this.descendTo(node);
      parent = this.parents.get(node.id);
    }
    // Not reachable by the descent (a zero-width node tree-sitter inserted): ask the node.
    if (parent === undefined) parent = node.parent;
    this.parents.set(node.id, parent);
    this.lastMissParent = parent?.id ?? -1;
    return parent;
  }

  /** One cursor descent from the root to `target`, noting each node's parent on the way. */
  private descendTo(target: Node): void {
    const cursor = this.root.walk();
    let current = this.root;
    for (let guard = 0; guard < 1_000_000; guard++) {
      if (current.id === target.id) return;
      if (cursor.gotoFirstChildForIndex(target.startIndex) === null) return;
      let child = cursor.currentNode;
      // Skip siblings that end where the target starts or do not cover it.
      while (child.endIndex < target.endIndex && child.startIndex <= target.startIndex && cursor.gotoNextSibling()) child = cursor.currentNode;
      if (child.startIndex > target.startIndex || child.endIndex < target.endIndex) return;
      if (!this.parents.has(child.id)) this.parents.set(child.id, current);
      current = child;
    }
  }

  /** The innermost function-like node strictly containing `node`, or the root. */
  scopeOf(node: Node): Node {
    const parent = this.parentOf(node);
    if (!parent) return node;
    const known = this.scopes.get(node.id);
    if (known) return known;
    // Walk up to the first answer known (or the scope), then fill in the nodes passed.
    const passed: Node[] = [node];
    let scope: Node | undefined;
    for (let n: Node = parent; ; ) {
      if (FUNCTION_TYPES.has(n.type)) {
        scope = n;
        break;
      }
      const cached = this.scopes.get(n.id);
      if (cached) {
        scope = cached;
        break;
      }
      const up = this.parentOf(n);
      if (!up) {
        scope = n;
        break;
      }
      passed.push(n);
      n = up;
    }
    for (const n of passed) this.scopes.set(n.id, scope);
    return scope;
  }

  /** The statement holding `node`: the ancestor whose parent is a block. */
  statementOf(node: Node): Node {
    const known = this.statements.get(node.id);
    if (known) return known;
    const passed: Node[] = [];
    let n = node;
    let statement: Node | undefined;
    for (;;) {
      const cached = this.statements.get(n.id);
      if (cached) {
        statement = cached;
        break;
      }
      const parent = this.parentOf(n);
      if (!parent || BLOCKS.has(parent.type)) {
        statement = n;
        break;
      }
      passed.push(n);
      n = parent;
    }
    for (const p of passed) this.statements.set(p.id, statement);
    this.statements.set(node.id, statement);
    return statement;
  }
}
