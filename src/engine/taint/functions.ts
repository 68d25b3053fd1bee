// The functions of one file and the calls to them: what interprocedural taint tracking needs to
// go from a call to the helper it runs, and from a helper back to its call sites. Built once per
// file, on first need, by one query each (no walk over the whole tree in JavaScript).
import Parser from "tree-sitter";
import { grammarLanguage, type GrammarId } from "../languages.js";
import type { Ancestry } from "../syntax.js";

type Node = Parser.SyntaxNode;

const DEFINITIONS: Record<"javascript" | "python", string> = {
  javascript: `
    (function_declaration name: (identifier) @name) @fn
    (generator_function_declaration name: (identifier) @name) @fn
    (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @fn)
    (assignment_expression left: (identifier) @name right: [(arrow_function) (function_expression)] @fn)
    (method_definition name: (property_identifier) @method) @fn
    (pair key: (property_identifier) @method value: [(arrow_function) (function_expression)] @fn)
  `,
  python: `
    (function_definition name: (identifier) @name) @fn
  `,
};

const CALLS: Record<"javascript" | "python", string> = {
  javascript: `
    (call_expression function: (identifier) @callee) @call
    (call_expression function: (member_expression property: (property_identifier) @callee)) @call
  `,
  python: `
    (call function: (identifier) @callee) @call
    (call function: (attribute attribute: (identifier) @callee)) @call
  `,
};

const compiled = new Map<string, Parser.Query>();

function query(grammar: GrammarId, kind: "definitions" | "calls"): Parser.Query {
  const flavour = grammar === "python" ? "python" : "javascript";
  const key = `${grammar}:${kind}`;
  let q = compiled.get(key);
  if (!q) {
    let text = (kind === "definitions" ? DEFINITIONS : CALLS)[flavour];
    // Class fields holding functions: `handle = (x) => ...` (the node differs between the grammars).
    if (kind === "definitions" && grammar === "javascript") text += "(field_definition property: (property_identifier) @method value: [(arrow_function) (function_expression)] @fn)";
    if (kind === "definitions" && (grammar === "typescript" || grammar === "tsx")) text += "(public_field_definition name: (property_identifier) @method value: [(arrow_function) (function_expression)] @fn)";
    q = new Parser.Query(grammarLanguage(grammar), text);
    compiled.set(key, q);
  }
  return q;
}

export interface FunctionDef {
  node: Node;
  name: string;
  /** A method (class member, object member): called as `this.m()`, `self.m()`, `obj.m()`. */
  method: boolean;
  /** Python methods take the receiver first: call arguments start at parameter 1. */
  receiverFirst: boolean;
}

/** Receivers that name the current instance or class. */
const SELF = new Set(["this", "self", "cls", "super"]);

export class FunctionIndex {
  private defs: Map<string, FunctionDef[]> | undefined;
  private calls: Map<string, Node[]> | undefined;
  private byNode: Map<number, FunctionDef> | undefined;

  constructor(
    private readonly grammar: GrammarId,
    private readonly ancestry: Ancestry,
  ) {}

  private definitions(): Map<string, FunctionDef[]> {
    if (this.defs) return this.defs;
    const defs = new Map<string, FunctionDef[]>();
    for (const match of query(this.grammar, "definitions").matches(this.ancestry.root)) {
      let fn: Node | undefined;
      let name: Node | undefined;
      let method = false;
      for (const c of match.captures) {
        if (c.name === "fn") fn = c.node;
        else {
          name = c.node;
          method = c.name === "method";
        }
      }
      if (!fn || !name) continue;
      let receiverFirst = false;
      if (this.grammar === "python") {
        // A def directly in a class body is a method; a @staticmethod takes no receiver.
        const container = this.ancestry.parentOf(fn);
        const holder = container?.type === "decorated_definition" ? this.ancestry.parentOf(container) : container;
        method = holder?.type === "block" && this.ancestry.parentOf(holder)?.type === "class_definition";
        receiverFirst = method && !(container?.type === "decorated_definition" && /@staticmethod\b/.test(container.text.slice(0, fn.startIndex - container.startIndex)));
      }
      const list = defs.get(name.text) ?? [];
      list.push({ node: fn, name: name.text, method, receiverFirst });
      defs.set(name.text, list);
    }
    this.defs = defs;
    return defs;
  }

  /** The definition whose node is `fn` (a function the index knows by name). */
  definitionOf(fn: Node): FunctionDef | undefined {
    if (!this.byNode) {
      this.byNode = new Map();
      for (const list of this.definitions().values()) for (const d of list) this.byNode.set(d.node.id, d);
    }
    return this.byNode.get(fn.id);
  }

  /** The function a call runs, when it is defined in this file and the callee says which. */
  resolve(call: Node): FunctionDef | undefined {
    const callee = call.childForFieldName("function");
    if (!callee) return undefined;
    const defs = this.definitions();
    if (callee.type === "identifier") {
      const candidates = (defs.get(callee.text) ?? []).filter((d) => !d.method);
      return this.nearest(candidates, call);
    }
    if (callee.type !== "member_expression" && callee.type !== "attribute") return undefined;
    const name = (callee.childForFieldName("property") ?? callee.childForFieldName("attribute"))?.text;
    const receiver = callee.childForFieldName("object");
    if (!name || !receiver) return undefined;
    const candidates = (defs.get(name) ?? []).filter((d) => d.method);
    if (candidates.length === 0) return undefined;
    // this.m() / self.m(): the method of the enclosing class; ClassName.m() / obj.m(): only when one method has that name.
    if (SELF.has(receiver.text)) return this.nearest(candidates, call);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** Of same-named definitions, the innermost one around the call, else the first in the file. */
  private nearest(candidates: FunctionDef[], call: Node): FunctionDef | undefined {
    let best: FunctionDef | undefined;
    let bestSize = Number.POSITIVE_INFINITY;
    for (const d of candidates) {
      // Where a definition is visible: approximated by the range of the block or class holding it.
      const parent = this.ancestry.parentOf(d.node);
      const holder = (parent && this.ancestry.parentOf(parent)) ?? parent ?? d.node;
      if (holder.startIndex <= call.startIndex && call.endIndex <= holder.endIndex && holder.endIndex - holder.startIndex < bestSize) {
        best = d;
        bestSize = holder.endIndex - holder.startIndex;
      }
    }
    return best ?? candidates[0];
  }

  /** The calls in this file that run `def`. */
  callsTo(def: FunctionDef): Node[] {
    if (!this.calls) {
      const calls = new Map<string, Node[]>();
      for (const match of query(this.grammar, "calls").matches(this.ancestry.root)) {
        const callee = match.captures.find((c) => c.name === "callee")?.node;
        const call = match.captures.find((c) => c.name === "call")?.node;
        if (!callee || !call) continue;
        const list = calls.get(callee.text) ?? [];
        list.push(call);
        calls.set(callee.text, list);
      }
      this.calls = calls;
    }
    return (this.calls.get(def.name) ?? []).filter((call) => this.resolve(call)?.node.id === def.node.id);
  }
}

/** Each parameter's bound identifiers, by position. */
export function parameterBindings(fn: Node): Node[][] {
  const single = fn.childForFieldName("parameter");
  const params = single ? [single] : (fn.childForFieldName("parameters")?.namedChildren ?? []);
  return params.map((p) => {
    if (p.type === "identifier") return [p];
    const name = p.childForFieldName("name") ?? p.childForFieldName("pattern") ?? p.childForFieldName("left");
    const target = name ?? (p.type === "typed_parameter" ? p.namedChildren[0] : p);
    if (!target) return [];
    if (target.type === "identifier") return [target];
    return target.descendantsOfType(["identifier", "shorthand_property_identifier_pattern"]).filter((n) => n.type === "shorthand_property_identifier_pattern" || n.parent?.type !== "pair_pattern" || n.parent.childForFieldName("value")?.id === n.id);
  });
}

/** Names of each parameter, by position (Python keyword arguments find their parameter by name). */
export function parameterName(binding: Node[]): string | undefined {
  return binding.length === 1 ? binding[0]!.text : undefined;
}
