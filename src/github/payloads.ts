// The webhook fields the App relies on, validated with zod before use: a payload that lacks
// them is logged and ignored instead of crashing a handler halfway through a review.
import { z } from "zod";

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a commit SHA");

const repository = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
  html_url: z.string().url(),
});

export const pullRequestPayload = z.object({
  repository,
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.string(),
    draft: z.boolean().optional(),
    changed_files: z.number().int().nonnegative().optional(),
    head: z.object({ sha }),
    base: z.object({ sha }).optional(),
  }),
});

const pullRefs = z.array(z.object({ number: z.number().int().positive() }));

export const checkRunPayload = z.object({
  repository,
  check_run: z.object({
    name: z.string(),
    external_id: z.string().nullable().optional(),
    head_sha: sha,
    pull_requests: pullRefs,
  }),
});

export const checkSuitePayload = z.object({
  repository,
  check_suite: z.object({ id: z.number().int().positive(), head_sha: sha, pull_requests: pullRefs }),
});

export const mergeGroupPayload = z.object({
  repository,
  merge_group: z.object({ head_sha: sha, base_sha: sha }),
});

/** The validated payload, or undefined with a log line naming the first bad field. */
export function validPayload<T>(
  schema: z.ZodType<T>,
  payload: unknown,
  log: { warn: (obj: object, msg: string) => void },
  event: string,
): T | undefined {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  log.warn({ event, field: issue.path.join("."), problem: issue.message }, "vibeguard: webhook payload lacks a field it needs; ignored");
  return undefined;
}
