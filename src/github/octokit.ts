// The types the GitHub plumbing shares, and the Octokit the App should run with. Every call goes
// through Probot's Octokit, which carries the installation token, the plugins configured below
// and the GitHub Enterprise base URL.
//
// Probot's own defaults retry a primary rate limit twice and never retry a secondary one. Here:
// - 5xx and network errors: the retry plugin, `retries` times with quadratic backoff. 4xx other
//   than rate limits are final; 403/429 belong to the throttling plugin, so they are not retried twice.
// - primary rate limit (x-ratelimit-remaining: 0): wait until x-ratelimit-reset, once, when that
//   is at most `maxRateLimitWaitSeconds` away; otherwise fail, and the run concludes saying so.
// - secondary rate limit: wait Retry-After (or 60 s), up to `secondaryRetries` times.
// - writes: the throttling plugin sends an installation's writes one at a time, one second apart
//   (GitHub asks integrators for serial writes with a pause between them).
import { ProbotOctokit, type Logger } from "probot";

export type GitHub = InstanceType<typeof ProbotOctokit>;
export type Log = Logger;

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface GitHubLimits {
  /** Retries of a request that got a 5xx or no answer. */
  retries: number;
  /** Longest wait for a primary rate limit's reset, in seconds. */
  maxRateLimitWaitSeconds: number;
  /** Retries after a secondary rate limit. */
  secondaryRetries: number;
  /** Longest wait GitHub may ask for after a secondary rate limit, in seconds. */
  maxSecondaryWaitSeconds: number;
  /** Milliseconds per "second" of waiting (tests shrink it). */
  retryAfterBaseValue: number;
}

export const DEFAULT_LIMITS: GitHubLimits = {
  retries: 3,
  maxRateLimitWaitSeconds: 600,
  secondaryRetries: 3,
  maxSecondaryWaitSeconds: 600,
  retryAfterBaseValue: 1000,
};

/** The limits from the environment: GITHUB_RETRIES, GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): GitHubLimits {
  const num = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  return {
    ...DEFAULT_LIMITS,
    retries: num(env.GITHUB_RETRIES, DEFAULT_LIMITS.retries),
    maxRateLimitWaitSeconds: num(env.GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS, DEFAULT_LIMITS.maxRateLimitWaitSeconds),
  };
}

interface LimitRequest {
  method: string;
  url: string;
}

interface LoggingOctokit {
  log: { warn: (obj: object, msg: string) => void };
}

/**
 * ProbotOctokit with the retry and throttling plugins configured as above. Pass it to Probot
 * (`new Probot({ Octokit })`, or `run(app, { Octokit })`). A function default, because Probot
 * layers its own throttle handlers over plain-object defaults.
 */
export function vibeguardOctokit(limits: GitHubLimits = DEFAULT_LIMITS): typeof ProbotOctokit {
  return ProbotOctokit.defaults((instance: Record<string, any>) => {
    const throttle = (instance.throttle ?? {}) as Record<string, unknown>;
    return {
      ...instance,
      retry: {
        ...(instance.retry ?? {}),
        retries: limits.retries,
        retryAfterBaseValue: limits.retryAfterBaseValue,
        doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      },
      throttle:
        throttle.enabled === false
          ? throttle
          : {
              ...throttle,
              retryAfterBaseValue: limits.retryAfterBaseValue,
              fallbackSecondaryRateRetryAfter: 60,
              onRateLimit: (retryAfter: number, options: LimitRequest & { request: { retryCount: number } }, octokit: LoggingOctokit) => {
                const retry = options.request.retryCount < 1 && retryAfter <= limits.maxRateLimitWaitSeconds;
                octokit.log.warn({ method: options.method, url: options.url, retryAfter, retry }, "vibeguard: GitHub rate limit reached");
                return retry;
              },
              onSecondaryRateLimit: (retryAfter: number, options: LimitRequest & { request: { retryCount: number } }, octokit: LoggingOctokit) => {
                const retry = options.request.retryCount < limits.secondaryRetries && retryAfter <= limits.maxSecondaryWaitSeconds;
                octokit.log.warn({ method: options.method, url: options.url, retryAfter, retry }, "vibeguard: GitHub secondary rate limit");
                return retry;
              },
            },
    };
  }) as typeof ProbotOctokit;
}
