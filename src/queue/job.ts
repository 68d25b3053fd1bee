// A review job: everything a worker needs to run one review, as plain JSON so it can wait in
// memory or in Redis. The webhook handler builds it from a validated payload; a worker validates
// it again on the way out (Redis is outside input too) before it touches GitHub.
import { createHash } from "node:crypto";
import { z } from "zod";

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a commit SHA");

const externalTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pull_request"), number: z.number().int().positive() }),
  z.object({ kind: z.literal("merge_group"), baseSha: sha }),
]);

export const reviewJobSchema = z.object({
  /** What makes two jobs the same job (see jobKey). */
  key: z.string().min(1).max(500),
  deliveryId: z.string().min(1).max(200),
  event: z.string().min(1).max(100),
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(200),
  repo: z.string().min(1).max(200),
  repoHtmlUrl: z.string().url(),
  headSha: sha,
  target: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("pull_request"),
      number: z.number().int().positive(),
      draft: z.boolean(),
      changedFiles: z.number().int().nonnegative().optional(),
      /** The pull request's base commit: the files GitHub gives no patch for are diffed against it. */
      baseSha: sha.optional(),
      /** pull_request.updated_at in ms: orders pushes when deliveries arrive out of order. */
      updatedAt: z.number().int().nonnegative(),
    }),
    z.object({ kind: z.literal("merge_group"), baseSha: sha }),
    z.object({
      kind: z.literal("rerun"),
      /** What the check run's external_id (or the payload) says was reviewed, if anything. */
      found: externalTarget.optional(),
      /** check_suite.rerequested: our earlier run in this suite can say what it reviewed. */
      checkSuiteId: z.number().int().positive().optional(),
    }),
  ]),
  enqueuedAt: z.number().int().nonnegative(),
});

export type ReviewJob = z.infer<typeof reviewJobSchema>;
export type ReviewJobTarget = ReviewJob["target"];

/**
 * The identity of a job, for deduplication. A pull request's job is its head commit (and whether
 * it is a draft, so `ready_for_review` on the same commit still runs): redeliveries and duplicate
 * events for the same head give one job. A re-run is the user asking again, so it is keyed by
 * its delivery (a redelivery of the same request is still one job).
 */
export function jobKey(job: Pick<ReviewJob, "installationId" | "owner" | "repo" | "headSha" | "target" | "deliveryId">): string {
  const repo = `${job.installationId}/${job.owner}/${job.repo}`;
  const t = job.target;
  switch (t.kind) {
    case "pull_request":
      return `${repo}/pr/${t.number}/${job.headSha}${t.draft ? "/draft" : ""}`;
    case "merge_group":
      return `${repo}/merge_group/${t.baseSha}/${job.headSha}`;
    case "rerun":
      return `${repo}/rerun/${job.deliveryId}`;
  }
}

/**
 * A re-run for a commit while another re-run for it still waits or runs is the same request
 * (e.g. "re-run all" sends check_suite and check_run events): deduplicated until it finishes.
 */
export function pendingKey(job: ReviewJob): string | undefined {
  return job.target.kind === "rerun" ? `${job.installationId}/${job.owner}/${job.repo}/rerun-sha/${job.headSha}` : undefined;
}

/**
 * The pull request a job reviews, when known at enqueue time: a newer push to the same slot
 * supersedes older jobs for it, and jobs of one slot never run at the same time.
 */
export function slotOf(job: ReviewJob): string | undefined {
  const repo = `${job.installationId}/${job.owner}/${job.repo}`;
  const t = job.target;
  if (t.kind === "pull_request") return `${repo}/pr/${t.number}`;
  if (t.kind === "rerun" && t.found?.kind === "pull_request") return `${repo}/pr/${t.found.number}`;
  return undefined;
}

/** Only a push (a pull_request event) moves a slot's head; re-runs never supersede anything. */
export function headUpdate(job: ReviewJob): { slot: string; sha: string; order: number } | undefined {
  if (job.target.kind !== "pull_request") return undefined;
  return { slot: slotOf(job)!, sha: job.headSha, order: job.target.updatedAt };
}

export function installationKey(job: ReviewJob): string {
  return String(job.installationId);
}

export function repositoryKey(job: ReviewJob): string {
  return `${job.installationId}/${job.owner}/${job.repo}`;
}

/** A Redis-safe id (BullMQ job ids may not contain ':' nor be plain integers). */
export function hashedId(prefix: string, key: string): string {
  return `${prefix}-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;
}
