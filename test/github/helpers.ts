// Test support for the App: a Probot instance with a throwaway key, real webhook payloads from
// @octokit/webhooks-examples, nock scopes that record every request, and a Finding factory.
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { AnalysisResult, SourceFile } from "../../src/analysis/types.js";
import type { ChecklistId } from "../../src/checklist.js";
import type { Finding } from "../../src/findings.js";
import { fingerprint } from "../../src/fingerprint.js";
import { createVibeguardApp } from "../../src/github/app.js";
import vibeguard from "../../src/index.js";
import { MemoryQueue } from "../../src/queue/memory.js";
import type { Analyze } from "../../src/github/run.js";
import nock from "nock";
import { nockGitHub, recordRequests, type RecordedGitHub } from "../support/openapi.js";

const require = createRequire(import.meta.url);

let cachedKey: string | undefined;
/** A fresh RSA key for this test process; never committed. */
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
}

export interface TestApp {
  probot: Probot;
  logs: string[];
  /** The App's embedded review queue: deliver() waits until it has run everything. */
  queue: () => MemoryQueue;
}

export function createTestApp(
  analyze: Analyze,
  options: { baseUrl?: string; Octokit?: typeof ProbotOctokit; log?: (stream: Writable) => pino.Logger; maxReviewBytes?: number } = {},
): TestApp {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    log: options.log ? options.log(stream) : pino({ level: "info" }, stream),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // A function, not an object: Probot layers its own throttle options over object defaults.
    Octokit: options.Octokit ?? ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
  let queue: MemoryQueue | undefined;
  void probot.load(
    createVibeguardApp(
      { analyze, retryDelayMs: 0, ...(options.maxReviewBytes !== undefined ? { maxReviewBytes: options.maxReviewBytes } : {}) },
      { queue: (handler, log) => (queue = new MemoryQueue(handler, { log, retryDelayMs: 0 })) },
    ),
  );
  return {
    probot,
    logs,
    queue: () => {
      if (!queue) throw new Error("the App has not been loaded");
      return queue;
    },
  };
}

// ---- payloads ------------------------------------------------------------------------------

interface ExampleGroup {
  name: string;
  examples: { action?: string; installation?: unknown }[];
}

const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];

/** A deep copy of the first example of `event.action` that has an installation. */
export function example(event: string, action: string): Record<string, any> {
  const group = examples.find((g) => g.name === event);
  const found = group?.examples.find((e) => e.action === action && e.installation);
  if (!found) throw new Error(`no ${event}.${action} example with an installation`);
  return structuredClone(found) as Record<string, any>;
}

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const PR_NUMBER = 2;
export const INSTALLATION_ID = 1;

export function pullRequestPayload(action: string, change: (payload: Record<string, any>) => void = () => {}): Record<string, any> {
  const payload = example("pull_request", action);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  change(payload);
  return payload;
}

/**
 * One delivery to the App as `npm start` loads it (src/index.ts's default export, real analysis),
 * then a wait until the queued review has used up every nock mock.
 */
export async function deliverToDefaultApp(name: string, payload: Record<string, any>): Promise<void> {
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    secret: "s",
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } })),
  });
  await probot.load(vibeguard);
  await probot.receive({ id: "1", name, payload } as never);
  for (let waited = 0; !nock.isDone() && waited < 20_000; waited += 25) await new Promise((r) => setTimeout(r, 25));
}

export async function deliver(app: TestApp, name: string, payload: Record<string, any>): Promise<void> {
  await app.probot.receive({ id: `delivery-${Math.random()}`, name, payload } as never);
  await app.queue().idle();
}

// ---- GitHub mocks --------------------------------------------------------------------------

export function github(baseUrl = "https://api.github.com"): RecordedGitHub {
  const gh = nockGitHub(new URL(baseUrl).origin); // paths below carry the /api/v3 prefix themselves
  const prefix = new URL(baseUrl).pathname.replace(/\/$/, "");
  // Its own scope: persist() applies to a whole scope, and the other interceptors must not persist.
  const tokens = nock(new URL(baseUrl).origin)
    .post(`${prefix}/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write", pull_requests: "write", contents: "read" } })
    .persist();
  recordRequests(tokens, gh.requests);
  return gh;
}

/** The config lookups context.config makes: the repository's file, then the org's `.github` repo. */
export function mockConfig(gh: RecordedGitHub, yaml: string | undefined, prefix = "", owner = OWNER, repo = REPO): void {
  const path = (r: string) => new RegExp(`^${prefix}/repos/${owner}/${r.replace(/\./g, "\\.")}/contents/\\.github(%2F|/)vibeguard\\.yml`);
  if (yaml === undefined) {
    gh.scope.get(path(repo)).reply(404, { message: "Not Found" });
    gh.scope.get(path(".github")).reply(404, { message: "Not Found" });
  } else {
    gh.scope.get(path(repo)).reply(200, yaml, { "content-type": "application/vnd.github.raw; charset=utf-8" });
  }
}

export interface MockFile {
  filename: string;
  status?: string;
  patch?: string;
  content?: string;
  changes?: number;
  size?: number;
}

/** A patch that adds every line of `content` to a new file. */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, "").split("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;
}

export function fileEntry(f: MockFile): Record<string, unknown> {
  return {
    sha: "b".repeat(40),
    filename: f.filename,
    status: f.status ?? "added",
    additions: f.patch ? (f.patch.match(/^\+/gm) ?? []).length : (f.changes ?? 0),
    deletions: 0,
    changes: f.changes ?? (f.patch ? (f.patch.match(/^[+-]/gm) ?? []).length : 0),
    blob_url: "https://github.com/x",
    raw_url: "https://github.com/x",
    contents_url: "https://api.github.com/x",
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
  };
}

export function contentEntry(path: string, content: string, size = Buffer.byteLength(content)): Record<string, unknown> {
  return {
    type: "file",
    encoding: "base64",
    size,
    name: path.split("/").at(-1),
    path,
    content: Buffer.from(content).toString("base64"),
    sha: "c".repeat(40),
    url: "u",
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { self: "u", git: null, html: null },
  };
}

export function mockFiles(gh: RecordedGitHub, files: MockFile[], options: { prefix?: string; sha?: string; number?: number } = {}): void {
  const prefix = options.prefix ?? "";
  const sha = options.sha ?? HEAD_SHA;
  gh.scope
    .get(`${prefix}/repos/${OWNER}/${REPO}/pulls/${options.number ?? PR_NUMBER}/files`)
    .query(true)
    .reply(200, files.map(fileEntry));
  mockContents(gh, files, { prefix, sha });
  mockHead(gh, sha, { prefix, number: options.number ?? PR_NUMBER });
}

/** The pull request as the run reads it before posting: its head decides whether the run is stale. */
export function mockHead(gh: RecordedGitHub, sha = HEAD_SHA, options: { prefix?: string; number?: number; owner?: string; repo?: string } = {}): void {
  const pr = example("pull_request", "opened").pull_request as Record<string, any>;
  const path = `${options.prefix ?? ""}/repos/${options.owner ?? OWNER}/${options.repo ?? REPO}/pulls/${options.number ?? PR_NUMBER}`;
  const body = { ...pr, number: options.number ?? PR_NUMBER, head: { ...pr.head, sha } };
  gh.scope.get(path).reply(200, body);
  // Asked again right before the review is written, when there is one to write.
  gh.scope.get(path).optionally().reply(200, body);
}

export function mockContents(gh: RecordedGitHub, files: MockFile[], options: { prefix?: string; sha?: string; owner?: string; repo?: string } = {}): void {
  for (const f of files) {
    if (f.content === undefined) continue;
    const encoded = f.filename.split("/").map(encodeURIComponent).join("/");
    gh.scope
      .get(new RegExp(`^${options.prefix ?? ""}/repos/${options.owner ?? OWNER}/${options.repo ?? REPO}/contents/(${encoded.replace(/\./g, "\\.")}|${encodeURIComponent(f.filename).replace(/\./g, "\\.")})\\?ref=${options.sha ?? HEAD_SHA}$`))
      .reply(200, contentEntry(f.filename, f.content, f.size));
  }
}

export const CHECK_RUN_ID = 4242;
export const CHECK_RUN_URL = `https://github.com/${OWNER}/${REPO}/runs/${CHECK_RUN_ID}`;

export function mockCheckCreate(gh: RecordedGitHub, prefix = "", owner = OWNER, repo = REPO): void {
  mockCheckLookup(gh, [], prefix, owner, repo);
  gh.scope.post(`${prefix}/repos/${owner}/${repo}/check-runs`).reply(201, { id: CHECK_RUN_ID, html_url: CHECK_RUN_URL });
}

/** This App's existing check runs on the head, as the run looks them up before creating one. */
export function mockCheckLookup(gh: RecordedGitHub, runs: Array<Record<string, unknown>>, prefix = "", owner = OWNER, repo = REPO): void {
  gh.scope
    .get(new RegExp(`^${prefix}/repos/${owner}/${repo}/commits/[0-9a-f]{40}/check-runs`))
    .query(true)
    .reply(200, { total_count: runs.length, check_runs: runs });
}

export function mockCheckUpdates(gh: RecordedGitHub, times = 1, prefix = "", owner = OWNER, repo = REPO): void {
  gh.scope.patch(`${prefix}/repos/${owner}/${repo}/check-runs/${CHECK_RUN_ID}`).times(times).reply(200, { id: CHECK_RUN_ID });
}

export function requestsTo(gh: RecordedGitHub, method: string, pathPart: string | RegExp) {
  return gh.requests.filter(
    (r) => r.method === method && (typeof pathPart === "string" ? r.path.split("?")[0]!.endsWith(pathPart) : pathPart.test(r.path)),
  );
}

/** The bodies of every update sent to the test check run, in order. */
export function checkRunUpdates(gh: RecordedGitHub): Array<Record<string, any>> {
  return requestsTo(gh, "PATCH", `/check-runs/${CHECK_RUN_ID}`).map((r) => r.body as Record<string, any>);
}

// ---- findings and analysis -----------------------------------------------------------------

export function finding(partial: Partial<Finding> & { path: string; line: number }): Finding {
  const ruleId = partial.ruleId ?? "js/sql-injection";
  const snippet = partial.snippet ?? `db.query(\`SELECT * FROM users WHERE id = \${id}\`) // ${partial.line}`;
  return {
    ruleId,
    category: (partial.category ?? "sql-injection") as ChecklistId,
    severity: partial.severity ?? "high",
    endLine: partial.line,
    column: 1,
    endColumn: 10,
    title: "SQL query built from a template string",
    message: "The query interpolates request data, so a caller can change its meaning.",
    fix: "Pass the value as a query parameter.",
    cwe: "CWE-89",
    fingerprint: partial.fingerprint ?? fingerprint(ruleId, partial.path, snippet),
    suppressed: false,
    snippet,
    ...partial,
  };
}

/** An analyze() stand-in that returns the given findings for whichever of their files it receives. */
export function fakeAnalyze(findings: Finding[], checked: ChecklistId[] = ["sql-injection", "secrets"]): Analyze & { calls: SourceFile[][] } {
  const calls: SourceFile[][] = [];
  const fn = async (files: SourceFile[]): Promise<AnalysisResult> => {
    calls.push(files);
    const paths = new Set(files.map((f) => f.path));
    return {
      findings: findings.filter((f) => paths.has(f.path)).map((f) => ({ ...f })),
      skipped: [],
      analyzed: files.map((f) => f.path),
      checked: new Set(files.length > 0 ? checked : []),
    };
  };
  return Object.assign(fn, { calls });
}
