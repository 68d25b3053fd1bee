// One review run: find or create the check run at once, load the configuration, read the changed
// files, analyse them, check the pull request still points at the commit reviewed, complete the
// check run with the checklist and every annotation, then post the review. Whatever fails after
// the check run exists, the check run is concluded. Runs for one pull request never overlap.
import type { AnalysisResult, AnalyzeOptions, SourceFile } from "../analysis/types.js";
import {
  renderAnnotation,
  renderCheckRunOutput,
  renderConfigError,
  renderDraftSkipped,
  renderRunError,
  renderSuperseded,
  type CheckRunOutput,
} from "../render/check-run.js";
import {
  completeCheckRun,
  concludeCheckRun,
  createCheckRunOnce,
  findCheckRun,
  parseExternalId,
  reviewedHead,
  type CheckRunRef,
  type Conclusion,
} from "./check-run.js";
import { loadConfig } from "./config.js";
import { describeError, safeStack } from "./errors.js";
import {
  COMPARE_FILES_LIMIT,
  PULL_FILES_LIMIT,
  listCompareFiles,
  listPullRequestFiles,
  mergeBaseOf,
  prepareFiles,
  type ChangedFile,
} from "./files.js";
import type { GitHub, Log, RepoRef } from "./octokit.js";
import { buildReport, runConclusion, type RunFacts } from "./report.js";
import { reviewPullRequest, type ReviewOutcome } from "./review.js";
import { serialized } from "./serialize.js";
import { jobBindings } from "../logging.js";

export type Analyze = (files: SourceFile[], options?: AnalyzeOptions) => Promise<AnalysisResult>;

export interface Deps {
  analyze: Analyze;
  /** Delay between attempts to conclude a check run after an error (tests use 0). */
  retryDelayMs?: number;
  /** Content requests in flight at once. */
  concurrency?: number;
  /** Content bytes one review reads at most (default 64 MiB). */
  maxReviewBytes?: number;
}

export interface PullTarget {
  number: number;
  draft: boolean;
  /** `changed_files` of the pull request, to tell when GitHub's listing is capped. */
  changedFiles: number | undefined;
  /** `base.sha`: with the head, it finds the merge base a file without a patch is compared with. */
  baseSha?: string | undefined;
}

export interface RunTarget extends RepoRef {
  /** Payload `repository.html_url`: links in the summary point at blobs under it. */
  repoHtmlUrl: string;
  headSha: string;
  externalId: string;
  pull?: PullTarget;
  /**
   * For re-runs: look the pull request up after the check run exists (so a failing lookup still
   * concludes it). A pull request whose head moved on concludes this run as superseded.
   */
  loadPull?: () => Promise<{ pull: PullTarget; headSha: string }>;
  mergeGroup?: { baseSha: string };
  /**
   * Run even when this App already completed a check run for this head and external_id (a
   * re-run, or a draft marked ready). Otherwise such a run means a duplicate delivery: nothing
   * more is done.
   */
  fresh?: boolean;
}

export interface RunContext {
  octokit: GitHub;
  log: Log;
  /** Probot's context.config. */
  readConfig: (file: string) => Promise<unknown>;
  /** Bound to every log line of the run, with the repository, pull request and head. */
  deliveryId?: string | undefined;
  installationId?: number | undefined;
  /** The queue job running this review, when there is one. */
  jobId?: string | undefined;
  /**
   * From the queue: the newer head commit that superseded this run (a newer push to the same
   * pull request was enqueued), if any. Asked before the analysis and before each write.
   */
  supersededBy?: () => string | undefined;
}

export type RunOutcome =
  | { kind: "completed"; conclusion: Conclusion; review?: ReviewOutcome | undefined }
  | { kind: "ended"; conclusion: Conclusion; reason: string }
  | { kind: "duplicate"; checkRunId: number };

async function conclude(ctx: RunContext, run: CheckRunRef, conclusion: Conclusion, output: CheckRunOutput, deps: Deps): Promise<void> {
  try {
    await concludeCheckRun(ctx.octokit, run, conclusion, output, deps.retryDelayMs);
  } catch (error) {
    // Nothing more the App can do; the check stays visible as in progress and a re-push re-runs it.
    ctx.log.error({ checkRun: run.id, reason: describeError(error) }, "vibeguard: could not conclude the check run");
  }
}

function pullNumberOf(externalId: string): number | undefined {
  const parsed = parseExternalId(externalId);
  return parsed?.kind === "pull_request" ? parsed.number : undefined;
}

/** The key runs are serialized on: one pull request (or merge group) of one repository. */
export function runKey(target: RunTarget): string {
  return `${target.owner}/${target.repo}#${target.externalId}`.toLowerCase();
}

/** A newer push superseded this run: conclude neutral, post nothing. */
async function endSuperseded(ctx: RunContext, run: CheckRunRef, newer: string, deps: Deps): Promise<RunOutcome> {
  ctx.log.info({ checkRun: run.id, newerSha: newer }, "vibeguard: superseded by a newer push; stopping");
  await conclude(ctx, run, "neutral", renderSuperseded(newer), deps);
  return { kind: "ended", conclusion: "neutral", reason: "superseded" };
}

export async function runReview(ctx: RunContext, target: RunTarget, deps: Deps): Promise<RunOutcome> {
  const log = ctx.log.child(
    jobBindings({
      deliveryId: ctx.deliveryId,
      installation: ctx.installationId,
      repository: `${target.owner}/${target.repo}`,
      pr: target.pull?.number ?? pullNumberOf(target.externalId),
      headSha: target.headSha,
      jobId: ctx.jobId,
    }),
  );
  // Octokit's own request lines (Probot's request logging) carry the job's bindings too. The
  // client is made for this event or job, so rebinding its logger touches no other run.
  (ctx.octokit as unknown as { log: unknown }).log = log.child({ name: "github" });
  return serialized(runKey(target), () => runReviewNow({ ...ctx, log }, target, deps));
}

/** This App's run for the target: an existing one to adopt or skip, else a new one. */
async function openCheckRun(ctx: RunContext, repo: RepoRef, target: RunTarget, deps: Deps): Promise<CheckRunRef | { duplicate: number }> {
  try {
    const existing = await findCheckRun(ctx.octokit, repo, target.headSha, target.externalId);
    if (existing && existing.status !== "completed") {
      // Left behind by a run that died, or by a POST that was retried: finish it, not a second one.
      ctx.log.info({ checkRun: existing.id }, "vibeguard: adopting this App's check run still in progress");
      return existing;
    }
    if (existing && !target.fresh && reviewedHead(existing)) return { duplicate: existing.id };
  } catch (error) {
    ctx.log.warn({ reason: describeError(error) }, "vibeguard: could not look up existing check runs; creating one");
  }
  return createCheckRunOnce(ctx.octokit, repo, target.headSha, target.externalId, 3, deps.retryDelayMs ?? 2000);
}

/** The pull request's head now, to tell whether this run's commit is still the one to review. */
async function currentHead(gh: GitHub, repo: RepoRef, number: number): Promise<string> {
  const { data } = await gh.rest.pulls.get({ ...repo, pull_number: number });
  return data.head.sha;
}

async function runReviewNow(ctx: RunContext, target: RunTarget, deps: Deps): Promise<RunOutcome> {
  const repo: RepoRef = { owner: target.owner, repo: target.repo };
  const gh = ctx.octokit;
  // 1. The check run first, so branch protection shows it pending. A failure here propagates:
  //    there is no run to conclude yet.
  const opened = await openCheckRun(ctx, repo, target, deps);
  if ("duplicate" in opened) {
    ctx.log.info({ checkRun: opened.duplicate }, "vibeguard: this commit was already reviewed; duplicate delivery ignored");
    return { kind: "duplicate", checkRunId: opened.duplicate };
  }
  const run = opened;

  let stage = "looking up the pull request";
  try {
    if (!target.pull && target.loadPull) {
      const loadedPull = await target.loadPull();
      if (loadedPull.headSha !== target.headSha) {
        await conclude(ctx, run, "neutral", renderSuperseded(loadedPull.headSha), deps);
        return { kind: "ended", conclusion: "neutral", reason: "superseded" };
      }
      target = { ...target, pull: loadedPull.pull };
    }

    stage = "loading the configuration";
    const loaded = await loadConfig(ctx.readConfig);
    if (!loaded.ok) {
      const { error } = loaded;
      ctx.log.warn({ key: error.key }, "vibeguard: invalid configuration");
      await conclude(ctx, run, "action_required", renderConfigError(error.file, error.key, error.message), deps);
      return { kind: "ended", conclusion: "action_required", reason: "config" };
    }
    const config = loaded.config;

    if (target.pull?.draft && config.skip_drafts) {
      await conclude(ctx, run, "neutral", renderDraftSkipped(), deps);
      return { kind: "ended", conclusion: "neutral", reason: "draft" };
    }

    stage = "listing the changed files";
    let changed: ChangedFile[];
    let totalFiles: number | undefined;
    let listLimit: number;
    let baseRef: () => Promise<string | undefined>;
    if (target.pull) {
      const pull = target.pull;
      changed = await listPullRequestFiles(gh, repo, pull.number);
      totalFiles = pull.changedFiles;
      listLimit = PULL_FILES_LIMIT;
      baseRef = async () => (pull.baseSha ? mergeBaseOf(gh, repo, pull.baseSha, target.headSha) : undefined);
    } else {
      const base = target.mergeGroup?.baseSha;
      if (!base) throw new Error("a run needs a pull request or a merge group");
      const compared = await listCompareFiles(gh, repo, base, target.headSha);
      changed = compared.files;
      totalFiles = undefined; // compare gives no total: at the limit, the summary says more may exist
      listLimit = COMPARE_FILES_LIMIT;
      baseRef = async () => compared.mergeBase;
    }

    stage = "reading the changed files";
    const prepared = await prepareFiles(gh, repo, target.headSha, changed, {
      config,
      concurrency: deps.concurrency ?? 8,
      baseRef,
      ...(deps.maxReviewBytes !== undefined ? { maxTotalBytes: deps.maxReviewBytes } : {}),
    });

    const newerBeforeAnalysis = ctx.supersededBy?.();
    if (newerBeforeAnalysis) return await endSuperseded(ctx, run, newerBeforeAnalysis, deps);

    stage = "analysing the change";
    const result = await deps.analyze(prepared.sources, { config });
    const report = buildReport(result, config);

    const skipped = new Map<string, string>();
    for (const s of [...prepared.skipped, ...result.skipped]) if (!skipped.has(s.path)) skipped.set(s.path, s.reason);
    const facts: RunFacts = {
      repoHtmlUrl: target.repoHtmlUrl,
      headSha: target.headSha,
      kind: target.pull ? "pull_request" : "merge_group",
      skipped: [...skipped].map(([path, reason]) => ({ path, reason })),
      wholeFile: prepared.wholeFile,
      deletedOnly: prepared.deletedOnly,
      listedFiles: changed.length,
      totalFiles,
      listLimit,
    };

    const newerBeforeReport = ctx.supersededBy?.();
    if (newerBeforeReport) return await endSuperseded(ctx, run, newerBeforeReport, deps);

    // The listing and the review belong to the head this run was started for: when the pull request
    // moved on meanwhile (the listing may already show the newer commit's files), a newer run
    // reviews it, and this one must not post, reply or resolve anything.
    if (target.pull) {
      stage = "checking the pull request's head";
      const head = await currentHead(gh, repo, target.pull.number);
      if (head !== target.headSha) return await endSuperseded(ctx, run, head, deps);
    }

    const conclusion = runConclusion(report, facts, config.on_incomplete);
    stage = "reporting the result";
    await completeCheckRun(
      gh,
      run,
      conclusion,
      renderCheckRunOutput(report, facts),
      report.findings.map((f) => renderAnnotation(f, report.threshold)),
    );
    ctx.log.info(
      { checkRun: run.id, conclusion, findings: report.findings.length, analysed: result.analyzed.length },
      "vibeguard: check run completed",
    );

    // 2. The review. The check run is already concluded: a failure here is logged, nothing more.
    let review: ReviewOutcome | undefined;
    const newerBeforeReview = ctx.supersededBy?.();
    if (newerBeforeReview) ctx.log.info({ newerSha: newerBeforeReview }, "vibeguard: superseded by a newer push; no review posted");
    if (target.pull && config.comment_mode === "review" && !newerBeforeReview) {
      const analysed = new Set(result.analyzed);
      const listComplete = totalFiles === undefined || totalFiles <= changed.length;
      const settled = (path: string): boolean =>
        (analysed.has(path) && !skipped.has(path)) ||
        prepared.noAdditions.has(path) ||
        (listComplete && !prepared.listed.has(path));
      try {
        const number = target.pull.number;
        review = await reviewPullRequest(gh, ctx.log, {
          stillCurrent: async () => (await currentHead(gh, repo, number)) === target.headSha,
          pull: { ...repo, number: target.pull.number },
          headSha: target.headSha,
          checkRunUrl: run.htmlUrl,
          report,
          config,
          lines: prepared.lines,
          settled,
        });
      } catch (error) {
        ctx.log.error({ reason: describeError(error), stack: safeStack(error) }, "vibeguard: could not post the review");
      }
    }
    return { kind: "completed", conclusion, review };
  } catch (error) {
    ctx.log.error({ checkRun: run.id, stage, reason: describeError(error), stack: safeStack(error) }, "vibeguard: run failed");
    await conclude(ctx, run, "failure", renderRunError(`while ${stage}, ${describeError(error)}`), deps);
    return { kind: "ended", conclusion: "failure", reason: "error" };
  }
}
