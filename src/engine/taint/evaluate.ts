// Decides whether an expression carries untrusted data, and along which path: a small,
// intraprocedural def-use walk over the syntax tree, memoised per file.
import type Parser from "tree-sitter";
import type { TraceStep } from "../../findings.js";
import type { GrammarId } from "../languages.js";
import { boundNames, collectAssignments, isSimpleChain, parameterNames, type Assignment } from "./assignments.js";
import { GuardChecker } from "./guards.js";
import type { Ancestry } from "../syntax.js";
import { Deadline } from "../deadline.js";
import { parameterBindings, type FunctionDef, type FunctionIndex } from "./functions.js";
import type { ConstantResolver } from "./constants.js";

type Node = Parser.SyntaxNode;
export type Trace = TraceStep[];

/** Expressions whose value carries the taint of any named child. */
const PASS_THROUGH = new Set([
  "parenthesized_expression",
  "await_expression",
  "await",
  "spread_element",
  "as_expression",
  "satisfies_expression",
  "non_null_expression",
  "type_assertion",
  "template_substitution",
  "interpolation",
  "array",
  "object",
  "list",
  "tuple",
  "set",
  "dictionary",
  "concatenated_string",
  "list_splat",
  "dictionary_splat",
  "expression_list",
  "format_expression",
]);

const COMPARISONS = new Set(["===", "==", "!==", "!=", "<", ">", "<=", ">=", "instanceof", "in"]);
/** Methods whose result carries their arguments' taint even on a clean receiver: "a {}".format(x), ",".join(xs). */
const ARGUMENT_METHODS = new Set(["format", "format_map", "join", "concat", "replace", "replaceAll", "resolve"]);
/** Containers the binding patterns and parameter lists sit in. */
const PATTERN_WRAPPERS = new Set([
  "required_parameter",
  "optional_parameter",
  "typed_parameter",
  "default_parameter",
  "typed_default_parameter",
  "assignment_pattern",
  "object_pattern",
  "array_pattern",
  "pair_pattern",
  "rest_pattern",
  "pattern_list",
  "tuple_pattern",
  "list_splat_pattern",
  "dictionary_splat_pattern",
]);

export interface EndpointSets {
  sources: Node[];
  sanitizers: Node[];
  propagators: Node[];
  /**
   * Request objects identified by role (a route handler's first parameter, whatever its name):
   * reading a field of one is a source, except the fields the framework fills itself.
   */
  objectSources?: Node[];
  /** For propagators that say which arguments carry the taint (@carry captures), those arguments by propagator id. */
  carriers?: Map<number, Node[]>;
}

/** Fields of a request/context/event object that the server, not the client, fills in. */
const TRUSTED_OBJECT_FIELDS = new Set([
  "user", "session", "sessionID", "method", "app", "res", "response", "locals", "state", "status", "log", "logger", "id",
  "isAuthenticated", "isUnauthenticated", "logout", "login", "auth", "route", "baseUrl", "protocol", "secure", "server",
  "raw", "routeOptions", "routerPath", "context", "db", "origin", "source", "isTrusted", "type", "timeStamp", "requestContext",
  "next", "socket", "connection", "aborted", "complete", "t", "i18n", "redirect", "render", "throw", "assert", "set", "append",
]);

/** Calls whose callback's first parameter receives the receiver's data: xs.forEach(x => ...), p.then(v => ...). */
const CALLBACK_METHODS = new Set(["forEach", "map", "flatMap", "filter", "find", "findLast", "some", "every", "then", "reduce", "reduceRight", "sort", "each"]);

/** Finds the endpoints (sources, sanitizers, propagators) on rows first..last (0-based, inclusive). */
export type EndpointLoader = (first: number, last: number) => EndpointSets;

/** The trace step for `node`: its line, shown from where its statement starts on that line. */
export function step(node: Node, ancestry: Ancestry, lineAt: (row: number) => string): TraceStep {
  const statement = ancestry.statementOf(node);
  const row = node.startPosition.row;
  const line = lineAt(row);
  const text = row === statement.startPosition.row ? line.slice(statement.startPosition.column) : line;
  return { line: row + 1, code: text.trim().slice(0, 200) };
}

function append(trace: Trace, next: TraceStep): Trace {
  const last = trace[trace.length - 1];
  if (last && last.line === next.line) return next.kind && !last.kind ? [...trace.slice(0, -1), { ...last, kind: next.kind, note: next.note }] : trace;
  return [...trace, next];
}

/** Joins two traces, dropping a repeated line where they meet. */
export function concat(first: Trace, second: Trace): Trace {
  let out = first;
  for (const s of second) out = append(out, s);
  return out;
}

/** Interprocedural state shared by a rule's evaluators in one file: function index and summaries. */
export interface Interprocedural {
  functions: FunctionIndex;
  constants?: ConstantResolver;
  /** Assignments found in each scope's code, by scope id: the same for every rule and summary. */
  assignments?: Map<number, Assignment[]>;
}

/** Source captures that can turn out constant: strings built in place (the "dynamic string" rules' sources). */
const BUILT_VALUES = new Set(["binary_expression", "binary_operator", "template_string", "string", "call", "call_expression", "concatenated_string"]);

/** How deep helper calls are followed (helper of a helper of a helper). */
const MAX_CALL_DEPTH = 4;

const IN_PROGRESS: unique symbol = Symbol("in-progress");
const MAX_DEPTH = 60;

export class TaintEvaluator {
  private readonly sources = new Set<number>();
  private readonly sanitizers = new Set<number>();
  private readonly propagators = new Set<number>();
  /** Bindings that are sources (request parameters, destructured request fields), by scope id. */
  private readonly bindingSources = new Map<number, Assignment[]>();
  /** Assignments found in each scope's code, collected once per scope. */
  private readonly collected = new Map<number, Assignment[]>();
  /** Those plus the scope's binding sources, rebuilt when a binding source is added. */
  private readonly assignments = new Map<number, { bindings: number; list: Assignment[] }>();
  private readonly memo = new Map<number, Trace | null | typeof IN_PROGRESS>();
  /** Row ranges whose endpoints are loaded: endpoints are found only where the analysis looks. */
  private readonly loaded: Array<[number, number]> = [];

  private readonly carriers = new Map<number, Node[]>();
  /** Bindings that are request objects by role: their trusted fields are not sources. */
  private readonly objectSources = new Set<number>();
  /** The source node each trace starts from, by its first step. */
  private readonly origins = new WeakMap<TraceStep, Node>();

  private readonly guards: GuardChecker;
  /** Per function, per parameter: an evaluator in which only that parameter is tainted (its summary). */
  private readonly parameterEvaluators: Map<number, TaintEvaluator[]>;
  /** Per function and parameter: does the parameter reach a return value (and by which path)? */
  private readonly returnsParameter = new Map<string, Trace | null>();
  /** Per function: does it return data from a source (and by which path)? */
  private readonly returnsSource = new Map<number, Trace | null>();

  constructor(
    private readonly grammar: GrammarId,
    private readonly loadEndpoints: EndpointLoader,
    private readonly ancestry: Ancestry,
    private readonly lineAt: (row: number) => string,
    private readonly deadline: Deadline = Deadline.none(),
    private readonly inter?: Interprocedural,
    /** Helper calls already being followed (summaries of summaries stop at MAX_CALL_DEPTH). */
    private readonly callDepth = 0,
    parameterEvaluators?: Map<number, TaintEvaluator[]>,
  ) {
    this.guards = new GuardChecker(ancestry, (node) => this.sanitizers.has(node.id));
    this.parameterEvaluators = parameterEvaluators ?? new Map();
  }

  /** An evaluator for the same rule where only parameter `index` of `fn` (-1: every parameter) is tainted (sources dropped). */
  parameterEvaluator(fn: Node, index: number): TaintEvaluator | undefined {
    if (this.callDepth >= MAX_CALL_DEPTH) return undefined;
    let list = this.parameterEvaluators.get(fn.id);
    if (!list) {
      list = [];
      this.parameterEvaluators.set(fn.id, list);
    }
    // Index -1: every parameter at once, to learn cheaply whether any of them matters.
    const slot = index + 1;
    let evaluator = list[slot];
    if (!evaluator) {
      const bindings = parameterBindings(fn);
      const binding = index < 0 ? bindings.flat() : (bindings[index] ?? []);
      const loader: EndpointLoader = (first, last) => ({ ...this.loadEndpoints(first, last), sources: [] });
      evaluator = new TaintEvaluator(this.grammar, loader, this.ancestry, this.lineAt, this.deadline, this.inter, this.callDepth + 1);
      for (const n of binding) evaluator.addSource(n);
      list[slot] = evaluator;
    }
    return evaluator;
  }

  /** The function definition whose body is `fn`, if the index knows it. */
  definitionOf(fn: Node): FunctionDef | undefined {
    return this.inter?.functions.definitionOf(fn);
  }

  /** Calls to `def` in this file. */
  callsTo(def: FunctionDef): Node[] {
    return this.inter?.functions.callsTo(def) ?? [];
  }

  /** The argument a call passes for parameter `index` of `def` (Python keyword arguments by name). */
  argumentFor(call: Node, def: FunctionDef, index: number): Node | undefined {
    const args = call.childForFieldName("arguments")?.namedChildren.filter((a) => a.type !== "comment") ?? [];
    const bindings = parameterBindings(def.node);
    const name = bindings[index]?.length === 1 ? bindings[index]![0]!.text : undefined;
    if (name) {
      const keyword = args.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === name);
      if (keyword) return keyword.childForFieldName("value") ?? undefined;
    }
    const positional = args.filter((a) => a.type !== "keyword_argument" && a.type !== "spread_element" && a.type !== "list_splat" && a.type !== "dictionary_splat");
    const position = def.receiverFirst && call.childForFieldName("function")?.type === "attribute" ? index - 1 : index;
    return position >= 0 ? positional[position] : undefined;
  }

  /** Return values of `fn`: its return statements' values (not nested functions'), or an arrow's expression body. */
  private returnValues(fn: Node): Node[] {
    const body = fn.childForFieldName("body");
    if (body && body.type !== "statement_block" && body.type !== "block") return [body];
    const out: Node[] = [];
    for (const r of fn.descendantsOfType("return_statement")) {
      if (this.ancestry.scopeOf(r).id !== fn.id) continue;
      const value = r.namedChildren.find((c) => c.type !== "comment");
      if (value) out.push(value);
    }
    return out;
  }

  /** The path by which `fn` returns data from a source, evaluated once per function. */
  private sourceReturned(fn: Node, depth: number): Trace | null {
    const known = this.returnsSource.get(fn.id);
    if (known !== undefined) return known;
    this.returnsSource.set(fn.id, null);
    this.ensure(fn);
    const trace = this.firstTainted(this.returnValues(fn), depth);
    this.returnsSource.set(fn.id, trace);
    return trace;
  }

  /** The path from parameter `index` of `fn` to a return value, if any (summary, once per parameter). */
  private parameterReturned(fn: Node, index: number): Trace | null {
    const key = `${fn.id}:${index}`;
    const known = this.returnsParameter.get(key);
    if (known !== undefined) return known;
    this.returnsParameter.set(key, null);
    const evaluator = this.parameterEvaluator(fn, index);
    if (!evaluator) return null;
    evaluator.ensure(fn);
    let trace: Trace | null = null;
    for (const value of evaluator.returnValues(fn)) {
      trace = evaluator.evaluate(value);
      if (trace) {
        trace = append(trace, { ...evaluator.step(value), kind: "return", note: "returned to the caller" });
        break;
      }
    }
    this.returnsParameter.set(key, trace);
    return trace;
  }

  /**
   * A helper that builds a string from its parameters, called with constants only: the string it
   * returns is a constant too (`query("users")` where `query(t)` returns `"SELECT * FROM %s" % t`).
   */
  private constantWrapperCall(call: Node, def: FunctionDef, trace: Trace): boolean {
    const origin = trace[0] && this.origins.get(trace[0]);
    const constants = this.inter?.constants;
    if (!origin || !constants || !BUILT_VALUES.has(origin.type)) return false;
    if (origin.startIndex < def.node.startIndex || origin.endIndex > def.node.endIndex) return false;
    const args = (call.childForFieldName("arguments")?.namedChildren ?? []).filter((a) => a.type !== "comment");
    return args.every((a) => constants.isConstant(a.type === "keyword_argument" ? (a.childForFieldName("value") ?? a) : a));
  }

  /** `req.user`, `ctx.state`, `event.requestContext` on a request object identified by role: filled by the server. */
  private isTrustedField(node: Node, depth: number): boolean {
    const object = node.childForFieldName("object");
    const field = (node.childForFieldName("property") ?? node.childForFieldName("attribute"))?.text;
    if (!object || object.type !== "identifier" || !field || !TRUSTED_OBJECT_FIELDS.has(field) || this.objectSources.size === 0) return false;
    const trace = this.evaluate(object, depth);
    const origin = trace?.[0] && this.origins.get(trace[0]);
    return !!origin && this.objectSources.has(origin.id);
  }

  /** Taint a call to a same-file helper returns: data from a source inside it, or a tainted argument it passes on. */
  private helperCall(node: Node, depth: number): Trace | null {
    const def = this.inter?.functions.resolve(node);
    if (!def) return null;
    const callStep = (): TraceStep => ({ ...this.step(node), kind: "call", note: `returned by ${def.name}()` });
    const inner = this.sourceReturned(def.node, depth);
    if (inner && !this.constantWrapperCall(node, def, inner)) return append(inner, callStep());
    const count = parameterBindings(def.node).length;
    for (let i = 0; i < count; i++) {
      const arg = this.argumentFor(node, def, i);
      if (!arg) continue;
      const argTrace = this.evaluate(arg, depth);
      if (!argTrace) continue;
      const through = this.parameterReturned(def.node, i);
      if (!through) continue;
      const [parameter, ...inside] = through;
      const into = append(argTrace, { ...this.step(node), kind: "call", note: `passed to ${def.name}()` });
      return concat(into, [{ ...parameter!, kind: "param", note: `parameter of ${def.name}()` }, ...inside]);
    }
    return null;
  }

  /** The parameter `key` of callback `fn` receives its caller's data: xs.forEach((x) => ...), p.then((v) => ...). */
  private callbackParameter(fn: Node, key: string, depth: number): Trace | null | undefined {
    const first = parameterBindings(fn)[0];
    if (!first || !first.some((n) => n.text === key)) return undefined;
    const args = this.ancestry.parentOf(fn);
    const call = args && args.type === "arguments" ? this.ancestry.parentOf(args) : null;
    const callee = call?.type === "call_expression" ? call.childForFieldName("function") : null;
    if (!callee || callee.type !== "member_expression") return undefined;
    const method = callee.childForFieldName("property")?.text ?? "";
    if (!CALLBACK_METHODS.has(method)) return undefined;
    const receiver = this.firstTainted([callee.childForFieldName("object")], depth);
    return receiver ? append(receiver, { ...this.step(fn), kind: "param", note: `passed to the ${method}() callback` }) : undefined;
  }

  step(node: Node): TraceStep {
    return step(node, this.ancestry, this.lineAt);
  }

  /** Make sure the endpoints on the rows of `node`'s statement are known (with a function's decorators). */
  ensure(node: Node): void {
    const statement = this.ancestry.isRoot(node) ? node : this.ancestry.statementOf(node);
    const first = Math.min(statement.startPosition.row, node.startPosition.row);
    const last = Math.max(statement.endPosition.row, node.endPosition.row);
    if (this.loaded.some(([a, b]) => a <= first && last <= b)) return;
    this.loaded.push([first, last]);
    const endpoints = this.loadEndpoints(first, last);
    for (const n of endpoints.sanitizers) this.sanitizers.add(n.id);
    for (const n of endpoints.propagators) this.propagators.add(n.id);
    for (const [id, nodes] of endpoints.carriers ?? []) this.carriers.set(id, nodes);
    for (const n of endpoints.sources) this.addSource(n);
    for (const n of endpoints.objectSources ?? []) {
      const pattern = n.type === "required_parameter" || n.type === "optional_parameter" ? n.childForFieldName("pattern") : null;
      this.objectSources.add((pattern ?? n).id);
      this.addSource(n);
    }
  }

  addSource(captured: Node): void {
    // A whole TypeScript parameter (`req: Request`) binds the name in its pattern.
    const pattern = captured.type === "required_parameter" || captured.type === "optional_parameter" ? captured.childForFieldName("pattern") : null;
    const node = pattern && pattern.type === "identifier" ? pattern : captured;
    const binding = this.bindingOf(node);
    // "SELECT ... %s" % TABLE with TABLE = "users": built only from constants, so not dynamic.
    if (!binding && BUILT_VALUES.has(node.type) && this.inter?.constants?.isConstant(node)) return;
    if (!binding) {
      this.sources.add(node.id);
      return;
    }
    const list = this.bindingSources.get(binding.scope.id) ?? [];
    if (list.some((a) => a.source?.id === node.id)) return;
    for (const name of boundNames(node)) list.push({ names: [name], source: node, augmented: false, node, at: binding.at });
    this.bindingSources.set(binding.scope.id, list);
  }

  isSanitizer = (node: Node): boolean => this.sanitizers.has(node.id);

  /** A source capture in a binding position taints the variable it binds. */
  private bindingOf(node: Node): { scope: Node; at: number } | undefined {
    if (node.type !== "identifier" && node.type !== "shorthand_property_identifier_pattern") return undefined;
    const parentOf = (n: Node) => this.ancestry.parentOf(n);
    let child = node;
    let parent = parentOf(node);
    while (parent && PATTERN_WRAPPERS.has(parent.type)) {
      if ((parent.type === "default_parameter" || parent.type === "typed_default_parameter" || parent.type === "assignment_pattern") && parent.namedChildren[0]?.id !== child.id) {
        return undefined; // the default value, not the bound name
      }
      if (parent.type === "pair_pattern" && parent.childForFieldName("value")?.id !== child.id) return undefined;
      child = parent;
      parent = parentOf(parent);
    }
    if (!parent) return undefined;
    if (parent.type === "formal_parameters" || parent.type === "parameters") {
      const fn = parentOf(parent);
      return fn ? { scope: fn, at: fn.startIndex } : undefined;
    }
    if (parent.type === "arrow_function" && parent.childForFieldName("parameter")?.id === child.id) return { scope: parent, at: parent.startIndex };
    if (parent.type === "variable_declarator" && parent.childForFieldName("name")?.id === child.id) return { scope: this.ancestry.scopeOf(parent), at: parent.endIndex };
    if ((parent.type === "assignment" || parent.type === "assignment_expression") && parent.childForFieldName("left")?.id === child.id) {
      return { scope: this.ancestry.scopeOf(parent), at: parent.endIndex };
    }
    return undefined;
  }

  private scopeAssignments(scope: Node): Assignment[] {
    const isModule = this.ancestry.isRoot(scope);
    if (!isModule) this.ensure(scope);
    const shared = this.inter?.assignments ?? this.collected;
    let collected = shared.get(scope.id);
    if (!collected) {
      collected = collectAssignments(this.grammar, scope, isModule);
      shared.set(scope.id, collected);
    }
    const bindings = this.bindingSources.get(scope.id) ?? [];
    const cached = this.assignments.get(scope.id);
    if (cached && cached.bindings === bindings.length) return cached.list;
    const list = bindings.length === 0 ? collected : [...collected, ...bindings].sort((a, b) => a.at - b.at);
    this.assignments.set(scope.id, { bindings: bindings.length, list });
    return list;
  }

  /** The dataflow path to `node` if it carries untrusted data, else null. */
  evaluate(node: Node, depth = 0): Trace | null {
    if (depth > MAX_DEPTH) return null;
    this.deadline.tick();
    const cached = this.memo.get(node.id);
    if (cached === IN_PROGRESS) return null;
    if (cached !== undefined) return cached;
    this.memo.set(node.id, IN_PROGRESS);
    const result = this.compute(node, depth + 1);
    this.memo.set(node.id, result);
    return result;
  }

  private firstTainted(nodes: Array<Node | null | undefined>, depth: number): Trace | null {
    for (const n of nodes) {
      if (!n) continue;
      const t = this.evaluate(n, depth);
      if (t) return t;
    }
    return null;
  }

  private compute(node: Node, depth: number): Trace | null {
    if (this.sanitizers.has(node.id)) return null;
    if (this.sources.has(node.id)) {
      const first = this.step(node);
      this.origins.set(first, node);
      return [first];
    }
    if (this.propagators.has(node.id)) {
      const carriers = this.carriers.get(node.id);
      if (carriers && carriers.length > 0) return this.firstTainted(carriers, depth);
      const fn = node.childForFieldName("function") ?? node.childForFieldName("constructor");
      const receiver = fn && (fn.type === "member_expression" || fn.type === "attribute") ? fn.childForFieldName("object") : null;
      const args = node.childForFieldName("arguments");
      return this.firstTainted([receiver, ...(args?.namedChildren ?? [])], depth);
    }
    switch (node.type) {
      case "identifier":
      case "shorthand_property_identifier":
        return this.lookup(node.text, node, depth);
      case "member_expression":
      case "attribute": {
        if (this.isTrustedField(node, depth)) return null;
        if (isSimpleChain(node)) {
          const assigned = this.lookupAssigned(node.text, node, depth);
          if (assigned !== undefined) return assigned;
        }
        return this.firstTainted([node.childForFieldName("object")], depth);
      }
      case "subscript_expression":
        return this.firstTainted([node.childForFieldName("object")], depth);
      case "subscript":
        return this.firstTainted([node.childForFieldName("value")], depth);
      case "call_expression":
      case "call":
        return this.call(node, depth);
      case "binary_expression": {
        const op = node.children.find((c) => !c.isNamed)?.type ?? "";
        if (COMPARISONS.has(op)) return null;
        return this.firstTainted([node.childForFieldName("left"), node.childForFieldName("right")], depth);
      }
      case "binary_operator":
      case "boolean_operator":
        return this.firstTainted([node.childForFieldName("left"), node.childForFieldName("right")], depth);
      case "template_string":
      case "string":
        return this.firstTainted(node.namedChildren.filter((c) => c.type === "template_substitution" || c.type === "interpolation"), depth);
      case "ternary_expression":
        return this.firstTainted([node.childForFieldName("consequence"), node.childForFieldName("alternative")], depth);
      case "conditional_expression":
        return this.firstTainted([node.namedChildren[0], node.namedChildren[2]], depth);
      case "pair":
      case "keyword_argument":
        // Only the value: a keyword's name is not a variable.
        return this.firstTainted([node.childForFieldName("value")], depth);
      case "assignment_expression":
      case "named_expression":
        return this.firstTainted([node.childForFieldName("right") ?? node.childForFieldName("value")], depth);
      case "sequence_expression":
        return this.firstTainted([node.namedChildren[node.namedChildren.length - 1]], depth);
      case "list_comprehension":
      case "generator_expression":
      case "set_comprehension": {
        const clause = node.namedChildren.find((c) => c.type === "for_in_clause");
        return this.firstTainted([node.childForFieldName("body"), clause?.childForFieldName("right")], depth);
      }
      default:
        if (PASS_THROUGH.has(node.type)) return this.firstTainted(node.namedChildren, depth);
        return null;
    }
  }

  private call(node: Node, depth: number): Trace | null {
    const helper = this.helperCall(node, depth);
    if (helper) return helper;
    const fn = node.childForFieldName("function");
    if (!fn || (fn.type !== "member_expression" && fn.type !== "attribute")) return null;
    // A method called on tainted data returns tainted data: x.trim(), request.args.get("q").
    const receiverTaint = this.firstTainted([fn.childForFieldName("object")], depth);
    if (receiverTaint) return receiverTaint;
    const method = (fn.childForFieldName("property") ?? fn.childForFieldName("attribute"))?.text ?? "";
    if (ARGUMENT_METHODS.has(method)) return this.firstTainted(node.childForFieldName("arguments")?.namedChildren ?? [], depth);
    return null;
  }

  /** Taint of variable `key` as used at `use`, looking through enclosing scopes. */
  private lookup(key: string, use: Node, depth: number): Trace | null {
    return this.lookupAssigned(key, use, depth) ?? null;
  }

  /** As lookup, but undefined when nothing in any scope assigns `key`. */
  private lookupAssigned(key: string, use: Node, depth: number): Trace | null | undefined {
    let scope = this.ancestry.scopeOf(use);
    let before = use.startIndex;
    let anchor: Node = use;
    for (;;) {
      if (this.guards.isGuarded(use, key, scope)) return null;
      const result = this.lookupInScope(key, scope, before, anchor, depth);
      if (result !== undefined) return result;
      // A plain (non-source) parameter of this scope shadows outer variables.
      const isModule = this.ancestry.isRoot(scope);
      if (!isModule && parameterNames(scope).includes(key)) return this.callbackParameter(scope, key, depth) ?? null;
      if (isModule) return undefined;
      anchor = scope;
      scope = this.ancestry.scopeOf(scope);
      before = Number.POSITIVE_INFINITY;
    }
  }

  private lookupInScope(key: string, scope: Node, before: number, use: Node, depth: number): Trace | null | undefined {
    const candidates = this.scopeAssignments(scope).filter((a) => a.names.includes(key) && a.at <= before);
    if (candidates.length === 0) return undefined;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const a = candidates[i]!;
      if (a.source) {
        const first = this.step(a.source);
        this.origins.set(first, a.source);
        return [first];
      }
      // Module-level statements are loaded one by one, as lookups reach them.
      if (this.ancestry.isRoot(scope)) this.ensure(a.node);
      const trace = a.value ? this.evaluate(a.value, depth) : null;
      if (trace) return append(trace, this.step(a.node));
      if (a.augmented) continue;
      const container = this.ancestry.parentOf(this.ancestry.statementOf(a.node));
      if (container && container.startIndex <= use.startIndex && use.endIndex <= container.endIndex) return null;
    }
    return null;
  }
}
