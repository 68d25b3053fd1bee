// The HTTP layer of the dependency client: one request with a timeout, retried on network
// errors, 429 and 5xx with a growing delay, run under a concurrency bound, and remembered in
// an in-memory cache with a time to live. A lookup ends ok, not-found (404) or unreachable;
// it never throws, so a registry that is down never fails a review.
import pLimit, { type LimitFunction } from "p-limit";

export type Lookup<T> = { status: "ok"; value: T } | { status: "not-found" } | { status: "unreachable"; reason: string };

export interface HttpOptions {
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after the first. */
  retries?: number;
  /** First retry delay; doubles each retry (tests use 0). */
  retryDelayMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** How long an answer is reused. */
  ttlMs?: number;
  /** Most answers kept; the oldest go first. */
  maxEntries?: number;
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface HttpStats {
  /** HTTP requests sent (retries included). */
  requests: number;
  /** Lookups answered from the cache. */
  cacheHits: number;
}

interface Entry {
  expires: number;
  value: Promise<Lookup<unknown>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 5000) : undefined;
}

export class CachedHttp {
  readonly stats: HttpStats = { requests: 0, cacheHits: 0 };
  private readonly cache = new Map<string, Entry>();
  private readonly limit: LimitFunction;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  constructor(options: HttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 8000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 300;
    this.limit = pLimit(options.concurrency ?? 8);
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.maxEntries = options.maxEntries ?? 20_000;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.userAgent = options.userAgent ?? "vibeguard (dependency review)";
  }

  /** GET (or POST with a JSON body) returning parsed JSON, cached under `key` (default: the URL). */
  json<T>(url: string, parse: (body: unknown) => T, init: { body?: unknown; key?: string } = {}): Promise<Lookup<T>> {
    const key = init.key ?? url;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) {
      this.stats.cacheHits++;
      return hit.value as Promise<Lookup<T>>;
    }
    const value = this.limit(() => this.attempt(url, parse, init.body));
    this.cache.set(key, { expires: now + this.ttlMs, value });
    // A failure is not remembered: the next run asks again.
    void value.then((result) => {
      if (result.status === "unreachable" && this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async attempt<T>(url: string, parse: (body: unknown) => T, body: unknown): Promise<Lookup<T>> {
    let reason = "";
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      let wait = this.retryDelayMs * 2 ** attempt;
      try {
        this.stats.requests++;
        const init: RequestInit = {
          method: body === undefined ? "GET" : "POST",
          headers: { accept: "application/json", "user-agent": this.userAgent, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          signal: AbortSignal.timeout(this.timeoutMs),
        };
        if (body !== undefined) init.body = JSON.stringify(body);
        const res = await this.fetchImpl(url, init);
        if (res.status === 404) {
          await res.body?.cancel();
          return { status: "not-found" };
        }
        if (res.ok) {
          try {
            return { status: "ok", value: parse(await res.json()) };
          } catch (error) {
            // A body we do not understand will not improve on a retry.
            return { status: "unreachable", reason: `unexpected response (${(error as Error).message.split("\n")[0]})` };
          }
        }
        await res.body?.cancel();
        reason = `HTTP ${res.status}`;
        if (res.status !== 429 && res.status < 500) return { status: "unreachable", reason };
        wait = retryAfterMs(res.headers.get("retry-after")) ?? wait;
      } catch (error) {
        const e = error as Error;
        reason = e.name === "TimeoutError" ? `no answer within ${this.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      }
      if (attempt < this.retries && wait > 0) await sleep(wait);
    }
    return { status: "unreachable", reason };
  }
}
