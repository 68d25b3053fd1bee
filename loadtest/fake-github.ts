// A fake GitHub Enterprise Server for the load test: many installations, repositories and pull
// requests at once, on 127.0.0.1 only. It serves what a review reads (pull requests, their files
// and contents, the config lookup) and records what it writes (check runs, reviews), checking the
// App's JWT and installation tokens and GitHub's 50-annotations-per-request limit. Requests it does
// not know are answered 404 and counted, so the report shows them.
import { createHash, verify as verifySignature, type KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoadFile {
  filename: string;
  content: string;
  patch: string;
}

export interface LoadPull {
  installationId: number;
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  files: LoadFile[];
}

export interface CheckRunRecord {
  id: number;
  key: string;
  headSha: string;
  externalId: string | undefined;
  status: string;
  conclusion: string | undefined;
  title: string | undefined;
  annotations: number;
}

export interface ReviewRecord {
  key: string;
  commitId: unknown;
  comments: number;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

const b64url = (s: string): Buffer => Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");

export function blobSha(content: string): string {
  const data = Buffer.from(content);
  return createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
}

export function pullKey(owner: string, repo: string, number: number): string {
  return `${owner}/${repo}#${number}`;
}

export class LoadGitHub {
  readonly pulls = new Map<string, LoadPull>();
  readonly checkRuns = new Map<number, CheckRunRecord>();
  readonly reviews: ReviewRecord[] = [];
  readonly unhandled: string[] = [];
  requests = 0;
  #tokens = new Map<string, number>();
  #blobs = new Map<string, string>();
  #server: Server | undefined;
  #nextId = 1;

  constructor(readonly app: { id: number; publicKey: KeyObject }) {}

  add(pull: LoadPull): void {
    this.pulls.set(pullKey(pull.owner, pull.repo, pull.number), pull);
    for (const f of pull.files) this.#blobs.set(blobSha(f.content), f.content);
  }

  get host(): string {
    return `127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 30_000;
    await new Promise<void>((r) => this.#server!.listen(0, "127.0.0.1", r));
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    this.requests++;
    let reply: Reply;
    try {
      reply = this.#route(req, raw) ?? this.#notFound(req);
    } catch (error) {
      reply = error instanceof HttpError ? { status: error.status, body: { message: error.message } } : { status: 500, body: { message: String(error) } };
    }
    const body = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": typeof reply.body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      "x-ratelimit-limit": "15000",
      "x-ratelimit-remaining": "14999",
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      ...reply.headers,
    });
    res.end(body);
  }

  #notFound(req: IncomingMessage): Reply {
    this.unhandled.push(`${req.method} ${req.url}`);
    return { status: 404, body: { message: "Not Found" } };
  }

  #requireJwt(req: IncomingMessage): void {
    const m = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ""));
    const [h, p, s] = (m?.[1] ?? "").split(".");
    if (!h || !p || !s || !verifySignature("RSA-SHA256", Buffer.from(`${h}.${p}`), this.app.publicKey, b64url(s))) {
      throw new HttpError(401, "A JSON web token could not be decoded");
    }
  }

  #installationOf(req: IncomingMessage): number {
    const m = /^(?:token|bearer) (.+)$/i.exec(String(req.headers.authorization ?? ""));
    const installation = m ? this.#tokens.get(m[1]!) : undefined;
    if (installation === undefined) throw new HttpError(401, "Bad credentials");
    return installation;
  }

  #route(req: IncomingMessage, raw: string): Reply | undefined {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const method = req.method ?? "GET";
    let m: RegExpExecArray | null;
    if (method === "POST" && (m = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      this.#requireJwt(req);
      const token = `ghs_load${createHash("sha256").update(String(this.#nextId++)).digest("hex").slice(0, 32)}`;
      this.#tokens.set(token, Number(m[1]));
      return { status: 201, body: { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", pull_requests: "write", contents: "read" } } };
    }
    if (!(m = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path))) return undefined;
    const installation = this.#installationOf(req);
    const owner = decodeURIComponent(m[1]!);
    const repo = decodeURIComponent(m[2]!);
    const rest = m[3] ?? "";
    const body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    const pullOf = (n: string): LoadPull => {
      const pull = this.pulls.get(pullKey(owner, repo, Number(n)));
      if (!pull || pull.installationId !== installation) throw new HttpError(404, "Not Found");
      return pull;
    };

    if (method === "GET" && /^\/contents\/\.github(%2F|\/)vibeguard\.yml$/.test(rest)) return { status: 404, body: { message: "Not Found" } };
    if (method === "GET" && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const p = pullOf(m[1]!);
      return {
        status: 200,
        body: { number: p.number, state: "open", draft: false, head: { sha: p.headSha, ref: "feature" }, base: { sha: p.baseSha, ref: "main" }, changed_files: p.files.length },
      };
    }
    if (method === "GET" && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const p = pullOf(m[1]!);
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Math.min(Number(url.searchParams.get("per_page") ?? "30"), 100);
      const slice = p.files.slice((page - 1) * perPage, page * perPage).map((f) => ({
        sha: blobSha(f.content),
        filename: f.filename,
        status: "added",
        additions: f.content.split("\n").length,
        deletions: 0,
        changes: f.content.split("\n").length,
        blob_url: `http://${this.host}/${owner}/${repo}/blob/${p.headSha}/${f.filename}`,
        raw_url: `http://${this.host}/${owner}/${repo}/raw/${p.headSha}/${f.filename}`,
        contents_url: `http://${this.host}/api/v3/repos/${owner}/${repo}/contents/${f.filename}?ref=${p.headSha}`,
        patch: f.patch,
      }));
      const headers: Record<string, string> = {};
      if (page * perPage < p.files.length) {
        headers.link = `<http://${this.host}/api/v3/repos/${owner}/${repo}/pulls/${p.number}/files?per_page=${perPage}&page=${page + 1}>; rel="next"`;
      }
      return { status: 200, body: slice, headers };
    }
    if (method === "GET" && (m = /^\/contents\/(.+)$/.exec(rest))) {
      const file = decodeURIComponent(m[1]!);
      const ref = url.searchParams.get("ref");
      for (const p of this.pulls.values()) {
        if (p.owner !== owner || p.repo !== repo || (ref && ref !== p.headSha)) continue;
        const f = p.files.find((x) => x.filename === file);
        if (!f) continue;
        if (/raw/.test(String(req.headers.accept ?? ""))) return { status: 200, body: f.content };
        return {
          status: 200,
          body: { type: "file", encoding: "base64", size: Buffer.byteLength(f.content), name: file.split("/").pop(), path: file, sha: blobSha(f.content), content: Buffer.from(f.content).toString("base64") },
        };
      }
      throw new HttpError(404, "Not Found");
    }
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      const content = this.#blobs.get(m[1]!);
      if (content === undefined) throw new HttpError(404, "Not Found");
      return { status: 200, body: { sha: m[1], size: Buffer.byteLength(content), encoding: "base64", content: Buffer.from(content).toString("base64") } };
    }
    if (method === "GET" && (m = /^\/commits\/([0-9a-f]{40})\/check-runs$/.exec(rest))) {
      const sha = m[1]!;
      const runs = [...this.checkRuns.values()].filter((r) => r.key.startsWith(`${owner}/${repo}#`) && r.headSha === sha);
      const name = url.searchParams.get("check_name");
      const list = runs.filter((r) => !name || name === "vibeguard").map((r) => this.#runBody(owner, repo, r));
      return { status: 200, body: { total_count: list.length, check_runs: list } };
    }
    if (method === "POST" && rest === "/check-runs") {
      const pull = [...this.pulls.values()].find((p) => p.owner === owner && p.repo === repo && p.headSha === body.head_sha);
      if (!pull) throw new HttpError(422, `No commit found for SHA: ${String(body.head_sha)}`);
      const run: CheckRunRecord = {
        id: this.#nextId++,
        key: pullKey(owner, repo, pull.number),
        headSha: String(body.head_sha),
        externalId: body.external_id,
        status: body.conclusion ? "completed" : String(body.status ?? "queued"),
        conclusion: body.conclusion,
        title: body.output?.title,
        annotations: 0,
      };
      this.#applyRun(run, body);
      this.checkRuns.set(run.id, run);
      return { status: 201, body: this.#runBody(owner, repo, run) };
    }
    if ((method === "PATCH" || method === "GET") && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.get(Number(m[1]));
      if (!run) throw new HttpError(404, "Not Found");
      if (method === "PATCH") this.#applyRun(run, body);
      return { status: 200, body: this.#runBody(owner, repo, run) };
    }
    if (method === "GET" && /^\/(pulls|issues)\/\d+\/(comments|reviews)$/.test(rest)) return { status: 200, body: [] };
    if (method === "POST" && (m = /^\/pulls\/(\d+)\/reviews$/.exec(rest))) {
      const p = pullOf(m[1]!);
      if (body.commit_id !== undefined && body.commit_id !== p.headSha) throw new HttpError(422, "commit_id is not part of the pull request");
      this.reviews.push({ key: pullKey(owner, repo, p.number), commitId: body.commit_id, comments: Array.isArray(body.comments) ? body.comments.length : 0 });
      return { status: 200, body: { id: this.#nextId++, state: "COMMENTED", commit_id: p.headSha } };
    }
    if (method === "POST" && (m = /^\/(pulls|issues)\/(\d+)\/comments$/.exec(rest))) {
      return { status: 201, body: { id: this.#nextId++ } };
    }
    return undefined;
  }

  #applyRun(run: CheckRunRecord, body: Record<string, any>): void {
    const annotations = (body.output?.annotations ?? []) as unknown[];
    if (annotations.length > 50) throw new HttpError(422, "Only 50 annotations are allowed per request");
    run.annotations += annotations.length;
    if (body.status) run.status = String(body.status);
    if (body.conclusion) {
      run.conclusion = String(body.conclusion);
      run.status = "completed";
    }
    if (body.output?.title) run.title = String(body.output.title);
  }

  #runBody(owner: string, repo: string, run: CheckRunRecord): Record<string, unknown> {
    return {
      id: run.id,
      name: "vibeguard",
      head_sha: run.headSha,
      external_id: run.externalId ?? null,
      status: run.status,
      conclusion: run.conclusion ?? null,
      html_url: `http://${this.host}/${owner}/${repo}/runs/${run.id}`,
      app: { id: this.app.id, slug: "vibeguard" },
      output: { title: run.title ?? null, annotations_count: run.annotations },
    };
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
