// What a name refers to: per-file import/require resolution, so rules name the canonical module
// path (`child_process.exec`, `Crypto.Cipher.DES.new`, `flask.request`) and match every local
// spelling of it (`cp.exec`, `run` from `const { exec: run } = require(...)`, `D.new`).
//
//   const names = namesOf(root, grammar);          // built once per syntax tree, lazily
//   names.canonicalOf(node)                        // "child_process.exec", or undefined
//   names.refersTo(node, "flask.request")          // any canonical spelling equal to it
//   names.aliasesOf("child_process.exec")          // local names bound to exactly it: ["run"]
//
// Canonical names: an imported local resolves to the dotted path it was imported as; a member
// chain appends its properties; a name bound by nothing in the file resolves to itself (a
// global such as `eval`); a name a local definition shadows resolves to nothing.
import Parser from "tree-sitter";
import { familyOf, grammarLanguage, type GrammarId } from "../languages.js";
import { collectImports, type ImportBinding } from "./imports.js";
import { declaredIn, isScope } from "./scopes.js";

type Node = Parser.SyntaxNode;
type Tree = Parser.Tree;

export type { ImportBinding } from "./imports.js";

export interface NameTable {
  /** Every import binding of the file, in source order. */
  readonly bindings: readonly ImportBinding[];
  /** The canonical dotted name an identifier or member chain refers to; undefined when it is local or not a name. */
  canonicalOf(node: Node): string | undefined;
  /** Every canonical name the node may refer to (`from m import *` adds `m.name`). */
  canonicalNamesOf(node: Node): string[];
  /** Does the node refer to `canonical` (`a.b.c`)? */
  refersTo(node: Node, canonical: string): boolean;
  /** Local names bound to exactly `canonical` (or, with `prefix`, to it or a name under it). */
  aliasesOf(canonical: string, prefix?: boolean): string[];
}

const tables = new WeakMap<Tree, NameTable>();

/** The file's name table, built on first use and kept with the tree. */
export function namesOf(root: Node, grammar: GrammarId): NameTable {
  const tree = root.tree;
  let table = tables.get(tree);
  if (!table) {
    table = new FileNames(root, grammar);
    tables.set(tree, table);
  }
  return table;
}

/** Splits a canonical path: `node:child_process` and `child_process` are one module. */
export function normalizeModule(name: string): string {
  return name.replace(/^node:/, "").replace(/\//g, ".");
}

class FileNames implements NameTable {
  readonly bindings: ImportBinding[];
  private readonly byName = new Map<string, ImportBinding[]>();
  private readonly starModules: string[];
  private readonly family: "javascript" | "python";
  private readonly declared = new Map<number, Set<string>>();

  constructor(
    private readonly root: Node,
    grammar: GrammarId,
  ) {
    this.family = familyOf(grammar);
    const { bindings, starModules } = collectImports(root, grammar, importQuery(grammar));
    this.bindings = bindings;
    this.starModules = starModules;
    for (const binding of bindings) {
      const list = this.byName.get(binding.local) ?? [];
      list.push(binding);
      this.byName.set(binding.local, list);
    }
  }

  canonicalOf(node: Node): string | undefined {
    return this.canonicalNamesOf(node)[0];
  }

  canonicalNamesOf(node: Node): string[] {
    const type = node.type;
    if (type === "identifier" || type === "property_identifier" || type === "shorthand_property_identifier") {
      return this.resolveIdentifier(node);
    }
    if (type === "member_expression" || type === "attribute") {
      const object = node.childForFieldName("object");
      const property = node.childForFieldName(type === "attribute" ? "attribute" : "property");
      if (!object || !property || !/^(property_)?identifier$|^private_property_identifier$/.test(property.type)) return [];
      return this.canonicalNamesOf(object).map((base) => `${base}.${property.text}`);
    }
    if (type === "parenthesized_expression" || type === "await_expression" || type === "non_null_expression") {
      const inner = node.namedChildren[0];
      return inner ? this.canonicalNamesOf(inner) : [];
    }
    if (type === "call_expression") {
      const module = requiredModule(node);
      return module ? [module] : [];
    }
    return [];
  }

  refersTo(node: Node, canonical: string): boolean {
    return this.canonicalNamesOf(node).includes(canonical);
  }

  aliasesOf(canonical: string, prefix = false): string[] {
    const out = new Set<string>();
    for (const b of this.bindings) {
      if (b.canonical === canonical || (prefix && canonical.startsWith(`${b.canonical}.`))) out.add(b.local);
    }
    return [...out];
  }

  private resolveIdentifier(node: Node): string[] {
    const name = node.text;
    // A property name in `a.b` is not a reference; callers ask about the whole chain.
    if (node.type === "property_identifier") return [name];
    const candidates = this.byName.get(name);
    // A name no import binds is itself, wherever it is declared: no need to look at scopes.
    if (!candidates && this.starModules.length === 0) return [name];
    for (let scope: Node | null = node.parent; scope; scope = scope.parent) {
      if (!isScope(scope, this.family)) continue;
      const local = candidates?.filter((b) => b.scope.id === scope!.id && b.node.startIndex <= node.startIndex);
      if (local && local.length > 0) return [local[local.length - 1]!.canonical];
      if (this.declaredNames(scope).has(name)) return [];
    }
    return [name, ...this.starModules.map((m) => `${m}.${name}`)];
  }

  /** Names a scope declares other than by import (parameters, assignments, definitions). */
  private declaredNames(scope: Node): Set<string> {
    let names = this.declared.get(scope.id);
    if (!names) {
      const imported = new Set(this.bindings.filter((b) => b.scope.id === scope.id).map((b) => b.node.id));
      names = declaredIn(scope, this.family, imported);
      this.declared.set(scope.id, names);
    }
    return names;
  }
}

/** `require("x")`, `import("x")` → the module name "x". */
export function requiredModule(call: Node): string | undefined {
  const fn = call.childForFieldName("function");
  if (!fn || !((fn.type === "identifier" && fn.text === "require") || fn.type === "import")) return undefined;
  const first = call.childForFieldName("arguments")?.namedChildren[0];
  if (first?.type !== "string") return undefined;
  const fragment = first.namedChildren.find((c) => c.type === "string_fragment");
  return fragment ? normalizeModule(fragment.text) : undefined;
}

const queries = new Map<GrammarId, Parser.Query>();

/** The statements and calls that bind imported names, one small query per grammar. */
function importQuery(grammar: GrammarId): Parser.Query {
  let query = queries.get(grammar);
  if (!query) {
    const source =
      familyOf(grammar) === "python"
        ? "[(import_statement) (import_from_statement)] @import"
        : `(import_statement) @import
           (call_expression function: (identifier) @_req (#eq? @_req "require")) @call
           (call_expression function: (import)) @call`;
    query = new Parser.Query(grammarLanguage(grammar), source);
    queries.set(grammar, query);
  }
  return query;
}
