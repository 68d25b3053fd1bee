// The webhook handlers: which events start a review run, and how a re-run finds what it reviews.
import type { Context, Probot } from "probot";
import { CHECK_NAME, mergeGroupExternalId, parseExternalId, pullExternalId, type ExternalTarget } from "./check-run.js";
import { describeError } from "./errors.js";
import { checkRunPayload, checkSuitePayload, mergeGroupPayload, pullRequestPayload, validPayload } from "./payloads.js";
import type { GitHub, RepoRef } from "./octokit.js";
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

export function createVibeguardApp(deps: Deps): (app: Probot) => void {
  return (app: Probot) => {
    app.on([...PULL_REQUEST_EVENTS], async (context) => {
      const payload = validPayload(pullRequestPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const pr = payload.pull_request;
      if (pr.state !== "open") return;
      await runReview(
        runContext(context),
        {
          ...context.repo(),
          repoHtmlUrl: payload.repository.html_url,
          headSha: pr.head.sha,
          externalId: pullExternalId(pr.number),
          pull: pullTarget(pr),
          // A draft marked ready was skipped before: review it even though a run exists.
          fresh: context.payload.action === "ready_for_review",
        },
        deps,
      );
    });

    app.on("check_run.rerequested", async (context) => {
      const payload = validPayload(checkRunPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const checkRun = payload.check_run;
      if (checkRun.name !== CHECK_NAME) return;
      const first = checkRun.pull_requests[0];
      const target: ExternalTarget | undefined =
        parseExternalId(checkRun.external_id) ?? (first ? { kind: "pull_request", number: first.number } : undefined);
      await rerun(context, payload.repository.html_url, checkRun.head_sha, target, deps);
    });

    app.on("check_suite.rerequested", async (context) => {
      const payload = validPayload(checkSuitePayload, context.payload, context.log, context.name);
      if (!payload) return;
      const suite = payload.check_suite;
      const repo = context.repo();
      const gh = context.octokit as GitHub;
      const first = suite.pull_requests[0];
      let target: ExternalTarget | undefined = first ? { kind: "pull_request", number: first.number } : undefined;
      if (!target) {
        // Our earlier run in this suite says what it reviewed.
        try {
          const { data } = await gh.rest.checks.listForSuite({ ...repo, check_suite_id: suite.id, check_name: CHECK_NAME, per_page: 10 });
          for (const run of data.check_runs) target ??= parseExternalId(run.external_id);
        } catch (error) {
          context.log.warn({ reason: describeError(error) }, "vibeguard: could not list the suite's check runs");
        }
      }
      await rerun(context, payload.repository.html_url, suite.head_sha, target, deps);
    });

    app.on("merge_group.checks_requested", async (context) => {
      const payload = validPayload(mergeGroupPayload, context.payload, context.log, context.name);
      if (!payload) return;
      const group = payload.merge_group;
      await runReview(
        runContext(context),
        {
          ...context.repo(),
          repoHtmlUrl: payload.repository.html_url,
          headSha: group.head_sha,
          externalId: mergeGroupExternalId(group.base_sha),
          mergeGroup: { baseSha: group.base_sha },
        },
        deps,
      );
    });
  };
}
