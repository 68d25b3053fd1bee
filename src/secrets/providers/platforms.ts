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
    regex: near(String.raw`gitea|forgejo`, "[a-f0-9]{40}", R),
    flags: "i",
    keywords: ["gitea", "forgejo"],
    severity: "high",
    minEntropy: 3.2,
    samples: [`GITEA_TOKEN=${rnd("gitea-1", 40, HEX)}`],
    negatives: [`GITEA_TOKEN=${"0".repeat(40)}`, `GITEA_TOKEN=${rnd("gitea-2", 20, HEX)}`],
  },
];

export const platformPatterns: ProviderPattern[] = [...vcs];
