// Reads a code pattern (`subprocess.call($CMD, shell=True)`) into a small tree: the snippet is
// parsed with the rule's own grammar after metavariables become placeholder identifiers.
import type Parser from "tree-sitter";
import { familyOf, parserFor, type GrammarId } from "../languages.js";

type Node = Parser.SyntaxNode;

export type PatternNode =
  /** A syntax node whose significant children must match in turn. */
  | { kind: "node"; type: string; field?: string; text: string; children: PatternNode[] }
  /** A token (identifier, number, operator, keyword): type and text must match. */
  | { kind: "leaf"; type: string; field?: string; text: string }
  /** A string literal: its content must match, whatever the quotes. */
  | { kind: "string"; type: string; field?: string; text: string; content: string }
  /** An identifier or dotted name (`a.b.c`): matches every spelling that resolves to it. */
  | { kind: "name"; type: string; field?: string; text: string; segments: string[] }
  /** `$X` (one node) or `$_` (one node, not bound). */
  | { kind: "meta"; type: string; field?: string; text: string; name?: string }
  /** `$...X`, `$$$` or `...`: any number of siblings. */
  | { kind: "variadic"; type: string; field?: string; text: string; name?: string };

export class PatternSyntaxError extends Error {}

const META = "__VGM_";
const VARIADIC = "__VGS_";

/** Metavariables to identifiers the grammar accepts: `$X` → __VGM_X, `$...X`/`$$$`/`...` → __VGS_... */
export function withPlaceholders(pattern: string): string {
  let anonymous = 0;
  return pattern
    .replace(/\$\.\.\.([A-Z_][A-Z0-9_]*)/g, (_, name: string) => `${VARIADIC}${name}`)
    .replace(/\$\$\$/g, () => `${VARIADIC}_${anonymous++}`)
    .replace(/\$([A-Z_][A-Z0-9_]*)/g, (_, name: string) => (name === "_" ? `${META}_${anonymous++}` : `${META}${name}`))
    .replace(/(?<![.\w$])\.\.\.(?![\w$.])/g, () => `${VARIADIC}_${anonymous++}`);
}

/** Placeholders back to the metavariables they stand for, for messages. */
function unplaceholder(text: string): string {
  return text
    .replace(new RegExp(`${VARIADIC}_\\d+`, "g"), "$$$$$$")
    .replace(new RegExp(VARIADIC, "g"), "$$...")
    .replace(new RegExp(`${META}_\\d+`, "g"), "$$_")
    .replace(new RegExp(META, "g"), "$$");
}

/** Placeholder identifiers back to metavariable names; anonymous ones have none. */
function metaOf(text: string): { kind: "meta" | "variadic"; name?: string } | undefined {
  const variadic = text.startsWith(VARIADIC);
  if (!variadic && !text.startsWith(META)) return undefined;
  const name = text.slice(VARIADIC.length);
  return { kind: variadic ? "variadic" : "meta", name: name.startsWith("_") ? undefined : name };
}

/** Tokens that carry no meaning for matching: brackets, separators, quotes. */
const PUNCTUATION = /^[,;()[\]{}:'"`]$|^\?\.$|^\.$/;
const IDENTIFIER_TYPES = new Set(["identifier", "property_identifier", "shorthand_property_identifier", "type_identifier"]);
const CHAIN_TYPES = new Set(["member_expression", "attribute"]);
const STRING_TYPES = new Set(["string"]);

/** Significant children: comments and punctuation dropped, field names kept. */
export function significantChildren(node: Node): Array<{ node: Node; field?: string }> {
  const out: Array<{ node: Node; field?: string }> = [];
  const count = node.childCount;
  for (let i = 0; i < count; i++) {
    const child = node.child(i)!;
    if (child.isExtra || (!child.isNamed && PUNCTUATION.test(child.type))) continue;
    out.push({ node: child, field: node.fieldNameForChild(i) ?? undefined });
  }
  return out;
}

/** An identifier or a member chain of identifiers (`a.b.c`), as its segments. */
export function nameSegments(node: Node): string[] | undefined {
  if (IDENTIFIER_TYPES.has(node.type)) return [node.text];
  if (!CHAIN_TYPES.has(node.type)) return undefined;
  const object = node.childForFieldName("object");
  const property = node.childForFieldName(node.type === "attribute" ? "attribute" : "property");
  if (!object || !property || !IDENTIFIER_TYPES.has(property.type)) return undefined;
  const base = nameSegments(object);
  return base ? [...base, property.text] : undefined;
}

/** The text inside a string literal's quotes (prefixes such as b"..." or r'...' dropped). */
export function stringContent(node: Node): string {
  return node.text.replace(/^[a-zA-Z]*("""|'''|["'`])/, "").replace(/("""|'''|["'`])$/, "");
}

function toPattern(node: Node, field: string | undefined): PatternNode {
  const type = node.type;
  const meta = IDENTIFIER_TYPES.has(type) ? metaOf(node.text) : undefined;
  if (meta) return { kind: meta.kind, type, field, text: node.text, name: meta.name };
  // An expression statement that is only a metavariable stands for statements or one statement.
  if (type === "expression_statement" && node.namedChildCount === 1) {
    const only = node.namedChildren[0]!;
    const inner = IDENTIFIER_TYPES.has(only.type) ? metaOf(only.text) : undefined;
    if (inner) return { kind: inner.kind, type, field, text: node.text, name: inner.name };
  }
  const segments = nameSegments(node);
  if (segments && !segments.some((s) => metaOf(s))) return { kind: "name", type, field, text: segments.join("."), segments };
  if (STRING_TYPES.has(type) && !node.namedChildren.some((c) => /substitution|interpolation/.test(c.type))) {
    return { kind: "string", type, field, text: node.text, content: stringContent(node) };
  }
  const children = significantChildren(node);
  if (children.length === 0) return { kind: "leaf", type, field, text: node.text };
  return { kind: "node", type, field, text: node.text, children: children.map((c) => toPattern(c.node, c.field)) };
}

/** Wrappers the snippet's parse puts around the one construct the pattern is about. */
const CONTAINERS = new Set(["program", "module", "expression_statement"]);

/** Parse a code pattern for one grammar; throws PatternSyntaxError when it does not parse. */
export function parsePattern(pattern: string, grammar: GrammarId): PatternNode {
  const source = withPlaceholders(pattern.trim());
  const tree = parserFor(grammar).parse(source);
  if (tree.rootNode.hasError) {
    const bad = firstError(tree.rootNode);
    const shown = bad && (bad.text || bad.parent?.text || "");
    const where = shown ? ` near "${unplaceholder(shown).slice(0, 40)}"` : "";
    throw new PatternSyntaxError(`pattern does not parse as ${grammar}${where}`);
  }
  let node = tree.rootNode;
  for (;;) {
    const kids = node.namedChildren.filter((c) => !c.isExtra);
    if (!CONTAINERS.has(node.type)) break;
    if (kids.length !== 1) {
      if (node.type === "expression_statement") break;
      throw new PatternSyntaxError(kids.length === 0 ? "pattern is empty" : `a pattern must be one statement or expression (found ${kids.length}); wrap a statement sequence in its block`);
    }
    // Keep a placeholder statement so `$X` alone is reported below.
    node = kids[0]!;
  }
  const root = toPattern(node, undefined);
  if (root.kind === "meta" || root.kind === "variadic") throw new PatternSyntaxError("a pattern must contain some code besides metavariables");
  return root;
}

function firstError(node: Node): Node | undefined {
  if (node.type === "ERROR" || node.isMissing) return node;
  for (const child of node.children) {
    if (child.hasError || child.isMissing || child.type === "ERROR") {
      const found = firstError(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** Every metavariable name a pattern binds, in order of appearance. */
export function metavariablesOf(pattern: PatternNode, out = new Set<string>()): Set<string> {
  if ((pattern.kind === "meta" || pattern.kind === "variadic") && pattern.name) out.add(pattern.name);
  if (pattern.kind === "node") for (const child of pattern.children) metavariablesOf(child, out);
  return out;
}

export { familyOf };
