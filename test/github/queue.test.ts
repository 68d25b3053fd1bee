// The App behind Probot's real webhook middleware (signature checks on) with the embedded queue:
// webhooks are acknowledged while reviews run, signatures are enforced before anything is
// queued, duplicate deliveries give one check run and one review, and newer pushes supersede.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import type { AnalysisResult, SourceFile } from "../../src/analysis/types.js";
import { createVibeguardApp } from "../../src/github/app.js";
import { MemoryQueue } from "../../src/queue/memory.js";
import { yieldingAnalyze } from "../../src/queue/yielding.js";
import { INSTALLATION_ID, OWNER, REPO, addedPatch, contentEntry, fileEntry, finding, pullRequestPayload, testPrivateKey } from "./helpers.js";

const SECRET = "queue-test-secret";
const API = "https://api.github.com";
const sha = (n: number): string => n.toString(16).padStart(40, "0");

interface Recorded {
  method: string;
  path: string;
  body: any;
}

/** A GitHub for any number of pull requests of OWNER/REPO: files, contents, check runs, reviews. */
function fakeGitHub(filesPerPull: number) {
  const requests: Recorded[] = [];
  const checkRuns = new Map<number, { headSha: string; bodies: any[] }>();
  let nextId = 100;
  const record = (method: string) =>
    function (this: { req: { path: string } }, _uri: string, body: unknown) {
      requests.push({ method, path: this.req.path, body });
    };
  const repo = `/repos/${OWNER}/${REPO}`;
  const content = (path: string, ref: string): string => `// ${path} at ${ref}\nconst x = req.query.x;\n`;
  const scope = nock(API).persist();
  scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" });
  scope.get(/\/contents\/\.github(%2F|\/)vibeguard\.yml/).reply(404, { message: "Not Found" });
  scope.get(new RegExp(`^${repo}/pulls/\\d+/files`)).reply(function (uri) {
    record("GET").call(this, uri, undefined);
    const n = Number(/pulls\/(\d+)/.exec(uri)![1]);
    return [
      200,
      Array.from({ length: filesPerPull }, (_, i) => {
        const filename = `src/pr${n}/file${i}.js`;
        return fileEntry({ filename, patch: addedPatch(content(filename, "x")) });
      }),
    ];
  });
  scope.get(new RegExp(`^${repo}/contents/`)).reply(function (uri) {
    const url = new URL(uri, API);
    const path = decodeURIComponent(url.pathname.slice(`${repo}/contents/`.length));
    return [200, contentEntry(path, content(path, url.searchParams.get("ref") ?? ""))];
  });
  scope.get(new RegExp(`^${repo}/commits/[0-9a-f]+/check-runs`)).reply(200, { total_count: 0, check_runs: [] });
  scope.post(`${repo}/check-runs`).reply(function (uri, body: any) {
    record("POST").call(this, uri, body);
    const id = nextId++;
    checkRuns.set(id, { headSha: body.head_sha, bodies: [body] });
    return [201, { id, html_url: `https://github.com/${OWNER}/${REPO}/runs/${id}`, head_sha: body.head_sha, status: "in_progress" }];
  });
  scope.patch(new RegExp(`^${repo}/check-runs/\\d+$`)).reply(function (uri, body: any) {
    record("PATCH").call(this, uri, body);
    const id = Number(uri.split("/").at(-1));
    checkRuns.get(id)?.bodies.push(body);
    return [200, { id }];
  });
  scope.get(new RegExp(`^${repo}/pulls/\\d+/(comments|reviews)`)).reply(200, []);
  scope.post(new RegExp(`^${repo}/pulls/\\d+/reviews$`)).reply(function (uri, body) {
    record("POST").call(this, uri, body);
    return [200, { id: nextId++ }];
  });
  const heads = new Map<number, string>();
  scope.get(new RegExp(`^${repo}/pulls/\\d+$`)).reply(function (uri) {
    const n = Number(uri.split("/").at(-1));
    return [200, { number: n, state: "open", draft: false, head: { sha: heads.get(n) ?? sha(0) }, base: { sha: sha(999) }, changed_files: filesPerPull }];
  });
  return {
    requests,
    checkRuns,
    heads,
    reviews: () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/reviews")),
    concluded: () => [...checkRuns.values()].map((r) => ({ headSha: r.headSha, last: [...r.bodies].reverse().find((b: any) => b.conclusion !== undefined) })),
  };
}

/** analyze() that keeps the thread busy `msPerFile` per file, as the real analysis does. */
function busyAnalyze(msPerFile: number, onCall?: (call: number) => void) {
  const calls: string[][] = [];
  const fn = async (files: SourceFile[]): Promise<AnalysisResult> => {
    calls.push(files.map((f) => f.content.split("\n")[0]!));
    onCall?.(calls.length);
    for (const _ of files) {
      const until = Date.now() + msPerFile;
      while (Date.now() < until) {
        // burn
      }
    }
    return {
      findings: files.map((f) => finding({ path: f.path, line: 2 })),
      skipped: [],
      analyzed: files.map((f) => f.path),
      checked: new Set(["sql-injection"]),
    };
  };
  return Object.assign(fn, { calls });
}

interface Running {
  url: string;
  queue: MemoryQueue;
  server: Server;
  logs: string[];
}

async function startApp(analyze: ReturnType<typeof busyAnalyze>, concurrency = 4): Promise<Running> {
  const logs: string[] = [];
  const probot = new Probot({
    appId: 123,
    privateKey: testPrivateKey(),
    secret: SECRET,
    log: pino({ level: "info" }, { write: (line: string) => void logs.push(line) }),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } })),
  });
  let queue: MemoryQueue | undefined;
  const appFn = createVibeguardApp(
    { analyze: yieldingAnalyze(analyze), retryDelayMs: 0 },
    { queue: (handler, log) => (queue = new MemoryQueue(handler, { concurrency, log, retryDelayMs: 0 })) },
  );
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server = createServer((req, res) => void middleware(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, queue: queue!, server, logs };
}

let running: Running | undefined;
afterEach(async () => {
  if (running) {
    await running.queue.close(5_000);
    await new Promise((r) => running!.server.close(r));
    running = undefined;
  }
  nock.cleanAll();
});

let deliveries = 0;
async function post(
  url: string,
  event: string,
  payload: unknown,
  options: { signature?: string | null; delivery?: string } = {},
): Promise<{ status: number; ms: number }> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": options.delivery ?? `delivery-${++deliveries}`,
  };
  const signature = options.signature === undefined ? `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}` : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers, body });
  await res.text();
  return { status: res.status, ms: performance.now() - started };
}

function push(number: number, head: string, updatedAt: number, action = "synchronize"): Record<string, any> {
  return pullRequestPayload(action, (p) => {
    p.number = number;
    p.pull_request.number = number;
    p.pull_request.head.sha = head;
    p.pull_request.state = "open";
    p.pull_request.draft = false;
    p.pull_request.changed_files = 8;
    p.pull_request.updated_at = new Date(updatedAt).toISOString();
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("webhooks with the embedded queue", () => {
  it("acknowledges a webhook in under a second while another pull request is being analysed", async () => {
    const gh = fakeGitHub(40);
    // 2 s of work that blocks the thread, 50 ms per file, like the real analysis. The second
    // webhook is sent from inside the first analysis: this test process is also the server, so
    // it is answered only when the analysis lets the event loop turn.
    let second: Promise<{ status: number; ms: number }> | undefined;
    const analyze = busyAnalyze(50, (call) => {
      if (call === 1) second = post(running!.url, "pull_request", push(2, sha(2), 1000));
    });
    running = await startApp(analyze);
    gh.heads.set(1, sha(1)).set(2, sha(2)); // the pull requests' current heads, as GitHub reports them
    const first = await post(running.url, "pull_request", push(1, sha(1), 1000));
    expect(first.status).toBe(200);
    await until(() => second !== undefined);
    const answered = await second!;
    expect(answered.status).toBe(200);
    expect(answered.ms).toBeLessThan(1000);
    expect(analyze.calls.length).toBeLessThan(80); // answered before the first review's analysis ended
    await running.queue.idle();
    const concluded = gh.concluded();
    expect(concluded.map((c) => c.last?.conclusion)).toEqual(["failure", "failure"]);
    expect(gh.reviews()).toHaveLength(2);
  });

  it("rejects a missing or wrong X-Hub-Signature-256 with 400/401, queues nothing and calls no GitHub API", async () => {
    const gh = fakeGitHub(1);
    const analyze = busyAnalyze(0);
    running = await startApp(analyze);
    const missing = await post(running.url, "pull_request", push(1, sha(1), 1000), { signature: null });
    expect([400, 401]).toContain(missing.status);
    const wrong = await post(running.url, "pull_request", push(1, sha(1), 1000), { signature: `sha256=${"0".repeat(64)}` });
    expect([400, 401]).toContain(wrong.status);
    const otherSecret = await post(running.url, "pull_request", push(1, sha(1), 1000), {
      signature: `sha256=${createHmac("sha256", "not-the-secret").update(JSON.stringify(push(1, sha(1), 1000))).digest("hex")}`,
    });
    expect([400, 401]).toContain(otherSecret.status);
    await new Promise((r) => setTimeout(r, 100));
    expect(running.queue.stats()).toEqual({ queued: 0, running: 0 });
    expect(gh.requests).toEqual([]);
    expect(analyze.calls).toEqual([]);
  });

  it("gives one check run and one review for a redelivery and a duplicate event for the same head", async () => {
    const gh = fakeGitHub(2);
    running = await startApp(busyAnalyze(0));
    gh.heads.set(7, sha(7));
    const payload = push(7, sha(7), 1000, "opened");
    expect((await post(running.url, "pull_request", payload, { delivery: "same-delivery" })).status).toBe(200);
    expect((await post(running.url, "pull_request", payload, { delivery: "same-delivery" })).status).toBe(200);
    expect((await post(running.url, "pull_request", push(7, sha(7), 1000, "synchronize"))).status).toBe(200);
    await running.queue.idle();
    // ...and a redelivery after the review finished.
    expect((await post(running.url, "pull_request", payload, { delivery: "same-delivery" })).status).toBe(200);
    await running.queue.idle();
    expect(gh.requests.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toHaveLength(1);
    expect(gh.reviews()).toHaveLength(1);
  });

  it("a push while the older head is analysed: the older run concludes neutral 'superseded by <sha>' and posts no review", async () => {
    const gh = fakeGitHub(8);
    const analyze = busyAnalyze(100);
    running = await startApp(analyze);
    gh.heads.set(3, sha(30));
    await post(running.url, "pull_request", push(3, sha(30), 1000));
    await until(() => analyze.calls.length > 0);
    gh.heads.set(3, sha(31));
    await post(running.url, "pull_request", push(3, sha(31), 2000));
    await running.queue.idle();
    const byHead = new Map(gh.concluded().map((c) => [c.headSha, c.last]));
    expect(byHead.get(sha(30))).toMatchObject({ conclusion: "neutral", output: { title: expect.stringMatching(/superseded/i) } });
    expect(byHead.get(sha(30)).output.summary).toContain(sha(31).slice(0, 7));
    expect(byHead.get(sha(31))).toMatchObject({ conclusion: "failure" });
    const reviews = gh.reviews();
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.body.commit_id).toBe(sha(31));
  });

  it("a push while the older head still waits: that job concludes neutral at once, without analysis, never left pending", async () => {
    const gh = fakeGitHub(4);
    const analyze = busyAnalyze(100);
    running = await startApp(analyze, 1);
    await post(running.url, "pull_request", push(10, sha(10), 1000)); // occupies the only slot
    await post(running.url, "pull_request", push(11, sha(110), 1000)); // waits
    await post(running.url, "pull_request", push(11, sha(111), 2000)); // supersedes it
    gh.heads.set(10, sha(10));
    gh.heads.set(11, sha(111));
    await running.queue.idle();
    const byHead = new Map(gh.concluded().map((c) => [c.headSha, c.last]));
    expect(byHead.get(sha(110))).toMatchObject({ conclusion: "neutral", output: { title: expect.stringMatching(/superseded/i) } });
    expect(byHead.get(sha(111))).toMatchObject({ conclusion: "failure" });
    for (const c of gh.concluded()) expect(c.last, `check run for ${c.headSha} left pending`).toBeDefined();
    // The superseded head was never read nor analysed, and got no review.
    expect(analyze.calls.flat().some((line) => line.includes(sha(110)))).toBe(false);
    expect(gh.reviews().map((r) => r.body.commit_id).sort()).toEqual([sha(10), sha(111)]);
  });
});
