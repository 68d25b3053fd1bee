// Start-up sweep: check runs this App left `in_progress` (a process that died mid-run, a deploy
// that cut a job short) are found and handed back: re-queued when a re-queue is given (the
// re-run adopts the same check run through its external_id), otherwise concluded with an
// explanation, so no pull request waits for ever on a check that nobody is running.
//
// GitHub has no "list check runs by app" endpoint, so the sweep walks what can hold one: every
// installation's repositories, their open pull requests, and the check runs on each head.
import { renderInterrupted } from "../render/check-run.js";
import { CHECK_NAME, concludeCheckRun, parseExternalId, type ExternalTarget } from "./check-run.js";
import { configReader } from "./config.js";
import { describeError } from "./errors.js";
import { runReview, type Deps } from "./run.js";
import type { GitHub, Log, RepoRef } from "./octokit.js";

export interface StaleRun extends RepoRef {
  installationId: number;
  repoHtmlUrl: string;
  checkRunId: number;
  htmlUrl: string | undefined;
  headSha: string;
  externalId: string;
  target: ExternalTarget | undefined;
  startedAt: string;
}

export interface SweepOptions {
  /** Runs in progress for longer than this are stale. */
  olderThanMs: number;
  now?: () => number;
  /** Bounds on the walk, so one huge installation cannot hold start-up. */
  maxReposPerInstallation?: number;
  maxPullsPerRepo?: number;
  /** Re-queue a stale run; resolve false to have it concluded instead. */
  requeue?: (run: StaleRun, gh: GitHub) => Promise<boolean>;
  /** Delay between attempts to conclude (tests use 0). */
  retryDelayMs?: number;
}

export interface AppAuth {
  /** Probot's `app.auth()`: the App's own client without an id, an installation's with one. */
  auth(installationId?: number): Promise<unknown>;
}

export interface SweepResult {
  found: number;
  requeued: number;
  concluded: number;
  errors: number;
}

/** Minutes from VIBEGUARD_STALE_RUN_MINUTES (default 30; 0 turns the sweep off). */
export function staleMinutesFromEnv(env: NodeJS.ProcessEnv): number {
  const n = Number(env.VIBEGUARD_STALE_RUN_MINUTES ?? "30");
  return Number.isFinite(n) && n >= 0 ? n : 30;
}

async function staleRunsOfRepo(gh: GitHub, installationId: number, repo: RepoRef & { repoHtmlUrl: string }, appId: number, options: SweepOptions): Promise<StaleRun[]> {
  const now = (options.now ?? Date.now)();
  const pulls = await gh.rest.pulls.list({ owner: repo.owner, repo: repo.repo, state: "open", per_page: Math.min(100, options.maxPullsPerRepo ?? 100) });
  const stale: StaleRun[] = [];
  for (const pull of pulls.data) {
    const { data } = await gh.rest.checks.listForRef({
      owner: repo.owner,
      repo: repo.repo,
      ref: pull.head.sha,
      check_name: CHECK_NAME,
      status: "in_progress",
      app_id: appId,
      per_page: 100,
    });
    for (const run of data.check_runs) {
      if (run.status === "completed" || !run.started_at) continue;
      if (now - Date.parse(run.started_at) < options.olderThanMs) continue;
      stale.push({
        installationId,
        owner: repo.owner,
        repo: repo.repo,
        repoHtmlUrl: repo.repoHtmlUrl,
        checkRunId: run.id,
        htmlUrl: run.html_url ?? undefined,
        headSha: run.head_sha,
        externalId: run.external_id ?? "",
        target: parseExternalId(run.external_id),
        startedAt: run.started_at,
      });
    }
  }
  return stale;
}

export async function sweepStaleRuns(app: AppAuth, log: Log, options: SweepOptions): Promise<SweepResult> {
  const result: SweepResult = { found: 0, requeued: 0, concluded: 0, errors: 0 };
  const appClient = (await app.auth()) as GitHub;
  const { data: me } = await appClient.rest.apps.getAuthenticated();
  const appId = me?.id;
  if (typeof appId !== "number") return result;
  const installations = await appClient.paginate(appClient.rest.apps.listInstallations, { per_page: 100 });
  for (const installation of installations) {
    let gh: GitHub;
    try {
      gh = (await app.auth(installation.id)) as GitHub;
      const { data } = await gh.rest.apps.listReposAccessibleToInstallation({ per_page: Math.min(100, options.maxReposPerInstallation ?? 100) });
      for (const r of data.repositories) {
        const repo = { owner: r.owner.login, repo: r.name, repoHtmlUrl: r.html_url };
        let stale: StaleRun[];
        try {
          stale = await staleRunsOfRepo(gh, installation.id, repo, appId, options);
        } catch (error) {
          result.errors++;
          log.warn({ repository: `${repo.owner}/${repo.repo}`, reason: describeError(error) }, "vibeguard: could not look for stale check runs");
          continue;
        }
        for (const run of stale) {
          result.found++;
          try {
            if (options.requeue && (await options.requeue(run, gh))) {
              result.requeued++;
              log.info({ checkRun: run.checkRunId, repository: `${run.owner}/${run.repo}`, startedAt: run.startedAt }, "vibeguard: re-queued a check run left in progress");
              continue;
            }
            await concludeCheckRun(gh, { owner: run.owner, repo: run.repo, id: run.checkRunId, htmlUrl: run.htmlUrl }, "failure", renderInterrupted(run.startedAt), options.retryDelayMs);
            result.concluded++;
            log.info({ checkRun: run.checkRunId, repository: `${run.owner}/${run.repo}`, startedAt: run.startedAt }, "vibeguard: concluded a check run left in progress");
          } catch (error) {
            result.errors++;
            log.warn({ checkRun: run.checkRunId, reason: describeError(error) }, "vibeguard: could not hand back a stale check run");
          }
        }
      }
    } catch (error) {
      result.errors++;
      log.warn({ installation: installation.id, reason: describeError(error) }, "vibeguard: could not sweep an installation");
    }
  }
  return result;
}

/**
 * The default re-queue when the App runs its reviews in-process: review the pull request again
 * now. The run adopts the stale check run (same head and external_id) and finishes it, or
 * concludes it as superseded when the pull request has moved on. Merge-group runs are concluded.
 */
export function rerunInProcess(deps: Deps, log: Log): (run: StaleRun, gh: GitHub) => Promise<boolean> {
  return async (run, gh) => {
    const target = run.target;
    if (target?.kind !== "pull_request") return false;
    const repo = { owner: run.owner, repo: run.repo };
    void runReview(
      { octokit: gh, log, readConfig: configReader(gh, repo), installationId: run.installationId, jobId: `stale-${run.checkRunId}` },
      {
        ...repo,
        repoHtmlUrl: run.repoHtmlUrl,
        headSha: run.headSha,
        externalId: run.externalId,
        fresh: true,
        loadPull: async () => {
          const { data } = await gh.rest.pulls.get({ ...repo, pull_number: target.number });
          return {
            pull: { number: data.number, draft: data.draft ?? false, changedFiles: data.changed_files, baseSha: data.base.sha },
            headSha: data.head.sha,
          };
        },
      },
      deps,
    ).catch((error: unknown) => log.error({ checkRun: run.checkRunId, reason: describeError(error) }, "vibeguard: re-run of a stale check run failed"));
    return true;
  };
}

/**
 * Sweep once, shortly after start-up, unless VIBEGUARD_STALE_RUN_MINUTES is 0 or this is a test
 * process. Never throws: a failed sweep is logged.
 */
export function scheduleStaleRunSweep(app: AppAuth & { log: Log }, deps: Deps, env: NodeJS.ProcessEnv = process.env): void {
  const minutes = staleMinutesFromEnv(env);
  if (minutes === 0 || env.NODE_ENV === "test" || !env.APP_ID) return;
  const timer = setTimeout(() => {
    sweepStaleRuns(app, app.log, { olderThanMs: minutes * 60_000, requeue: rerunInProcess(deps, app.log) }).then(
      (result) => app.log.info(result, "vibeguard: stale check-run sweep done"),
      (error: unknown) => app.log.warn({ reason: describeError(error) }, "vibeguard: stale check-run sweep failed"),
    );
  }, 1_000);
  timer.unref();
}
