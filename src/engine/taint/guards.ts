// Guards that make a tainted variable safe where they hold: an allow-list or validator check
// around the use (`if (ALLOWED.includes(x)) sink(x)`), or a negated check that leaves early
// before it (`if (!isValid(x)) return;`).
import type Parser from "tree-sitter";
import type { Ancestry } from "../syntax.js";

type Node = Parser.SyntaxNode;

const EXITS = new Set(["return_statement", "throw_statement", "raise_statement", "continue_statement", "break_statement"]);
const CHECK_METHODS = new Set(["includes", "has", "test", "fullmatch", "match", "startswith", "endswith", "startsWith", "endsWith", "isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal"]);
/** Checks made on the value itself: x.startsWith(ROOT), x.isdigit(). */
const RECEIVER_CHECKS = new Set(["startswith", "endswith", "startsWith", "endsWith", "isdigit", "isalnum", "isalpha", "isnumeric", "isdecimal"]);
const EXIT_CALLS = /^(abort|sys\.exit|exit|res\.status\(\d+\)\.(send|json|end)|next)$/;

const MAX_CONDITION_DEPTH = 40;

function unwrap(node: Node): Node {
  let n = node;
  for (let i = 0; i < MAX_CONDITION_DEPTH && n.type === "parenthesized_expression" && n.namedChildren[0]; i++) n = n.namedChildren[0];
  return n;
}

function operatorOf(node: Node): string {
  return node.children.filter((c) => !c.isNamed).map((c) => c.type).join(" ");
}

/** Does `cond`, when true, prove `name` safe? `isSanitizer` recognises the rule's sanitizer calls. */
export function validates(cond: Node, name: string, isSanitizer: (node: Node) => boolean, depth = 0): boolean {
  // A condition nested deeper than this proves nothing (and cannot overflow the stack).
  if (depth > MAX_CONDITION_DEPTH) return false;
  const node = unwrap(cond);
  const again = (n: Node) => validates(n, name, isSanitizer, depth + 1);
  switch (node.type) {
    case "binary_expression": {
      const op = operatorOf(node);
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) return false;
      if (op === "&&") return again(left) || again(right);
      if (op === "||") return again(left) && again(right);
      if (op === "===" || op === "==") return isNameWithConstant(left, right, name);
      return false;
    }
    case "boolean_operator": {
      const op = operatorOf(node);
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      if (!left || !right) return false;
      if (op === "and") return again(left) || again(right);
      return again(left) && again(right);
    }
    case "comparison_operator": {
      const op = operatorOf(node);
      const [left, right] = node.namedChildren;
      if (!left || !right) return false;
      if (op === "in") return left.text === name;
      if (op === "==") return isNameWithConstant(left, right, name);
      return false;
    }
    case "call_expression":
    case "call":
      return isCheckCall(node, name, isSanitizer);
    default:
      return false;
  }
}

/** Does `cond`, when true, mean `name` is NOT safe (so the branch that exits guards what follows)? */
function rejects(cond: Node, name: string, isSanitizer: (node: Node) => boolean, depth = 0): boolean {
  if (depth > MAX_CONDITION_DEPTH) return false;
  const node = unwrap(cond);
  if (node.type === "unary_expression" && operatorOf(node) === "!") {
    const arg = node.childForFieldName("argument");
    return !!arg && validates(arg, name, isSanitizer);
  }
  if (node.type === "not_operator") {
    const arg = node.childForFieldName("argument");
    return !!arg && validates(arg, name, isSanitizer);
  }
  if (node.type === "comparison_operator" && operatorOf(node) === "not in") return node.namedChildren[0]?.text === name;
  if (node.type === "binary_expression") {
    const op = operatorOf(node);
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (!left || !right) return false;
    if (op === "||") return rejects(left, name, isSanitizer, depth + 1) || rejects(right, name, isSanitizer, depth + 1);
    if (op === "!==" || op === "!=") return isNameWithConstant(left, right, name);
  }
  if (node.type === "boolean_operator" && operatorOf(node) === "or") {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    return (!!left && rejects(left, name, isSanitizer, depth + 1)) || (!!right && rejects(right, name, isSanitizer, depth + 1));
  }
  return false;
}

function isConstant(node: Node): boolean {
  return node.type === "string" || node.type === "number" || node.type === "integer";
}

function isNameWithConstant(a: Node, b: Node, name: string): boolean {
  return (a.text === name && isConstant(b)) || (b.text === name && isConstant(a));
}

function isCheckCall(call: Node, name: string, isSanitizer: (node: Node) => boolean): boolean {
  const args = call.childForFieldName("arguments");
  const mentions = !!args && args.namedChildren.some((a) => unwrap(a).text === name);
  const fn = call.childForFieldName("function");
  const member = fn && (fn.type === "member_expression" || fn.type === "attribute") ? fn : undefined;
  const receiver = member?.childForFieldName("object");
  // A rule's sanitizer used as a check, on the value as argument or receiver.
  if (isSanitizer(call) && (mentions || receiver?.text === name)) return true;
  if (!member) return false;
  const method = (member.childForFieldName("property") ?? member.childForFieldName("attribute"))?.text ?? "";
  // ALLOWED.includes(x), /re/.test(x), re.fullmatch(p, x)
  if (CHECK_METHODS.has(method) && mentions) return true;
  // x.startsWith(ROOT), x.isdigit(): a check made on the value itself
  return RECEIVER_CHECKS.has(method) && receiver?.text === name;
}

function exitsEarly(body: Node | null): boolean {
  if (!body) return false;
  if (EXITS.has(body.type)) return true;
  const statements = body.type === "statement_block" || body.type === "block" ? body.namedChildren : [body];
  return statements.some((s) => {
    if (EXITS.has(s.type)) return true;
    if (s.type === "expression_statement") {
      const call = s.namedChildren[0];
      const fn = call?.type === "call" || call?.type === "call_expression" ? call.childForFieldName("function") : null;
      return !!fn && EXIT_CALLS.test(fn.text);
    }
    return false;
  });
}

/** Guard checks for one file; remembers each block's `if` statements and each answer, so no walk repeats. */
export class GuardChecker {
  private readonly ifsByParent = new Map<number, Node[]>();
  /** Whether a guard between a node and its scope protects a name: by node, scope and name. */
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly ancestry: Ancestry,
    private readonly isSanitizer: (node: Node) => boolean,
  ) {}

  /** The `if` statements that are direct children of `parent`, in source order. */
  private ifsOf(parent: Node): Node[] {
    let ifs = this.ifsByParent.get(parent.id);
    if (!ifs) {
      ifs = [];
      for (const child of parent.namedChildren) {
        this.ancestry.note(child, parent);
        if (child.type === "if_statement") ifs.push(child);
      }
      this.ifsByParent.set(parent.id, ifs);
    }
    return ifs;
  }

  /** Does a guard at this level (between `n` and its parent) protect `name`? */
  private guardsHere(n: Node, parent: Node, name: string): boolean {
    // Inside the consequence of `if (check(x))`.
    if (parent.type === "if_statement") {
      const condition = parent.childForFieldName("condition");
      const consequence = parent.childForFieldName("consequence");
      if (condition && consequence && consequence.id === n.id && validates(condition, name, this.isSanitizer)) return true;
    }
    // After a sibling `if (!check(x)) return;` earlier in the same block.
    if (!BLOCK_PARENTS.has(parent.type)) return false;
    for (const earlier of this.ifsOf(parent)) {
      if (earlier.endIndex > n.startIndex) break;
      const condition = earlier.childForFieldName("condition");
      if (condition && exitsEarly(earlier.childForFieldName("consequence")) && rejects(condition, name, this.isSanitizer)) return true;
    }
    return false;
  }

  /** Is the use of `name` at `use` protected by a guard inside `scope`? */
  isGuarded(use: Node, name: string, scope: Node): boolean {
    const suffix = `|${scope.id}|${name}`;
    const passed: string[] = [];
    let result = false;
    for (let n: Node = use; n.id !== scope.id; ) {
      const key = `${n.id}${suffix}`;
      const known = this.answers.get(key);
      if (known !== undefined) {
        result = known;
        break;
      }
      passed.push(key);
      const parent = this.ancestry.parentOf(n);
      if (!parent) break;
      if (this.guardsHere(n, parent, name)) {
        result = true;
        break;
      }
      n = parent;
    }
    for (const key of passed) this.answers.set(key, result);
    return result;
  }
}

/** Where statements sit, so an earlier `if` can guard a later statement. */
const BLOCK_PARENTS = new Set(["statement_block", "program", "module", "block", "switch_case", "switch_default", "else_clause"]);
