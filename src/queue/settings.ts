// Queue settings from the environment, validated: a typo names the variable instead of being
// silently ignored.
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^rediss?:\/\//.test(v), "must be a redis:// or rediss:// URL"),
  QUEUE_CONCURRENCY: positiveInt.max(64).optional(),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - only").optional(),
  QUEUE_LOCK_MS: positiveInt.min(1000).optional(),
  QUEUE_STALLED_INTERVAL_MS: positiveInt.min(1000).optional(),
});

export interface QueueSettings {
  mode: "memory" | "redis";
  redisUrl: string | undefined;
  /** Reviews one process runs at once. */
  concurrency: number;
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

export function queueSettings(env: NodeJS.ProcessEnv): QueueSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    mode: e.REDIS_URL ? "redis" : "memory",
    redisUrl: e.REDIS_URL,
    concurrency: e.QUEUE_CONCURRENCY ?? (e.REDIS_URL ? 2 : 4),
    prefix: e.QUEUE_PREFIX ?? "vibeguard",
    lockDurationMs: e.QUEUE_LOCK_MS ?? 30_000,
    stalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS ?? 30_000,
  };
}
