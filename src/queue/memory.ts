// The embedded queue: jobs wait in this process and run here, a bounded number at a time.
//
// Fairness: the next job is taken from the installation with the fewest jobs running (then the
// one served longest ago), and within it from the repository with the fewest running, so one
// organisation's burst, or its 3000-file pull request, holds at most its share of the slots.
// Jobs for the same pull request never run at the same time; a newer push supersedes the older
// ones (queued: they run first, as a quick "superseded" conclusion; running: told to stop
// writing). A job that throws is retried with a pause. Jobs live only in this process: use the
// Redis mode when a restart must not lose them.
import { headUpdate, installationKey, pendingKey, repositoryKey, slotOf, type ReviewJob } from "./job.js";
import type { EnqueueResult, JobControl, JobHandler, QueueLog, ReviewQueue } from "./types.js";

export interface MemoryQueueOptions {
  /** Jobs running at once (QUEUE_CONCURRENCY). */
  concurrency?: number;
  /** Attempts per job when the handler throws. */
  attempts?: number;
  /** Pause before a retry; doubles with each attempt. */
  retryDelayMs?: number;
  /** How long a finished job's key still counts as a duplicate (a redelivery hours later). */
  rememberMs?: number;
  /** At most this many remembered keys. */
  rememberMax?: number;
  log?: QueueLog | undefined;
}

interface Entry {
  job: ReviewJob;
  id: string;
  attempt: number;
  seq: number;
  slot: string | undefined;
}

const silent: QueueLog = { info() {}, warn() {}, error() {} };

export class MemoryQueue implements ReviewQueue {
  readonly mode = "memory" as const;
  readonly #handler: JobHandler;
  readonly #concurrency: number;
  readonly #attempts: number;
  readonly #retryDelayMs: number;
  readonly #rememberMs: number;
  readonly #rememberMax: number;
  readonly #log: QueueLog;

  #pending: Entry[] = [];
  readonly #active = new Map<string, Entry>();
  /** Keys of jobs queued, running, retrying or finished within rememberMs, with when they were added. */
  readonly #known = new Map<string, number>();
  readonly #pendingKeys = new Set<string>();
  /** Latest head per pull request, ordered by pull_request.updated_at. */
  readonly #heads = new Map<string, { sha: string; order: number }>();
  readonly #lastServed = new Map<string, number>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #seq = 0;
  #closed = false;
  #idleWaiters: (() => void)[] = [];

  constructor(handler: JobHandler, options: MemoryQueueOptions = {}) {
    this.#handler = handler;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#attempts = Math.max(1, options.attempts ?? 3);
    this.#retryDelayMs = options.retryDelayMs ?? 5_000;
    this.#rememberMs = options.rememberMs ?? 6 * 3600_000;
    this.#rememberMax = options.rememberMax ?? 50_000;
    this.#log = options.log ?? silent;
  }

  async enqueue(job: ReviewJob): Promise<EnqueueResult> {
    if (this.#closed) throw new Error("the review queue is shutting down");
    this.#forgetOld();
    const id = job.key;
    const pk = pendingKey(job);
    if (this.#known.has(job.key) || (pk !== undefined && this.#pendingKeys.has(pk))) {
      return { status: "duplicate", jobId: id };
    }
    this.#known.set(job.key, Date.now());
    if (pk !== undefined) this.#pendingKeys.add(pk);
    this.#noteHead(job);
    this.#pending.push({ job, id, attempt: 1, seq: this.#seq++, slot: slotOf(job) });
    this.#pump();
    return { status: "queued", jobId: id };
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): { queued: number; running: number } {
    return { queued: this.#pending.length, running: this.#active.size };
  }

  /** Stop taking jobs; wait (at most timeoutMs) for the running ones. Queued jobs are dropped. */
  async close(timeoutMs = 30_000): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    const dropped = this.#pending.length;
    this.#pending = [];
    if (dropped > 0) this.#log.warn({ dropped }, "vibeguard: shutting down with queued reviews; they run again on the next push or re-run");
    if (this.#active.size === 0) return;
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  #isIdle(): boolean {
    return this.#pending.length === 0 && this.#active.size === 0 && this.#retryTimers.size === 0;
  }

  #forgetOld(): void {
    const cutoff = Date.now() - this.#rememberMs;
    for (const [key, at] of this.#known) {
      if (at >= cutoff && this.#known.size <= this.#rememberMax) break; // insertion order: oldest first
      if (this.#isLive(key)) continue;
      this.#known.delete(key);
    }
  }

  #isLive(key: string): boolean {
    if (this.#pending.some((e) => e.job.key === key)) return true;
    for (const e of this.#active.values()) if (e.job.key === key) return true;
    return false;
  }

  #noteHead(job: ReviewJob): void {
    const update = headUpdate(job);
    if (!update) return;
    const current = this.#heads.get(update.slot);
    if (current && update.order < current.order) return; // an older push delivered late
    this.#heads.set(update.slot, { sha: update.sha, order: update.order });
    if (current && current.sha !== update.sha) {
      for (const e of this.#active.values()) {
        if (e.slot === update.slot && e.job.headSha !== update.sha) {
          this.#log.info({ jobId: e.id, headSha: e.job.headSha, newerSha: update.sha }, "vibeguard: running review superseded by a newer push");
        }
      }
    }
  }

  #supersededBy(job: ReviewJob): string | undefined {
    if (job.target.kind !== "pull_request") return undefined;
    const head = this.#heads.get(slotOf(job)!);
    return head && head.sha !== job.headSha ? head.sha : undefined;
  }

  #pick(): number {
    const activeSlots = new Set<string>();
    const runningByInstallation = new Map<string, number>();
    const runningByRepository = new Map<string, number>();
    for (const e of this.#active.values()) {
      if (e.slot) activeSlots.add(e.slot);
      const inst = installationKey(e.job);
      const repo = repositoryKey(e.job);
      runningByInstallation.set(inst, (runningByInstallation.get(inst) ?? 0) + 1);
      runningByRepository.set(repo, (runningByRepository.get(repo) ?? 0) + 1);
    }
    let best = -1;
    let bestRank: number[] = [];
    for (let i = 0; i < this.#pending.length; i++) {
      const e = this.#pending[i]!;
      if (e.slot && activeSlots.has(e.slot)) continue; // one run per pull request at a time
      // A superseded job is a single quick conclusion: first, so its check never waits pending.
      if (this.#supersededBy(e.job)) return i;
      const inst = installationKey(e.job);
      const repo = repositoryKey(e.job);
      const rank = [
        runningByInstallation.get(inst) ?? 0,
        this.#lastServed.get(`i:${inst}`) ?? -1,
        runningByRepository.get(repo) ?? 0,
        this.#lastServed.get(`r:${repo}`) ?? -1,
        e.seq,
      ];
      if (best === -1 || lessThan(rank, bestRank)) {
        best = i;
        bestRank = rank;
      }
    }
    return best;
  }

  #pump(): void {
    while (!this.#closed && this.#active.size < this.#concurrency) {
      const index = this.#pick();
      if (index === -1) break;
      const [entry] = this.#pending.splice(index, 1);
      this.#start(entry!);
    }
    this.#notifyIdle();
  }

  #start(entry: Entry): void {
    this.#active.set(entry.id, entry);
    const tick = this.#seq++;
    this.#lastServed.set(`i:${installationKey(entry.job)}`, tick);
    this.#lastServed.set(`r:${repositoryKey(entry.job)}`, tick);
    const control: JobControl = {
      jobId: entry.id,
      attempt: entry.attempt,
      supersededBy: () => this.#supersededBy(entry.job),
    };
    void this.#handler(entry.job, control).then(
      () => this.#finish(entry, undefined),
      (error: unknown) => this.#finish(entry, error),
    );
  }

  #finish(entry: Entry, error: unknown): void {
    this.#active.delete(entry.id);
    let retrying = false;
    if (error !== undefined) {
      const reason = error instanceof Error ? error.message : String(error);
      if (entry.attempt < this.#attempts && !this.#closed) {
        retrying = true;
        const delay = this.#retryDelayMs * 2 ** (entry.attempt - 1);
        this.#log.warn({ jobId: entry.id, attempt: entry.attempt, retryInMs: delay, reason }, "vibeguard: review job failed; retrying");
        const timer = setTimeout(() => {
          this.#retryTimers.delete(timer);
          if (this.#closed) return;
          this.#pending.push({ ...entry, attempt: entry.attempt + 1, seq: this.#seq++ });
          this.#pump();
        }, delay);
        this.#retryTimers.add(timer);
      } else {
        this.#log.error({ jobId: entry.id, attempt: entry.attempt, reason }, "vibeguard: review job failed for good");
        this.#known.delete(entry.job.key); // a redelivery may try again
      }
    }
    const pk = pendingKey(entry.job);
    if (pk !== undefined && !retrying) this.#pendingKeys.delete(pk);
    this.#pump();
  }

  #notifyIdle(): void {
    if (!this.#isIdle() || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function lessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
