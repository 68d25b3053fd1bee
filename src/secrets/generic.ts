// Generic secrets: a literal assigned to a secret-like name, in code, config and .env syntax,
// scored by entropy. Procedural (no backtracking): each keyword hit expands to the identifier
// around it, reads the operator and the value, then classifies both.
import type { Severity } from "../findings.js";
import { PRIORITY, type Candidate } from "./candidate.js";
import { randomness, shannonEntropy } from "./entropy.js";
import { isGitShaContext, isKnownNonSecret, isPlaceholder, isReference } from "./nonsecrets.js";

/** Keywords that start the generic check; every secret-like name contains one of them. */
export const GENERIC_KEYWORDS = ["pass", "pwd", "secret", "token", "key", "cred", "auth", "bearer", "pat", "pword", "contrasena", "senha", "licen"];

export type NameKind = "password" | "secret" | "weak-key" | "bare-key";

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "pass", "passphrase", "passcode", "pword", "passwort", "contrasena", "senha"]);
const SECRET_WORDS = new Set([
  "secret", "token", "apikey", "apitoken", "apisecret", "accesstoken", "authtoken", "refreshtoken", "privatekey", "secretkey",
  "accesskey", "credential", "credentials", "creds", "auth", "pat", "bearer", "clientsecret", "appsecret", "masterkey",
  "signingkey", "encryptionkey", "licensekey", "apppassword", "webhooksecret", "authkey", "sessionsecret", "jwtsecret",
  "license", "licence", "privkey", "secretaccesskey",
]);
const COMPOUND_SUFFIXES = ["password", "passwd", "passphrase", "secret", "token", "apikey", "secretkey", "privatekey", "accesskey", "authkey"];
const KEY_QUALIFIERS = new Set([
  "api", "secret", "private", "access", "auth", "client", "app", "application", "master", "encryption", "encrypt", "decryption",
  "decrypt", "signing", "sign", "hmac", "jwt", "session", "license", "licence", "account", "service", "admin", "webhook", "server",
  "consumer", "subscription", "storage", "shared", "cookie", "crypto", "cipher", "aes", "rest", "write", "read", "ingest",
  "ingestion", "deploy", "sdk", "live", "prod", "production", "rsa", "ssh", "gpg", "pgp", "x", "integration", "personal",
  "developer", "bot", "partner", "merchant", "management", "mgmt", "root", "system", "instance", "project", "org",
  "organization", "tenant", "secure", "security", "otp", "totp", "mfa", "recovery", "backup", "unlock", "wallet", "mnemonic",
  "signature", "token", "password", "pass", "user", "sas", "function", "host", "primary_secret", "upload", "push", "pull",
  "ed25519", "ecdsa", "dsa", "rsa2048", "private_api", "mailgun", "stripe",
]);
const KEY_NON_SECRET = new Set([
  "public", "publishable", "primary", "foreign", "sort", "partition", "hash", "range", "cache", "idempotency", "i18n",
  "translation", "lookup", "map", "dict", "object", "react", "unique", "composite", "row", "column", "index", "group", "hot",
  "short", "shortcut", "site", "dedup", "dedupe", "event", "metric", "s3", "bucket", "file", "path", "registry", "lock",
  "query", "state", "local", "route", "tab", "list", "item", "node", "element", "component", "child", "parent", "setting",
  "settings", "config", "sequence", "join", "field", "attribute", "attr", "prop", "property", "label", "name", "id", "type",
  "form", "input", "nav", "menu", "legend", "data", "meta", "value", "entry", "record", "table", "cell", "cursor", "page",
  "next", "last", "first", "prev", "previous", "redis", "memcache", "sorting", "message", "msg", "translation", "locale",
  "lang", "text", "string", "display", "enum", "option", "options", "error", "cli", "keyboard", "mouse", "press", "up", "down",
  "pub", "verify", "verification", "recaptcha", "turnstile", "hcaptcha", "anon", "client_side", "frontend", "browser",
]);
const TRAILING_OK = new Set([
  "value", "val", "str", "string", "b64", "base64", "hex", "raw", "plain", "plaintext", "prod", "production", "dev", "staging",
  "live", "local", "encoded", "old", "new", "pem", "der", "secret", "key", "token", "password", "passwd", "pwd", "pass", "v1",
  "v2", "1", "2", "3", "default", "override", "base", "main", "primary", "secondary", "current", "literal",
]);
const NON_SECRET_PREFIX = new Set([
  "public", "publishable", "page", "next", "continuation", "cancellation", "sync", "resume", "cursor", "csrf", "xsrf", "max",
  "min", "num", "total", "count", "is", "has", "use", "enable", "enabled", "show", "hide", "validate", "reset", "forgot", "confirm",
  "hashed", "hash", "encrypted", "input", "field", "label", "placeholder", "expected", "mock", "fake", "dummy", "example",
  "sample", "no", "require", "required", "allow", "default_", "anon", "csrftoken", "verify", "site", "request", "lexer", "parse",
  "parser", "split", "sentence", "tokenizer", "cancel", "disable",
]);

const UUID_VALUE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ID_WORDS = new Set(["id", "ids", "uuid", "guid", "request", "trace", "correlation", "idempotency", "nonce"]);

/** Split an identifier into lower-case words: camelCase, snake_case, kebab-case, dotted. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => {
      // key2, token_1, password01: a numbered secret word is still the secret word
      const m = /^([a-z]+)\d+$/.exec(w);
      return m && (PASSWORD_WORDS.has(m[1]!) || SECRET_WORDS.has(m[1]!) || m[1] === "key") ? m[1]! : w;
    });
}

function wordKind(word: string, prev: string | undefined): NameKind | null {
  if (PASSWORD_WORDS.has(word)) return "password";
  if (SECRET_WORDS.has(word)) return "secret";
  if (word === "key") {
    if (prev === undefined) return "bare-key";
    if (KEY_NON_SECRET.has(prev)) return null;
    if (KEY_QUALIFIERS.has(prev)) return "secret";
    return "weak-key";
  }
  for (const suffix of COMPOUND_SUFFIXES) {
    if (word.length > suffix.length && word.endsWith(suffix)) {
      const head = word.slice(0, word.length - suffix.length);
      if (NON_SECRET_PREFIX.has(head) || KEY_NON_SECRET.has(head)) return null;
      return suffix.startsWith("pass") ? "password" : "secret";
    }
  }
  if (word.length > 3 && word.endsWith("key")) {
    const head = word.slice(0, -3);
    if (KEY_QUALIFIERS.has(head)) return "secret";
  }
  return null;
}

const nameCache = new Map<string, NameKind | null>();

/** Classify a name: is a value assigned to it probably a credential? (memoised: names repeat) */
export function classifyName(name: string): NameKind | null {
  let kind = nameCache.get(name);
  if (kind === undefined) {
    kind = classifyNameUncached(name);
    if (nameCache.size > 20000) nameCache.clear();
    nameCache.set(name, kind);
  }
  return kind;
}

function classifyNameUncached(name: string): NameKind | null {
  const words = nameWords(name);
  if (words.length === 0) return null;
  // NEXT_PUBLIC_*, publicKey, publishable_key: shipped to browsers by design
  if (words.some((w) => w === "public" || w === "publishable")) return null;
  for (let i = words.length - 1; i >= 0; i--) {
    const kind = wordKind(words[i]!, words[i - 1]);
    if (kind === null) continue;
    for (let j = i + 1; j < words.length; j++) if (!TRAILING_OK.has(words[j]!)) return null;
    const prev = words[i - 1];
    if (prev !== undefined && NON_SECRET_PREFIX.has(prev)) return null;
    return kind;
  }
  return null;
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

const QUOTES = new Set([34, 39, 96]); // " ' `
const UNQUOTED_STOP = new Set([32, 9, 10, 13, 44, 59, 39, 34, 96, 40, 41, 91, 93, 123, 125, 60, 62, 92, 38]); // space , ; ' " ` ( ) [ ] { } < > \ &

export interface GenericContext {
  text: string;
  /** Source code: unquoted values are expressions, only random-looking ones count. */
  code: boolean;
  dockerfile: boolean;
  /** Prose (Markdown, reStructuredText, plain text): weak example passwords are not reported. */
  docs: boolean;
  /** A .netrc file: `password <value>` on its own line. */
  netrc?: boolean;
  /** A .conf/.cnf file where `Name value` lines are assignments. */
  spaceConf?: boolean;
  isTestPath: boolean;
}

export interface GenericScanState {
  /** Offset before which hits are already consumed. */
  consumed: number;
}

const MAX_NAME = 100;
const MAX_VALUE = 1024;

/**
 * Check one keyword hit at `pos`. Returns a candidate or null; advances `state.consumed` past the
 * identifier (and value) examined so repeated hits inside them cost nothing.
 */
export function checkGenericHit(ctx: GenericContext, pos: number, state: GenericScanState): Candidate | null {
  const { text } = ctx;
  if (pos < state.consumed) return null;
  const len = text.length;
  // expand the identifier around the hit
  let ns = pos;
  const minStart = Math.max(0, pos - MAX_NAME);
  while (ns > minStart && isIdentChar(text.charCodeAt(ns - 1))) ns--;
  let ne = pos;
  const maxEnd = Math.min(len, pos + MAX_NAME);
  while (ne < maxEnd && isIdentChar(text.charCodeAt(ne))) ne++;
  state.consumed = ne;
  // trim leading dashes/dots (--password, .token) and trailing dots
  while (ns < ne && (text.charCodeAt(ns) === 45 || text.charCodeAt(ns) === 46)) ns++;
  while (ne > ns && (text.charCodeAt(ne - 1) === 46 || text.charCodeAt(ne - 1) === 45)) ne--;
  if (ne <= ns) return null;
  const name = text.slice(ns, ne);
  const kind = classifyName(name);
  if (kind === null) return null;

  const before = ns > 0 ? text.charCodeAt(ns - 1) : 10;
  let j = ne;
  // closing quote of a quoted key ("password": ..., ['token'] = ..., \"token\": in notebooks)
  if (j < len && text.charCodeAt(j) === 92 && QUOTES.has(text.charCodeAt(j + 1))) j += 2;
  else if (j < len && QUOTES.has(text.charCodeAt(j))) j++;
  if (j < len && text.charCodeAt(j) === 93) j++; // ]
  while (j < len && isSpace(text.charCodeAt(j))) j++;

  // operator
  let xml = false;
  let call = false;
  const c0 = text.charCodeAt(j);
  const c1 = text.charCodeAt(j + 1);
  const pairValue = nameValuePair(text, ns, j);
  if (pairValue >= 0) j = pairValue; // - name: API_TOKEN / value: ..., <add key="ApiKey" value="..."/>
  else if (before === 45 && isSpace(text.charCodeAt(j - 1)) && j > ne && !ctx.code) {
    // CLI flag with a separate value: --api-key abc123
  } else if (((c0 === 124 && c1 === 124) || (c0 === 63 && c1 === 63)) && text.charCodeAt(j + 2) !== 61 && QUOTES.has(text.charCodeAt(j + 2 + countSpaces(text, j + 2)))) {
    j += 2; // process.env.API_KEY || "fallback", ?? "fallback": the literal is the default
  } else if (c0 === 124 && c1 !== 124 && /^\s*\|/.test(lineBefore(text, ns))) {
    j += 1; // Markdown table row: | API_TOKEN | value |
  } else if (j > ne && QUOTES.has(c0) && /^\s*$/.test(lineBefore(text, ns))) {
    // DSL call without parentheses on its own line: Gradle `password 'value'`, Ruby `password "value"`
  } else if (c0 === 58 && c1 === 61) j += 2; // :=
  else if (c0 === 61 && c1 === 62) j += 2; // =>
  else if (c0 === 61 && c1 !== 61) j += 1; // =
  else if ((c0 === 63 || c0 === 43) && c1 === 61) j += 2; // ?= +=
  else if (c0 === 124 && c1 === 124 && text.charCodeAt(j + 2) === 61) j += 3; // ||=
  else if (c0 === 58 && c1 !== 58) {
    j += 1; // :   (YAML, JSON, object literal, or a type annotation)
    // TS/Kotlin/Python annotation: `token: string = "..."`
    let k = j;
    while (k < len && isSpace(text.charCodeAt(k))) k++;
    let t = k;
    while (t < len && t - k < 60 && /[\w<>\[\].|?&' ]/.test(text[t]!)) t++;
    while (t > k && text.charCodeAt(t - 1) === 32) t--;
    if (t > k && !QUOTES.has(text.charCodeAt(k))) {
      let u = t;
      while (u < len && isSpace(text.charCodeAt(u))) u++;
      if (text.charCodeAt(u) === 61 && text.charCodeAt(u + 1) !== 61) j = u + 1;
    }
  } else if (c0 === 62 && before === 60) {
    j += 1; // <password>value</password>
    xml = true;
  } else if (c0 === 40 && j === ne) {
    j += 1; // setPassword("...") / .token("...")
    call = true;
  } else if (c0 === 44 && QUOTES.has(before) && QUOTES.has(text.charCodeAt(ne))) {
    // ("API_KEY", "value"): define(), setdefault(), getenv() defaults, headers.set(), map.put()
    j += 1;
    while (j < len && isSpace(text.charCodeAt(j))) j++;
    if (!QUOTES.has(text.charCodeAt(j))) return null;
  } else if ((ctx.netrc || ctx.spaceConf) && j > ne && isSpace(text.charCodeAt(j - 1)) && /^\s*$/.test(lineBefore(text, ns))) {
    // .netrc `  password <value>`, GeoIP.conf / my.cnf style `LicenseKey <value>` lines
  } else if (j > ne && isSpace(text.charCodeAt(j - 1)) && WHITESPACE_ASSIGN.test(lineBefore(text, ns)) && (ctx.dockerfile || !/^\s*(?:ENV|ARG)\b/i.test(lineBefore(text, ns)))) {
    // Dockerfile `ENV TOKEN value`, C `#define API_KEY "value"`, .netrc `login u password p`
  } else if (j > ne && ctx.code) {
    // Go `var password string = "..."`
    let t = j;
    while (t < len && t - j < 40 && /[\w.\[\]*]/.test(text[t]!)) t++;
    let u = t;
    while (u < len && isSpace(text.charCodeAt(u))) u++;
    if (t > j && text.charCodeAt(u) === 61 && text.charCodeAt(u + 1) !== 61) j = u + 1;
    else return null;
  } else return null;
  while (j < len && isSpace(text.charCodeAt(j))) j++;

  // value
  let vs: number;
  let ve: number;
  let quoted = false;
  let q = text.charCodeAt(j);
  if (!xml && (q === 114 || q === 98 || q === 117 || q === 102 || q === 64) && QUOTES.has(text.charCodeAt(j + 1))) {
    if (q === 102) return null; // f-string: interpolated
    j++;
    q = text.charCodeAt(j);
  }
  if (!xml && q === 92 && QUOTES.has(text.charCodeAt(j + 1))) {
    // escaped quote inside a JSON string (notebooks, JSON-embedded config): \"value\"
    const qc = text[j + 1]!;
    vs = j + 2;
    ve = text.indexOf("\\" + qc, vs);
    if (ve < 0 || ve - vs > MAX_VALUE) return null;
    quoted = true;
  } else if (!xml && QUOTES.has(q)) {
    vs = j + 1;
    let k = vs;
    const limit = Math.min(len, vs + MAX_VALUE);
    while (k < limit) {
      const c = text.charCodeAt(k);
      if (c === q) break;
      if (c === 10) return null;
      if (c === 92) k++;
      k++;
    }
    if (k >= limit || text.charCodeAt(k) !== q) return null;
    ve = k;
    quoted = true;
  } else {
    if (call) return null;
    if (text.charCodeAt(j) === 124 || text.charCodeAt(j) === 62) return null; // YAML block scalar
    vs = j;
    let k = vs;
    const limit = Math.min(len, vs + MAX_VALUE);
    if (xml) while (k < limit && text.charCodeAt(k) !== 60 && text.charCodeAt(k) !== 10) k++;
    else while (k < limit && !UNQUOTED_STOP.has(text.charCodeAt(k))) k++;
    ve = k;
    if (xml && !(text.charCodeAt(ve) === 60 && text.charCodeAt(ve + 1) === 47)) return null; // needs </name>
    const next = text.charCodeAt(ve);
    if (next === 40 || next === 91) return null; // a call or an index: an expression
  }
  // hits inside a short rejected value get their own look (`key="ApiKey" value=...`); long values are skipped
  state.consumed = Math.max(state.consumed, ve - vs > 64 ? ve : vs);
  let value = text.slice(vs, ve);
  if (quoted && q === 96 && value.includes("${")) return null;
  if (!quoted) value = value.replace(/[.,;:]+$/, "");
  if (value.length < 4) return null;
  // only random values count for these names; 12-15 characters only under an explicit secret name
  // (short service keys: Vonage, Sumo Logic, LinkedIn), mixing letters and digits
  if (kind !== "password" && value.length < 16 && !isShortKey(name, kind, value)) return null;
  if (/\s/.test(value)) return null; // prose, a message, a command: neither random nor a password
  if (kind === "password" && ctx.isTestPath && value.length < 16) return null;

  // what the value is
  // UUID-shaped API keys (Heroku, Postmark, Snyk...) under a secret's name are keys, not ids
  const uuidKey = UUID_VALUE.test(value) && (kind === "password" || kind === "secret") && !nameWords(name).some((w) => ID_WORDS.has(w));
  if (uuidKey && !isPlaceholder(value) && !/^0{8}-|(?:-0{4}){3}/.test(value)) {
    state.consumed = Math.max(state.consumed, ve);
    return { provider: "Generic", secret: value, start: vs, end: ve, priority: PRIORITY.generic, id: "generic-assignment", description: `UUID-format key assigned to \`${name}\``, severity: "high", strong: true };
  }
  if (isReference(value) || isPlaceholder(value) || isKnownNonSecret(value) || isGitShaContext(name, value)) return null;
  if (/^(?:true|false|yes|no|null|nil|none|undefined|\d+)$/i.test(value)) return null;
  // member access (code) or a reference (Terraform var.x, Actions steps.x.outputs.y, Helm .Values.x)
  if (!quoted && /^\.?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && (ctx.code || /^\.?(?:var|local|module|data|self|each|env|process|config|settings|secrets|vars|inputs|steps|needs|params|parameters|values|Values|ENV|os|app|spring)\./.test(value) || !/\d/.test(value))) return null;
  const inString = before === 59 || before === 34 || before === 39 || before === 38 || before === 63; // ; " ' & ?
  const r = randomness(value, kind === "secret" && value.length < 16 ? 12 : 16);
  // a 16-19 digit hex secret (Flickr, Pusher-style) under an explicit secret/password name
  if (!r.random && (kind === "secret" || kind === "password") && /^[0-9a-f]{16,19}$/i.test(value) && /[0-9]/.test(value) && /[a-f]/i.test(value) && shannonEntropy(value) >= 3.0) r.random = true;
  const baseCandidate = {
    provider: "Generic",
    secret: value,
    start: vs,
    end: ve,
    priority: PRIORITY.generic,
  };
  if (r.random && value.length <= 300) {
    // (longer values are encrypted blobs, certificates or images, not credentials typed into config)
    if (kind === "bare-key" && (r.charset === "hex" || value.length < 24)) return null;
    if (!quoted && ctx.code && !inString && /^[A-Za-z_$][\w$]*$/.test(value)) return null; // an identifier
    if (/token|secret|passw|api_?key/i.test(value)) return null; // mentions itself: a name, not a value
    state.consumed = Math.max(state.consumed, ve);
    return {
      ...baseCandidate,
      id: "generic-assignment",
      description: `high-entropy value assigned to \`${name}\``,
      severity: kind === "password" || kind === "secret" ? "high" : "medium",
      strong: true,
    };
  }
  if (kind !== "password" || ctx.isTestPath || ctx.docs) return null;
  // a hardcoded, non-random password: code needs a literal (or a connection-string field)
  if (!quoted && ctx.code && !inString) return null;
  if (value.length < 4 || value.length > 64 || /\s/.test(value)) return null;
  if (/^(?:[/~]|[A-Za-z]:\\)/.test(value)) return null; // a path (PWD is also the working directory)
  if (/^[A-Za-z]+$/.test(value)) return null; // a word or a label ("Passwort", "secret")
  if (/pass(?:word|wd)|secret|token/i.test(value)) return null; // mentions itself: a label, key or template
  if (/^[A-Za-z]+(?:[_.\-][A-Za-z0-9]+)+$/.test(value) && !/\d/.test(value)) return null; // identifier-ish
  if (/^[a-z][a-zA-Z]*[A-Z][a-zA-Z]*$/.test(value)) return null; // camelCase identifier
  const classes =
    (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
  if (classes < 2) return null;
  const severity: Severity = value.length >= 10 && classes >= 3 ? "medium" : "low";
  state.consumed = Math.max(state.consumed, ve);
  return {
    ...baseCandidate,
    id: "hardcoded-password",
    description: `password literal assigned to \`${name}\``,
    severity,
    strong: false,
  };
}

const PAIR_KEY_BEFORE = /(?:^|[\s{,\[(])["']?(?:name|key|Name|Key|NAME|KEY|variable|Variable|ParameterKey|parameter)["']?\s*[:=]\s*["']?$/;
const PAIR_VALUE = /^["']?[ \t]*[,}]?\s{0,40}?(?:-\s+)?["']?(?:value|Value|VALUE|ParameterValue|default)["']?\s*[:=]\s*/;

/**
 * The name is itself the value of a `name`/`key` field (Kubernetes and ECS env lists, GitHub
 * Actions, .NET appSettings, CloudFormation parameters): the secret is in the sibling `value`.
 * Returns the offset of that value, or -1.
 */
function nameValuePair(text: string, ns: number, afterName: number): number {
  const b = text.charCodeAt(ns - 1);
  if (b !== 34 && b !== 39 && b !== 32 && b !== 9) return -1;
  let s = ns;
  while (s > 0 && ns - s < 40 && text.charCodeAt(s - 1) !== 10) s--;
  if (!PAIR_KEY_BEFORE.test(text.slice(s, ns))) return -1;
  const rest = text.slice(afterName, Math.min(text.length, afterName + 160));
  const m = PAIR_VALUE.exec(rest);
  return m ? afterName + m[0].length : -1;
}

/** Line starts after which a name and its value are separated by whitespace alone. */
const WHITESPACE_ASSIGN = /^\s*(?:ENV\s+|ARG\s+|#\s*define\s+|(?:machine|default)\b.*\s|.*\blogin\s+\S+\s+|set\s+-[gx]+\s+)$/i;

/** A 12-15 character value that reads as a generated key: letters and several digits, no words or identifiers. */
function isShortKey(name: string, kind: NameKind, value: string): boolean {
  if (kind !== "secret" || value.length < 12 || !/^[A-Za-z0-9]+$/.test(value)) return false;
  if ((value.match(/[0-9]/g) ?? []).length < 2 || (value.match(/[A-Za-z]/g) ?? []).length < 4) return false;
  if (/^[a-z]+(?:[A-Z][a-z]*)+\d*$/.test(value) || /^[A-Z][a-z]+(?:[A-Z][a-z]*)+\d*$/.test(value)) return false; // camelCase / PascalCase identifiers
  if (/[A-Za-z]{7,}/.test(value)) return false; // contains a word
  const words = nameWords(name);
  return !words.some((w) => w === "license" || w === "licence" || w === "licensekey");
}

function countSpaces(text: string, at: number): number {
  let n = 0;
  while (n < 8 && isSpace(text.charCodeAt(at + n))) n++;
  return n;
}

function lineBefore(text: string, pos: number): string {
  let s = pos;
  while (s > 0 && pos - s < 200 && text.charCodeAt(s - 1) !== 10) s--;
  return text.slice(s, pos);
}
