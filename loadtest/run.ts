// `npm run loadtest`: the real server (and, in Redis mode, real workers) against a fake GitHub
// on 127.0.0.1 serving many pull requests, with every webhook sent at once, signed.
//
//   npm run loadtest                                  # both queue modes, defaults below
//   npm run loadtest -- --mode memory --prs 200       # one mode, more pull requests
//   npm run loadtest -- --files 20 --installations 10 --workers 2
//   npm run loadtest -- --no-kill                     # Redis mode without killing a worker
//
// Reports webhook acknowledgement latency (p50/p95/p99), pull requests analysed per minute, peak
// RSS of each process, and whether every pull request got exactly one completed check run and
// one review. In Redis mode one of the workers is killed (SIGKILL) a third of the way through; its
// jobs are taken over after their lock expires (QUEUE_LOCK_MS, 10 s here). Redis mode starts its
// own redis-server on a free loopback port (LOADTEST_REDIS_URL to use another); it is skipped,
// saying so, when redis-server is not installed. Not part of `npm test`.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LoadGitHub, pullKey, type LoadFile, type LoadPull } from "./fake-github.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TSX = import.meta.resolve("tsx");

const { values } = parseArgs({
  options: {
    mode: { type: "string", default: "both" },
    prs: { type: "string", default: "60" },
    files: { type: "string", default: "20" },
    installations: { type: "string", default: "10" },
    workers: { type: "string", default: "2" },
    "no-kill": { type: "boolean", default: false },
    "timeout-s": { type: "string", default: "200" },
  },
});
const PRS = Number(values.prs);
const FILES = Number(values.files);
const INSTALLATIONS = Number(values.installations);
const WORKERS = Number(values.workers);
const TIMEOUT_MS = Number(values["timeout-s"]) * 1000;
const WEBHOOK_SECRET = `loadtest-${randomUUID()}`;
const APP_ID = 777;

// ---- the pull requests ---------------------------------------------------------------------

const sha1 = (text: string): string => createHash("sha1").update(text).digest("hex");

/** Ordinary application code, and in some files a flaw the rules report (so every PR gets a review). */
function source(ext: string, index: number, flawed: boolean): string {
  if (ext === "py") {
    return [
      "from flask import Flask, request, jsonify",
      "import sqlite3",
      "",
      "app = Flask(__name__)",
      "",
      ...Array.from({ length: 12 }, (_, k) => [`def helper_${index}_${k}(items):`, `    return [i * ${k + 1} for i in items if i % 2 == 0]`, ""]).flat(),
      `@app.route("/items/${index}")`,
      `def items_${index}():`,
      "    name = request.args.get('name', '')",
      "    conn = sqlite3.connect('app.db')",
      flawed ? "    rows = conn.execute(\"SELECT * FROM items WHERE name = '%s'\" % name).fetchall()" : "    rows = conn.execute('SELECT * FROM items WHERE name = ?', (name,)).fetchall()",
      "    return jsonify(rows)",
      "",
    ].join("\n");
  }
  const typed = ext === "ts";
  return [
    'import express from "express";',
    'import { db } from "./db";',
    "",
    "export const router = express.Router();",
    "",
    ...Array.from({ length: 12 }, (_, k) => [
      `export function helper${index}_${k}(items${typed ? ": number[]" : ""})${typed ? ": number[]" : ""} {`,
      `  return items.filter((i) => i % 2 === 0).map((i) => i * ${k + 1});`,
      "}",
      "",
    ]).flat(),
    `router.get("/items/${index}", async (req, res) => {`,
    flawed
      ? "  const rows = await db.query(`SELECT * FROM items WHERE name = '${req.query.name}'`);"
      : '  const rows = await db.query("SELECT * FROM items WHERE name = $1", [req.query.name]);',
    "  res.json(rows);",
    "});",
    "",
  ].join("\n");
}

function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, "").split("\n");
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;
}

function makePulls(): LoadPull[] {
  const exts = ["js", "ts", "py"];
  return Array.from({ length: PRS + 1 }, (_, i) => {
    const installationId = 1000 + (i % INSTALLATIONS);
    const files: LoadFile[] = Array.from({ length: FILES }, (_, f) => {
      const ext = exts[(i + f) % exts.length]!;
      const content = source(ext, f, f % 7 === 0);
      return { filename: `services/pr${i + 1}/module${f}.${ext}`, content, patch: addedPatch(content) };
    });
    return {
      installationId,
      owner: `org${installationId}`,
      repo: `service${i % 3}`,
      number: i + 1,
      headSha: sha1(`head ${i}`),
      baseSha: sha1(`base ${i}`),
      files,
    };
  });
}

function webhook(host: string, p: LoadPull): Record<string, unknown> {
  const repoUrl = `http://${host}/${p.owner}/${p.repo}`;
  return {
    action: "opened",
    number: p.number,
    pull_request: {
      number: p.number,
      state: "open",
      draft: false,
      changed_files: p.files.length,
      updated_at: new Date().toISOString(),
      head: { sha: p.headSha, ref: "feature" },
      base: { sha: p.baseSha, ref: "main" },
    },
    repository: { name: p.repo, full_name: `${p.owner}/${p.repo}`, owner: { login: p.owner }, html_url: repoUrl },
    installation: { id: p.installationId },
  };
}

// ---- processes -------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
}

/** node --import tsx <entry>: one process (the tsx CLI would add a grandchild a kill misses). */
function startNode(name: string, entry: string, env: Record<string, string>): Proc {
  const cwd = mkdtempSync(join(tmpdir(), "vibeguard-load-")); // no developer .env here
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, entry)], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, NODE_ENV: "production", LOG_FORMAT: "json", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.once("exit", () => rmSync(cwd, { recursive: true, force: true }));
  return { name, child, output: () => out };
}

/** Peak resident set size so far (VmHWM), in MiB. */
function peakRssMiB(proc: Proc): number | undefined {
  try {
    const status = readFileSync(`/proc/${proc.child.pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function stop(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.child.once("exit", () => r()));
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function untilHealthy(url: string, proc: Proc): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${proc.name} did not become healthy:\n${proc.output()}`);
}

async function untilOutput(proc: Proc, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`${proc.name} did not say "${text}":\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Send the payloads all at once from loadtest/send.ts; their answer times as it measured them. */
async function sendBurst(url: string, payloads: unknown[]): Promise<{ ms: number; status: number }[]> {
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "loadtest/send.ts")], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.stdin!.end(JSON.stringify({ url, secret: WEBHOOK_SECRET, payloads }));
  if ((await exited) !== 0) throw new Error(`the webhook sender failed:\n${out}`);
  return JSON.parse(out) as { ms: number; status: number }[];
}

// ---- one run ---------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Result {
  mode: string;
  prs: number;
  files: number;
  ack: { p50: number; p95: number; p99: number; max: number; non2xx: number };
  seconds: number;
  prsPerMinute: number;
  peakRss: Record<string, number | undefined>;
  exactlyOnce: boolean;
  problems: string[];
  leftInProgress: number;
  killed?: string;
  unhandled: string[];
}

async function runMode(mode: "memory" | "redis", redisUrl: string | undefined): Promise<Result> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const fake = new LoadGitHub({ id: APP_ID, publicKey });
  await fake.start();
  const pulls = makePulls();
  for (const p of pulls) fake.add(p);

  const port = await freePort();
  const common: Record<string, string> = {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: pem,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    ...(redisUrl
      ? { REDIS_URL: redisUrl, QUEUE_PREFIX: `load-${randomUUID().slice(0, 8)}`, QUEUE_LOCK_MS: "10000", QUEUE_STALLED_INTERVAL_MS: "2000" }
      : {}),
  };
  const server = startNode("server", "src/server.ts", { ...common, WEBHOOK_SECRET, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info" });
  const workers: Proc[] = [];
  const procs = [server];
  try {
    const url = `http://127.0.0.1:${port}`;
    await untilHealthy(url, server);
    // A server that has been up a while: its rule engine is compiled (see src/queue/warm.ts).
    if (mode === "memory") await untilOutput(server, "rule engine warmed up", 120_000);
    if (mode === "redis") {
      for (let w = 1; w <= WORKERS; w++) {
        const worker = startNode(`worker${w}`, "src/worker.ts", { ...common, LOG_LEVEL: "info" });
        workers.push(worker);
        procs.push(worker);
      }
      for (const worker of workers) await untilOutput(worker, "worker ready", 120_000);
    }

    const send = async (p: LoadPull): Promise<{ ms: number; status: number }> => {
        const body = JSON.stringify(webhook(fake.host, p));
        const t = performance.now();
        const res = await fetch(`${url}/api/github/webhooks`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "pull_request",
            "x-github-delivery": randomUUID(),
            "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
          },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        await res.text();
        return { ms: performance.now() - t, status: res.status };
    };
    // One pull request first, alone, so the measured burst meets a warm server (as in production);
    // it is reviewed and checked like the others but not in the latency figures.
    const started = performance.now();
    await send(pulls[0]!);
    // Then every other webhook at once, from a process of its own (see loadtest/send.ts).
    const acks = await sendBurst(`${url}/api/github/webhooks`, pulls.slice(1).map((p) => webhook(fake.host, p)));

    // Until every pull request has a completed check run and a review.
    const done = (): number => {
      const completed = new Set([...fake.checkRuns.values()].filter((r) => r.status === "completed").map((r) => r.key));
      const reviewed = new Set(fake.reviews.map((r) => r.key));
      return pulls.filter((p) => completed.has(pullKey(p.owner, p.repo, p.number)) && reviewed.has(pullKey(p.owner, p.repo, p.number))).length;
    };
    let killed: string | undefined;
    let finished = 0;
    const deadline = Date.now() + TIMEOUT_MS;
    while ((finished = done()) < pulls.length && Date.now() < deadline) {
      if (mode === "redis" && !values["no-kill"] && !killed && workers.length > 1 && finished >= Math.ceil(pulls.length / 3)) {
        const victim = workers[0]!;
        victim.child.kill("SIGKILL");
        killed = `${victim.name} killed (SIGKILL) after ${finished}/${pulls.length} pull requests were done`;
        process.stdout.write(`  ${killed}\n`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 3000)); // anything run twice would show now
    const peakRss: Record<string, number | undefined> = {};
    for (const proc of procs) if (proc.child.exitCode === null && proc.child.signalCode === null) peakRss[proc.name] = peakRssMiB(proc);

    const problems: string[] = [];
    let leftInProgress = 0;
    for (const p of pulls) {
      const key = pullKey(p.owner, p.repo, p.number);
      const runs = [...fake.checkRuns.values()].filter((r) => r.key === key);
      const completed = runs.filter((r) => r.status === "completed");
      const reviews = fake.reviews.filter((r) => r.key === key);
      leftInProgress += runs.length - completed.length;
      if (completed.length !== 1) problems.push(`${key}: ${completed.length} completed check runs`);
      if (reviews.length !== 1) problems.push(`${key}: ${reviews.length} reviews`);
    }
    const sorted = acks.map((a) => a.ms).sort((a, b) => a - b);
    if (finished < pulls.length) problems.unshift(`timed out: ${finished}/${pulls.length} done after ${Math.round(seconds)} s`);
    return {
      mode: mode === "redis" ? `redis (${WORKERS} workers)` : "memory",
      prs: pulls.length - 1,
      files: FILES,
      ack: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? NaN,
        non2xx: acks.filter((a) => a.status < 200 || a.status >= 300).length,
      },
      seconds,
      prsPerMinute: (finished / seconds) * 60,
      peakRss,
      exactlyOnce: problems.length === 0,
      problems,
      leftInProgress,
      ...(killed ? { killed } : {}),
      unhandled: [...new Set(fake.unhandled.map((u) => u.replace(/[0-9a-f]{40}/g, "<sha>").replace(/\d+/g, "N")))],
    };
  } catch (error) {
    for (const p of procs) process.stderr.write(`--- ${p.name} output ---\n${p.output().slice(-3000)}\n`);
    throw error;
  } finally {
    for (const p of procs) await stop(p);
    await fake.stop();
  }
}

// ---- redis for the Redis mode ----------------------------------------------------------------

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> } | string> {
  if (process.env.LOADTEST_REDIS_URL) return { url: process.env.LOADTEST_REDIS_URL, stop: async () => {} };
  if (spawnSync("redis-server", ["--version"]).error) return "redis-server is not installed (Debian: apt-get install -y redis-server)";
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "vibeguard-load-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ping = spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" });
    if (ping.stdout?.includes("PONG")) break;
    if (Date.now() > deadline) return "redis-server did not start";
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function report(r: Result): string {
  const f = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : "-");
  return [
    `${r.mode}: ${r.prs} pull requests x ${r.files} files, webhooks sent all at once (plus one sent first to warm the server)`,
    `  webhook ack latency: p50 ${f(r.ack.p50)} ms, p95 ${f(r.ack.p95)} ms, p99 ${f(r.ack.p99)} ms, max ${f(r.ack.max)} ms${r.ack.non2xx ? `, ${r.ack.non2xx} not 2xx` : ""}`,
    `  all reviewed in ${r.seconds.toFixed(1)} s: ${r.prsPerMinute.toFixed(1)} pull requests analysed per minute`,
    `  peak RSS: ${Object.entries(r.peakRss).map(([k, v]) => `${k} ${v ?? "?"} MiB`).join(", ")}`,
    ...(r.killed ? [`  ${r.killed}`] : []),
    `  exactly one completed check run and one review per pull request: ${r.exactlyOnce ? "yes" : "NO"}` +
      (r.leftInProgress ? ` (${r.leftInProgress} check run(s) left in progress by the killed worker)` : ""),
    ...r.problems.slice(0, 10).map((p) => `    ${p}`),
    ...(r.unhandled.length ? [`  requests the fake GitHub did not serve: ${r.unhandled.join("; ")}`] : []),
  ].join("\n");
}

const results: Result[] = [];
const modes = values.mode === "both" ? (["memory", "redis"] as const) : ([values.mode] as ("memory" | "redis")[]);
const began = Date.now();
for (const mode of modes) {
  if (mode === "redis") {
    const redis = await startRedis();
    if (typeof redis === "string") {
      console.log(`redis: SKIPPED: ${redis}`);
      continue;
    }
    try {
      console.log(`running redis mode (${WORKERS} workers)...`);
      results.push(await runMode("redis", redis.url));
    } finally {
      await redis.stop();
    }
  } else {
    console.log("running memory mode...");
    results.push(await runMode("memory", undefined));
  }
  console.log(report(results.at(-1)!));
}
console.log(
  `load test done in ${((Date.now() - began) / 1000).toFixed(0)} s on ${cpus().length} CPUs; load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (other processes on the machine count too)`,
);
process.exit(results.every((r) => r.exactlyOnce) ? 0 : 1);
