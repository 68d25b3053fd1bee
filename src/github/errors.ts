// Errors turned into text that is safe to post and log: an HTTP error names the call and the
// status; any other error is named by its type only, because messages (a JSON.parse error, a
// regex error) can quote file content, and file content may hold a secret.

export interface HttpErrorLike {
  status: number;
  request?: { method?: string; url?: string };
}

export function httpStatus(error: unknown): number | undefined {
  if (error && typeof error === "object" && typeof (error as { status?: unknown }).status === "number") {
    return (error as HttpErrorLike).status;
  }
  return undefined;
}

function requestLabel(error: HttpErrorLike): string {
  const method = error.request?.method ?? "";
  let path = "";
  try {
    if (error.request?.url) {
      const url = new URL(error.request.url);
      path = url.pathname;
    }
  } catch {
    path = "";
  }
  return `${method} ${path}`.trim();
}

/** A sentence fragment for the check run and the logs; never contains file content. */
export function describeError(error: unknown): string {
  const status = httpStatus(error);
  if (status !== undefined) {
    const label = requestLabel(error as HttpErrorLike);
    return `GitHub answered HTTP ${status}${label ? ` to ${label}` : ""}, even after retries.`;
  }
  const name = error instanceof Error ? error.name : typeof error;
  return `an internal error (${name}) occurred while analysing the change.`;
}

/** Stack frames without the message line, for logs. */
export function safeStack(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  return error.stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 15)
    .join("\n");
}

export async function sleep(ms: number): Promise<void> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Retry `fn` on errors other than 4xx (which will not change on retry). Octokit's retry plugin
 * already retries individual requests in production; this wraps the few calls that must get
 * through (concluding a check run), where a longer, second layer of patience is worth it.
 */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 3, delayMs = 2000): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn();
    } catch (error) {
      last = error;
      const status = httpStatus(error);
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) break;
      if (attempt < attempts) await sleep(delayMs * attempt);
    }
  }
  throw last;
}

/** Map with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true; // stop the other workers from starting new calls
        throw error;
      }
    }
  });
  await Promise.all(workers);
  return results;
}
