// Import statements and require/import() calls to local bindings: which local name stands for
// which canonical dotted path.
import type Parser from "tree-sitter";
import { familyOf, type GrammarId } from "../languages.js";
import { enclosingScope } from "./scopes.js";

type Node = Parser.SyntaxNode;

export interface ImportBinding {
  /** The local name (`cp`, `run`, `D`). */
  local: string;
  /** What it stands for (`child_process`, `child_process.exec`, `Crypto.Cipher.DES`). */
  canonical: string;
  /** The identifier node that binds the name. */
  node: Node;
  /** The function (or module) whose scope the binding belongs to. */
  scope: Node;
}

const strip = (name: string) => name.replace(/^node:/, "").replace(/\//g, ".");

/** Rows (0-based) whose text mentions an import keyword, merged into ranges. */
function importRanges(text: string, family: "javascript" | "python"): Array<[number, number]> {
  const keyword = family === "python" ? /\bimport\b/g : /\b(?:import|require)\b/g;
  const rows: number[] = [];
  let row = 0;
  let lineStart = 0;
  for (let m = keyword.exec(text); m; m = keyword.exec(text)) {
    for (let nl = text.indexOf("\n", lineStart); nl !== -1 && nl < m.index; nl = text.indexOf("\n", lineStart)) {
      row++;
      lineStart = nl + 1;
    }
    if (rows[rows.length - 1] !== row) rows.push(row);
  }
  const ranges: Array<[number, number]> = [];
  for (const r of rows) {
    const last = ranges[ranges.length - 1];
    if (last && r <= last[1] + 4) last[1] = r;
    else ranges.push([r, r]);
  }
  return ranges;
}

export function collectImports(root: Node, grammar: GrammarId, query: Parser.Query): { bindings: ImportBinding[]; starModules: string[] } {
  const family = familyOf(grammar);
  const bindings: ImportBinding[] = [];
  const starModules: string[] = [];
  const seen = new Set<number>();
  const add = (local: Node | null | undefined, canonical: string | undefined) => {
    if (!local || !canonical || !/^(identifier|shorthand_property_identifier_pattern)$/.test(local.type)) return;
    bindings.push({ local: local.text, canonical, node: local, scope: enclosingScope(local, family) });
  };
  for (const [first, last] of importRanges(root.text, family)) {
    const matches = query.matches(root, { startPosition: { row: first, column: 0 }, endPosition: { row: last + 1, column: 0 } });
    for (const match of matches) {
      const capture = match.captures.find((c) => c.name === "import" || c.name === "call");
      if (!capture || seen.has(capture.node.id)) continue;
      seen.add(capture.node.id);
      if (family === "python") pythonImport(capture.node, add, starModules);
      else if (capture.name === "import") esImport(capture.node, add);
      else requireCall(capture.node, add);
    }
  }
  bindings.sort((a, b) => a.node.startIndex - b.node.startIndex);
  return { bindings, starModules };
}

type Add = (local: Node | null | undefined, canonical: string | undefined) => void;

function pythonImport(statement: Node, add: Add, starModules: string[]): void {
  if (statement.type === "import_statement") {
    // import a.b → binds a (to a); import a.b as c → binds c to a.b
    for (const name of statement.childrenForFieldName("name")) {
      if (name.type === "aliased_import") add(name.childForFieldName("alias"), name.childForFieldName("name")?.text);
      else if (name.type === "dotted_name") add(name.namedChildren[0], name.namedChildren[0]?.text);
    }
    return;
  }
  const module = statement.childForFieldName("module_name")?.text;
  if (!module) return;
  for (const child of statement.namedChildren) {
    if (child.type === "wildcard_import") starModules.push(module);
  }
  for (const name of statement.childrenForFieldName("name")) {
    if (name.type === "aliased_import") add(name.childForFieldName("alias"), `${module}.${name.childForFieldName("name")?.text}`);
    else if (name.type === "dotted_name") {
      const last = name.namedChildren[name.namedChildren.length - 1];
      if (name.namedChildren.length === 1) add(last, `${module}.${name.text}`);
    }
  }
}

function esImport(statement: Node, add: Add): void {
  const source = statement.childForFieldName("source");
  const module = source?.namedChildren.find((c) => c.type === "string_fragment")?.text;
  for (const child of statement.namedChildren) {
    if (child.type === "import_require_clause") {
      // TypeScript: import cp = require("child_process")
      const fragment = child.childForFieldName("source")?.namedChildren.find((c) => c.type === "string_fragment")?.text;
      add(child.namedChildren[0], fragment ? strip(fragment) : undefined);
    }
    if (child.type !== "import_clause" || !module) continue;
    const base = strip(module);
    for (const part of child.namedChildren) {
      if (part.type === "identifier") add(part, base); // default import
      else if (part.type === "namespace_import") add(part.namedChildren[0], base);
      else if (part.type === "named_imports") {
        for (const spec of part.namedChildren) {
          if (spec.type !== "import_specifier") continue;
          const name = spec.childForFieldName("name");
          const alias = spec.childForFieldName("alias") ?? name;
          const imported = name?.type === "string" ? name.namedChildren[0]?.text : name?.text;
          add(alias, imported === "default" ? base : `${base}.${imported}`);
        }
      }
    }
  }
}

const TRANSPARENT = new Set(["await_expression", "parenthesized_expression", "non_null_expression", "as_expression"]);

/** require("x") / await import("x"), possibly followed by .member, bound by a declarator or assignment. */
function requireCall(call: Node, add: Add): void {
  const fn = call.childForFieldName("function");
  const arg = call.childForFieldName("arguments")?.namedChildren[0];
  const fragment = arg?.type === "string" ? arg.namedChildren.find((c) => c.type === "string_fragment")?.text : undefined;
  if (!fn || !fragment) return;
  let canonical = strip(fragment);
  let value: Node = call;
  for (let parent = value.parent; parent; parent = value.parent) {
    if (TRANSPARENT.has(parent.type)) value = parent;
    else if (parent.type === "member_expression" && parent.childForFieldName("object")?.id === value.id) {
      const property = parent.childForFieldName("property");
      if (property?.type !== "property_identifier") return;
      // require("x").default is the module itself for CommonJS-style default exports
      if (property.text !== "default") canonical += `.${property.text}`;
      value = parent;
    } else break;
  }
  const holder = value.parent;
  if (!holder) return;
  let target: Node | null = null;
  if (holder.type === "variable_declarator" && holder.childForFieldName("value")?.id === value.id) target = holder.childForFieldName("name");
  else if (holder.type === "assignment_expression" && holder.childForFieldName("right")?.id === value.id) target = holder.childForFieldName("left");
  if (!target) return;
  if (target.type === "identifier") add(target, canonical);
  else if (target.type === "object_pattern") destructure(target, canonical, add);
}

/** const { exec, spawn: sp } = require("child_process") */
function destructure(pattern: Node, base: string, add: Add): void {
  for (const part of pattern.namedChildren) {
    if (part.type === "shorthand_property_identifier_pattern") add(part, `${base}.${part.text}`);
    else if (part.type === "pair_pattern") {
      const key = part.childForFieldName("key");
      const value = part.childForFieldName("value");
      if (!key || !value || !/^(property_identifier|identifier)$/.test(key.type)) continue;
      if (value.type === "identifier") add(value, `${base}.${key.text}`);
      else if (value.type === "object_pattern") destructure(value, `${base}.${key.text}`, add);
    } else if (part.type === "object_assignment_pattern") {
      const left = part.childForFieldName("left");
      if (left?.type === "shorthand_property_identifier_pattern") add(left, `${base}.${left.text}`);
    }
  }
}
