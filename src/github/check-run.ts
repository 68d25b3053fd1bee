// Check-run plumbing: create the run at once (in progress), complete it with every annotation in
// batches of 50 (GitHub's per-request limit; later updates append), and conclude it on any error.
import { OUTPUT_LIMIT, truncateMarkdown, type CheckRunAnnotation, type CheckRunOutput } from "../render/check-run.js";
import { httpStatus, sleep, withRetry } from "./errors.js";
import type { GitHub, RepoRef } from "./octokit.js";

export const CHECK_NAME = "vibeguard";
export const ANNOTATIONS_PER_REQUEST = 50;

export type Conclusion = "success" | "failure" | "neutral" | "action_required" | "skipped";

export interface CheckRunRef extends RepoRef {
  id: number;
  htmlUrl: string | undefined;
}

/** external_id says what a run reviewed, so a re-run (whose payload may list no pull request, e.g. for forks) can find it again. */
export function pullExternalId(number: number): string {
  return `pr:${number}`;
}

export function mergeGroupExternalId(baseSha: string): string {
  return `merge_group:${baseSha}`;
}

export type ExternalTarget = { kind: "pull_request"; number: number } | { kind: "merge_group"; baseSha: string };

export function parseExternalId(externalId: string | null | undefined): ExternalTarget | undefined {
  if (!externalId) return undefined;
  const pr = /^pr:(\d+)$/.exec(externalId);
  if (pr) return { kind: "pull_request", number: Number(pr[1]) };
  const mg = /^merge_group:([0-9a-f]{40})$/.exec(externalId);
  if (mg) return { kind: "merge_group", baseSha: mg[1]! };
  return undefined;
}

export interface ExistingCheckRun extends CheckRunRef {
  status: string;
  conclusion: string | null;
  title: string | null;
}

/**
 * Whether a completed run already reviewed its head, so another delivery for that head has
 * nothing to add. Not so for a run that was superseded, skipped as a draft, incomplete (all
 * neutral), interrupted or stopped by an error: those heads are reviewed again.
 */
export function reviewedHead(run: ExistingCheckRun): boolean {
  if (run.status !== "completed") return false;
  if (run.conclusion !== "success" && run.conclusion !== "failure" && run.conclusion !== "action_required") return false;
  return !/^vibeguard (could not complete|was interrupted)/.test(run.title ?? "");
}

/** This App's check run for `externalId` on `headSha`, preferring one still in progress. */
export async function findCheckRun(gh: GitHub, repo: RepoRef, headSha: string, externalId: string): Promise<ExistingCheckRun | undefined> {
  const { data } = await gh.rest.checks.listForRef({ ...repo, ref: headSha, check_name: CHECK_NAME, filter: "all", per_page: 100 });
  // Newest first: ids only grow.
  const ours = data.check_runs.filter((r) => r.external_id === externalId && r.head_sha === headSha).sort((a, b) => b.id - a.id);
  const pick = ours.find((r) => r.status !== "completed") ?? ours[0];
  if (!pick) return undefined;
  return {
    ...repo,
    id: pick.id,
    htmlUrl: pick.html_url ?? undefined,
    status: pick.status,
    conclusion: pick.conclusion ?? null,
    title: pick.output?.title ?? null,
  };
}

/**
 * Create the run without the retry plugin's blind retries: a POST that timed out or got a 5xx
 * may still have created it, and a second POST would leave that one in progress for ever. So
 * each retry first looks the run up by external_id and adopts it when it exists.
 */
export async function createCheckRunOnce(gh: GitHub, repo: RepoRef, headSha: string, externalId: string, attempts = 3, delayMs = 2000): Promise<CheckRunRef> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      await sleep(delayMs * (attempt - 1));
      try {
        const existing = await findCheckRun(gh, repo, headSha, externalId);
        if (existing && existing.status !== "completed") return existing;
      } catch {
        // the lookup failing too says nothing new: try creating again
      }
    }
    try {
      return await createCheckRun(gh, repo, headSha, externalId, { retries: 0 });
    } catch (error) {
      last = error;
      const status = httpStatus(error);
      if (status !== undefined && status < 500 && status !== 429) break;
    }
  }
  throw last;
}

export async function createCheckRun(
  gh: GitHub,
  repo: RepoRef,
  headSha: string,
  externalId: string,
  request: { retries?: number } = {},
): Promise<CheckRunRef> {
  const { data } = await gh.rest.checks.create({
    ...(request.retries !== undefined ? { request: { retries: request.retries } } : {}),
    ...repo,
    name: CHECK_NAME,
    head_sha: headSha,
    status: "in_progress",
    external_id: externalId,
    output: {
      title: "Reviewing the change for security issues",
      summary: "vibeguard is reading the added code; the security checklist appears here when it is done.",
    },
  });
  return { ...repo, id: data.id, htmlUrl: data.html_url ?? undefined };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Complete the run: with more than 50 annotations, every batch but the last goes in an `output`
 * update that concludes nothing (same title and summary), and the last batch goes with the
 * conclusion. When GitHub rejects annotations (422), the run still concludes, without them.
 */
export async function completeCheckRun(
  gh: GitHub,
  run: CheckRunRef,
  conclusion: Conclusion,
  output: CheckRunOutput,
  annotations: readonly CheckRunAnnotation[],
): Promise<void> {
  const batches = chunks(annotations, ANNOTATIONS_PER_REQUEST);
  const params = { owner: run.owner, repo: run.repo, check_run_id: run.id };
  try {
    for (const batch of batches.slice(0, -1)) {
      await gh.rest.checks.update({ ...params, output: { title: output.title, summary: output.summary, annotations: batch } });
    }
    const last = batches.at(-1);
    await gh.rest.checks.update({
      ...params,
      conclusion,
      completed_at: new Date().toISOString(),
      output: { ...output, ...(last ? { annotations: last } : {}) },
    });
  } catch (error) {
    if (httpStatus(error) !== 422 || annotations.length === 0) throw error;
    await gh.rest.checks.update({
      ...params,
      conclusion,
      completed_at: new Date().toISOString(),
      output: {
        ...output,
        summary: truncateMarkdown(
          `_GitHub did not accept the line annotations for this run; the findings are listed in the details below._\n\n${output.summary}`,
          OUTPUT_LIMIT,
          "_…truncated._",
        ),
      },
    });
  }
}

/** Conclude without annotations, retrying: used when a run ends early or something failed. */
export async function concludeCheckRun(
  gh: GitHub,
  run: CheckRunRef,
  conclusion: Conclusion,
  output: CheckRunOutput,
  retryDelayMs = 2000,
): Promise<void> {
  await withRetry(
    () =>
      gh.rest.checks.update({
        owner: run.owner,
        repo: run.repo,
        check_run_id: run.id,
        conclusion,
        completed_at: new Date().toISOString(),
        output,
      }),
    3,
    retryDelayMs,
  );
}
