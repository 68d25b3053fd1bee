// The GitHub App's HTTP server: `npm start` (tsx src/server.ts) or `node dist/server.js`.
//
// Probot's run() does the work and reads Probot's standard environment (after loading .env):
//   APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT (3000), HOST (localhost),
//   WEBHOOK_PATH (/api/github/webhooks), LOG_LEVEL, LOG_FORMAT, WEBHOOK_PROXY_URL, and
//   GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server (the API base URL becomes
//   <GHE_PROTOCOL>://<GHE_HOST>/api/v3 and GraphQL <...>/api/graphql).
// Without APP_ID/PRIVATE_KEY outside production it serves Probot's setup flow, which registers
// the App from app.yml. Webhook signatures are verified by Probot with WEBHOOK_SECRET.
//
// Reviews run from a queue, so a webhook is answered as soon as its job is recorded:
//   no REDIS_URL  the embedded queue: this process also runs the reviews, QUEUE_CONCURRENCY
//                 (default 4) at a time, fairly across installations and repositories.
//   REDIS_URL     jobs go to BullMQ on Redis; this process only serves webhooks and enqueues, and
//                 `npm run worker` processes (any number of them) run the reviews.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { run, type ApplicationFunction, type ApplicationFunctionOptions, type Probot } from "probot";
import { analyze } from "./analysis/analyze.js";
import { engineFor } from "./engine/index.js";
import { createVibeguardApp } from "./github/app.js";
import { MemoryQueue } from "./queue/memory.js";
import type { RedisQueueOptions, RedisReviewQueue } from "./queue/redis.js";
import { queueSettings } from "./queue/settings.js";
import type { EnqueueResult, ReviewQueue } from "./queue/types.js";
import { warmUpGradually } from "./queue/warm.js";
import { yieldingAnalyze } from "./queue/yielding.js";
import { limitsFromEnv, vibeguardOctokit } from "./github/octokit.js";
import { createLogger } from "./logging.js";

export const HEALTH_PATH = "/healthz";

/** GET/HEAD /healthz: 200 once Probot has loaded the App and the server is listening. */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== HEALTH_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const body = JSON.stringify({ status: "ok" });
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

/**
 * Refuse to run a real App (APP_ID set) without WEBHOOK_SECRET: Probot would otherwise fall
 * back to the well-known secret "development" and accept forged webhooks.
 */
export function checkProductionConfig(env: NodeJS.ProcessEnv): void {
  if (env.APP_ID && !env.WEBHOOK_SECRET) {
    throw new Error("WEBHOOK_SECRET is required when APP_ID is set: webhook signatures cannot be verified without it.");
  }
}

type AppFn = (app: Probot, options: ApplicationFunctionOptions) => void | Promise<void>;

/** The App function Probot loads: the health route, then vibeguard itself. */
export function withServerRoutes(appFn: AppFn): ApplicationFunction {
  return async (probot, options) => {
    // Runs after run() has applied .env, so a secret written there by the setup flow counts.
    checkProductionConfig(process.env);
    options.addHandler(healthz);
    await appFn(probot, options);
  };
}

/**
 * The Redis queue, loaded on first use: BullMQ and ioredis take seconds to import on a busy
 * machine, which the default (embedded) mode should not pay at start-up.
 */
class LazyRedisQueue implements ReviewQueue {
  readonly mode = "redis" as const;
  readonly #queue: Promise<RedisReviewQueue>;
  constructor(options: RedisQueueOptions) {
    this.#queue = import("./queue/redis.js").then((m) => new m.RedisReviewQueue(options));
    this.#queue.catch(() => undefined); // reported by ready() at start-up, not as an unhandled rejection
  }
  async ready(): Promise<void> {
    await (await this.#queue).ready();
  }
  async enqueue(job: Parameters<ReviewQueue["enqueue"]>[0]): Promise<EnqueueResult> {
    return (await this.#queue).enqueue(job);
  }
  async close(): Promise<void> {
    await (await this.#queue).close();
  }
}

/** process.env as Probot reads it (lazily, after .env is applied), minus REDIS_URL. */
export function withoutRedisUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get: (target, key) => (key === "REDIS_URL" ? undefined : Reflect.get(target, key)),
    has: (target, key) => key !== "REDIS_URL" && Reflect.has(target, key),
  });
}

/** The App as the server runs it, with the queue the environment asks for. */
export function serverApp(env: NodeJS.ProcessEnv = process.env): { appFn: AppFn; queue: () => ReviewQueue | undefined; warmUp: () => void } {
  let queue: ReviewQueue | undefined;
  let warmUp = (): void => {};
  const appFn = createVibeguardApp(
    // File by file, so webhooks are answered while a large pull request is analysed here.
    { analyze: yieldingAnalyze(analyze) },
    {
      queue: (handler, log) => {
        // Read when Probot loads the App, after it applied .env.
        const settings = queueSettings(env);
        queue =
          settings.mode === "redis"
            ? new LazyRedisQueue({ url: settings.redisUrl!, prefix: settings.prefix, log })
            : new MemoryQueue(handler, { concurrency: settings.concurrency, log });
        if (settings.mode === "memory") {
          warmUp = () =>
            // In the background, a query group at a time: the server answers webhooks meanwhile.
            void warmUpGradually(engineFor()).then(
              (ms) => log.info({ ms: Math.round(ms) }, "vibeguard: rule engine warmed up"),
              (error: unknown) =>
                log.warn({ reason: error instanceof Error ? error.message : String(error) }, "vibeguard: rule engine warm-up failed; queries compile on first use"),
            );
        }
        log.info(
          settings.mode === "redis" ? { queue: "redis", prefix: settings.prefix } : { queue: "memory", concurrency: settings.concurrency },
          settings.mode === "redis" ? "vibeguard: reviews go to Redis; run `npm run worker` to process them" : "vibeguard: reviews run in this process",
        );
        return queue;
      },
    },
  );
  // Started once the server listens, so compiling does not slow the start-up down.
  return { appFn, queue: () => queue, warmUp: () => warmUp() };
}

export async function startServer(appFn?: AppFn): Promise<Awaited<ReturnType<typeof run>>> {
  const built = appFn ? undefined : serverApp();
  // Probot would read REDIS_URL too, and then fetch a Redis client at run time to share its request
  // throttling: the queue's Redis is vibeguard's alone, so Probot's view of the environment hides it.
  // Octokit with deliberate retries and rate-limit handling, and a logger that scrubs credentials.
  const server = await run(withServerRoutes(appFn ?? built!.appFn), {
    env: withoutRedisUrl(process.env),
    Octokit: vibeguardOctokit(limitsFromEnv(process.env)),
    log: createLogger(),
  });
  const queue = built?.queue();
  if (queue instanceof LazyRedisQueue) {
    try {
      await queue.ready();
    } catch (error) {
      await server.stop().catch(() => undefined);
      throw new Error(`REDIS_URL is set but Redis cannot be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  built?.warmUp();
  // run() stops on SIGINT; containers are stopped with SIGTERM. Running reviews get a moment to end.
  process.once("SIGTERM", () => {
    server
      .stop()
      .then(() => queue?.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
  return server;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  startServer().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
