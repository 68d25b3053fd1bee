// The repository configuration (.github/vibeguard.yml), validated with zod. The CLI reads the
// same file from the working tree; the App reads it through Probot's context.config so an
// organisation's `.github` repository supplies defaults.
import { z } from "zod";
import { SEVERITIES } from "../findings.js";

const severity = z.enum(SEVERITIES);

export const extraSecretPatternSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "kebab-case id"),
  description: z.string().min(1),
  regex: z.string().min(1),
  keywords: z.array(z.string().min(2)).min(1),
  severity: severity.default("high"),
});

export const secretsConfigSchema = z.strictObject({
  /** Regexes; a candidate secret matching any of them is not reported. */
  allow_regexes: z.array(z.string()).default([]),
  /** Path globs whose secrets are not reported. */
  allow_paths: z.array(z.string()).default([]),
  /** Fingerprints (as shown in a finding) that are known and accepted. */
  allow_fingerprints: z.array(z.string()).default([]),
  /** Extra provider patterns specific to this organisation. */
  extra_patterns: z.array(extraSecretPatternSchema).default([]),
});

// ---- dependencies (src/deps) ----
const registryUrl = z.url({ protocol: /^https?$/, error: "an http(s) URL" });

export const dependenciesConfigSchema = z.strictObject({
  /** Where existence and age are looked up (a mirror of the public registry); entries resolved from these hosts count as public. */
  registries: z.strictObject({ npm: registryUrl.optional(), pypi: registryUrl.optional() }).default({}),
  /** npm scopes (`@acme`) and name prefixes (`acme-`) of private packages: never looked up, never called missing or typosquats. */
  skip_scopes: z.array(z.string().min(1)).default([]),
  /** A package first published fewer days ago than this is flagged as suspiciously new (0: off). */
  min_age_days: z.number().int().min(0).default(30),
  /** An npm package with fewer downloads last week than this is flagged as obscure (0: off). */
  min_weekly_downloads: z.number().int().min(0).default(50),
  /** Query OSV for known vulnerabilities of the exact versions added. */
  osv: z.boolean().default(true),
  /** Whether manifests belong to an application (ranges flagged) or a library; auto decides per manifest. */
  project: z.enum(["auto", "application", "library"]).default("auto"),
});

export const configSchema = z.strictObject({
  /** Findings at or above this severity fail the check run. */
  fail_on: severity.default("high"),
  /** Rule ids that never run. */
  disabled_rules: z.array(z.string()).default([]),
  /** Rule id -> severity. */
  severity_overrides: z.record(z.string(), severity).default({}),
  /** Globs of paths that are not analysed. */
  ignore_paths: z.array(z.string()).default([]),
  /** Globs of test paths: their findings are lowered to `low` and never fail the check. */
  test_paths: z
    .array(z.string())
    .default(["**/test/**", "**/tests/**", "**/__tests__/**", "**/*.test.*", "**/*.spec.*", "**/test_*.py", "**/*_test.py"]),
  secrets: secretsConfigSchema.default({ allow_regexes: [], allow_paths: [], allow_fingerprints: [], extra_patterns: [] }),
  /** review: inline comments plus the check run; checks-only: the check run alone. */
  comment_mode: z.enum(["review", "checks-only"]).default("review"),
  /** Review event: COMMENT by default, REQUEST_CHANGES when a finding fails the check. */
  request_changes: z.boolean().default(false),
  max_comments: z.number().int().min(0).max(100).default(25),
  skip_drafts: z.boolean().default(true),
  dependencies: dependenciesConfigSchema.default({ registries: {}, skip_scopes: [], min_age_days: 30, min_weekly_downloads: 50, osv: true, project: "auto" }),
  /**
   * The conclusion when nothing failed but the review was incomplete: files GitHub did not list
   * (over its cap) or that were not analysed (too large, time limit, error).
   */
  on_incomplete: z.enum(["neutral", "failure", "success"]).default("neutral"),
});

export type VibeguardConfig = z.infer<typeof configSchema>;
export type SecretsConfig = z.infer<typeof secretsConfigSchema>;
export type DependenciesConfig = z.infer<typeof dependenciesConfigSchema>;
export type ExtraSecretPattern = z.infer<typeof extraSecretPatternSchema>;

export const DEFAULT_CONFIG: VibeguardConfig = configSchema.parse({});

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}: ${key ? `${key}: ` : ""}${detail}`);
    this.name = "ConfigError";
  }
}

/** Validate a parsed YAML/JSON value; throws ConfigError naming the file and the first bad key. */
export function parseConfig(value: unknown, file = ".github/vibeguard.yml"): VibeguardConfig {
  const result = configSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  const key = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...path, k].join(".")).join(", ") : path.join(".");
  throw new ConfigError(file, key, issue.message);
}
