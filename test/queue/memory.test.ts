// The embedded queue on its own: bounded concurrency, fairness across installations and
// repositories, deduplication, superseding, one run per pull request at a time, retries.
import { describe, expect, it } from "vitest";
import { jobKey, type ReviewJob, type ReviewJobTarget } from "../../src/queue/job.js";
import { MemoryQueue } from "../../src/queue/memory.js";
import type { JobControl } from "../../src/queue/types.js";

const sha = (n: number): string => n.toString(16).padStart(40, "0");

let delivery = 0;
function job(
  options: { installation?: number; repo?: string; pr?: number; head?: number; updatedAt?: number; target?: ReviewJobTarget; deliveryId?: string } = {},
): ReviewJob {
  const base = {
    deliveryId: options.deliveryId ?? `d${++delivery}`,
    event: "pull_request.synchronize",
    installationId: options.installation ?? 1,
    owner: "org",
    repo: options.repo ?? "app",
    repoHtmlUrl: "https://github.com/org/app",
    headSha: sha(options.head ?? 1),
    target: options.target ?? {
      kind: "pull_request" as const,
      number: options.pr ?? 1,
      draft: false,
      updatedAt: options.updatedAt ?? options.head ?? 1,
    },
    enqueuedAt: 0,
  };
  return { ...base, key: jobKey(base) };
}

interface Started {
  job: ReviewJob;
  control: JobControl;
  finish: () => void;
  fail: (error: Error) => void;
}

/** A handler whose jobs run until the test finishes them. */
function controlledHandler(): { started: Started[]; handler: (job: ReviewJob, control: JobControl) => Promise<void> } {
  const started: Started[] = [];
  return {
    started,
    handler: (j, control) =>
      new Promise<void>((resolve, reject) => {
        started.push({ job: j, control, finish: resolve, fail: reject });
      }),
  };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("MemoryQueue", () => {
  it("runs at most `concurrency` jobs at once and starts the next as one finishes", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 2 });
    for (let i = 1; i <= 5; i++) await queue.enqueue(job({ pr: i, head: i }));
    expect(started).toHaveLength(2);
    expect(queue.stats()).toEqual({ queued: 3, running: 2 });
    started[0]!.finish();
    await tick();
    expect(started).toHaveLength(3);
    for (const s of started.slice()) s.finish();
    await tick();
    for (const s of started.slice(3)) s.finish();
    await tick();
    for (const s of started.slice(5)) s.finish();
    await queue.idle();
    expect(started.map((s) => s.job.target.kind === "pull_request" && s.job.target.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it("is fair across installations: a newcomer's job goes before an installation's backlog", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 1 });
    // Installation 1 floods the queue (its first job is a huge pull request that runs long).
    for (let i = 1; i <= 20; i++) await queue.enqueue(job({ installation: 1, pr: i, head: i }));
    await queue.enqueue(job({ installation: 2, pr: 1, head: 100 }));
    await queue.enqueue(job({ installation: 3, pr: 1, head: 200 }));
    expect(started.map((s) => s.job.installationId)).toEqual([1]);
    for (let n = 0; n < 4; n++) {
      started.at(-1)!.finish();
      await tick();
    }
    // After the first job of installation 1: installations 2 and 3 (never served), then 1 again.
    expect(started.map((s) => s.job.installationId)).toEqual([1, 2, 3, 1, 1]);
    await queue.close(0);
  });

  it("is fair across repositories of one installation, and never starves one behind a long job", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 2 });
    await queue.enqueue(job({ repo: "monorepo", pr: 1, head: 1 })); // the 3000-file pull request: never finishes here
    for (let i = 2; i <= 10; i++) await queue.enqueue(job({ repo: "monorepo", pr: i, head: i }));
    await queue.enqueue(job({ repo: "small", pr: 1, head: 50 }));
    // Slot 2 went to the monorepo's second job (the small repo's was not queued yet); when it ends,
    // the small repository is next, though eight monorepo jobs were queued before it.
    expect(started.map((s) => s.job.repo)).toEqual(["monorepo", "monorepo"]);
    started[1]!.finish();
    await tick();
    expect(started.map((s) => s.job.repo)).toEqual(["monorepo", "monorepo", "small"]);
    started[2]!.finish();
    await tick();
    // The long job still holds one slot; the other keeps serving the rest.
    expect(started).toHaveLength(4);
    expect(queue.stats().running).toBe(2);
    await queue.close(0);
  });

  it("gives one job for a redelivery or a duplicate event for the same head, also after it finished", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 1 });
    const first = job({ pr: 7, head: 7, deliveryId: "abc" });
    expect((await queue.enqueue(first)).status).toBe("queued");
    expect((await queue.enqueue({ ...first })).status).toBe("duplicate"); // the same X-GitHub-Delivery again
    expect((await queue.enqueue(job({ pr: 7, head: 7 }))).status).toBe("duplicate"); // another event, same head
    started[0]!.finish();
    await queue.idle();
    expect((await queue.enqueue(job({ pr: 7, head: 7, deliveryId: "abc" }))).status).toBe("duplicate");
    expect(started).toHaveLength(1);
    // A draft marked ready on the same commit is a new job.
    const ready = job({ pr: 7, head: 7, target: { kind: "pull_request", number: 7, draft: true, updatedAt: 8 } });
    expect((await queue.enqueue(ready)).status).toBe("queued");
  });

  it("takes two re-runs of one commit as one while the first still waits or runs, and a later one again", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 1 });
    const rerun = (): ReviewJob => job({ head: 9, target: { kind: "rerun", found: { kind: "pull_request", number: 3 } } });
    expect((await queue.enqueue(rerun())).status).toBe("queued");
    expect((await queue.enqueue(rerun())).status).toBe("duplicate");
    started[0]!.finish();
    await queue.idle();
    expect((await queue.enqueue(rerun())).status).toBe("queued");
  });

  it("a newer push supersedes the queued job (which runs first, as a quick conclusion) and signals the running one", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 1 });
    await queue.enqueue(job({ installation: 5, pr: 1, head: 1 })); // runs
    await queue.enqueue(job({ installation: 6, pr: 1, head: 10 })); // waits
    await queue.enqueue(job({ installation: 7, pr: 2, head: 20, updatedAt: 20 })); // waits
    await queue.enqueue(job({ installation: 7, pr: 2, head: 21, updatedAt: 21 })); // supersedes the previous one
    await queue.enqueue(job({ installation: 5, pr: 1, head: 2, updatedAt: 2 })); // supersedes the running one
    expect(started[0]!.control.supersededBy()).toBe(sha(2));
    started[0]!.finish();
    await tick();
    // The superseded queued job jumps the line; the newer head of PR 1 waits its turn.
    expect(started[1]!.job.headSha).toBe(sha(20));
    expect(started[1]!.control.supersededBy()).toBe(sha(21));
    started[1]!.finish();
    await tick();
    expect(started[2]!.control.supersededBy()).toBeUndefined();
    await queue.close(0);
  });

  it("ignores an older push delivered late: it does not supersede the newer head", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 1 });
    await queue.enqueue(job({ pr: 1, head: 2, updatedAt: 2000 }));
    await queue.enqueue(job({ pr: 1, head: 1, updatedAt: 1000 }));
    expect(started[0]!.control.supersededBy()).toBeUndefined();
    started[0]!.finish();
    await tick();
    expect(started[1]!.job.headSha).toBe(sha(1));
    expect(started[1]!.control.supersededBy()).toBe(sha(2));
    await queue.close(0);
  });

  it("never runs two jobs of one pull request at once", async () => {
    const { started, handler } = controlledHandler();
    const queue = new MemoryQueue(handler, { concurrency: 4 });
    await queue.enqueue(job({ pr: 1, head: 1 }));
    await queue.enqueue(job({ pr: 1, head: 2, updatedAt: 2 }));
    await queue.enqueue(job({ pr: 2, head: 3 }));
    expect(started.map((s) => s.job.headSha)).toEqual([sha(1), sha(3)]);
    started[0]!.finish();
    await tick();
    expect(started.map((s) => s.job.headSha)).toEqual([sha(1), sha(3), sha(2)]);
    await queue.close(0);
  });

  it("retries a job that throws, then gives up and forgets it so a redelivery may run it", async () => {
    const attempts: number[] = [];
    const errors: string[] = [];
    const queue = new MemoryQueue(
      async (_job, control) => {
        attempts.push(control.attempt);
        throw new Error("GitHub is down");
      },
      { attempts: 3, retryDelayMs: 1, log: { info() {}, warn() {}, error: (_o, msg) => errors.push(msg) } },
    );
    const j = job({ pr: 4, head: 4 });
    await queue.enqueue(j);
    await queue.idle();
    expect(attempts).toEqual([1, 2, 3]);
    expect(errors).toEqual(["vibeguard: review job failed for good"]);
    expect((await queue.enqueue(j)).status).toBe("queued");
    await queue.idle();
  });
});
