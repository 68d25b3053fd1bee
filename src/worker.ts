// A queue worker: `npm run worker` (tsx src/worker.ts) or `node dist/worker.js`. Needs REDIS_URL
// and the App's credentials (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH; GHE_HOST/GHE_PROTOCOL for
// GitHub Enterprise Server), as the server does; it serves no webhooks and needs no secret.
// Run as many as the load needs, on any machines that reach Redis and GitHub: each runs
// QUEUE_CONCURRENCY (default 2) reviews at a time. A worker that dies mid-review leaves the job's
// lock to expire (QUEUE_LOCK_MS, default 30 s); another worker then runs the job again.
// With PORT set (the container image sets 3000) it answers GET /healthz there, 200 while it is
// taking jobs, so the image's HEALTHCHECK and probes work for workers too.
import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { createProbot } from "probot";
import { analyze } from "./analysis/analyze.js";
import { engineFor } from "./engine/index.js";
import { createJobHandler } from "./github/app.js";
import type { GitHub } from "./github/octokit.js";
import { startRedisWorker, type RedisWorker } from "./queue/redis.js";
import { queueSettings } from "./queue/settings.js";
import { warmUpGradually } from "./queue/warm.js";
import { yieldingAnalyze } from "./queue/yielding.js";
import { limitsFromEnv, vibeguardOctokit } from "./github/octokit.js";
import { createLogger } from "./logging.js";

export async function startWorker(env: NodeJS.ProcessEnv = process.env): Promise<RedisWorker> {
  const settings = queueSettings(env);
  if (settings.mode !== "redis") {
    throw new Error("REDIS_URL is required: without it the server runs the reviews itself (`npm start`) and needs no worker.");
  }
  if (!env.APP_ID || !(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH)) {
    throw new Error("APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are required: the worker calls GitHub as the App.");
  }
  // createProbot reads APP_ID, PRIVATE_KEY(_PATH), GHE_HOST/GHE_PROTOCOL, LOG_LEVEL and LOG_FORMAT.
  // Without REDIS_URL: Probot would otherwise fetch a Redis client at run time for its throttling.
  const probot = createProbot({
    env: { ...env, REDIS_URL: undefined },
    // Octokit with deliberate retries and rate-limit handling, and a logger that scrubs credentials.
    overrides: { Octokit: vibeguardOctokit(limitsFromEnv(env)), log: createLogger() },
  });
  await probot.auth(); // initialises Probot (its logger too); no GitHub call
  const log = probot.log.child({ name: "vibeguard-worker" });
  const handler = createJobHandler((id) => probot.auth(id) as Promise<GitHub>, log, {
    // File by file: BullMQ renews the job's lock on a timer, which a long synchronous analysis would starve.
    analyze: yieldingAnalyze(analyze),
  });
  // Before taking any job: compiling the queries inside a job would hold up its lock renewal.
  const warmMs = await warmUpGradually(engineFor());
  log.info({ ms: Math.round(warmMs) }, "vibeguard: rule engine warmed up");
  const worker = await startRedisWorker(handler, {
    url: settings.redisUrl!,
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDurationMs: settings.lockDurationMs,
    stalledIntervalMs: settings.stalledIntervalMs,
    log,
  });
  log.info({ concurrency: settings.concurrency, prefix: settings.prefix }, "vibeguard: worker ready");
  return worker;
}

/** GET/HEAD /healthz on `port`: 200 while the worker runs, 503 otherwise. */
export function startHealthServer(worker: RedisWorker, port: number, host: string): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/healthz" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404).end();
      return;
    }
    const ok = worker.worker.isRunning();
    const body = JSON.stringify({ status: ok ? "ok" : "stopped", role: "worker" });
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  server.listen(port, host);
  return server;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  startWorker().then(
    (worker) => {
      const health = process.env.PORT ? startHealthServer(worker, Number(process.env.PORT), process.env.HOST ?? "localhost") : undefined;
      const stop = (): void => {
        health?.close();
        // Finish the running reviews, take no new ones.
        worker.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
