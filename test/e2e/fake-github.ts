// A fake GitHub (REST under /api/v3, GraphQL at /api/graphql, as GitHub Enterprise Server
// serves them) for the black-box test: a node:http server on 127.0.0.1 that the real App talks
// to through GHE_HOST/GHE_PROTOCOL. It records every request and enforces the limits the real
// API enforces that a mock would let slip: App JWTs for /app endpoints, installation tokens for
// everything else, at most 50 annotations per check-run request, review comments only on lines
// that are part of the diff.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createHash, verify as verifySignature, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface FakeFile {
  /** Repository path. */
  filename: string;
  status: "added" | "modified" | "removed" | "renamed";
  /** Unified-diff hunks as GitHub's pull-request files API returns them (no file headers). */
  patch?: string;
  /** The file at the head commit; undefined for removed files. */
  content?: string;
}

export interface FakeRepo {
  owner: string;
  repo: string;
  installationId: number;
  pullNumber: number;
  headSha: string;
  baseSha: string;
  files: FakeFile[];
}

export interface CapturedRequest {
  method: string;
  /** Path and query as received, e.g. /api/v3/repos/o/r/pulls/1/files?per_page=100. */
  url: string;
  /** Path without query. */
  pathname: string;
  headers: IncomingMessage["headers"];
  rawBody: string;
  /** Parsed JSON body, or undefined when empty / not JSON. */
  body: unknown;
  status: number;
  /** True when no fake route handled it (answered 404). */
  unhandled: boolean;
}

export interface CheckRunState {
  id: number;
  /** Every body sent for this check run, in order (create first). */
  bodies: Record<string, unknown>[];
  /** Merged view: later fields override earlier ones; annotations accumulate like GitHub's. */
  merged: Record<string, unknown>;
  annotations: Record<string, unknown>[];
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

/** Lines a review comment may target, per side, from a GitHub patch; and which RIGHT lines are additions. */
export function diffLines(patch: string): { right: Set<number>; left: Set<number>; added: Set<number> } {
  const right = new Set<number>();
  const left = new Set<number>();
  const added = new Set<number>();
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      continue;
    }
    if (line.startsWith("\\")) continue; // "\ No newline at end of file"
    if (line.startsWith("+")) {
      right.add(newLine);
      added.add(newLine++);
    } else if (line.startsWith("-")) {
      left.add(oldLine++);
    } else {
      right.add(newLine++);
      left.add(oldLine++);
    }
  }
  return { right, left, added };
}

function base64url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

export class FakeGitHub {
  readonly requests: CapturedRequest[] = [];
  readonly checkRuns = new Map<number, CheckRunState>();
  readonly reviews: { id: number; body: Record<string, unknown> }[] = [];
  /** Installation tokens this fake has issued. */
  readonly tokens = new Set<string>();
  #server: Server | undefined;
  #nextId = 1000;
  #inFlight = 0;
  #lastActivity = Date.now();

  constructor(
    readonly repo: FakeRepo,
    /** The App's public key and id, to verify the JWTs the App signs. */
    readonly app: { id: number; publicKey: KeyObject },
  ) {}

  /** Forget everything recorded (issued tokens stay valid), e.g. between deliveries. */
  reset(): void {
    this.requests.length = 0;
    this.checkRuns.clear();
    this.reviews.length = 0;
  }

  get port(): number {
    return (this.#server!.address() as AddressInfo).port;
  }

  /** host:port, for GHE_HOST. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolve once no request has been in flight for `quietMs`. */
  async idle(quietMs = 400, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#inFlight === 0 && Date.now() - this.#lastActivity >= quietMs) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.#inFlight++;
    this.#lastActivity = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const url = req.url ?? "/";
    const pathname = url.split("?")[0]!;
    const captured: CapturedRequest = { method: req.method ?? "GET", url, pathname, headers: req.headers, rawBody, body, status: 0, unhandled: false };
    this.requests.push(captured);
    let reply: Reply;
    try {
      reply = this.#route(captured, new URL(url, "http://fake").searchParams) ?? this.#unhandled(captured);
    } catch (error) {
      if (error instanceof HttpError) {
        reply = { status: error.status, body: { message: error.message, ...(error.errors ? { errors: error.errors } : {}), documentation_url: "https://docs.github.com/rest" } };
      } else {
        reply = { status: 500, body: { message: String(error) } };
      }
    }
    captured.status = reply.status;
    const payload = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": typeof reply.body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      "x-github-request-id": `FAKE:${this.requests.length}`,
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...reply.headers,
    });
    res.end(payload);
    this.#inFlight--;
    this.#lastActivity = Date.now();
  }

  #unhandled(captured: CapturedRequest): Reply {
    captured.unhandled = true;
    return { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
  }

  // ---- auth ----------------------------------------------------------------------------------

  #requireJwt(req: CapturedRequest): void {
    const header = String(req.headers.authorization ?? "");
    const match = /^bearer (.+)$/i.exec(header);
    if (!match) throw new HttpError(401, "A JSON web token could not be decoded");
    const [h, p, s] = match[1]!.split(".");
    if (!h || !p || !s) throw new HttpError(401, "A JSON web token could not be decoded");
    const ok = verifySignature("RSA-SHA256", Buffer.from(`${h}.${p}`), this.app.publicKey, base64url(s));
    if (!ok) throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
    const claims = JSON.parse(base64url(p).toString("utf8")) as { iss?: unknown; exp?: number; iat?: number };
    if (String(claims.iss) !== String(this.app.id)) throw new HttpError(401, "Integration not found");
    const now = Math.floor(Date.now() / 1000);
    if (!claims.exp || claims.exp < now || claims.exp - (claims.iat ?? now) > 600) {
      throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    }
  }

  #requireToken(req: CapturedRequest): void {
    const header = String(req.headers.authorization ?? "");
    const match = /^(?:token|bearer) (.+)$/i.exec(header);
    if (!match) throw new HttpError(401, "Requires authentication");
    if (!this.tokens.has(match[1]!)) throw new HttpError(401, "Bad credentials");
  }

  // ---- routes --------------------------------------------------------------------------------

  #route(req: CapturedRequest, query: URLSearchParams): Reply | undefined {
    const { method } = req;
    const r = this.repo;
    if (method === "POST" && req.pathname === "/api/graphql") {
      this.#requireToken(req);
      return undefined; // nothing is faked over GraphQL: recorded as unhandled
    }
    if (!req.pathname.startsWith("/api/v3/")) return undefined;
    const path = req.pathname.slice("/api/v3".length);
    let m: RegExpExecArray | null;

    if (method === "POST" && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      this.#requireJwt(req);
      if (Number(m[1]) !== r.installationId) throw new HttpError(404, "Not Found");
      const token = `ghs_fake${createHash("sha256").update(String(this.#nextId++)).digest("hex").slice(0, 32)}`;
      this.tokens.add(token);
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: "write", pull_requests: "write", contents: "read", metadata: "read", merge_queues: "read" },
          repository_selection: "all",
        },
      };
    }
    if (method === "GET" && path === "/app") {
      this.#requireJwt(req);
      return { status: 200, body: { id: this.app.id, slug: "vibeguard", name: "vibeguard", owner: { login: r.owner }, html_url: `http://${this.host}/apps/vibeguard` } };
    }

    // The start-up sweep for check runs left in progress walks installations and repositories.
    if (method === "GET" && path === "/app/installations") {
      this.#requireJwt(req);
      return { status: 200, body: [{ id: r.installationId, account: { login: r.owner }, app_id: this.app.id }] };
    }
    if (method === "GET" && path === "/installation/repositories") {
      this.#requireToken(req);
      const repository = { id: 1, name: r.repo, full_name: `${r.owner}/${r.repo}`, owner: { login: r.owner }, html_url: `http://${this.host}/${r.owner}/${r.repo}` };
      return { status: 200, body: { total_count: 1, repositories: [repository] } };
    }

    const repoPrefix = `/repos/${r.owner}/${r.repo}`;
    if (!path.startsWith(`/repos/`)) return undefined;
    this.#requireToken(req);
    if (!path.startsWith(`${repoPrefix}/`)) {
      // e.g. the organisation's .github repository probed for a shared config: absent.
      return { status: 404, body: { message: "Not Found" } };
    }
    const rest = path.slice(repoPrefix.length);
    const pull = `/pulls/${r.pullNumber}`;

    if (method === "GET" && rest === pull) return { status: 200, body: this.#pullRequest() };
    if (method === "GET" && rest === "/pulls") return { status: 200, body: r.pullNumber ? [this.#pullRequest()] : [] };
    if (method === "GET" && rest === `${pull}/files`) {
      const page = Number(query.get("page") ?? "1");
      const perPage = Math.min(Number(query.get("per_page") ?? "30"), 100);
      const all = this.#files();
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < all.length) {
        headers.link = `<http://${this.host}/api/v3${repoPrefix}${pull}/files?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return { status: 200, body: slice, headers };
    }
    if (method === "GET" && (m = /^\/contents\/(.+)$/.exec(rest))) return this.#contents(decodeURIComponent(m[1]!), query, req);
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest))) {
      const file = r.files.find((f) => f.content !== undefined && blobSha(f.content) === m![1]);
      if (!file) throw new HttpError(404, "Not Found");
      return { status: 200, body: { sha: m[1], size: Buffer.byteLength(file.content!), encoding: "base64", content: Buffer.from(file.content!).toString("base64") } };
    }
    if (method === "POST" && rest === "/check-runs") return this.#checkRun(undefined, req.body);
    if (method === "PATCH" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) return this.#checkRun(Number(m[1]), req.body);
    if (method === "GET" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) throw new HttpError(404, "Not Found");
      return { status: 200, body: this.#checkRunBody(run) };
    }
    if (method === "GET" && /^\/commits\/[^/]+\/check-runs$/.test(rest)) {
      const runs = [...this.checkRuns.values()].map((run) => this.#checkRunBody(run));
      return { status: 200, body: { total_count: runs.length, check_runs: runs } };
    }
    if (method === "GET" && (rest === `${pull}/reviews` || rest === `${pull}/comments` || rest === `/issues/${r.pullNumber}/comments`)) {
      return { status: 200, body: [] };
    }
    if (method === "POST" && rest === `${pull}/reviews`) return this.#review(req.body);
    if (method === "POST" && rest === `${pull}/comments`) {
      this.#checkComment(req.body as Record<string, unknown>, "");
      return { status: 201, body: { id: this.#nextId++, ...(req.body as object) } };
    }
    if (method === "POST" && rest === `/issues/${r.pullNumber}/comments`) {
      return { status: 201, body: { id: this.#nextId++, body: (req.body as { body?: string }).body } };
    }
    return undefined;
  }

  #pullRequest(): Record<string, unknown> {
    const r = this.repo;
    return {
      number: r.pullNumber,
      state: "open",
      draft: false,
      head: { sha: r.headSha, ref: "feature", repo: { full_name: `${r.owner}/${r.repo}` } },
      base: { sha: r.baseSha, ref: "main", repo: { full_name: `${r.owner}/${r.repo}` } },
      changed_files: r.files.length,
    };
  }

  #files(): Record<string, unknown>[] {
    const r = this.repo;
    return r.files.map((f) => {
      const lines = f.patch ? f.patch.split("\n") : [];
      const additions = lines.filter((l) => l.startsWith("+")).length;
      const deletions = lines.filter((l) => l.startsWith("-")).length;
      const sha = f.content !== undefined ? blobSha(f.content) : "0".repeat(40);
      const base = `http://${this.host}`;
      return {
        sha,
        filename: f.filename,
        status: f.status,
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `${base}/${r.owner}/${r.repo}/blob/${r.headSha}/${f.filename}`,
        raw_url: `${base}/${r.owner}/${r.repo}/raw/${r.headSha}/${f.filename}`,
        contents_url: `${base}/api/v3/repos/${r.owner}/${r.repo}/contents/${f.filename}?ref=${r.headSha}`,
        ...(f.patch !== undefined ? { patch: f.patch } : {}),
      };
    });
  }

  #contents(path: string, query: URLSearchParams, req: CapturedRequest): Reply {
    const ref = query.get("ref");
    const file = this.repo.files.find((f) => f.filename === path && f.content !== undefined);
    // Only the head revision exists in this fake; any other ref (or none) sees the same tree.
    if (!file || (ref && ref !== this.repo.headSha && ref !== "feature")) throw new HttpError(404, "Not Found");
    const accept = String(req.headers.accept ?? "");
    if (/application\/vnd\.github(\.v3)?\.raw/.test(accept)) return { status: 200, body: file.content! };
    return {
      status: 200,
      body: {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(file.content!),
        name: path.split("/").pop(),
        path,
        sha: blobSha(file.content!),
        content: Buffer.from(file.content!).toString("base64"),
      },
    };
  }

  #checkRun(id: number | undefined, body: unknown): Reply {
    if (!body || typeof body !== "object") throw new HttpError(400, "Problems parsing JSON");
    const b = body as Record<string, unknown>;
    const output = b.output as { annotations?: unknown[] } | undefined;
    const annotations = (output?.annotations ?? []) as Record<string, unknown>[];
    if (annotations.length > 50) {
      throw new HttpError(422, "Validation Failed", [{ resource: "CheckRun", field: "annotations", code: "too_many", message: "Only 50 annotations are allowed per request" }]);
    }
    for (const a of annotations) {
      const file = this.repo.files.find((f) => f.filename === a.path);
      if (!file) throw new HttpError(422, "Validation Failed", [{ resource: "CheckRun", field: "annotations", code: "invalid", message: `path ${String(a.path)} is not in the commit` }]);
    }
    let run: CheckRunState;
    if (id === undefined) {
      if (b.head_sha !== this.repo.headSha) throw new HttpError(422, "No commit found for SHA: " + String(b.head_sha));
      run = { id: this.#nextId++, bodies: [], merged: {}, annotations: [] };
      this.checkRuns.set(run.id, run);
    } else {
      const existing = this.checkRuns.get(id);
      if (!existing) throw new HttpError(404, "Not Found");
      run = existing;
    }
    run.bodies.push(b);
    run.annotations.push(...annotations);
    run.merged = { ...run.merged, ...b, output: { ...(run.merged.output as object | undefined), ...(b.output as object | undefined) } };
    if (b.conclusion !== undefined) run.merged.status = "completed";
    return { status: id === undefined ? 201 : 200, body: this.#checkRunBody(run) };
  }

  #checkRunBody(run: CheckRunState): Record<string, unknown> {
    const base = `http://${this.host}`;
    return {
      id: run.id,
      head_sha: this.repo.headSha,
      name: run.merged.name,
      status: run.merged.status ?? "queued",
      conclusion: run.merged.conclusion ?? null,
      url: `${base}/api/v3/repos/${this.repo.owner}/${this.repo.repo}/check-runs/${run.id}`,
      html_url: `${base}/${this.repo.owner}/${this.repo.repo}/runs/${run.id}`,
      details_url: run.merged.details_url ?? null,
      output: { ...(run.merged.output as object), annotations_count: run.annotations.length },
      app: { id: this.app.id, slug: "vibeguard" },
    };
  }

  #checkComment(c: Record<string, unknown>, where: string): void {
    const file = this.repo.files.find((f) => f.filename === c.path);
    const unprocessable = (message: string): HttpError =>
      new HttpError(422, "Unprocessable Entity", [`${where}${message}`]);
    if (!file?.patch) throw unprocessable("Path could not be resolved");
    const lines = diffLines(file.patch);
    const side = c.side === "LEFT" ? lines.left : lines.right;
    if (typeof c.line !== "number" || !side.has(c.line)) throw unprocessable("Line could not be resolved");
    if (c.start_line !== undefined) {
      const startSide = c.start_side === "LEFT" ? lines.left : c.start_side === "RIGHT" || c.start_side === undefined ? side : lines.right;
      if (typeof c.start_line !== "number" || !startSide.has(c.start_line)) throw unprocessable("Start line could not be resolved");
    }
  }

  #review(body: unknown): Reply {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.commit_id !== undefined && b.commit_id !== this.repo.headSha) throw new HttpError(422, "Unprocessable Entity", ["commit_id is not part of the pull request"]);
    const comments = (Array.isArray(b.comments) ? b.comments : []) as Record<string, unknown>[];
    comments.forEach((c, i) => this.#checkComment(c, `comments[${i}]: `));
    const review = { id: this.#nextId++, body: b };
    this.reviews.push(review);
    return {
      status: 200,
      body: { id: review.id, state: b.event === "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : b.event === "APPROVE" ? "APPROVED" : b.event ? "COMMENTED" : "PENDING", body: b.body ?? "", commit_id: this.repo.headSha },
    };
  }
}

/** Git's blob id of a text. */
export function blobSha(content: string): string {
  const data = Buffer.from(content);
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}
