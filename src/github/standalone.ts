// The App's review run without Probot: what the GitHub Action (src/action/) needs to call
// runReview with a workflow's token and the event payload the runner hands it. Everything the run
// does (check run, checklist, annotations, review comments, dedupe, thread resolution) stays in
// run.ts and its helpers; this file only builds the run's inputs.
import { ProbotOctokit } from "probot";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { ConfigError, parseConfig } from "../config/schema.js";
import { PULL_REQUEST_EVENTS } from "./app.js";
import { mergeGroupExternalId, pullExternalId } from "./check-run.js";
import { httpStatus } from "./errors.js";
import type { GitHub, Log, RepoRef } from "./octokit.js";
import { mergeGroupPayload, pullRequestPayload, validPayload } from "./payloads.js";
import type { RunContext, RunTarget } from "./run.js";

export interface StandaloneOctokitOptions {
  token: string;
  /** REST base URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  baseUrl?: string;
  log: Log;
  /** Extra Octokit options (tests turn retries and throttling off). */
  octokit?: Record<string, unknown>;
}

/** The same Octokit the App uses (retries, throttling, pagination), authenticated with a token. */
export function octokitForToken(options: StandaloneOctokitOptions): GitHub {
  return new ProbotOctokit({
    auth: { token: options.token },
    log: options.log,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : {}),
    ...options.octokit,
  }) as GitHub;
}

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a commit SHA");
/** Beyond payloads.ts: the action that fired and the base commit (the Action reads its config there). */
const pullRequestExtras = z.object({ action: z.string(), pull_request: z.object({ base: z.object({ sha }) }) });
const mergeGroupExtras = z.object({ action: z.string() });

/** The pull-request actions the App reviews, without the event prefix. */
const REVIEWED_ACTIONS = new Set<string>(PULL_REQUEST_EVENTS.map((e) => e.split(".")[1]!));

export type EventTarget =
  | { kind: "run"; target: RunTarget; repo: RepoRef; /** Where the configuration is read. */ configRef: string }
  | { kind: "skip"; reason: string };

/**
 * What to review for a workflow event: `pull_request` (and `pull_request_target`, whose payload
 * is the same) for the actions the App reviews, and `merge_group` checks_requested.
 */
export function targetFromEvent(event: string, payload: unknown, log: Log): EventTarget {
  if (event === "pull_request" || event === "pull_request_target") {
    const pr = validPayload(pullRequestPayload, payload, log, event);
    const extras = validPayload(pullRequestExtras, payload, log, event);
    if (!pr || !extras) return { kind: "skip", reason: `the ${event} payload lacks a field the review needs` };
    if (!REVIEWED_ACTIONS.has(extras.action)) {
      return { kind: "skip", reason: `${event}.${extras.action} is not reviewed (only ${[...REVIEWED_ACTIONS].join(", ")})` };
    }
    const pull = pr.pull_request;
    if (pull.state !== "open") return { kind: "skip", reason: `pull request #${pull.number} is ${pull.state}` };
    const repo = { owner: pr.repository.owner.login, repo: pr.repository.name };
    return {
      kind: "run",
      repo,
      configRef: extras.pull_request.base.sha,
      target: {
        ...repo,
        repoHtmlUrl: pr.repository.html_url,
        headSha: pull.head.sha,
        externalId: pullExternalId(pull.number),
        pull: { number: pull.number, draft: pull.draft ?? false, changedFiles: pull.changed_files, baseSha: extras.pull_request.base.sha },
        // A workflow run is a deliberate request (a push, or a re-run): review even when a check
        // run for this head already exists.
        fresh: true,
      },
    };
  }
  if (event === "merge_group") {
    const mg = validPayload(mergeGroupPayload, payload, log, event);
    const extras = validPayload(mergeGroupExtras, payload, log, event);
    if (!mg || !extras) return { kind: "skip", reason: "the merge_group payload lacks a field the review needs" };
    if (extras.action !== "checks_requested") return { kind: "skip", reason: `merge_group.${extras.action} is not reviewed` };
    const group = mg.merge_group;
    const repo = { owner: mg.repository.owner.login, repo: mg.repository.name };
    return {
      kind: "run",
      repo,
      configRef: group.base_sha,
      target: {
        ...repo,
        repoHtmlUrl: mg.repository.html_url,
        headSha: group.head_sha,
        externalId: mergeGroupExternalId(group.base_sha),
        mergeGroup: { baseSha: group.base_sha },
        fresh: true,
      },
    };
  }
  return { kind: "skip", reason: `the ${event} event is not reviewed (use pull_request, pull_request_target or merge_group)` };
}

/**
 * A config reader for runReview: the YAML file at `path` in the repository at `ref` (the base
 * commit, so a pull request cannot relax the rules it is reviewed by), validated here so an
 * error names `path` and the key. No file: the defaults.
 */
export function configReaderAt(gh: GitHub, repo: RepoRef, path: string, ref: string): RunContext["readConfig"] {
  return async () => {
    let text: string;
    try {
      const { data } = await gh.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: "raw" } });
      if (typeof data !== "string") throw new ConfigError(path, "", "is a directory or a submodule, not a file");
      text = data;
    } catch (error) {
      if (httpStatus(error) === 404) return null;
      throw error;
    }
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (error) {
      const first = ((error as Error).message ?? "").split("\n")[0]!;
      throw new ConfigError(path, "", `invalid YAML: ${first}`);
    }
    return parseConfig(value ?? {}, path);
  };
}
