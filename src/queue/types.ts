// What the webhook side and the workers agree on, whichever queue carries the jobs.
import type { ReviewJob } from "./job.js";

export interface JobControl {
  /** The queue's id for this job (logged on every line of the run). */
  jobId: string;
  /** 1 for the first attempt; more after a crash or an error the queue retries. */
  attempt: number;
  /**
   * The newer head commit that supersedes this job, as far as the queue knows now (a newer push
   * to the same pull request was enqueued). Cheap and synchronous: a run asks before writing.
   */
  supersededBy(): string | undefined;
}

export type JobHandler = (job: ReviewJob, control: JobControl) => Promise<void>;

export interface EnqueueResult {
  status: "queued" | "duplicate";
  jobId: string;
}

export interface ReviewQueue {
  readonly mode: "memory" | "redis";
  /** Record the job durably enough for the mode (memory: this process; redis: the server). */
  enqueue(job: ReviewJob): Promise<EnqueueResult>;
  close(): Promise<void>;
}

export interface QueueLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
