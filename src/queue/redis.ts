// The shared queue (REDIS_URL set): jobs go through BullMQ on Redis, so any number of stateless
// processes share them. `npm start` only enqueues (RedisReviewQueue); `npm run worker` runs them
// (startRedisWorker).
//
// - Deduplication: the job id is derived from the job's key (jobKey), and finished jobs are kept
//   for a day, so a redelivery or a duplicate event for the same head adds nothing. Re-runs also
//   carry a BullMQ deduplication id, so two re-runs of one commit wait as one job.
// - A worker that dies leaves its job's lock to expire; another worker's stalled-job check puts
//   the job back and runs it again (maxStalledCount times). A job that throws is retried with
//   backoff. BullMQ completes a job only for the worker that holds its lock.
// - Superseding: each pull request's newest head (ordered by pull_request.updated_at) is kept in
//   Redis; a worker reads it when a job starts and every second while it runs.
// - Fairness: BullMQ takes prioritised jobs lowest number first, so a job's priority grows with
//   the jobs its installation and repository already have waiting: a newcomer's first job goes
//   ahead of an organisation's hundredth.
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { hashedId, headUpdate, installationKey, pendingKey, repositoryKey, reviewJobSchema, slotOf, type ReviewJob } from "./job.js";
import type { EnqueueResult, JobHandler, QueueLog, ReviewQueue } from "./types.js";

export const QUEUE_NAME = "vibeguard-reviews";
const DAY_MS = 24 * 3600_000;
const MAX_PRIORITY = 2_097_151;

export interface RedisQueueOptions {
  url: string;
  /** Key prefix for everything vibeguard and BullMQ keep in Redis. */
  prefix?: string;
  attempts?: number;
  /** First retry delay after a job throws (exponential). */
  backoffMs?: number;
  log?: QueueLog | undefined;
}

const silent: QueueLog = { info() {}, warn() {}, error() {} };

// Keeps the newest head per pull request: an older push delivered late does not win.
const SET_HEAD = `
local order = redis.call('HGET', KEYS[1], 'order')
if (not order) or tonumber(ARGV[2]) >= tonumber(order) then
  redis.call('HSET', KEYS[1], 'sha', ARGV[1], 'order', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

class Keys {
  constructor(readonly prefix: string) {}
  head(slot: string): string {
    return `${this.prefix}:vibeguard:head:${slot}`;
  }
  waiting(): string {
    return `${this.prefix}:vibeguard:waiting`;
  }
}

export function redisConnection(url: string, forWorker: boolean): Redis {
  // Workers block on Redis and must retry forever; a producer should fail fast so the webhook
  // gets a 500 (and GitHub may redeliver) instead of hanging.
  return new Redis(url, { maxRetriesPerRequest: forWorker ? null : 3 });
}

/** The webhook side: validates nothing more, just records jobs in Redis. */
export class RedisReviewQueue implements ReviewQueue {
  readonly mode = "redis" as const;
  readonly #queue: Queue;
  readonly #redis: Redis;
  readonly #keys: Keys;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #log: QueueLog;

  constructor(options: RedisQueueOptions) {
    const prefix = options.prefix ?? "bull";
    this.#redis = redisConnection(options.url, false);
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#redis, prefix });
    this.#keys = new Keys(prefix);
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 5_000;
    this.#log = options.log ?? silent;
    // ioredis emits connection errors as events; unhandled, they would crash the process.
    this.#redis.on("error", (error: Error) => this.#log.warn({ reason: error.message }, "vibeguard: Redis connection error"));
  }

  /** Resolves once Redis answers (start-up check). */
  async ready(timeoutMs = 10_000): Promise<void> {
    await this.#queue.waitUntilReady();
    await Promise.race([
      this.#redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("Redis did not answer")), timeoutMs).unref()),
    ]);
  }

  async enqueue(job: ReviewJob): Promise<EnqueueResult> {
    const jobId = hashedId("review", job.key);
    if (await this.#queue.getJob(jobId)) return { status: "duplicate", jobId };

    const update = headUpdate(job);
    if (update) {
      await this.#redis.eval(SET_HEAD, 1, this.#keys.head(update.slot), update.sha, String(update.order), String(DAY_MS));
    }
    const inst = `i:${installationKey(job)}`;
    const repo = `r:${repositoryKey(job)}`;
    const counts = await this.#redis.multi().hincrby(this.#keys.waiting(), inst, 1).hincrby(this.#keys.waiting(), repo, 1).pexpire(this.#keys.waiting(), DAY_MS).exec();
    const waitingInInstallation = Number(counts?.[0]?.[1] ?? 1) - 1;
    const waitingInRepository = Number(counts?.[1]?.[1] ?? 1) - 1;
    const priority = Math.min(MAX_PRIORITY, 1 + Math.max(0, waitingInInstallation) + Math.max(0, waitingInRepository));

    const pk = pendingKey(job);
    const added = await this.#queue.add("review", job, {
      jobId,
      priority,
      attempts: this.#attempts,
      backoff: { type: "exponential", delay: this.#backoffMs },
      // Kept a day after completion: a redelivery within it is recognised as a duplicate.
      removeOnComplete: { age: DAY_MS / 1000, count: 100_000 },
      // A failed job is kept an hour; after that a redelivery may try again.
      removeOnFail: { age: 3600, count: 10_000 },
      ...(pk ? { deduplication: { id: hashedId("rerun", pk) } } : {}),
    });
    if (added.id !== jobId) {
      await this.#uncount(job);
      return { status: "duplicate", jobId: added.id ?? jobId };
    }
    return { status: "queued", jobId };
  }

  async #uncount(job: ReviewJob): Promise<void> {
    await uncountWaiting(this.#redis, this.#keys, job);
  }

  async close(): Promise<void> {
    await this.#queue.close();
    this.#redis.disconnect();
  }
}

async function uncountWaiting(redis: Redis, keys: Keys, job: ReviewJob): Promise<void> {
  const key = keys.waiting();
  const results = await redis.multi().hincrby(key, `i:${installationKey(job)}`, -1).hincrby(key, `r:${repositoryKey(job)}`, -1).exec();
  // Counts only rank jobs; one that drifted below zero (a crash between steps) is reset.
  const fields = [`i:${installationKey(job)}`, `r:${repositoryKey(job)}`];
  for (let i = 0; i < fields.length; i++) {
    if (Number(results?.[i]?.[1] ?? 0) <= 0) await redis.hdel(key, fields[i]!);
  }
}

export interface RedisWorkerOptions {
  url: string;
  prefix?: string;
  /** Jobs this process runs at once. */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a dead worker's job is taken over after this. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired. */
  stalledIntervalMs?: number;
  /** How often a job may be taken over after a crash before it fails. */
  maxStalledCount?: number;
  /** How often a running job reads its pull request's newest head. */
  headPollMs?: number;
  log?: QueueLog | undefined;
}

export interface RedisWorker {
  worker: Worker;
  close(): Promise<void>;
}

export async function startRedisWorker(handler: JobHandler, options: RedisWorkerOptions): Promise<RedisWorker> {
  const prefix = options.prefix ?? "bull";
  const keys = new Keys(prefix);
  const log = options.log ?? silent;
  const redis = redisConnection(options.url, true);
  redis.on("error", (error: Error) => log.warn({ reason: error.message }, "vibeguard: Redis connection error"));
  const headPollMs = options.headPollMs ?? 1_000;

  const headOf = async (job: ReviewJob): Promise<string | undefined> => {
    if (job.target.kind !== "pull_request") return undefined;
    const sha = await redis.hget(keys.head(slotOf(job)!), "sha");
    return sha && sha !== job.headSha ? sha : undefined;
  };

  const processor = async (bullJob: Job): Promise<void> => {
    const parsed = reviewJobSchema.safeParse(bullJob.data);
    if (!parsed.success) {
      // Not retried: the same data would fail the same way.
      const issue = parsed.error.issues[0];
      log.error({ jobId: bullJob.id, field: issue?.path.join("."), problem: issue?.message }, "vibeguard: malformed job in the queue; dropped");
      return;
    }
    const job = parsed.data;
    if (bullJob.attemptsStarted <= 1 && bullJob.stalledCounter === 0) {
      await uncountWaiting(redis, keys, job).catch(() => undefined);
    }
    let newer = await headOf(job);
    const poll = setInterval(() => {
      headOf(job).then(
        (sha) => {
          if (sha) newer = sha;
        },
        () => undefined, // Redis unreachable for a moment: the run checks GitHub's head before writing anyway
      );
    }, headPollMs);
    poll.unref();
    try {
      await handler(job, {
        jobId: bullJob.id ?? "",
        attempt: bullJob.attemptsStarted + bullJob.stalledCounter,
        supersededBy: () => newer,
      });
    } finally {
      clearInterval(poll);
    }
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redisConnection(options.url, true),
    prefix,
    concurrency: Math.max(1, options.concurrency ?? 2),
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    autorun: false,
  });
  worker.on("error", (error: Error) => log.warn({ reason: error.message }, "vibeguard: queue worker error"));
  worker.on("failed", (job, error) => {
    if (job) log.warn({ jobId: job.id, attempt: job.attemptsMade, reason: error.message }, "vibeguard: review job failed");
  });
  worker.on("stalled", (jobId) => log.warn({ jobId }, "vibeguard: a review job's worker stopped; the job runs again"));
  void worker.run();
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close(); // waits for the running jobs
      redis.disconnect();
    },
  };
}
