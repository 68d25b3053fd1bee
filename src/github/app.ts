// The webhook handlers and the job runner. A handler only validates the payload and enqueues a
// review job (so GitHub's delivery is acknowledged at once); the job runner, in this process or
// in a worker, turns a job back into a Probot context and runs the review.
import { Context, type Probot } from "probot";
import { z } from "zod";
import { jobKey, type ReviewJob } from "../queue/job.js";
import { MemoryQueue } from "../queue/memory.js";
import type { JobControl, JobHandler, ReviewQueue } from "../queue/types.js";
import { CHECK_NAME, mergeGroupExternalId, parseExternalId, pullExternalId, type ExternalTarget } from "./check-run.js";
import { describeError } from "./errors.js";
import { renderSuperseded } from "../render/check-run.js";
import { concludeCheckRun, createCheckRun } from "./check-run.js";
import { checkRunPayload, checkSuitePayload, mergeGroupPayload, pullRequestPayload, validPayload } from "./payloads.js";
import type { GitHub, Log, RepoRef } from "./octokit.js";
import { runReview, type Deps, type PullTarget, type RunContext, type RunTarget } from "./run.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

interface MinimalPull {
  number: number;
  draft?: boolean | undefined;
  changed_files?: number | undefined;
  head: { sha: string };
  base?: { sha: string } | undefined;
}

function pullTarget(pr: MinimalPull): PullTarget {
  return { number: pr.number, draft: pr.draft ?? false, changedFiles: pr.changed_files, baseSha: pr.base?.sha };
}

function runContext(context: Context): RunContext {
  return {
    octokit: context.octokit as GitHub,
    log: context.log,
    readConfig: (file) => context.config(file),
    deliveryId: context.id,
    installationId: (context.payload as { installation?: { id?: number } }).installation?.id,
  };
}

/** An open pull request whose head is `sha` (re-runs of fork PRs list none in the payload). */
async function findPullBySha(gh: GitHub, repo: RepoRef, sha: string): Promise<number | undefined> {
  let found: number | undefined;
  let pages = 0;
  for await (const page of gh.paginate.iterator(gh.rest.pulls.list, { ...repo, state: "open", per_page: 100 })) {
    found = page.data.find((pr) => pr.head.sha === sha)?.number;
    if (found !== undefined || ++pages >= 10) break;
  }
  return found;
}

function rerunTarget(context: Context, repo: RepoRef, repoHtmlUrl: string, headSha: string, target: ExternalTarget): RunTarget {
  if (target.kind === "merge_group") {
    return { ...repo, repoHtmlUrl, headSha, externalId: mergeGroupExternalId(target.baseSha), mergeGroup: { baseSha: target.baseSha }, fresh: true };
  }
  const gh = context.octokit as GitHub;
  return {
    ...repo,
    repoHtmlUrl,
    headSha,
    externalId: pullExternalId(target.number),
    fresh: true,
    loadPull: async () => {
      const { data } = await gh.rest.pulls.get({ ...repo, pull_number: target.number });
      return { pull: pullTarget(data), headSha: data.head.sha };
    },
  };
}

/** A re-run: the target found so far, else the open pull request whose head is `headSha`. */
async function rerun(context: Context, repoHtmlUrl: string, headSha: string, found: ExternalTarget | undefined, deps: Deps): Promise<void> {
  const repo = context.repo();
  let target = found;
  if (!target) {
    const number = await findPullBySha(context.octokit as GitHub, repo, headSha);
    if (number !== undefined) target = { kind: "pull_request", number };
  }
  if (!target) {
    context.log.info({ headSha }, "vibeguard: re-run for a commit with no open pull request; nothing to review");
    return;
  }
  await runReview(runContext(context), rerunTarget(context, repo, repoHtmlUrl, headSha, target), deps);
}

const installationPayload = z.object({ installation: z.object({ id: z.number().int().positive() }) });

/** The check run of a job a newer push superseded before it started: concluded at once, no review. */
async function concludeSuperseded(ctx: RunContext, repo: RepoRef, headSha: string, externalId: string, newer: string): Promise<void> {
  const run = await createCheckRun(ctx.octokit, repo, headSha, externalId);
  await concludeCheckRun(ctx.octokit, run, "neutral", renderSuperseded(newer));
  ctx.log.info({ checkRun: run.id, newerSha: newer }, "vibeguard: superseded by a newer push before it ran; concluded neutral");
}

/** Run one job: the review the webhook asked for, with the octokit of its installation. */
async function runJob(context: Context, job: ReviewJob, control: JobControl, deps: Deps): Promise<void> {
  const ctx: RunContext = { ...runContext(context), jobId: control.jobId, supersededBy: control.supersededBy };
  const repo: RepoRef = { owner: job.owner, repo: job.repo };
  const t = job.target;
  if (t.kind === "pull_request") {
    const externalId = pullExternalId(t.number);
    const newer = control.supersededBy();
    if (newer) return concludeSuperseded(ctx, repo, job.headSha, externalId, newer);
    await runReview(
      ctx,
      {
        ...repo,
        repoHtmlUrl: job.repoHtmlUrl,
        headSha: job.headSha,
        externalId,
        pull: { number: t.number, draft: t.draft, changedFiles: t.changedFiles, baseSha: t.baseSha },
        // A draft marked ready was skipped before: review it even though a run exists.
        fresh: job.event === "pull_request.ready_for_review",
      },
      deps,
    );
    return;
  }
  if (t.kind === "merge_group") {
    await runReview(
      ctx,
      {
        ...repo,
        repoHtmlUrl: job.repoHtmlUrl,
        headSha: job.headSha,
        externalId: mergeGroupExternalId(t.baseSha),
        mergeGroup: { baseSha: t.baseSha },
      },
      deps,
    );
    return;
  }
  let target: ExternalTarget | undefined = t.found;
  if (!target && t.checkSuiteId !== undefined) {
    // Our earlier run in this suite says what it reviewed.
    try {
      const gh = context.octokit as GitHub;
      const { data } = await gh.rest.checks.listForSuite({ ...repo, check_suite_id: t.checkSuiteId, check_name: CHECK_NAME, per_page: 10 });
      for (const run of data.check_runs) target ??= parseExternalId(run.external_id);
    } catch (error) {
      context.log.warn({ reason: describeError(error) }, "vibeguard: could not list the suite's check runs");
    }
  }
  await rerun(context, job.repoHtmlUrl, job.headSha, target, deps);
}

/**
 * The job runner: authenticates as the job's installation and runs it with a logger that names
 * the delivery, installation, repository, pull request and job on every line.
 */
export function createJobHandler(auth: (installationId: number) => Promise<GitHub>, log: Log, deps: Deps): JobHandler {
  return async (job, control) => {
    const octokit = await auth(job.installationId);
    const pr = job.target.kind === "pull_request" ? job.target.number : job.target.kind === "rerun" && job.target.found?.kind === "pull_request" ? job.target.found.number : undefined;
    const jobLog = log.child({
      deliveryId: job.deliveryId,
      installation: job.installationId,
      repository: `${job.owner}/${job.repo}`,
      ...(pr !== undefined ? { pr } : {}),
      jobId: control.jobId,
      ...(control.attempt > 1 ? { attempt: control.attempt } : {}),
    });
    const event = {
      id: job.deliveryId,
      name: job.event.split(".")[0],
      payload: {
        repository: { name: job.repo, owner: { login: job.owner }, html_url: job.repoHtmlUrl },
        installation: { id: job.installationId },
      },
    };
    const context = new Context(event as never, octokit as never, jobLog);
    await runJob(context, job, control, deps);
  };
}

export interface AppOptions {
  /**
   * The queue the handlers enqueue to, given the job runner for queues that run jobs in this
   * process. Default: the embedded MemoryQueue.
   */
  queue?: (handler: JobHandler, log: Log) => ReviewQueue;
}

type JobFields = Omit<ReviewJob, "key" | "deliveryId" | "event" | "installationId" | "owner" | "repo" | "enqueuedAt">;

/** Validate, build the job and enqueue it; nothing else happens while GitHub waits for the answer. */
async function enqueue(context: Context, queue: ReviewQueue, fields: JobFields): Promise<void> {
  const installation = validPayload(installationPayload, context.payload, context.log, context.name);
  if (!installation) return;
  const action = (context.payload as { action?: unknown }).action;
  const base = {
    ...fields,
    deliveryId: context.id,
    event: typeof action === "string" ? `${context.name}.${action}` : context.name,
    installationId: installation.installation.id,
    ...context.repo(),
    enqueuedAt: Date.now(),
  };
  const job: ReviewJob = { ...base, key: jobKey(base) };
  const result = await queue.enqueue(job);
  context.log.info(
    {
      deliveryId: job.deliveryId,
      installation: job.installationId,
      repository: `${job.owner}/${job.repo}`,
      ...(job.target.kind === "pull_request" ? { pr: job.target.number } : {}),
      headSha: job.headSha,
      jobId: result.jobId,
      queue: queue.mode,
    },
    result.status === "queued" ? "vibeguard: review queued" : "vibeguard: duplicate delivery; the review is already queued or done",
  );
}

function updatedAt(value: string | undefined): number {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : Date.now();
}

export function createVibeguardApp(deps: Deps, options: AppOptions = {}): (app: Probot) => void {
  return (app: Probot) => {
    const handler = createJobHandler((id) => app.auth(id) as Promise<GitHub>, app.log, deps);
    const queue = options.queue ? options.queue(handler, app.log) : new MemoryQueue(handler, { log: app.log });

    app.on([...PULL_REQUEST_EVENTS], async (context) => {
      const payload = validPayload(pullRequestPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const pr = payload.pull_request;
      if (pr.state !== "open") return;
      const updated = (context.payload as { pull_request?: { updated_at?: unknown } }).pull_request?.updated_at;
      await enqueue(context, queue, {
        repoHtmlUrl: payload.repository.html_url,
        headSha: pr.head.sha,
        target: {
          kind: "pull_request",
          number: pr.number,
          draft: pr.draft ?? false,
          ...(pr.changed_files !== undefined ? { changedFiles: pr.changed_files } : {}),
          ...(pr.base?.sha ? { baseSha: pr.base.sha } : {}),
          updatedAt: updatedAt(typeof updated === "string" ? updated : undefined),
        },
      });
    });

    app.on("check_run.rerequested", async (context) => {
      const payload = validPayload(checkRunPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const checkRun = payload.check_run;
      if (checkRun.name !== CHECK_NAME) return;
      const first = checkRun.pull_requests[0];
      const found: ExternalTarget | undefined =
        parseExternalId(checkRun.external_id) ?? (first ? { kind: "pull_request", number: first.number } : undefined);
      await enqueue(context, queue, {
        repoHtmlUrl: payload.repository.html_url,
        headSha: checkRun.head_sha,
        target: { kind: "rerun", ...(found ? { found } : {}) },
      });
    });

    app.on("check_suite.rerequested", async (context) => {
      const payload = validPayload(checkSuitePayload, context.payload, context.log, context.name);
      if (!payload) return;
      const suite = payload.check_suite;
      const first = suite.pull_requests[0];
      await enqueue(context, queue, {
        repoHtmlUrl: payload.repository.html_url,
        headSha: suite.head_sha,
        target: first ? { kind: "rerun", found: { kind: "pull_request", number: first.number } } : { kind: "rerun", checkSuiteId: suite.id },
      });
    });

    app.on("merge_group.checks_requested", async (context) => {
      const payload = validPayload(mergeGroupPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const group = payload.merge_group;
      await enqueue(context, queue, {
        repoHtmlUrl: payload.repository.html_url,
        headSha: group.head_sha,
        target: { kind: "merge_group", baseSha: group.base_sha },
      });
    });
  };
}
