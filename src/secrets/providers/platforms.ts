// Provider token formats for cloud, VCS, CI/CD, hosting, databases-as-a-service, observability,
// developer tools and productivity SaaS. Each entry is data: the format, the words that must occur
// for it to be tried, and synthetic samples (built at run time, never literal tokens) beside
// near-miss negatives.
import type { ProviderPattern } from "../types.js";

// ---------------------------------------------------------------------------------------------
// Alphabets and a deterministic generator for synthetic samples
// ---------------------------------------------------------------------------------------------

const DIGITS = "0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
/** Base62 in the order GitHub's checksum encoding uses. */
const B62 = DIGITS + UPPER + LOWER;
const HEX = "0123456789abcdef";
const HEXU = "0123456789ABCDEF";
const B64URL = B62 + "-_";
const B64 = B62 + "+/";
const UPNUM = UPPER + DIGITS;
const LOWNUM = LOWER + DIGITS;
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BASE32L = "abcdefghijklmnopqrstuvwxyz234567";

/** FNV-1a of the seed, then mulberry32: the same seed always yields the same characters. */
function generator(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let a = h || 1;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `len` pseudo-random characters of `alphabet`, fixed per seed. */
function rnd(seed: string, len: number, alphabet: string = B62): string {
  const next = generator(seed);
  let out = "";
  for (let i = 0; i < len; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

function uuid(seed: string): string {
  const h = rnd(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Base64 text of `bytes` pseudo-random bytes, with padding. */
function b64(seed: string, bytes: number): string {
  const chars = Math.ceil((bytes * 4) / 3);
  const pad = (3 - (bytes % 3)) % 3;
  const body = rnd(seed, chars, B64);
  // the last character before padding carries only a few bits: keep it from the low alphabet
  return pad === 0 ? body : body.slice(0, -1) + "AQgw"[body.charCodeAt(0) % 4] + "=".repeat(pad);
}

// ---------------------------------------------------------------------------------------------
// CRC32 + base62 checksum used by GitHub's and npm's token formats
// ---------------------------------------------------------------------------------------------

const CRC_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = (CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  while (v > 0) {
    out = B62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/**
 * `prefix_` + 30 base62 characters of entropy + 6 base62 characters of CRC32 over those 30
 * (GitHub's 2021 format, which npm adopted too).
 */
export function checksummed40(token: string): boolean {
  const us = token.indexOf("_");
  const body = token.slice(us + 1);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

function withChecksum(prefix: string, seed: string): string {
  const entropy = rnd(seed, 30, B62);
  return prefix + entropy + base62(crc32(entropy), 6);
}

/** Same shape as a checksummed token but with the checksum broken. */
function badChecksum(prefix: string, seed: string): string {
  const good = withChecksum(prefix, seed);
  const last = good[good.length - 1] === "0" ? "1" : "0";
  return good.slice(0, -1) + last;
}

// ---------------------------------------------------------------------------------------------
// Regex building blocks
// ---------------------------------------------------------------------------------------------

/** Not preceded / followed by a character that would make the token longer. */
const L = "(?<![A-Za-z0-9_])";
const R = "(?![A-Za-z0-9_])";
const LD = "(?<![A-Za-z0-9_-])";
const RD = "(?![A-Za-z0-9_-])";
const RB64 = "(?![A-Za-z0-9+/=_-])";
const UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const Q = "[\"'`]";

/**
 * `keyword ... = secret`: a provider keyword, up to 40 identifier characters (the rest of a
 * variable name such as `_API_KEY`), an optional closing quote, an assignment (`=`, `:`, `:=`,
 * `=>`), an optional opening quote, then the named `secret`.
 */
function near(keyword: string, secret: string, guard: string = RD): string {
  return `(?:${keyword})[\\w.-]{0,40}?${Q}?\\s{0,3}(?:=>|:=|[:=])\\s{0,3}${Q}?(?<secret>${secret})${guard}`;
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

const GITHUB_TOKEN_NEGATIVES = (prefix: string, seed: string): string[] => [
  badChecksum(prefix, seed),
  `${prefix}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`,
  prefix + rnd(seed + "-short", 35),
];

const vcs: ProviderPattern[] = [
  {
    id: "github-classic-pat",
    provider: "GitHub",
    description: "personal access token (classic)",
    regex: String.raw`${L}ghp_[A-Za-z0-9]{36}${R}`,
    keywords: ["ghp_"],
    severity: "critical",
    validate: checksummed40,
    revokeUrl: "https://github.com/settings/tokens",
    samples: [withChecksum("ghp_", "ghp-1"), `GITHUB_TOKEN=${withChecksum("ghp_", "ghp-2")}`],
    negatives: GITHUB_TOKEN_NEGATIVES("ghp_", "ghp-n"),
  },
  {
    id: "github-fine-grained-pat",
    provider: "GitHub",
    description: "fine-grained personal access token",
    regex: String.raw`${L}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${R}`,
    keywords: ["github_pat_"],
    severity: "critical",
    minEntropy: 4,
    revokeUrl: "https://github.com/settings/personal-access-tokens",
    samples: [`github_pat_${rnd("ghfg-1", 22)}_${rnd("ghfg-2", 59)}`],
    negatives: [
      `github_pat_${rnd("ghfg-3", 22)}_${rnd("ghfg-4", 40)}`,
      `github_pat_${"x".repeat(22)}_${"x".repeat(59)}`,
    ],
  },
  {
    id: "github-oauth-token",
    provider: "GitHub",
    description: "OAuth app access token",
    regex: String.raw`${L}gho_[A-Za-z0-9]{36}${R}`,
    keywords: ["gho_"],
    severity: "critical",
    validate: checksummed40,
    revokeUrl: "https://github.com/settings/applications",
    samples: [withChecksum("gho_", "gho-1")],
    negatives: GITHUB_TOKEN_NEGATIVES("gho_", "gho-n"),
  },
  {
    id: "github-user-to-server-token",
    provider: "GitHub",
    description: "GitHub App user-to-server token",
    regex: String.raw`${L}ghu_[A-Za-z0-9]{36}${R}`,
    keywords: ["ghu_"],
    severity: "critical",
    validate: checksummed40,
    revokeUrl: "https://github.com/settings/apps/authorizations",
    samples: [withChecksum("ghu_", "ghu-1")],
    negatives: GITHUB_TOKEN_NEGATIVES("ghu_", "ghu-n"),
  },
  {
    id: "github-server-to-server-token",
    provider: "GitHub",
    description: "GitHub App installation (server-to-server) token",
    regex: String.raw`${L}ghs_[A-Za-z0-9]{36}${R}`,
    keywords: ["ghs_"],
    severity: "high",
    validate: checksummed40,
    samples: [withChecksum("ghs_", "ghs-1")],
    negatives: GITHUB_TOKEN_NEGATIVES("ghs_", "ghs-n"),
  },
  {
    id: "github-refresh-token",
    provider: "GitHub",
    description: "GitHub App user refresh token",
    regex: String.raw`${L}ghr_(?:[A-Za-z0-9]{76}|[A-Za-z0-9]{36})${R}`,
    keywords: ["ghr_"],
    severity: "high",
    // the 40-character form carries the CRC32 checksum; the longer form is not documented to
    validate: (s) => (s.length === 40 ? checksummed40(s) : true),
    minEntropy: 4,
    revokeUrl: "https://github.com/settings/apps/authorizations",
    samples: [withChecksum("ghr_", "ghr-1"), `ghr_${rnd("ghr-2", 76)}`],
    negatives: GITHUB_TOKEN_NEGATIVES("ghr_", "ghr-n"),
  },
  {
    id: "github-oauth-client-secret",
    provider: "GitHub",
    description: "OAuth / GitHub App client secret",
    regex: near(String.raw`github[\w.-]{0,20}client[_.-]?secret|gh[_-]client[_-]secret`, "[a-f0-9]{40}"),
    flags: "i",
    keywords: ["github", "gh_client", "gh-client"],
    severity: "high",
    minEntropy: 3.2,
    samples: [`GITHUB_CLIENT_SECRET=${rnd("ghcs-1", 40, HEX)}`, `github.clientSecret: "${rnd("ghcs-2", 40, HEX)}"`],
    negatives: [`GITHUB_CLIENT_SECRET=${"0".repeat(40)}`, `GITHUB_CLIENT_SECRET=${rnd("ghcs-3", 32, HEX)}`],
  },
  // GitLab: legacy tokens are prefix + 20 url-safe characters; "routable" tokens (GitLab 17.x+)
  // are prefix + base64url payload + "." [+ 2-char version + "."] + 9 base36 characters.
  {
    id: "gitlab-pat",
    provider: "GitLab",
    description: "personal, project or group access token",
    regex: String.raw`${L}glpat-[A-Za-z0-9_-]{20}${RD}`,
    keywords: ["glpat-"],
    severity: "critical",
    minEntropy: 3,
    revokeUrl: "https://gitlab.com/-/user_settings/personal_access_tokens",
    samples: [`glpat-${rnd("glpat-1", 20, B64URL)}`, `GITLAB_TOKEN="glpat-${rnd("glpat-2", 20, B64URL)}"`],
    negatives: [`glpat-${rnd("glpat-3", 19, B62)}`, "glpat-xxxxxxxxxxxxxxxxxxxx", `glpa-${rnd("glpat-4", 20)}`],
  },
  {
    id: "gitlab-pat-routable",
    provider: "GitLab",
    description: "personal, project or group access token (routable format)",
    regex: String.raw`${L}glpat-[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}${RD}`,
    keywords: ["glpat-"],
    severity: "critical",
    minEntropy: 3.5,
    revokeUrl: "https://gitlab.com/-/user_settings/personal_access_tokens",
    samples: [
      `glpat-${rnd("glr-1", 38, B64URL)}.01.${rnd("glr-2", 9, LOWNUM)}`,
      `glpat-${rnd("glr-3", 31, B64URL)}.${rnd("glr-4", 9, LOWNUM)}`,
    ],
    negatives: [`glpat-${rnd("glr-5", 38, B64URL)}.01.${rnd("glr-6", 5, LOWNUM)}`, `glpat-${"x".repeat(30)}.01.${"0".repeat(9)}`],
  },
  ...(
    [
      ["gitlab-deploy-token", "gldt-", "deploy token", "high"],
      ["gitlab-runner-token", "glrt-", "runner authentication token", "high"],
      ["gitlab-scim-token", "glsoat-", "SCIM OAuth access token", "high"],
      ["gitlab-feed-token", "glft-", "feed token (read-only RSS/calendar access)", "medium"],
      ["gitlab-feature-flags-client-token", "glffct-", "feature flags client token", "medium"],
    ] as const
  ).map(
    ([id, prefix, description, severity]): ProviderPattern => ({
      id,
      provider: "GitLab",
      description,
      regex: String.raw`${L}${prefix}(?:[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}|[A-Za-z0-9_-]{20})${RD}`,
      keywords: [prefix],
      severity,
      minEntropy: 3,
      samples: [prefix + rnd(id + "-1", 20, B64URL), `${prefix}${rnd(id + "-2", 32, B64URL)}.01.${rnd(id + "-3", 9, LOWNUM)}`],
      negatives: [prefix + rnd(id + "-4", 16, B62), prefix + "x".repeat(20)],
    }),
  ),
  {
    id: "gitlab-runner-registration-token",
    provider: "GitLab",
    description: "runner registration token (deprecated format)",
    regex: String.raw`${L}GR1348941[A-Za-z0-9_-]{20}${RD}`,
    keywords: ["gr1348941"],
    severity: "high",
    minEntropy: 3,
    samples: [`GR1348941${rnd("glreg-1", 20, B64URL)}`],
    negatives: [`GR1348941${rnd("glreg-2", 12, B62)}`, `GR1348941${"x".repeat(20)}`],
  },
  {
    id: "gitlab-ci-job-token",
    provider: "GitLab",
    description: "CI/CD job token",
    regex: String.raw`${L}glcbt-(?:[0-9a-f]{1,5}_)?(?:[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}|[A-Za-z0-9_-]{20})${RD}`,
    keywords: ["glcbt-"],
    severity: "high",
    minEntropy: 3,
    samples: [`glcbt-64_${rnd("glcbt-1", 20, B64URL)}`, `glcbt-${rnd("glcbt-2", 20, B64URL)}`],
    negatives: [`glcbt-${rnd("glcbt-3", 10, B62)}`, `glcbt-${"x".repeat(20)}`],
  },
  {
    id: "gitlab-pipeline-trigger-token",
    provider: "GitLab",
    description: "pipeline trigger token",
    regex: String.raw`${L}glptt-[0-9a-f]{40}${R}`,
    keywords: ["glptt-"],
    severity: "high",
    minEntropy: 3,
    samples: [`glptt-${rnd("glptt-1", 40, HEX)}`],
    negatives: [`glptt-${rnd("glptt-2", 30, HEX)}`, `glptt-${"0".repeat(40)}`],
  },
  {
    id: "gitlab-incoming-mail-token",
    provider: "GitLab",
    description: "incoming email token",
    regex: String.raw`${L}glimt-[A-Za-z0-9_-]{25}${RD}`,
    keywords: ["glimt-"],
    severity: "medium",
    minEntropy: 3,
    samples: [`glimt-${rnd("glimt-1", 25, LOWNUM)}`],
    negatives: [`glimt-${rnd("glimt-2", 20, LOWNUM)}`, `glimt-${"x".repeat(25)}`],
  },
  {
    id: "gitlab-oauth-app-secret",
    provider: "GitLab",
    description: "OAuth application secret",
    regex: String.raw`${L}gloas-[0-9a-f]{64}${R}`,
    keywords: ["gloas-"],
    severity: "high",
    minEntropy: 3,
    samples: [`gloas-${rnd("gloas-1", 64, HEX)}`],
    negatives: [`gloas-${rnd("gloas-2", 40, HEX)}`, `gloas-${"f".repeat(64)}`],
  },
  {
    id: "gitlab-agent-token",
    provider: "GitLab",
    description: "agent for Kubernetes token",
    regex: String.raw`${L}glagent-[A-Za-z0-9_-]{50}${RD}`,
    keywords: ["glagent-"],
    severity: "critical",
    minEntropy: 3.5,
    samples: [`glagent-${rnd("glagent-1", 50, B64URL)}`],
    negatives: [`glagent-${rnd("glagent-2", 30, B64URL)}`, `glagent-${"x".repeat(50)}`],
  },
  // Atlassian / Bitbucket
  {
    id: "atlassian-api-token",
    provider: "Atlassian",
    description: "Atlassian (Jira, Confluence, Bitbucket) API token",
    regex: String.raw`${L}ATATT3[A-Za-z0-9_=-]{150,250}${RD}`,
    keywords: ["atatt3"],
    severity: "high",
    minEntropy: 4,
    revokeUrl: "https://id.atlassian.com/manage-profile/security/api-tokens",
    samples: [`ATATT3xFfGF0${rnd("atatt-1", 168, B64URL)}=${rnd("atatt-2", 8, HEXU)}`],
    negatives: [`ATATT3xFfGF0${rnd("atatt-3", 60, B64URL)}`, `ATATT3${"x".repeat(180)}`],
  },
  {
    id: "atlassian-legacy-api-token",
    provider: "Atlassian",
    description: "Jira / Confluence API token (legacy 24-character format)",
    regex: near(String.raw`jira|confluence|atlassian`, "[A-Za-z0-9]{24}"),
    flags: "i",
    keywords: ["jira", "confluence", "atlassian"],
    severity: "high",
    minEntropy: 3.5,
    revokeUrl: "https://id.atlassian.com/manage-profile/security/api-tokens",
    samples: [`JIRA_API_TOKEN=${rnd("jira-1", 24)}`, `confluence_token: "${rnd("jira-2", 24)}"`],
    negatives: [`JIRA_API_TOKEN=${"a".repeat(24)}`, `JIRA_API_TOKEN=${rnd("jira-3", 16)}`],
  },
  {
    id: "bitbucket-app-password",
    provider: "Bitbucket",
    description: "app password",
    regex: String.raw`${L}ATBB[A-Za-z0-9_=.-]{28,40}${RD}`,
    keywords: ["atbb"],
    severity: "critical",
    minEntropy: 3.8,
    revokeUrl: "https://bitbucket.org/account/settings/app-passwords/",
    samples: [`ATBB${rnd("atbb-1", 24)}${rnd("atbb-2", 8, HEXU)}`],
    negatives: [`ATBB${rnd("atbb-3", 16)}`, `ATBB${"X".repeat(32)}`],
  },
  {
    id: "bitbucket-access-token",
    provider: "Bitbucket",
    description: "repository, project or workspace access token",
    regex: String.raw`${L}ATCTT3[A-Za-z0-9_=-]{100,300}${RD}`,
    keywords: ["atctt3"],
    severity: "critical",
    minEntropy: 4,
    samples: [`ATCTT3xFfGN0${rnd("atctt-1", 170, B64URL)}=${rnd("atctt-2", 8, HEXU)}`],
    negatives: [`ATCTT3xFfGN0${rnd("atctt-3", 40, B64URL)}`, `ATCTT3${"x".repeat(120)}`],
  },
  {
    id: "bitbucket-oauth-client-secret",
    provider: "Bitbucket",
    description: "OAuth consumer secret",
    regex: near(String.raw`bitbucket[\w.-]{0,20}(?:secret|consumer)`, "[A-Za-z0-9]{32}"),
    flags: "i",
    keywords: ["bitbucket"],
    severity: "high",
    minEntropy: 3.5,
    samples: [`BITBUCKET_CLIENT_SECRET=${rnd("bbcs-1", 32)}`],
    negatives: [`BITBUCKET_CLIENT_SECRET=${"a".repeat(32)}`, `BITBUCKET_CLIENT_SECRET=${rnd("bbcs-2", 20)}`],
  },
  {
    id: "sourcegraph-access-token",
    provider: "Sourcegraph",
    description: "access token",
    regex: String.raw`${L}sgp_(?:(?:[a-f0-9]{16}|local)_)?[a-f0-9]{40}${R}`,
    keywords: ["sgp_"],
    severity: "high",
    minEntropy: 3,
    samples: [`sgp_${rnd("sgp-1", 40, HEX)}`, `sgp_${rnd("sgp-2", 16, HEX)}_${rnd("sgp-3", 40, HEX)}`],
    negatives: [`sgp_${rnd("sgp-4", 32, HEX)}`, `sgp_${"0".repeat(40)}`],
  },
  {
    id: "gitea-access-token",
    provider: "Gitea",
    description: "access token",
    regex: near(String.raw`(?:gitea|forgejo)[\w.-]{0,20}(?:token|key|pat|password)`, "[a-f0-9]{40}", R),
    flags: "i",
    keywords: ["gitea", "forgejo"],
    severity: "high",
    minEntropy: 3.2,
    samples: [`GITEA_TOKEN=${rnd("gitea-1", 40, HEX)}`],
    negatives: [`GITEA_TOKEN=${"0".repeat(40)}`, `GITEA_TOKEN=${rnd("gitea-2", 20, HEX)}`],
  },
];

// ---------------------------------------------------------------------------------------------
// Compact constructors
// ---------------------------------------------------------------------------------------------

type Extra = Partial<Pick<ProviderPattern, "minEntropy" | "validate" | "revokeUrl" | "flags">>;

/** A self-identifying token: the regex alone (prefix, length, alphabet) picks it out. */
function tok(
  id: string,
  provider: string,
  description: string,
  severity: ProviderPattern["severity"],
  regex: string,
  keywords: string[],
  samples: string[],
  negatives: string[],
  extra: Extra = {},
): ProviderPattern {
  return { id, provider, description, regex, keywords, severity, samples, negatives, ...extra };
}

/**
 * A token whose format is generic (hex, UUID, base62): it is reported only as the value assigned
 * to a name that carries the provider keyword (see `near`). `varName` names the sample variable;
 * `make(seed)` builds a synthetic secret.
 */
function ctx(
  id: string,
  provider: string,
  description: string,
  severity: ProviderPattern["severity"],
  keyword: string,
  keywords: string[],
  secret: string,
  varName: string,
  make: (seed: string) => string,
  extra: Extra & { guard?: string; negatives?: string[] } = {},
): ProviderPattern {
  const { guard, negatives, ...rest } = extra;
  const one = make(id + "-1");
  const two = make(id + "-2");
  return {
    id,
    provider,
    description,
    regex: near(keyword, secret, guard ?? RD),
    flags: "i",
    keywords,
    severity,
    minEntropy: 3,
    samples: [`${varName}=${one}`, `${varName.toLowerCase()}: "${two}"`],
    negatives: [
      `${varName}=${(one[0] ?? "a").repeat(one.length)}`,
      `${varName}=${one.slice(0, 10)}`,
      `${varName}="\${${varName}}"`,
      ...(negatives ?? []),
    ],
    ...rest,
  };
}

const hex = (n: number) => (seed: string) => rnd(seed, n, HEX);
const b62 = (n: number) => (seed: string) => rnd(seed, n, B62);
const anyUuid = (seed: string) => uuid(seed);

// ---------------------------------------------------------------------------------------------
// Cloud providers
// ---------------------------------------------------------------------------------------------

const cloud: ProviderPattern[] = [
  tok(
    "google-api-key",
    "Google Cloud",
    "API key",
    "high",
    String.raw`${L}AIza[0-9A-Za-z_-]{35}${RD}`,
    ["aiza"],
    [`AIza${rnd("aiza-1", 35, B64URL)}`, `"apiKey": "AIza${rnd("aiza-2", 35, B64URL)}"`],
    [`AIza${rnd("aiza-3", 30, B64URL)}`, `AIza${"x".repeat(35)}`],
    { minEntropy: 3.5, revokeUrl: "https://console.cloud.google.com/apis/credentials" },
  ),
  tok(
    "gcp-service-account-key",
    "Google Cloud",
    "service account key file (JSON)",
    "critical",
    String.raw`"private_key_id"\s{0,5}:\s{0,5}"(?<secret>[a-f0-9]{40})"`,
    ["private_key_id"],
    [
      `{"type": "service_account", "project_id": "demo-project", "private_key_id": "${rnd("gsa-1", 40, HEX)}", "private_key": "..."}`,
      `  "private_key_id": "${rnd("gsa-2", 40, HEX)}",`,
    ],
    [`"private_key_id": "${rnd("gsa-3", 32, HEX)}"`, `"private_key_id": "${"0".repeat(40)}"`],
    { minEntropy: 3, revokeUrl: "https://console.cloud.google.com/iam-admin/serviceaccounts" },
  ),
  tok(
    "google-oauth-client-secret",
    "Google Cloud",
    "OAuth client secret",
    "high",
    String.raw`${L}GOCSPX-[A-Za-z0-9_-]{28}${RD}`,
    ["gocspx-"],
    [`GOCSPX-${rnd("gocspx-1", 28, B64URL)}`],
    [`GOCSPX-${rnd("gocspx-2", 20, B64URL)}`, `GOCSPX-${"x".repeat(28)}`],
    { minEntropy: 3.5, revokeUrl: "https://console.cloud.google.com/apis/credentials" },
  ),
  tok(
    "google-oauth-access-token",
    "Google Cloud",
    "OAuth access token (short-lived)",
    "high",
    String.raw`${L}ya29\.[A-Za-z0-9_-]{50,2048}${RD}`,
    ["ya29."],
    [`ya29.${rnd("ya29-1", 150, B64URL)}`],
    [`ya29.${rnd("ya29-2", 20, B64URL)}`, `ya29.${"x".repeat(60)}`],
    { minEntropy: 4 },
  ),
  tok(
    "google-oauth-refresh-token",
    "Google Cloud",
    "OAuth refresh token",
    "high",
    String.raw`(?<![A-Za-z0-9_/-])1//0[A-Za-z0-9_-]{60,250}${RD}`,
    ["1//0"],
    [`1//0${rnd("g1-1", 99, B64URL)}`],
    [`1//0${rnd("g1-2", 30, B64URL)}`, `1//0${"A".repeat(99)}`],
    { minEntropy: 4 },
  ),
  tok(
    "firebase-cloud-messaging-server-key",
    "Firebase",
    "Cloud Messaging (FCM) legacy server key",
    "high",
    String.raw`${L}AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,180}${RD}`,
    ["apa91b"],
    [`AAAA${rnd("fcm-1", 7, B64URL)}:APA91b${rnd("fcm-2", 134, B64URL)}`],
    [`AAAA${rnd("fcm-3", 7, B64URL)}:APA91b${rnd("fcm-4", 40, B64URL)}`],
    { minEntropy: 4 },
  ),
  // Azure
  tok(
    "azure-storage-connection-string",
    "Microsoft Azure",
    "storage account key in a connection string",
    "critical",
    String.raw`AccountName=[a-z0-9]{3,24};AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)`,
    ["accountkey="],
    [
      `DefaultEndpointsProtocol=https;AccountName=demostore;AccountKey=${b64("azs-1", 64)};EndpointSuffix=core.windows.net`,
    ],
    [`DefaultEndpointsProtocol=https;AccountName=demostore;AccountKey=${b64("azs-2", 32)}`, "AccountName=devstoreaccount1;AccountKey=<key>"],
    { minEntropy: 4.5, revokeUrl: "https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage" },
  ),
  tok(
    "azure-storage-account-key",
    "Microsoft Azure",
    "storage account key (identifiable format)",
    "critical",
    String.raw`(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{76}\+ASt[A-Za-z0-9+/]{6}==`,
    ["+ast"],
    [`${rnd("azst-1", 76, B64)}+ASt${rnd("azst-2", 5, B64)}A==`],
    [`${rnd("azst-3", 60, B64)}+ASt${rnd("azst-4", 5, B64)}A==`],
    { minEntropy: 4.5, revokeUrl: "https://learn.microsoft.com/en-us/azure/storage/common/storage-account-keys-manage" },
  ),
  tok(
    "azure-sas-token",
    "Microsoft Azure",
    "shared access signature (SAS) in a URL or connection string",
    "high",
    String.raw`sv=\d{4}-\d{2}-\d{2}&[\w%&=:.+-]{0,300}?\bsig=(?<secret>[A-Za-z0-9%+/]{40,90})(?![A-Za-z0-9%+/=])`,
    ["sig="],
    [
      `https://demostore.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(b64("sas-1", 32))}`,
      `BlobEndpoint=https://demo.blob.core.windows.net/;SharedAccessSignature=sv=2021-06-08&ss=b&sp=r&sig=${encodeURIComponent(b64("sas-2", 32))}`,
    ],
    ["?sv=2022-11-02&ss=b&sp=r&sig=REDACTED", "sv=2022-11-02&sig=abc"],
    { minEntropy: 4 },
  ),
  tok(
    "azure-ad-client-secret",
    "Microsoft Azure",
    "Entra ID (Azure AD) application client secret",
    "high",
    String.raw`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`,
    ["q~"],
    [`${rnd("aad-1", 3)}8Q~${rnd("aad-2", 34, B62 + "_~.-")}`.replace(/[.~_-]$/, "z")],
    [`${rnd("aad-3", 3)}8Q~${rnd("aad-4", 20)}`, `abc8Q~${"x".repeat(34)}`],
    { minEntropy: 4 },
  ),
  tok(
    "azure-cosmosdb-connection-string",
    "Microsoft Azure",
    "Cosmos DB account key in a connection string",
    "critical",
    String.raw`AccountEndpoint=https://[\w-]{3,50}\.documents\.azure\.com(?::443)?/?;AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)`,
    ["documents.azure.com"],
    [`AccountEndpoint=https://demo-db.documents.azure.com:443/;AccountKey=${b64("cosmos-1", 64)};`],
    [`AccountEndpoint=https://demo-db.documents.azure.com:443/;AccountKey=${b64("cosmos-2", 16)};`],
    { minEntropy: 4.5 },
  ),
  tok(
    "azure-service-bus-connection-string",
    "Microsoft Azure",
    "Service Bus / Event Hubs shared access key in a connection string",
    "high",
    String.raw`Endpoint=sb://[\w.-]{1,100}\.servicebus\.windows\.net/?;SharedAccessKeyName=[\w.-]{1,100};SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    ["sharedaccesskey="],
    [
      `Endpoint=sb://demo-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${b64("sb-1", 32)}`,
      `Endpoint=sb://demo-hub.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${b64("sb-2", 32)};EntityPath=events`,
    ],
    ["Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=<key>"],
    { minEntropy: 4 },
  ),
  tok(
    "azure-iot-hub-connection-string",
    "Microsoft Azure",
    "IoT Hub shared access key in a connection string",
    "high",
    String.raw`HostName=[\w-]{1,100}\.azure-devices\.net;(?:DeviceId|SharedAccessKeyName)=[\w.-]{1,100};SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    ["azure-devices.net"],
    [`HostName=demo-hub.azure-devices.net;DeviceId=sensor-1;SharedAccessKey=${b64("iot-1", 32)}`],
    ["HostName=demo-hub.azure-devices.net;DeviceId=sensor-1;SharedAccessKey={key}"],
    { minEntropy: 4 },
  ),
  tok(
    "azure-signalr-connection-string",
    "Microsoft Azure",
    "SignalR / Web PubSub access key in a connection string",
    "high",
    String.raw`Endpoint=https://[\w-]{1,100}\.(?:service\.signalr\.net|webpubsub\.azure\.com);AccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    ["accesskey="],
    [`Endpoint=https://demo.service.signalr.net;AccessKey=${b64("signalr-1", 32)};Version=1.0;`],
    ["Endpoint=https://demo.service.signalr.net;AccessKey=<key>;Version=1.0;"],
    { minEntropy: 4 },
  ),
  tok(
    "azure-app-configuration-connection-string",
    "Microsoft Azure",
    "App Configuration secret in a connection string",
    "high",
    String.raw`Endpoint=https://[\w-]{1,100}\.azconfig\.io;Id=[\w+/=-]{2,60};Secret=(?<secret>[A-Za-z0-9+/]{43}=)`,
    ["azconfig.io"],
    [`Endpoint=https://demo.azconfig.io;Id=${rnd("appcfg-0", 12, B62)};Secret=${b64("appcfg-1", 32)}`],
    ["Endpoint=https://demo.azconfig.io;Id=abc;Secret=<secret>"],
    { minEntropy: 4 },
  ),
  tok(
    "azure-devops-pat",
    "Microsoft Azure DevOps",
    "personal access token (identifiable 84-character format)",
    "critical",
    String.raw`${L}[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{19}AZDO[A-Za-z0-9]{4}${R}`,
    ["azdo"],
    [`${rnd("ado-1", 52)}JQQJ99${rnd("ado-2", 18)}AZDO${rnd("ado-3", 4)}`],
    [`${rnd("ado-4", 40)}JQQJ99${rnd("ado-5", 18)}AZDO${rnd("ado-6", 4)}`],
    {
      minEntropy: 4,
      revokeUrl: "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate",
    },
  ),
  ctx(
    "azure-devops-pat-legacy",
    "Microsoft Azure DevOps",
    "personal access token (legacy 52-character format)",
    "critical",
    String.raw`(?:azure[\w.-]{0,5}devops|azdo|ado|vsts)[\w.-]{0,20}(?:pat|token)`,
    ["devops", "azdo", "ado", "vsts"],
    "[a-z2-7]{52}",
    "AZURE_DEVOPS_PAT",
    (s) => rnd(s, 52, BASE32L),
    { revokeUrl: "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate" },
  ),
  // Other clouds
  tok(
    "alibaba-access-key-id",
    "Alibaba Cloud",
    "AccessKey ID",
    "high",
    String.raw`${L}LTAI[A-Za-z0-9]{12,20}${R}`,
    ["ltai"],
    [`LTAI${rnd("ltai-1", 20)}`],
    [`LTAI${rnd("ltai-2", 8)}`, `LTAI${"x".repeat(20)}`],
    { minEntropy: 3.5 },
  ),
  ctx(
    "alibaba-access-key-secret",
    "Alibaba Cloud",
    "AccessKey secret",
    "critical",
    String.raw`(?:alibaba|aliyun|alicloud)[\w.-]{0,20}secret`,
    ["alibaba", "aliyun", "alicloud"],
    "[A-Za-z0-9]{30}",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    b62(30),
    { minEntropy: 3.5 },
  ),
  tok(
    "tencent-cloud-secret-id",
    "Tencent Cloud",
    "API SecretId",
    "high",
    String.raw`${L}AKID[A-Za-z0-9]{32}${R}`,
    ["akid"],
    [`AKID${rnd("akid-1", 32)}`],
    [`AKID${rnd("akid-2", 20)}`, `AKID${"x".repeat(32)}`],
    { minEntropy: 3.5 },
  ),
  ctx(
    "tencent-cloud-secret-key",
    "Tencent Cloud",
    "API SecretKey",
    "critical",
    String.raw`(?:tencent|tccli|qcloud)[\w.-]{0,20}secret[_.-]?key`,
    ["tencent", "tccli", "qcloud"],
    "[A-Za-z0-9]{32}",
    "TENCENTCLOUD_SECRET_KEY",
    b62(32),
    { minEntropy: 3.5 },
  ),
  ctx(
    "ibm-cloud-api-key",
    "IBM Cloud",
    "IAM API key",
    "critical",
    String.raw`(?:ibm[\w.-]{0,20}|bluemix[\w.-]{0,10}|ibmcloud[\w.-]{0,10})api[_.-]?key`,
    ["ibm", "bluemix"],
    "[A-Za-z0-9_-]{44}",
    "IBMCLOUD_API_KEY",
    (s) => rnd(s, 44, B64URL),
    { minEntropy: 4 },
  ),
  ctx(
    "oracle-oci-customer-secret-key",
    "Oracle Cloud",
    "OCI customer secret key (S3-compatible) or auth token",
    "critical",
    String.raw`(?:oci|oracle)[\w.-]{0,20}(?:secret[_.-]?(?:access[_.-]?)?key|auth[_.-]?token)`,
    ["oci", "oracle"],
    "[A-Za-z0-9+/]{43}=",
    "OCI_SECRET_ACCESS_KEY",
    (s) => b64(s, 32),
    { minEntropy: 4, guard: RB64 },
  ),
  tok(
    "scaleway-access-key",
    "Scaleway",
    "API access key",
    "medium",
    String.raw`${L}SCW[A-Z0-9]{17}${R}`,
    ["scw"],
    [`SCW${rnd("scw-1", 17, UPNUM)}`],
    [`SCW${rnd("scw-2", 10, UPNUM)}`, `SCW${"X".repeat(17)}`],
    { minEntropy: 3 },
  ),
  ctx(
    "scaleway-secret-key",
    "Scaleway",
    "API secret key",
    "critical",
    String.raw`(?:scaleway|scw)[\w.-]{0,20}secret`,
    ["scaleway", "scw"],
    UUID_RE,
    "SCW_SECRET_KEY",
    anyUuid,
  ),
  ctx(
    "linode-api-token",
    "Linode (Akamai)",
    "personal access token",
    "critical",
    String.raw`linode[\w.-]{0,20}(?:token|key|pat)`,
    ["linode"],
    "[a-f0-9]{64}",
    "LINODE_TOKEN",
    hex(64),
    { revokeUrl: "https://cloud.linode.com/profile/tokens" },
  ),
  ctx(
    "vultr-api-key",
    "Vultr",
    "API key",
    "critical",
    String.raw`vultr[\w.-]{0,20}(?:key|token)`,
    ["vultr"],
    "[A-Z0-9]{36}",
    "VULTR_API_KEY",
    (s) => rnd(s, 36, UPNUM),
  ),
  ctx(
    "hetzner-cloud-api-token",
    "Hetzner",
    "Cloud API token",
    "critical",
    String.raw`(?:hetzner|hcloud)[\w.-]{0,20}(?:token|key)`,
    ["hetzner", "hcloud"],
    "[A-Za-z0-9]{64}",
    "HCLOUD_TOKEN",
    b62(64),
    { minEntropy: 4 },
  ),
  tok(
    "digitalocean-pat",
    "DigitalOcean",
    "personal access token",
    "critical",
    String.raw`${L}dop_v1_[a-f0-9]{64}${R}`,
    ["dop_v1_"],
    [`dop_v1_${rnd("dop-1", 64, HEX)}`],
    [`dop_v1_${rnd("dop-2", 40, HEX)}`, `dop_v1_${"0".repeat(64)}`],
    { minEntropy: 3, revokeUrl: "https://cloud.digitalocean.com/account/api/tokens" },
  ),
  tok(
    "digitalocean-oauth-token",
    "DigitalOcean",
    "OAuth access token",
    "critical",
    String.raw`${L}doo_v1_[a-f0-9]{64}${R}`,
    ["doo_v1_"],
    [`doo_v1_${rnd("doo-1", 64, HEX)}`],
    [`doo_v1_${rnd("doo-2", 40, HEX)}`, `doo_v1_${"0".repeat(64)}`],
    { minEntropy: 3, revokeUrl: "https://cloud.digitalocean.com/account/api/tokens" },
  ),
  tok(
    "digitalocean-refresh-token",
    "DigitalOcean",
    "OAuth refresh token",
    "high",
    String.raw`${L}dor_v1_[a-f0-9]{64}${R}`,
    ["dor_v1_"],
    [`dor_v1_${rnd("dor-1", 64, HEX)}`],
    [`dor_v1_${rnd("dor-2", 40, HEX)}`, `dor_v1_${"0".repeat(64)}`],
    { minEntropy: 3 },
  ),
  ctx(
    "exoscale-api-secret",
    "Exoscale",
    "API secret",
    "critical",
    String.raw`exoscale[\w.-]{0,20}secret`,
    ["exoscale"],
    "[A-Za-z0-9_-]{43}",
    "EXOSCALE_API_SECRET",
    (s) => rnd(s, 43, B64URL),
    { minEntropy: 4 },
  ),
  tok(
    "yandex-cloud-api-key",
    "Yandex Cloud",
    "API key",
    "high",
    String.raw`${L}AQVN[A-Za-z0-9_-]{35,38}${RD}`,
    ["aqvn"],
    [`AQVN${rnd("aqvn-1", 36, B64URL)}`],
    [`AQVN${rnd("aqvn-2", 20, B64URL)}`, `AQVN${"x".repeat(36)}`],
    { minEntropy: 3.5 },
  ),
  tok(
    "backblaze-b2-application-key",
    "Backblaze",
    "B2 application key",
    "critical",
    String.raw`${L}K00[0-9][A-Za-z0-9+/]{27}(?![A-Za-z0-9+/=_])`,
    ["k00"],
    [`K005${rnd("b2-1", 27, B62)}`],
    [`K005${rnd("b2-2", 20, B62)}`, `K005${"x".repeat(27)}`],
    { minEntropy: 3.5 },
  ),
  tok(
    "akamai-edgegrid-token",
    "Akamai",
    "EdgeGrid client or access token (paired with a client secret in .edgerc)",
    "high",
    String.raw`${L}akab-[a-z0-9]{16}-[a-z0-9]{16}${RD}`,
    ["akab-"],
    [`client_token = akab-${rnd("akab-1", 16, LOWNUM)}-${rnd("akab-2", 16, LOWNUM)}`],
    [`akab-${rnd("akab-3", 16, LOWNUM)}`, `akab-${"x".repeat(16)}-${"x".repeat(16)}`],
    { minEntropy: 3.5 },
  ),
];

export const platformPatterns: ProviderPattern[] = [...vcs, ...cloud];
