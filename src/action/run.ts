// The GitHub Action: the App's review (src/github/run.ts) run once from a workflow, with the
// workflow's token and the event payload the runner provides. With a token that may not write
// checks (a pull request from a fork gets a read-only GITHUB_TOKEN) the same run reports locally:
// workflow annotations and the job summary, and the step does not fail for want of permissions.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import * as core from "@actions/core";
import { pino } from "pino";
import { Writable } from "node:stream";
import { analyze as realAnalyze } from "../analysis/analyze.js";
import type { AnalysisResult } from "../analysis/types.js";
import { packageVersion } from "../cli/main.js";
import { SEVERITIES, type Severity } from "../findings.js";
import type { VibeguardConfig } from "../config/schema.js";
import type { CheckRunAnnotation, CheckRunOutput } from "../render/check-run.js";
import { renderSarif } from "../render/sarif.js";
import type { Conclusion } from "../github/check-run.js";
import { describeError, httpStatus } from "../github/errors.js";
import type { GitHub, Log } from "../github/octokit.js";
import { runReview, type Analyze, type RunOutcome } from "../github/run.js";
import { configReaderAt, octokitForToken, targetFromEvent } from "../github/standalone.js";

export const COMMENT_MODES = ["review", "checks-only"] as const;

export interface ActionInputs {
  token: string;
  configPath: string;
  failOn?: Severity;
  commentMode?: (typeof COMMENT_MODES)[number];
  /** Where to write SARIF, relative to the workspace; undefined: none. */
  sarif?: string;
}

export class InputError extends Error {
  override name = "InputError";
}

/** An input by its declared (snake_case) name, also accepting the kebab-case spelling. */
function input(name: string): string {
  return (core.getInput(name) || core.getInput(name.replace(/_/g, "-"))).trim();
}

export function readInputs(): ActionInputs {
  const token = input("github_token") || process.env.GITHUB_TOKEN || "";
  if (!token) throw new InputError("no token: set the github_token input (default: the workflow's GITHUB_TOKEN)");
  const inputs: ActionInputs = { token, configPath: input("config") || ".github/vibeguard.yml" };
  const failOn = input("fail_on");
  if (failOn) {
    if (!(SEVERITIES as readonly string[]).includes(failOn)) throw new InputError(`fail_on: "${failOn}" is not one of ${SEVERITIES.join(", ")}`);
    inputs.failOn = failOn as Severity;
  }
  const mode = input("comment_mode");
  if (mode) {
    if (!(COMMENT_MODES as readonly string[]).includes(mode)) throw new InputError(`comment_mode: "${mode}" is not one of ${COMMENT_MODES.join(", ")}`);
    inputs.commentMode = mode as ActionInputs["commentMode"];
  }
  const sarif = input("sarif");
  if (sarif) inputs.sarif = sarif;
  return inputs;
}

/** pino lines as plain workflow log lines: warnings and errors as workflow warnings/errors. */
function actionLog(): Log {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n")) {
        if (!line.trim()) continue;
        try {
          const { level, msg, time: _time, pid: _pid, hostname: _host, ...fields } = JSON.parse(line) as Record<string, unknown>;
          const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
          const text = `${String(msg ?? "")}${extra}`;
          if (typeof level === "number" && level >= 50) core.error(text);
          else if (typeof level === "number" && level >= 40) core.warning(text);
          else if (typeof level === "number" && level <= 20) core.debug(text);
          else core.info(text);
        } catch {
          core.info(line);
        }
      }
      callback();
    },
  });
  return pino({ level: process.env.RUNNER_DEBUG === "1" ? "debug" : "info", base: undefined }, stream) as unknown as Log;
}

/** What the run told GitHub's checks API (or would have): the job summary and local annotations come from it. */
interface CheckRecord {
  conclusion?: Conclusion;
  output?: CheckRunOutput;
  annotations: CheckRunAnnotation[];
  htmlUrl?: string;
}

const CREATE_ROUTE = "POST /repos/{owner}/{repo}/check-runs";
const UPDATE_ROUTE = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}";
/** Stands in for a check run that could not be created (read-only token). */
const LOCAL_CHECK_RUN_ID = 1;

/**
 * Watch the check-run calls; with `local`, answer them here instead of GitHub (read-only token):
 * everything else (listing files, reading content) still goes to GitHub.
 */
function recordCheckRuns(gh: GitHub, record: CheckRecord, local: boolean): void {
  gh.hook.wrap("request", async (request, options) => {
    const route = `${options.method} ${options.url}`;
    if (route !== CREATE_ROUTE && route !== UPDATE_ROUTE) return request(options);
    const params = options as unknown as { conclusion?: Conclusion; output?: CheckRunOutput & { annotations?: CheckRunAnnotation[] } };
    const note = () => {
      if (params.conclusion) record.conclusion = params.conclusion;
      if (params.output) {
        const { annotations, ...output } = params.output;
        record.output = output;
        if (annotations) record.annotations.push(...annotations);
      }
    };
    if (local) {
      note();
      const data = route === CREATE_ROUTE ? { id: LOCAL_CHECK_RUN_ID, html_url: null } : { id: LOCAL_CHECK_RUN_ID };
      return { status: route === CREATE_ROUTE ? 201 : 200, url: "", headers: {}, data } as Awaited<ReturnType<typeof request>>;
    }
    const response = await request(options);
    note();
    if (route === CREATE_ROUTE) record.htmlUrl = (response.data as { html_url?: string }).html_url ?? undefined;
    return response;
  });
}

/** The check-run creation was refused for lack of permission (a read-only token). */
function cannotWriteChecks(error: unknown): boolean {
  const status = httpStatus(error);
  if (status !== 403 && status !== 404) return false;
  const request = (error as { request?: { method?: string; url?: string } }).request;
  return request?.method === "POST" && /\/check-runs$/.test(new URL(request.url ?? "http://x/").pathname);
}

const ANNOTATE: Record<CheckRunAnnotation["annotation_level"], typeof core.error> = { failure: core.error, warning: core.warning, notice: core.notice };

function annotate(annotations: readonly CheckRunAnnotation[]): void {
  for (const a of annotations) {
    ANNOTATE[a.annotation_level](a.message, {
      title: a.title,
      file: a.path,
      startLine: a.start_line,
      endLine: a.end_line,
      ...(a.start_column !== undefined ? { startColumn: a.start_column, endColumn: a.end_column } : {}),
    });
  }
}

async function writeSummary(record: CheckRecord, degraded: boolean): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY || !record.output) return;
  const parts = [`# vibeguard: ${record.output.title}`];
  if (degraded) {
    parts.push(
      "> [!NOTE]\n> This workflow's token cannot create check runs or reviews (pull requests from forks get a read-only `GITHUB_TOKEN`), " +
        "so the findings are shown as annotations on this job and in this summary, and the job does not fail on them.",
    );
  } else if (record.htmlUrl) {
    parts.push(`The \`vibeguard\` check run: ${record.htmlUrl}`);
  }
  parts.push(record.output.summary);
  if (record.output.text) parts.push(record.output.text);
  await core.summary.addRaw(parts.join("\n\n"), true).write();
}

export interface ActionOptions {
  /** The analysis (tests pass a fake). */
  analyze?: Analyze;
  /** Extra Octokit options (tests turn retries and throttling off). */
  octokit?: Record<string, unknown>;
  retryDelayMs?: number;
}

export interface ActionResult {
  /** reviewed: check run (and review) on GitHub; local: annotations and summary only; skipped: nothing to review. */
  mode: "reviewed" | "local" | "skipped";
  conclusion?: Conclusion;
  /** Why the step fails, when it does. */
  failure?: string;
  findings: number;
  sarif?: string;
}

function readEvent(): { name: string; payload: unknown } {
  const name = process.env.GITHUB_EVENT_NAME ?? "";
  const path = process.env.GITHUB_EVENT_PATH;
  if (!name || !path) throw new InputError("GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this as a step of a GitHub Actions workflow");
  try {
    return { name, payload: JSON.parse(readFileSync(path, "utf8")) as unknown };
  } catch (error) {
    throw new InputError(`cannot read the event payload ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).name}`);
  }
}

export async function runAction(options: ActionOptions = {}): Promise<ActionResult> {
  const inputs = readInputs();
  core.setSecret(inputs.token);
  const log = actionLog();
  const event = readEvent();
  const found = targetFromEvent(event.name, event.payload, log);
  if (found.kind === "skip") {
    core.notice(`vibeguard: nothing to review: ${found.reason}.`);
    return { mode: "skipped", findings: 0 };
  }

  let analysed: AnalysisResult | undefined;
  const analyze: Analyze = async (files, analyzeOptions) => (analysed = await (options.analyze ?? realAnalyze)(files, analyzeOptions));
  const octokitFor = (record: CheckRecord, local: boolean): GitHub => {
    const gh = octokitForToken({ token: inputs.token, baseUrl: process.env.GITHUB_API_URL, log, ...(options.octokit ? { octokit: options.octokit } : {}) });
    recordCheckRuns(gh, record, local);
    return gh;
  };
  const readConfigWith = (gh: GitHub, forceChecksOnly: boolean) => {
    const read = configReaderAt(gh, found.repo, inputs.configPath, found.configRef);
    return async (file: string) => {
      const config = (await read(file)) as VibeguardConfig | null;
      const overrides: Partial<VibeguardConfig> = {};
      if (inputs.failOn) overrides.fail_on = inputs.failOn;
      if (inputs.commentMode) overrides.comment_mode = inputs.commentMode;
      if (forceChecksOnly) overrides.comment_mode = "checks-only";
      return { ...(config ?? {}), ...overrides };
    };
  };
  const deps = { analyze, ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}) };

  let record: CheckRecord = { annotations: [] };
  let local = false;
  let outcome: RunOutcome;
  try {
    const gh = octokitFor(record, false);
    outcome = await runReview({ octokit: gh, log, readConfig: readConfigWith(gh, false) }, found.target, deps);
  } catch (error) {
    if (!cannotWriteChecks(error)) return { mode: "reviewed", failure: `vibeguard could not start the review: ${describeError(error)}`, findings: 0 };
    core.warning(
      "vibeguard: this workflow's token cannot create check runs (a pull request from a fork gets a read-only GITHUB_TOKEN); " +
        "reporting the findings as annotations and in the job summary instead.",
    );
    local = true;
    record = { annotations: [] };
    const gh = octokitFor(record, true);
    outcome = await runReview({ octokit: gh, log, readConfig: readConfigWith(gh, true) }, found.target, deps);
  }

  // The App skips a head it already reviewed; a workflow run asks afresh, so this stays rare.
  const conclusion = outcome.kind === "duplicate" ? "neutral" : outcome.conclusion;
  if (local) annotate(record.annotations);
  await writeSummary(record, local);

  const result: ActionResult = { mode: local ? "local" : "reviewed", conclusion, findings: record.annotations.length };
  if (inputs.sarif && analysed) {
    const file = resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), inputs.sarif);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, renderSarif(analysed, { version: packageVersion() }));
    result.sarif = file;
  } else if (inputs.sarif) {
    core.warning(`vibeguard: no analysis ran (${record.output?.title ?? "see the log"}), so no SARIF file was written.`);
  }

  core.setOutput("conclusion", conclusion);
  core.setOutput("findings", String(result.findings));
  core.setOutput("sarif", result.sarif ?? "");
  if (record.htmlUrl) core.setOutput("check-run-url", record.htmlUrl);

  const title = record.output?.title ?? conclusion;
  if (outcome.kind === "ended" && (outcome.reason === "error" || outcome.reason === "config")) {
    result.failure = `vibeguard: ${title}`;
  } else if (!local && conclusion === "failure") {
    result.failure = `vibeguard: ${title}`;
  }
  return result;
}
