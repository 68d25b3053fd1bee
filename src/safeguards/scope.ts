// What a safeguard protects, read from the syntax tree: the enclosing route or handler, the
// router a route is registered on. The same questions are asked of the old and the new file.
import type Parser from "tree-sitter";

type Node = Parser.SyntaxNode;

export const HTTP_VERBS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "route", "api_route", "websocket"]);

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** The string value of a string literal node (quotes removed), else undefined. */
function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "string" || node.type === "template_string") return node.text.replace(/^[rbfuRBFU]*(['"`]{1,3})/, "").replace(/(['"`]{1,3})$/, "");
  return undefined;
}

/** A route registration: `router.get('/path', ...)` (JS) or `@router.get('/path')` (Python). */
export interface RouteRef {
  receiver: string;
  verb: string;
  path: string;
  /** The node the route stands for (the call, or the decorated definition). */
  node: Node;
}

/** The route a call_expression registers, if it is `<receiver>.<verb>('<path>', ...)`. */
function routeOfCall(call: Node): RouteRef | undefined {
  const fn = call.childForFieldName("function");
  if (!fn || (fn.type !== "member_expression" && fn.type !== "attribute")) return undefined;
  const property = fn.childForFieldName(fn.type === "attribute" ? "attribute" : "property");
  const object = fn.childForFieldName("object");
  if (!property || !object || !HTTP_VERBS.has(property.text.toLowerCase())) return undefined;
  const args = call.childForFieldName("arguments");
  const path = stringValue(args?.namedChildren[0]);
  if (path === undefined) return undefined;
  return { receiver: normalize(object.text), verb: property.text.toLowerCase(), path, node: call };
}

/** The route a Python decorated definition registers through one of its decorators. */
function routeOfDecorated(decorated: Node): RouteRef | undefined {
  for (const child of decorated.namedChildren) {
    if (child.type !== "decorator") continue;
    const call = child.namedChildren[0];
    if (call?.type === "call") {
      const route = routeOfCall(call);
      if (route) return { ...route, node: decorated };
    }
  }
  return undefined;
}

/** Every route registered in a file. */
export function routesOf(root: Node): RouteRef[] {
  const out: RouteRef[] = [];
  const walk = (node: Node) => {
    if (node.type === "call_expression" && node.parent?.type !== "decorator") {
      const route = routeOfCall(node);
      if (route) out.push(route);
    } else if (node.type === "decorated_definition") {
      const route = routeOfDecorated(node);
      if (route) out.push(route);
    }
    for (const child of node.namedChildren) walk(child);
  };
  walk(root);
  return out;
}

function nameOf(node: Node): string | undefined {
  return node.childForFieldName("name")?.text;
}

const NAMED_SCOPES = new Set(["function_declaration", "method_definition", "function_definition", "class_declaration", "class_definition", "class"]);

/** One step outwards: the scope a node itself stands for, if any. */
function scopeOfNode(node: Node): { key: string; route?: RouteRef } | undefined {
  if (node.type === "call_expression") {
    const route = routeOfCall(node);
    if (route) return { key: `${route.verb} ${route.path}`, route };
  }
  if (node.type === "decorated_definition") {
    const route = routeOfDecorated(node);
    const definition = node.childForFieldName("definition");
    const name = definition ? nameOf(definition) : undefined;
    if (route) return { key: `${route.verb} ${route.path}`, route };
    if (name) return { key: `${definition!.type.startsWith("class") ? "class" : "def"} ${name}` };
  }
  if (NAMED_SCOPES.has(node.type)) {
    // A decorated definition speaks for its function (its route, if a decorator registers one).
    if (node.parent?.type === "decorated_definition") return scopeOfNode(node.parent);
    const name = nameOf(node);
    if (name) return { key: `${node.type.startsWith("class") ? "class" : "def"} ${name}` };
  }
  // A method decorator in a TypeScript class body decorates the next method (NestJS @UseGuards).
  if (node.type === "decorator" && node.parent?.type === "class_body") {
    for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) {
      if (next.type === "method_definition") return { key: `def ${nameOf(next) ?? ""}` };
      if (next.type !== "decorator") break;
    }
  }
  return undefined;
}

/** The route or handler enclosing a node (the node itself counts); "" at file level. */
export function enclosingScope(node: Node): { key: string; route?: RouteRef } {
  for (let n: Node | null = node; n; n = n.parent) {
    const scope = scopeOfNode(n);
    if (scope) {
      // A decorator belongs to what it decorates, not to the decorator call itself.
      if (scope.route && n.type === "call_expression" && n.parent?.type === "decorator") continue;
      return scope;
    }
  }
  return { key: "" };
}

/** Every route/handler scope key present in a file. */
export function scopeKeysOf(root: Node): Set<string> {
  const keys = new Set<string>([""]);
  const walk = (node: Node) => {
    const scope = scopeOfNode(node);
    if (scope) keys.add(scope.key);
    for (const child of node.namedChildren) walk(child);
  };
  walk(root);
  return keys;
}

/** Every `<enclosing scope>|<callee>` of the calls in a file. */
export function callKeysOf(root: Node): Set<string> {
  const keys = new Set<string>();
  const walk = (node: Node) => {
    if (node.type === "call_expression" || node.type === "call" || node.type === "new_expression") {
      const callee = node.childForFieldName(node.type === "new_expression" ? "constructor" : "function");
      if (callee) keys.add(`${enclosingScope(node).key}|${normalize(callee.text)}`);
    }
    for (const child of node.namedChildren) walk(child);
  };
  walk(root);
  return keys;
}

/** Every identifier used as the receiver of a member call (`app.use`, `router.get`): the routers that still exist. */
export function receiversOf(root: Node): Set<string> {
  const keys = new Set<string>();
  const walk = (node: Node) => {
    if (node.type === "member_expression" || node.type === "attribute") {
      const object = node.childForFieldName("object");
      if (object) keys.add(normalize(object.text));
    }
    if (node.type === "assignment" || node.type === "variable_declarator") {
      const left = node.childForFieldName(node.type === "assignment" ? "left" : "name");
      if (left) keys.add(normalize(left.text));
    }
    for (const child of node.namedChildren) walk(child);
  };
  walk(root);
  return keys;
}

export { normalize };
