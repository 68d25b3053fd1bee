// The secrets scanner: one Aho-Corasick pass over the file finds every provider keyword and
// every generic secret-name keyword; only then does a provider's regex run, on the line windows
// around its keyword hits. Generic names are checked procedurally at their hits.
import picomatch from "picomatch";
import type { SecretsConfig } from "../config/schema.js";
import { isAdded, type AddedLines, type Finding, type Severity } from "../findings.js";
import { fingerprint, secretFingerprint } from "../fingerprint.js";
import { KeywordAutomaton } from "../text/keyword-automaton.js";
import { lineIndexOf, lineStartsOf } from "../text/lines.js";
import { PRIORITY, type Candidate } from "./candidate.js";
import { randomness, shannonEntropy } from "./entropy.js";
import { isCodeFile, isDocsFile, isDockerfile, isLockfile } from "./filetypes.js";
import { kubernetesSecretCandidates, pairClientIds, pgpassCandidates } from "./structured.js";
import { checkGenericHit, GENERIC_KEYWORDS, type GenericScanState } from "./generic.js";
import { hasSequentialRun, isDocumentedExample, isPlaceholder } from "./nonsecrets.js";
import { isExampleJwt } from "./providers/core.js";
import { PROVIDER_PATTERNS } from "./providers/index.js";
import { redactSecret } from "./redact.js";
import { lintRegex } from "./regexlint.js";
import type { ProviderPattern } from "./types.js";

export interface SecretsScanOptions {
  config?: SecretsConfig;
  /** The file is a test path per the repository config: findings are lowered to `low`, weak ones dropped. */
  isTestPath?: boolean;
}

export interface ScannedFile {
  path: string;
  content: string;
  added: AddedLines;
}

interface CompiledPattern {
  id: string;
  provider: string;
  description: string;
  regex: RegExp;
  severity: Severity;
  minEntropy?: number;
  validate?: (secret: string) => boolean;
  checksum?: (secret: string) => boolean;
  revokeUrl?: string;
  priority: number;
}

interface CompiledScanner {
  automaton: KeywordAutomaton;
  patterns: CompiledPattern[];
  /** keyword index -> pattern indices; GENERIC (-1) for generic name keywords */
  targets: number[][];
}

const GENERIC = -1;
/** Keyword target: a Kubernetes Secret manifest, read once per file by structured.ts. */
const K8S_SECRET = -2;
const K8S_KEYWORDS = ["kind: secret", "kind: 'secret'", 'kind: "secret"'];
const WINDOW_BEFORE = 256;
const WINDOW_AFTER = 4096;
const MAX_CANDIDATES = 2000;

const PRIORITY_BY_ID: Record<string, number> = {
  "private-key": PRIORITY.privateKey,
  jwt: PRIORITY.jwt,
  "database-url": PRIORITY.url,
  "url-basic-auth": PRIORITY.url,
  "http-bearer-token": PRIORITY.bearer,
  "http-basic-auth-header": PRIORITY.bearer,
  "http-basic-credentials": PRIORITY.bearer,
  "http-auth-tuple": PRIORITY.bearer,
  "http-authorization-token": PRIORITY.bearer,
  "oracle-connect-password": PRIORITY.url,
  "putty-private-key": PRIORITY.privateKey,
  "jwk-private-key": PRIORITY.privateKey,
  "rsa-xml-private-key": PRIORITY.privateKey,
  "http-basic-encoded-literal": PRIORITY.bearer,
};

/** Compile a pattern's regex with the scanner's flags ("g" and "d" plus its own). */
export function compilePatternRegex(regex: string, flags = ""): RegExp {
  const f = new Set(["g", "d", ...flags.replace(/[gdy]/g, "")]);
  return new RegExp(regex, [...f].join(""));
}

function compilePattern(p: ProviderPattern, priority: number): CompiledPattern {
  return {
    id: p.id,
    provider: p.provider,
    description: p.description,
    regex: compilePatternRegex(p.regex, p.flags),
    severity: p.severity,
    ...(p.minEntropy !== undefined ? { minEntropy: p.minEntropy } : {}),
    ...(p.validate ? { validate: p.validate } : {}),
    ...(p.checksum ? { checksum: p.checksum } : {}),
    ...(p.revokeUrl ? { revokeUrl: p.revokeUrl } : {}),
    priority,
  };
}

/** Problems with the repository's secrets configuration (bad regexes), for config validation. */
export function validateSecretsConfig(config: SecretsConfig): string[] {
  const problems: string[] = [];
  for (const r of config.allow_regexes) {
    try {
      new RegExp(r);
    } catch (e) {
      problems.push(`secrets.allow_regexes: ${r}: ${(e as Error).message}`);
    }
  }
  for (const p of config.extra_patterns) {
    try {
      compilePatternRegex(p.regex);
    } catch (e) {
      problems.push(`secrets.extra_patterns.${p.id}.regex: ${(e as Error).message}`);
    }
    for (const l of lintRegex(p.regex)) problems.push(`secrets.extra_patterns.${p.id}.regex: ${l.reason} at ${l.index}`);
    for (const k of p.keywords) if (/[^\x00-\x7f]/.test(k)) problems.push(`secrets.extra_patterns.${p.id}.keywords: non-ASCII keyword ${k}`);
  }
  return problems;
}

function buildScanner(extra: SecretsConfig["extra_patterns"]): CompiledScanner {
  const patterns: CompiledPattern[] = [];
  const keywordIndex = new Map<string, number>();
  const targets: number[][] = [];
  const addKeyword = (kw: string, target: number): void => {
    const k = kw.toLowerCase();
    let i = keywordIndex.get(k);
    if (i === undefined) {
      i = targets.length;
      keywordIndex.set(k, i);
      targets.push([]);
    }
    if (!targets[i]!.includes(target)) targets[i]!.push(target);
  };
  for (const p of PROVIDER_PATTERNS) {
    const idx = patterns.length;
    patterns.push(compilePattern(p, PRIORITY_BY_ID[p.id] ?? PRIORITY.provider));
    for (const k of p.keywords) addKeyword(k, idx);
  }
  for (const e of extra) {
    let regex: RegExp;
    try {
      regex = compilePatternRegex(e.regex);
    } catch {
      continue; // reported by validateSecretsConfig
    }
    const idx = patterns.length;
    patterns.push({ id: e.id, provider: "Organisation pattern", description: e.description, regex, severity: e.severity, priority: PRIORITY.extra });
    for (const k of e.keywords) if (!/[^\x00-\x7f]/.test(k)) addKeyword(k, idx);
  }
  for (const k of GENERIC_KEYWORDS) addKeyword(k, GENERIC);
  for (const k of K8S_KEYWORDS) addKeyword(k, K8S_SECRET);
  return { automaton: new KeywordAutomaton([...keywordIndex.keys()]), patterns, targets };
}

let defaultScanner: CompiledScanner | undefined;
const extraScanners = new Map<string, CompiledScanner>();

function scannerFor(config: SecretsConfig | undefined): CompiledScanner {
  const extra = config?.extra_patterns ?? [];
  if (extra.length === 0) return (defaultScanner ??= buildScanner([]));
  const key = JSON.stringify(extra);
  let s = extraScanners.get(key);
  if (!s) {
    if (extraScanners.size > 32) extraScanners.clear();
    s = buildScanner(extra);
    extraScanners.set(key, s);
  }
  return s;
}

/** The one-pass keyword prefilter alone (for benchmarks): how many keyword hits `text` has. */
export function prefilterHitCount(text: string, config?: SecretsConfig): number {
  return scannerFor(config).automaton.scan(text).count;
}

function lineEndAt(text: string, starts: Int32Array, line: number): number {
  const next = starts[line + 1];
  if (next === undefined) return text.length;
  return text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
}

/** Characters that end a token: windows start and end at one so lookarounds see true context. */
function isSeparator(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 40 || c === 41 || c === 123 || c === 125 || c === 91 || c === 93 || c === 60 || c === 62 || c === 124;
}

const WINDOW_SLACK = 1024;

function windowStart(text: string, from: number): number {
  if (from <= 0) return 0;
  const limit = Math.max(0, from - WINDOW_SLACK);
  for (let i = from; i > limit; i--) if (isSeparator(text.charCodeAt(i - 1))) return i;
  return limit;
}

function windowEnd(text: string, to: number): number {
  if (to >= text.length) return text.length;
  const limit = Math.min(text.length, to + WINDOW_SLACK);
  for (let i = to; i < limit; i++) if (isSeparator(text.charCodeAt(i))) return i;
  return limit;
}

/** A provider match whose secret is a placeholder rather than a token. */
function isProviderPlaceholder(secret: string): boolean {
  return /x{6,}|X{6,}|\*{4,}|\.{3}|0{12,}|[<>]|\$\{|\{\{|your|placeholder|redacted|insert|replace_?me|dummy/i.test(secret) || hasSequentialRun(secret, 6);
}

const LOCAL_HOST = /^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal|[\w-]+\.local|[\w-]+\.localhost|db|database|postgres|postgresql|mysql|mariadb|mongo|mongodb|redis|cache|rabbitmq|rabbit|amqp|broker|kafka|mq|sql|mssql|elasticsearch|es)$/i;
const EXAMPLE_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$/i;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** URL credentials: placeholder passwords are dropped; local and example hosts lower the severity. */
function assessUrl(m: RegExpExecArray, base: Severity): { severity: Severity; note?: string } | null {
  const password = safeDecode(m.groups?.secret ?? "");
  const user = safeDecode(m.groups?.user ?? "");
  const host = (m.groups?.host ?? "").replace(/:\d+$/, "");
  if (isPlaceholder(password) || /[$%{}]/.test(password) || /^[:*]/.test(password)) return null;
  if (password.toLowerCase() === user.toLowerCase()) return null;
  if (/^(?:user(?:name)?|login|admin|your[_-]?user)$/i.test(user) && /^(?:pass|passwd|pwd|secret|password\d*)$/i.test(password)) return null;
  if (/^(?:x-oauth-basic|x-access-token|oauth2|token)$/i.test(password)) return null;
  if (EXAMPLE_HOST.test(host)) return null; // documentation: the host does not exist
  if (LOCAL_HOST.test(host)) return { severity: "low", note: "The host is local (development setup), but the password is still committed." };
  if (password.length < 8 || /^[a-z]+$/i.test(password)) return { severity: "low", note: "The password is short or a plain word; it may be a sample." };
  return { severity: base };
}

interface PemBlock {
  secret: string;
  end: number;
}

/** The body of a private key block whose header ends at `from`; null for docs and placeholders. */
function readPrivateKeyBody(text: string, header: string, from: number, endCache: { at: number; pos: number }): PemBlock | null {
  // locate the next "-----END" (cached: the answer stays valid while we are before it)
  if (endCache.pos !== -1 && (endCache.pos < from || endCache.at > from)) {
    endCache.at = from;
    endCache.pos = text.indexOf("-----END", from);
  }
  const endPos = endCache.pos;
  let body: string;
  let end: number;
  if (endPos >= 0 && endPos - from <= 65536) {
    body = text.slice(from, endPos);
    const close = text.indexOf("-----", endPos + 8);
    end = close >= 0 && close - endPos < 80 ? close + 5 : endPos + 8;
  } else {
    // no END nearby (truncated): accept only a run of base64 lines right after the header
    const lines: string[] = [];
    let p = from;
    if (text.charCodeAt(p) === 13) p++;
    if (text.charCodeAt(p) === 10) p++;
    while (lines.length < 100 && p < text.length) {
      let e = text.indexOf("\n", p);
      if (e < 0) e = text.length;
      const line = text.slice(p, Math.min(e, p + 200)).trim();
      if (!/^[A-Za-z0-9+/=]{40,}$/.test(line)) break;
      lines.push(line);
      p = e + 1;
    }
    if (lines.length < 3) return null;
    body = lines.join("\n");
    end = p - 1;
  }
  // strip JSON/string escapes and concatenation, headers (Proc-Type: ...) and whitespace
  const cleaned = body
    .replace(/\\[nr]/g, "\n")
    .replace(/^[A-Za-z-]+:.*$/gm, "")
    .replace(/["'`+,\s\\]/g, "");
  if (cleaned.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(cleaned)) return null;
  if (isProviderPlaceholder(cleaned) || shannonEntropy(cleaned) < 4.5) return null;
  void header;
  return { secret: cleaned, end };
}

/** The body of an SSH.com (SSH2) key block: header lines (`Comment: ...`, continued with `\`) skipped. */
function readSsh2Body(text: string, from: number): PemBlock | null {
  const endPos = text.indexOf("---- END SSH2", from);
  if (endPos < 0 || endPos - from > 65536) return null;
  const lines = text.slice(from, endPos).split(/\r?\n/);
  let continued = false;
  const body: string[] = [];
  for (const line of lines) {
    if (continued || /^[A-Za-z-]+:/.test(line)) {
      continued = line.endsWith("\\");
      continue;
    }
    body.push(line.trim());
  }
  const cleaned = body.join("");
  if (cleaned.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(cleaned) || isProviderPlaceholder(cleaned) || shannonEntropy(cleaned) < 4.5) return null;
  const close = text.indexOf("----", endPos + 13);
  return { secret: cleaned, end: close >= 0 && close - endPos < 80 ? close + 4 : endPos + 13 };
}

const AWS_SECRET_CANDIDATE = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;

function looksLikeAwsSecret(s: string): boolean {
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9/+]/.test(s) && shannonEntropy(s) >= 4.0 && !/[0-9a-f]{40}/i.test(s);
}

export function scanText(file: ScannedFile, options: SecretsScanOptions = {}): Candidate[] {
  const { content: text, path } = file;
  const scanner = scannerFor(options.config);
  // files whose lines are credentials by position, with no keyword to find
  if (/(?:^|\/)(?:\.pgpass|pgpass\.conf)$/.test(path)) return pgpassCandidates(text);
  const hits = scanner.automaton.scan(text);
  if (hits.count === 0) return [];
  let startsCache: Int32Array | undefined;
  const lines = (): Int32Array => (startsCache ??= lineStartsOf(text));
  const candidates: Candidate[] = [];
  const lockfile = isLockfile(path);
  const genericCtx = { text, code: isCodeFile(path), dockerfile: isDockerfile(path), docs: isDocsFile(path), netrc: /(?:^|\/)[._]?netrc$/.test(path), spaceConf: /\.(?:conf|cnf)$/i.test(path), isTestPath: options.isTestPath === true };
  let k8sDone = false;
  const genericState: GenericScanState = { consumed: 0 };
  const kwLen = scanner.automaton.keywords.map((k) => k.length);

  // windows per pattern: flat [start, end, start, end, ...], merged as hits arrive
  const windows = new Map<number, number[]>();
  for (let h = 0; h < hits.count; h++) {
    const pos = hits.starts[h]!;
    const kw = hits.keywords[h]!;
    for (const target of scanner.targets[kw]!) {
      if (target === K8S_SECRET) {
        if (!k8sDone && !lockfile) {
          k8sDone = true;
          for (const c of kubernetesSecretCandidates(text)) if (candidates.length < MAX_CANDIDATES) candidates.push(c);
        }
        continue;
      }
      if (target === GENERIC) {
        if (lockfile || candidates.length >= MAX_CANDIDATES) continue;
        const c = checkGenericHit(genericCtx, pos, genericState);
        if (c) candidates.push(c);
        continue;
      }
      let list = windows.get(target);
      if (!list) windows.set(target, (list = []));
      const n = list.length;
      const we = pos + kwLen[kw]! + WINDOW_AFTER;
      if (n > 0 && pos - WINDOW_BEFORE <= list[n - 1]!) {
        if (we > list[n - 1]!) list[n - 1] = we;
      } else list.push(windowStart(text, pos - WINDOW_BEFORE), we);
    }
  }

  // window ends move forward to a separator so no token is cut (a cut token would pass lookarounds)
  for (const list of windows.values()) for (let w = 1; w < list.length; w += 2) list[w] = windowEnd(text, list[w]!);

  const seen = new Set<string>();
  const endCache = { at: 0, pos: 0 };
  let lastPemLine = -1;
  for (const [pi, list] of windows) {
    const p = scanner.patterns[pi]!;
    for (let w = 0; w < list.length && candidates.length < MAX_CANDIDATES; w += 2) {
      const ws = list[w]!;
      const slice = text.slice(ws, list[w + 1]!);
      const re = p.regex;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(slice)) !== null && candidates.length < MAX_CANDIDATES) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const span = m.indices?.groups?.secret ?? m.indices?.[0];
        let secret = m.groups?.secret ?? m[0];
        let start = ws + (span ? span[0] : m.index);
        let end = start + secret.length;
        const key = `${pi}:${start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let severity = p.severity;
        let note: string | undefined;
        let example = false;
        if (p.id === "private-key") {
          const line = lineIndexOf(lines(), start);
          if (line === lastPemLine) continue;
          lastPemLine = line;
          const block = m[0].startsWith("---- ") ? readSsh2Body(text, ws + m.index + m[0].length) : readPrivateKeyBody(text, m[0], ws + m.index + m[0].length, endCache);
          if (!block) continue;
          secret = block.secret;
          end = block.end;
          start = ws + m.index;
          if (/ENCRYPTED/.test(m[0])) {
            severity = "high";
            note = "The key is encrypted, but its passphrase is often kept nearby.";
          }
        } else {
          if (p.minEntropy !== undefined && shannonEntropy(secret) < p.minEntropy) continue;
          if (p.validate && !p.validate(secret)) continue;
          if (p.checksum && !p.checksum(secret)) {
            if (shannonEntropy(secret) < 4 || isProviderPlaceholder(secret)) continue;
            severity = "low";
            note = "Its checksum does not match the format's, so it is probably a made-up sample or a documentation example; check it was never a real token.";
          }
          if (p.id === "database-url" || p.id === "url-basic-auth") {
            const a = assessUrl(m, severity);
            if (!a) continue;
            severity = a.severity;
            note = a.note;
          } else if (p.id === "http-bearer-token") {
            if (isProviderPlaceholder(secret) || !randomness(secret, 20).random) continue;
          } else {
            if (isProviderPlaceholder(secret)) continue;
            if (/example/i.test(secret) || isDocumentedExample(secret) || (p.id === "jwt" && isExampleJwt(secret))) {
              example = true;
              severity = "low";
              note = "It looks like the vendor's documented example key.";
            }
          }
        }
        candidates.push({
          id: p.id,
          provider: p.provider,
          description: p.description,
          secret,
          start,
          end,
          severity,
          ...(p.revokeUrl ? { revokeUrl: p.revokeUrl } : {}),
          priority: p.priority,
          ...(example ? { example } : {}),
          ...(note ? { note } : {}),
          strong: true,
        });
      }
    }
  }

  if (candidates.some((c) => c.id === "aws-access-key-id")) pairAwsKeys(text, lines(), candidates);
  if (candidates.length > 0 && candidates.length < MAX_CANDIDATES) pairClientIds(text, lines(), (o) => lineIndexOf(lines(), o), candidates);
  return candidates;
}

/** AWS secret access keys: a 40-char base64 string within a few lines of an access key id. */
function pairAwsKeys(text: string, starts: Int32Array, candidates: Candidate[]): void {
  const ids = candidates.filter((c) => c.id === "aws-access-key-id");
  if (ids.length === 0) return;
  const known = new Set(candidates.filter((c) => c.id === "aws-secret-access-key").map((c) => c.start));
  const secrets = new Map<number, Candidate>();
  for (const c of candidates) if (c.id === "aws-secret-access-key") secrets.set(c.start, c);
  for (const id of ids.slice(0, 100)) {
    const line = lineIndexOf(starts, id.start);
    const from = starts[Math.max(0, line - 5)]!;
    const to = lineEndAt(text, starts, Math.min(starts.length - 1, line + 5));
    const a = Math.max(from, id.start - 4096);
    const region = text.slice(a, Math.min(to, id.end + 4096));
    AWS_SECRET_CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AWS_SECRET_CANDIDATE.exec(region)) !== null) {
      const s = m[0];
      if (!looksLikeAwsSecret(s) || isProviderPlaceholder(s)) continue;
      const start = a + m.index;
      const secretLine = lineIndexOf(starts, start) + 1;
      id.note = `It is paired with an AWS secret access key on line ${secretLine}.`;
      if (!id.example) id.severity = "critical";
      if (known.has(start)) {
        secrets.get(start)!.note = `It is paired with the access key ID on line ${line + 1}.`;
        continue;
      }
      known.add(start);
      const example = /example/i.test(s);
      const c: Candidate = {
        id: "aws-secret-access-key",
        provider: "AWS",
        description: "secret access key",
        secret: s,
        start,
        end: start + s.length,
        severity: example ? "low" : "critical",
        revokeUrl: "https://console.aws.amazon.com/iam/home#/security_credentials",
        priority: PRIORITY.awsPair,
        ...(example ? { example, note: "It looks like AWS's documented example key." } : { note: `It is paired with the access key ID on line ${line + 1}.` }),
        strong: true,
      };
      candidates.push(c);
      secrets.set(start, c);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Candidates -> findings

const SUPPRESS = /vibeguard-ignore[ \t]+secrets(?:\/([a-z0-9][a-z0-9-]*))?/g;

function titleOf(c: Candidate): string {
  if (c.id === "generic-assignment") return "Hardcoded secret";
  if (c.id === "hardcoded-password") return "Hardcoded password";
  if (c.example) return `Example ${c.provider} ${c.description} in code`;
  return `Hardcoded ${c.provider} ${c.description}`;
}

function fixOf(c: Candidate): string {
  if (c.example) {
    return `If this is only the vendor's documented example, leave it or mark it with \`vibeguard-ignore secrets/${c.id}\`; if a real ${c.provider} credential was ever put here, revoke and rotate it, and load it from the environment or a secret manager.`;
  }
  if (c.id === "hardcoded-password") {
    return "Do not commit passwords, even for development: if this password is used anywhere, change it now (it stays in the git history after a fix), then read it from the environment (e.g. process.env / os.environ) or a secret manager, and keep local defaults in an untracked .env file.";
  }
  const what = c.id === "generic-assignment" ? "this credential" : `this ${c.provider} ${c.description}`;
  return `Revoke and rotate ${what} now: it stays in the git history even after the line is removed. Then load the new value at runtime from the environment or a secret manager (e.g. process.env / os.environ, Vault, AWS Secrets Manager) and keep it out of the repository.`;
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.start < b.end && b.start < a.end;
}

export function candidatesToFindings(file: ScannedFile, candidates: Candidate[], options: SecretsScanOptions = {}): Finding[] {
  const { content: text, path } = file;
  const config = options.config;
  if (candidates.length === 0) return [];
  const starts = lineStartsOf(text);
  const test = options.isTestPath === true;

  let list = candidates.filter((c) => isAdded(file.added, lineIndexOf(starts, c.start) + 1));
  // test paths: fixtures are full of fake tokens; keep provider formats (at low), drop generic guesses
  if (test) list = list.filter((c) => c.strong && !c.example && c.priority > PRIORITY.generic);
  if (config && config.allow_regexes.length > 0) {
    const allow = config.allow_regexes.flatMap((r) => {
      try {
        return [new RegExp(r)];
      } catch {
        return [];
      }
    });
    list = list.filter((c) => !allow.some((re) => re.test(c.secret)));
  }
  // overlapping candidates: the more specific pattern wins
  list.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of list) if (!kept.some((k) => overlaps(k, c))) kept.push(c);
  kept.sort((a, b) => a.start - b.start);

  const allowFp = new Set(config?.allow_fingerprints ?? []);
  const occurrences = new Map<string, number>();
  const suppressions = new Map<number, Set<string> | null>();
  const suppressionsOf = (line: number): Set<string> | null => {
    if (line < 0) return null;
    let s = suppressions.get(line);
    if (s === undefined) {
      const lineText = text.slice(starts[line]!, lineEndAt(text, starts, line));
      s = lineText.includes("vibeguard-ignore") ? suppressionIds(lineText) : null;
      suppressions.set(line, s);
    }
    return s;
  };
  const findings: Finding[] = [];
  for (const c of kept) {
    const ruleId = `secrets/${c.id}`;
    const sfp = secretFingerprint(c.secret);
    const occKey = `${ruleId}\0${sfp}`;
    const occurrence = occurrences.get(occKey) ?? 0;
    occurrences.set(occKey, occurrence + 1);
    const fp = fingerprint(ruleId, path, sfp, occurrence);
    if (allowFp.has(fp) || allowFp.has(sfp)) continue;
    const line = lineIndexOf(starts, c.start);
    const endLine = lineIndexOf(starts, Math.max(c.start, c.end - 1));
    const here = suppressionsOf(line);
    const above = suppressionsOf(line - 1);
    const suppressed = !!(here && (here.has("") || here.has(c.id))) || !!(above && (above.has("") || above.has(c.id)));
    const redacted = redactSecret(c.secret, c.id);
    const severity: Severity = test ? "low" : c.severity;
    const message =
      `${titleOf(c)}: ${redacted}.` +
      (c.note ? ` ${c.note}` : "") +
      (c.example ? "" : " Anyone who can read the repository or its history can use it.");
    findings.push({
      ruleId,
      category: "secrets",
      severity,
      path,
      line: line + 1,
      endLine: endLine + 1,
      column: c.start - starts[line]! + 1,
      endColumn: c.end - starts[endLine]! + 1,
      title: titleOf(c),
      message,
      fix: fixOf(c),
      cwe: "CWE-798",
      fingerprint: fp,
      suppressed,
      snippet: snippetOf(text, starts[line]!, lineEndAt(text, starts, line), c, candidates),
      ...(c.revokeUrl ? { links: [c.revokeUrl] } : {}),
    });
  }
  return findings;
}

/** Rule ids named by `vibeguard-ignore secrets[/<id>]` comments on a line ("" = every secrets rule). */
function suppressionIds(lineText: string): Set<string> {
  const ids = new Set<string>();
  SUPPRESS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SUPPRESS.exec(lineText)) !== null) ids.add(m[1] ?? "");
  return ids;
}

const SNIPPET_CONTEXT = 100;

/**
 * The flagged line, trimmed, with this secret and every other detected secret that falls in
 * the shown part replaced by their redacted forms; long lines are cut around the secret.
 */
function snippetOf(text: string, lineStart: number, lineEnd: number, c: Candidate, all: readonly Candidate[]): string {
  if (c.id === "private-key" || c.id === "putty-private-key") return `${text.slice(lineStart, lineEnd).trim()} ${redactSecret(c.secret, c.id)}`;
  let from = Math.max(lineStart, c.start - SNIPPET_CONTEXT);
  let to = Math.min(lineEnd, c.end + SNIPPET_CONTEXT);
  // secrets overlapping the shown range, widened so none is cut in half
  const inside = all.filter((o) => o.id !== "private-key" && o.start < to && o.end > from && o.end <= lineEnd + 1);
  for (const o of inside) {
    from = Math.min(from, Math.max(lineStart, o.start));
    to = Math.max(to, Math.min(lineEnd, o.end));
  }
  inside.sort((a, b) => a.start - b.start || (b === c ? 1 : 0) - (a === c ? 1 : 0) || b.priority - a.priority || b.end - a.end);
  let out = "";
  let at = from;
  for (const o of inside) {
    if (o.start < at) continue; // nested in a secret already redacted
    out += text.slice(at, o.start) + redactSecret(o.secret, o.id);
    at = Math.min(o.end, to);
  }
  out += text.slice(at, to);
  // the same secret repeated elsewhere in the shown text (e.g. under a non-secret name)
  for (const o of [c, ...inside]) if (o.secret.length >= 6 && out.includes(o.secret)) out = out.split(o.secret).join(redactSecret(o.secret, o.id));
  return (from > lineStart ? "…" : "") + out.trim() + (to < lineEnd ? "…" : "");
}

export function isAllowedPath(path: string, config: SecretsConfig | undefined): boolean {
  if (!config || config.allow_paths.length === 0) return false;
  return picomatch(config.allow_paths, { dot: true })(path);
}
