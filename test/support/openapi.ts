// Test support: check that the requests the App sends to GitHub are ones GitHub would accept.
//
// validateGitHubRequest() finds the operation in GitHub's official OpenAPI description (shipped
// by @octokit/openapi), matches a concrete path such as /repos/o/r/check-runs/123 (with or
// without the /api/v3 prefix GitHub Enterprise Server uses) to its templated path, and validates
// the JSON body against the operation's requestBody schema with ajv. On top of the schema it
// enforces a few rules GitHub applies that the description only states in prose, and it reports
// properties the schema does not declare (GitHub ignores them silently, which hides typos).
//
// Also here: validateGraphQLRequest() for POST /graphql, and recordRequests()/nockGitHub() to
// capture every request nock intercepts for later assertions.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import nock from "nock";

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the
// module object, so take `.default` when it is there.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export type SpecName = "api.github.com" | "ghec" | "ghes-3.17" | "ghes-3.18" | "ghes-3.19";

export interface ValidateOptions {
  /** Which description to validate against; api.github.com unless told. */
  spec?: SpecName;
  /** Report body properties the operation's schema does not declare (default true). */
  rejectUnknownProperties?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: unknown };

interface OpenApiOperation {
  operationId?: string;
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: SchemaNode }>;
  };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | unknown>>;
  components: { schemas?: Record<string, SchemaNode> };
}

interface Route {
  template: string;
  /** Every parameter matches one segment. */
  exact: RegExp;
  /**
   * When the last parameter is one whose values contain slashes (contents/{path}, git/ref/{ref},
   * compare/{basehead}, branches/{branch}), a variant where it may span segments: Octokit
   * encodes the slashes as %2F, other clients send them raw.
   */
  greedy: RegExp | undefined;
  /** Literal characters in the template: more is more specific. */
  literal: number;
}

interface LoadedSpec {
  doc: OpenApiDocument;
  /** Lower-case method -> routes that have it. */
  routes: Map<string, Route[]>;
  /** Converted component schemas (nullable -> type arrays), built lazily. */
  converted: Map<string, SchemaNode>;
  /** "METHOD template" -> compiled body validator (null: the operation takes no JSON body). */
  validators: Map<string, CompiledBody | null>;
}

interface CompiledBody {
  validate: ValidateFunction;
  schema: SchemaNode;
  required: boolean;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const specs = new Map<SpecName, LoadedSpec>();
const require = createRequire(import.meta.url);

function loadSpec(name: SpecName): LoadedSpec {
  const cached = specs.get(name);
  if (cached) return cached;
  // The non-dereferenced description: smaller, and its $refs let recursive schemas stay finite.
  const file = require.resolve(`@octokit/openapi/generated/${name}.json`);
  const doc = JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
  const routes = new Map<string, Route[]>();
  for (const [template, item] of Object.entries(doc.paths)) {
    const route = compileRoute(template);
    for (const method of Object.keys(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const list = routes.get(method) ?? [];
      list.push(route);
      routes.set(method, list);
    }
  }
  for (const list of routes.values()) list.sort((a, b) => b.literal - a.literal);
  const loaded: LoadedSpec = { doc, routes, converted: new Map(), validators: new Map() };
  specs.set(name, loaded);
  return loaded;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const SLASHY_PARAMS = new Set(["path", "ref", "basehead", "branch"]);

function compileRoute(template: string): Route {
  const parts = template.split(/(\{[^}]+\})/);
  const paramNames = parts.filter((p) => p.startsWith("{"));
  const params = paramNames.length;
  const lastMaySpan = params > 0 && SLASHY_PARAMS.has(paramNames[params - 1]!.slice(1, -1));
  let literal = 0;
  let seen = 0;
  let exact = "";
  let greedy = "";
  for (const part of parts) {
    if (part.startsWith("{")) {
      seen++;
      exact += "[^/]+";
      greedy += seen === params ? ".+" : "[^/]+";
    } else {
      literal += part.length;
      exact += escapeRegExp(part);
      greedy += escapeRegExp(part);
    }
  }
  return {
    template,
    exact: new RegExp(`^${exact}$`),
    greedy: lastMaySpan ? new RegExp(`^${greedy}$`) : undefined,
    literal,
  };
}

/** Strip scheme/host, query string, a trailing slash and the GHES /api/v3 prefix. */
function normalisePath(path: string): string {
  let p = path;
  if (/^https?:\/\//i.test(p)) p = new URL(p).pathname;
  p = p.split("?")[0]!.split("#")[0]!;
  if (p.startsWith("/api/v3/") || p === "/api/v3") p = p.slice("/api/v3".length) || "/";
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

function findRoute(spec: LoadedSpec, method: string, path: string): Route | undefined {
  const routes = spec.routes.get(method) ?? [];
  // Routes are sorted most literal first, so /repos/{o}/{r}/check-runs/{id} beats /repos/{o}/{r}/...
  return routes.find((r) => r.exact.test(path)) ?? routes.find((r) => r.greedy?.test(path));
}

// ---- schema conversion -------------------------------------------------------------------

const REF_PREFIX = "#/components/schemas/";

/**
 * OpenAPI 3.0 -> JSON Schema: `nullable: true` becomes a type array (or an anyOf with null when
 * the node has no `type`), and null joins an `enum`. Returns a new tree; the input is untouched.
 */
const MAP_KEYWORDS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"]);

export function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!node || typeof node !== "object") return node;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node as SchemaNode)) {
    if (key === "nullable" || key === "example" || key === "examples") continue;
    if (MAP_KEYWORDS.has(key) && value && typeof value === "object" && !Array.isArray(value)) {
      // name -> schema maps: convert each schema, keep every name (a property may be called
      // "nullable" or "example").
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convertNullable(sub)]));
    } else {
      out[key] = convertNullable(value);
    }
  }
  if ((node as SchemaNode).nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes("null")) out.type = [...out.type, "null"];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

/** Names of component schemas a node references, transitively. */
function collectRefs(spec: LoadedSpec, node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(spec, item, into);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        if (!value.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${value}`);
        const name = value.slice(REF_PREFIX.length);
        if (into.has(name)) continue;
        into.add(name);
        const target = spec.doc.components.schemas?.[name];
        if (!target) throw new Error(`dangling $ref ${value}`);
        collectRefs(spec, target, into);
      } else {
        collectRefs(spec, value, into);
      }
    }
  }
  return into;
}

function componentSchema(spec: LoadedSpec, name: string): SchemaNode {
  let converted = spec.converted.get(name);
  if (!converted) {
    converted = convertNullable(spec.doc.components.schemas?.[name]) as SchemaNode;
    spec.converted.set(name, converted);
  }
  return converted;
}

function newAjv(): Ajv {
  // strict:false: the description carries OpenAPI-only keywords (discriminator, readOnly,
  // x-github-*) that are annotations, not constraints.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  // OpenAPI formats ajv-formats does not know; they carry no constraint worth checking here.
  for (const format of ["int32", "int64", "double", "float", "binary", "byte", "repo.nwo", "timestamp", "password"]) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

let sharedAjv: Ajv | undefined;

function compiledBody(spec: LoadedSpec, method: string, template: string): CompiledBody | null {
  const key = `${method} ${template}`;
  if (spec.validators.has(key)) return spec.validators.get(key)!;
  const operation = spec.doc.paths[template]?.[method] as OpenApiOperation | undefined;
  const content = operation?.requestBody?.content;
  const raw = content?.["application/json"]?.schema;
  let compiled: CompiledBody | null = null;
  if (operation?.requestBody && raw) {
    // Self-contained schema: the body schema plus just the components it reaches, at the same
    // JSON pointer (#/components/schemas/X) so the description's $refs resolve unchanged.
    const names = collectRefs(spec, raw, new Set());
    const schemas: Record<string, SchemaNode> = {};
    for (const name of names) schemas[name] = componentSchema(spec, name);
    const schema = { ...(convertNullable(raw) as SchemaNode), components: { schemas } };
    sharedAjv ??= newAjv();
    compiled = { validate: sharedAjv.compile(schema), schema, required: operation.requestBody.required === true };
  } else if (operation?.requestBody && content) {
    // A non-JSON body (markdown/raw, release assets): nothing to validate structurally.
    compiled = null;
  }
  spec.validators.set(key, compiled);
  return compiled;
}

// ---- unknown properties ------------------------------------------------------------------

function deref(root: SchemaNode, node: unknown): SchemaNode | undefined {
  if (!node || typeof node !== "object") return undefined;
  const ref = (node as SchemaNode).$ref;
  if (typeof ref === "string" && ref.startsWith(REF_PREFIX)) {
    const schemas = (root.components as { schemas: Record<string, SchemaNode> }).schemas;
    return schemas[ref.slice(REF_PREFIX.length)];
  }
  return node as SchemaNode;
}

/** The node and every schema it composes (allOf/anyOf/oneOf), $refs resolved. */
function flatten(root: SchemaNode, node: unknown, out: SchemaNode[] = [], depth = 0): SchemaNode[] {
  const schema = deref(root, node);
  if (!schema || depth > 20) return out;
  out.push(schema);
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) for (const branch of list) flatten(root, branch, out, depth + 1);
  }
  return out;
}

/**
 * Properties of `data` that no schema branch declares, where every branch is closed (declares
 * `properties` and no `additionalProperties`/`patternProperties`). A lenient union: a property
 * declared by any branch counts as known.
 */
function unknownProperties(root: SchemaNode, node: unknown, data: unknown, pointer: string, out: string[]): void {
  const branches = flatten(root, node);
  if (branches.length === 0) return;
  if (Array.isArray(data)) {
    const items = branches.map((b) => b.items).filter((i) => i !== undefined);
    data.forEach((element, index) => {
      for (const item of items) unknownProperties(root, item, element, `${pointer}/${index}`, out);
    });
    return;
  }
  if (!data || typeof data !== "object") return;
  const declared = new Map<string, unknown[]>();
  let open = true;
  for (const branch of branches) {
    const props = branch.properties as Record<string, unknown> | undefined;
    if (props) {
      open = false;
      for (const [name, sub] of Object.entries(props)) declared.set(name, [...(declared.get(name) ?? []), sub]);
    }
    if (Array.isArray(branch.required)) {
      for (const name of branch.required as string[]) if (!declared.has(name)) declared.set(name, []);
    }
  }
  for (const branch of branches) {
    if (branch.patternProperties || (branch.additionalProperties !== undefined && branch.additionalProperties !== false)) {
      // An open map ({ type: object, additionalProperties: {...} }) only counts when it is the
      // object itself, not one of check-run update's `additionalProperties: true` anyOf guards.
      if (!branch.properties || typeof branch.additionalProperties === "object") open = true;
    }
  }
  for (const [name, value] of Object.entries(data)) {
    const subs = declared.get(name);
    if (!subs) {
      if (!open) out.push(`${pointer || "/"} must NOT have unknown property '${name}'`);
      continue;
    }
    for (const sub of subs) unknownProperties(root, sub, value, `${pointer}/${name}`, out);
  }
}

// ---- rules GitHub enforces that the description states only in prose ---------------------

function proseRules(method: string, template: string, body: unknown): string[] {
  const errors: string[] = [];
  if (!body || typeof body !== "object" || Array.isArray(body)) return errors;
  const b = body as Record<string, unknown>;
  const checkRun =
    (method === "post" && template === "/repos/{owner}/{repo}/check-runs") ||
    (method === "patch" && template === "/repos/{owner}/{repo}/check-runs/{check_run_id}");
  if (checkRun) {
    if ((b.status === "completed" || b.completed_at !== undefined) && b.conclusion === undefined) {
      errors.push("/ must have property 'conclusion' when status is completed or completed_at is set");
    }
    const output = b.output as { annotations?: unknown } | undefined;
    if (output && Array.isArray(output.annotations)) {
      output.annotations.forEach((a: unknown, i) => {
        const ann = a as Record<string, unknown>;
        if (!ann || typeof ann !== "object") return;
        if (typeof ann.start_line === "number" && typeof ann.end_line === "number" && ann.end_line < ann.start_line) {
          errors.push(`/output/annotations/${i} end_line must be >= start_line`);
        }
        if ((ann.start_column !== undefined || ann.end_column !== undefined) && ann.start_line !== ann.end_line) {
          errors.push(`/output/annotations/${i} start_column/end_column are only valid when start_line equals end_line`);
        }
      });
    }
  }
  if (method === "post" && template === "/repos/{owner}/{repo}/pulls/{pull_number}/reviews") {
    if ((b.event === "REQUEST_CHANGES" || b.event === "COMMENT") && (typeof b.body !== "string" || b.body === "")) {
      errors.push(`/body is required when event is ${String(b.event)}`);
    }
    if (Array.isArray(b.comments)) {
      b.comments.forEach((c: unknown, i) => {
        const comment = c as Record<string, unknown>;
        if (!comment || typeof comment !== "object") return;
        if (comment.position === undefined && comment.line === undefined) {
          errors.push(`/comments/${i} must have property 'line' (or the deprecated 'position')`);
        }
        for (const side of ["side", "start_side"]) {
          if (comment[side] !== undefined && comment[side] !== "LEFT" && comment[side] !== "RIGHT") {
            errors.push(`/comments/${i}/${side} must be LEFT or RIGHT`);
          }
        }
        if (typeof comment.start_line === "number" && typeof comment.line === "number" && comment.start_line >= comment.line) {
          errors.push(`/comments/${i}/start_line must be less than line`);
        }
      });
    }
  }
  return errors;
}

// ---- public API ----------------------------------------------------------------------------

function formatAjvError(error: ErrorObject): string {
  const where = error.instancePath || "/";
  let message = error.message ?? "is invalid";
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    if (allowed) message += ` (${allowed.map((v) => JSON.stringify(v)).join(", ")})`;
  }
  if (error.keyword === "additionalProperties") {
    message += ` ('${String((error.params as { additionalProperty?: unknown }).additionalProperty)}')`;
  }
  return `${where} ${message}`;
}

function parseBody(body: unknown): { value: unknown; error?: string } {
  if (body === undefined || body === null || body === "") return { value: undefined };
  if (typeof body === "string") {
    try {
      return { value: JSON.parse(body) as Json };
    } catch {
      return { value: body, error: "body is not valid JSON" };
    }
  }
  if (Buffer.isBuffer(body)) return parseBody(body.toString("utf8"));
  return { value: body };
}

function isGraphQLPath(path: string): boolean {
  return path === "/graphql" || path === "/api/graphql";
}

/**
 * Validate one request the App would send. Returns error strings such as
 * "POST /repos/{owner}/{repo}/check-runs: /output/annotations/0/annotation_level must be equal
 * to one of the allowed values", or [] when GitHub would accept it.
 */
export function validateGitHubRequest(method: string, path: string, body: unknown, options: ValidateOptions = {}): string[] {
  const m = method.toLowerCase();
  const concrete = normalisePath(path);
  if (isGraphQLPath(concrete)) {
    return m === "post"
      ? validateGraphQLRequest(body).map((e) => `POST /graphql: ${e}`)
      : [`${method.toUpperCase()} /graphql: GraphQL requests must be POST`];
  }
  const spec = loadSpec(options.spec ?? "api.github.com");
  const route = findRoute(spec, m, concrete);
  if (!route) return [`${method.toUpperCase()} ${concrete}: no such operation in the ${options.spec ?? "api.github.com"} OpenAPI description`];
  const label = `${method.toUpperCase()} ${route.template}`;
  const parsed = parseBody(body);
  if (parsed.error) return [`${label}: ${parsed.error}`];
  const data = parsed.value;
  const operation = spec.doc.paths[route.template]?.[m] as OpenApiOperation;
  const compiled = compiledBody(spec, m, route.template);

  if (!operation.requestBody) {
    const empty = data === undefined || (typeof data === "object" && data !== null && Object.keys(data).length === 0);
    return empty ? [] : [`${label}: operation takes no request body`];
  }
  if (!compiled) return []; // non-JSON body
  if (data === undefined) return compiled.required ? [`${label}: request body is required`] : [];

  const errors: string[] = [];
  if (!compiled.validate(data)) {
    // An anyOf/oneOf failure repeats each branch's errors; keep them but drop exact duplicates.
    for (const error of compiled.validate.errors ?? []) errors.push(formatAjvError(error));
  }
  if (options.rejectUnknownProperties !== false) unknownProperties(compiled.schema, compiled.schema, data, "", errors);
  errors.push(...proseRules(m, route.template, data));
  return [...new Set(errors)].map((e) => `${label}: ${e}`);
}

/** The templated path (e.g. /repos/{owner}/{repo}/check-runs/{check_run_id}) a request maps to. */
export function matchGitHubOperation(method: string, path: string, spec: SpecName = "api.github.com"): string | undefined {
  const concrete = normalisePath(path);
  if (isGraphQLPath(concrete)) return "/graphql";
  return findRoute(loadSpec(spec), method.toLowerCase(), concrete)?.template;
}

/** Minimal GraphQL request check: { query: non-empty string, variables?: object, operationName?: string }. */
export function validateGraphQLRequest(body: unknown): string[] {
  const parsed = parseBody(body);
  if (parsed.error) return [parsed.error];
  const b = parsed.value;
  if (!b || typeof b !== "object" || Array.isArray(b)) return ["body must be a JSON object"];
  const errors: string[] = [];
  const { query, variables, operationName, ...rest } = b as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") errors.push("/query must be a non-empty string");
  else if (!/^\s*(#[^\n]*\n\s*)*(query|mutation|subscription|fragment|\{)/.test(query)) {
    errors.push("/query does not look like a GraphQL document");
  } else {
    let depth = 0;
    for (const ch of query) {
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) errors.push("/query has unbalanced braces");
  }
  if (variables !== undefined && (variables === null || typeof variables !== "object" || Array.isArray(variables))) {
    errors.push("/variables must be an object");
  }
  if (operationName !== undefined && typeof operationName !== "string") errors.push("/operationName must be a string");
  for (const key of Object.keys(rest)) errors.push(`/ must NOT have unknown property '${key}'`);
  return errors;
}

// ---- nock recording --------------------------------------------------------------------------

export interface RecordedRequest {
  method: string;
  /** Path with query string, as sent (e.g. /repos/o/r/pulls/1/files?per_page=100). */
  path: string;
  /** Parsed JSON body, the raw string when it is not JSON, undefined when empty. */
  body: unknown;
  headers: Record<string, string>;
}

function recordFrom(req: { method?: string; path?: string; headers?: unknown }, bodyString: string | undefined): RecordedRequest {
  const parsed = parseBody(bodyString);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((req.headers ?? {}) as Record<string, unknown>)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return { method: (req.method ?? "GET").toUpperCase(), path: req.path ?? "/", body: parsed.error ? bodyString : parsed.value, headers };
}

/** Append every request the scope's interceptors match to the returned array. */
export function recordRequests(scope: nock.Scope, into: RecordedRequest[] = []): RecordedRequest[] {
  scope.on("request", (req: { method?: string; path?: string; headers?: unknown }, _interceptor: unknown, body: string) => {
    into.push(recordFrom(req, body));
  });
  return into;
}

export interface RecordedGitHub {
  /** Define interceptors on this scope (it records whatever they match). */
  scope: nock.Scope;
  requests: RecordedRequest[];
  /** validateGitHubRequest over every recorded request; [] when GitHub would take them all. */
  invalid(options?: ValidateOptions): string[];
}

/**
 * nock scope for a GitHub API host that records every matched request:
 *   const gh = nockGitHub();
 *   gh.scope.post("/repos/o/r/check-runs").reply(201, { id: 1 });
 *   ...; expect(gh.invalid()).toEqual([]); expect(gh.requests[0]!.body).toMatchObject({...});
 */
export function nockGitHub(baseUrl = "https://api.github.com"): RecordedGitHub {
  const scope = nock(baseUrl);
  const requests = recordRequests(scope);
  return {
    scope,
    requests,
    invalid: (options) => requests.flatMap((r) => validateGitHubRequest(r.method, r.path, r.body, options)),
  };
}
