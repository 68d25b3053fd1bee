// The Redis mode against a real redis-server (.ci/run starts one and sets VIBEGUARD_TEST_REDIS_URL;
// locally, redis://127.0.0.1:6379). Outside CI without a reachable Redis the suite is skipped,
// saying so; in CI an unreachable Redis fails it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { jobKey, type ReviewJob, type ReviewJobTarget } from "../../src/queue/job.js";
import { QUEUE_NAME, RedisReviewQueue, startRedisWorker, type RedisWorker } from "../../src/queue/redis.js";
import type { JobControl } from "../../src/queue/types.js";
import { ROOT } from "../e2e/harness.js";

const URL = process.env.VIBEGUARD_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function reachable(): Promise<boolean> {
  const client = new Redis(URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const available = await reachable();
if (!available) {
  if (process.env.CI) throw new Error(`CI: no Redis reachable at ${URL}; .ci/run should have started redis-server`);
  console.warn(`[redis queue tests] SKIPPED: no Redis reachable at ${URL} (set VIBEGUARD_TEST_REDIS_URL, or run .ci/run, which starts one)`);
}

const sha = (n: number): string => n.toString(16).padStart(40, "0");
let delivery = 0;
function job(options: { installation?: number; pr?: number; head?: number; updatedAt?: number; target?: ReviewJobTarget; deliveryId?: string } = {}): ReviewJob {
  const base = {
    deliveryId: options.deliveryId ?? `d${++delivery}`,
    event: "pull_request.synchronize",
    installationId: options.installation ?? 1,
    owner: "org",
    repo: "app",
    repoHtmlUrl: "https://github.com/org/app",
    headSha: sha(options.head ?? 1),
    target: options.target ?? { kind: "pull_request" as const, number: options.pr ?? 1, draft: false, updatedAt: options.updatedAt ?? options.head ?? 1 },
    enqueuedAt: 0,
  };
  return { ...base, key: jobKey(base) };
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!available)("Redis queue (BullMQ) against a real redis-server", () => {
  const prefixes: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];

  function fresh(): { prefix: string; queue: RedisReviewQueue } {
    const prefix = `vgtest-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const queue = new RedisReviewQueue({ url: URL, prefix, backoffMs: 50 });
    closers.push(() => queue.close());
    return { prefix, queue };
  }

  async function worker(prefix: string, handler: (job: ReviewJob, control: JobControl) => Promise<void>, concurrency = 1): Promise<RedisWorker> {
    const w = await startRedisWorker(handler, { url: URL, prefix, concurrency, lockDurationMs: 2000, stalledIntervalMs: 500, headPollMs: 100 });
    closers.push(() => w.close());
    return w;
  }

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  });

  afterAll(async () => {
    for (const prefix of prefixes) {
      const q = new Queue(QUEUE_NAME, { connection: { url: URL }, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
      const r = new Redis(URL);
      const keys = await r.keys(`${prefix}:vibeguard:*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
    }
  });

  it("gives one job for a redelivery or a duplicate event for the same head, also after it completed", async () => {
    const { prefix, queue } = fresh();
    const first = job({ pr: 7, head: 7, deliveryId: "abc" });
    expect((await queue.enqueue(first)).status).toBe("queued");
    expect((await queue.enqueue({ ...first })).status).toBe("duplicate");
    expect((await queue.enqueue(job({ pr: 7, head: 7 }))).status).toBe("duplicate");
    const ran: string[] = [];
    await worker(prefix, async (j) => void ran.push(j.key));
    await until(() => ran.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect((await queue.enqueue(job({ pr: 7, head: 7, deliveryId: "abc" }))).status).toBe("duplicate");
    // Two re-runs of one commit while the first waits: one job.
    const rerun = (): ReviewJob => job({ head: 9, target: { kind: "rerun", found: { kind: "pull_request", number: 3 } } });
    const firstRerun = await queue.enqueue(rerun());
    expect(firstRerun.status).toBe("queued");
    const secondRerun = await queue.enqueue(rerun());
    expect(secondRerun.status).toBe("duplicate");
    await until(() => ran.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toHaveLength(2);
  });

  it("shares jobs between workers: every job runs exactly once", async () => {
    const { prefix, queue } = fresh();
    const ran: { key: string; worker: string }[] = [];
    const handler = (name: string) => async (j: ReviewJob) => {
      await new Promise((r) => setTimeout(r, 30));
      ran.push({ key: j.key, worker: name });
    };
    await worker(prefix, handler("a"));
    await worker(prefix, handler("b"));
    for (let i = 1; i <= 20; i++) await queue.enqueue(job({ installation: (i % 3) + 1, pr: i, head: i }));
    await until(() => ran.length >= 20);
    await new Promise((r) => setTimeout(r, 300));
    expect(new Set(ran.map((r) => r.key)).size).toBe(20);
    expect(ran).toHaveLength(20);
    expect(new Set(ran.map((r) => r.worker))).toEqual(new Set(["a", "b"]));
  });

  it("a job whose worker process dies is taken over by another worker and completes once", async () => {
    const { prefix, queue } = fresh();
    // tsx as a loader in this very process (its CLI would run the script in a grandchild that
    // survives the kill).
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/queue/redis-worker-child.ts"), URL, prefix], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    await until(() => out.includes("ready"), 20_000);
    const j = job({ pr: 5, head: 5 });
    await queue.enqueue(j);
    await until(() => out.includes(`started ${j.key}`));
    child.kill("SIGKILL"); // the worker dies mid-review

    const completed: JobControl[] = [];
    await worker(prefix, async (_job, control) => void completed.push(control));
    await until(() => completed.length === 1, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(completed).toHaveLength(1);
    expect(completed[0]!.attempt).toBeGreaterThan(1);
    const counts = await new Queue(QUEUE_NAME, { connection: { url: URL }, prefix }).getJobCounts("completed", "active", "wait", "failed");
    expect(counts).toMatchObject({ completed: 1, active: 0, wait: 0, failed: 0 });
  }, 40_000);

  it("a newer push supersedes the queued job and signals the running one", async () => {
    const { prefix, queue } = fresh();
    await queue.enqueue(job({ pr: 2, head: 20, updatedAt: 20 }));
    await queue.enqueue(job({ pr: 2, head: 21, updatedAt: 21 }));
    await queue.enqueue(job({ pr: 2, head: 19, updatedAt: 19 })); // an older push delivered late: ignored
    const seen = new Map<string, string | undefined>();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let runningControl: JobControl | undefined;
    await worker(prefix, async (j, control) => {
      if (j.headSha === sha(30)) {
        runningControl = control;
        await released;
      }
      seen.set(j.headSha, control.supersededBy());
    });
    await until(() => seen.size === 3);
    expect(seen.get(sha(20))).toBe(sha(21));
    expect(seen.get(sha(19))).toBe(sha(21));
    expect(seen.get(sha(21))).toBeUndefined();

    await queue.enqueue(job({ pr: 3, head: 30, updatedAt: 30 }));
    await until(() => runningControl !== undefined);
    expect(runningControl!.supersededBy()).toBeUndefined();
    await queue.enqueue(job({ pr: 3, head: 31, updatedAt: 31 }));
    await until(() => runningControl!.supersededBy() === sha(31), 5_000);
    release();
  });

  it("ranks a newcomer installation's job ahead of another installation's backlog", async () => {
    const { prefix, queue } = fresh();
    for (let i = 1; i <= 6; i++) await queue.enqueue(job({ installation: 1, pr: i, head: i }));
    await queue.enqueue(job({ installation: 2, pr: 1, head: 100 }));
    const order: number[] = [];
    await worker(prefix, async (j) => void order.push(j.installationId));
    await until(() => order.length === 7);
    expect(order.indexOf(2)).toBeLessThanOrEqual(1);
  });
});
