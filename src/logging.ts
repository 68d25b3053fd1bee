// The App's logger: pino JSON lines, each scrubbed of credentials just before it is written, so
// no code path (ours, Probot's, Octokit's) can put a token, a private key, the webhook secret or
// a secret found in a pull request into the logs. Start the server and workers with
// createLogger() (Probot's `run(app, { log })` / `new Probot({ log })`).
import { pino, type DestinationStream, type Logger } from "pino";
import { scanText } from "./secrets/scanner.js";

const PEM_BLOCK = /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----/g;
/** A PEM header without its end (a cut-off line): everything after it goes. */
const PEM_OPEN = /-----BEGIN[A-Z ]*PRIVATE KEY-----[^"]*/g;
const GITHUB_TOKEN = /\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,}|v1\.[0-9a-f]{40})\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const AUTH_HEADER = /\b((?:authorization|x-hub-signature(?:-256)?)"?\s*[:=]\s*"?)((?:token|bearer|basic|sha256=|sha1=)\s*[^"\s,}]+|[^"\s,}]{8,})/gi;
const CREDENTIAL_FIELD = /("(?:token|access_token|private_?key|privateKey|secret|webhook_?secret|webhookSecret|client_secret|password)"\s*:\s*")([^"]{4,})(")/gi;

/** Lines longer than this are only scanned for the fixed shapes, not by the secrets scanner. */
const SCAN_LIMIT = 64 * 1024;

function escapedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return json === value ? [value] : [value, json];
}

export interface ScrubOptions {
  /** Exact values that must never appear (webhook secret, private key, ...). */
  secrets?: readonly string[];
}

/** The line with every credential replaced by a redacted form. */
export function scrubLogLine(line: string, options: ScrubOptions = {}): string {
  let out = line;
  for (const secret of options.secrets ?? []) {
    if (!secret || secret.length < 4) continue;
    for (const form of escapedForms(secret)) if (out.includes(form)) out = out.split(form).join("[REDACTED]");
  }
  out = out
    .replace(PEM_BLOCK, "[REDACTED private key]")
    .replace(PEM_OPEN, "[REDACTED private key]")
    .replace(AUTH_HEADER, (_m, key: string) => `${key}[REDACTED]`)
    .replace(CREDENTIAL_FIELD, (_m, key: string, _v: string, end: string) => `${key}[REDACTED]${end}`)
    .replace(GITHUB_TOKEN, (t) => `${t.slice(0, 4)}[REDACTED]`)
    .replace(JWT, "[REDACTED jwt]");
  if (out.length <= SCAN_LIMIT) {
    // Whatever the secrets scanner recognises in a pull request, it recognises in a log line.
    try {
      const found = scanText({ path: "log.json", content: out, added: "all" });
      // Longest first, and a replacement without quotes or backslashes, so the line stays JSON.
      for (const c of found.sort((a, b) => b.secret.length - a.secret.length)) out = out.split(c.secret).join(`[REDACTED ${c.id}]`);
    } catch {
      // scrubbing must never stop a log line; the fixed shapes above were still removed
    }
  }
  return out;
}

/** Credentials this process holds, from its environment. */
export function processSecrets(env: NodeJS.ProcessEnv): string[] {
  return [env.WEBHOOK_SECRET, env.PRIVATE_KEY, env.GITHUB_TOKEN, env.GITHUB_CLIENT_SECRET, env.REDIS_PASSWORD].filter(
    (v): v is string => typeof v === "string" && v.length >= 4,
  );
}

export interface LoggerOptions {
  level?: string;
  /** Exact values to redact; defaults to the credentials in the environment. */
  secrets?: readonly string[];
  /** Where lines go (default stdout). */
  stream?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? processSecrets(process.env);
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      // Known credential fields are dropped outright; streamWrite catches them anywhere else.
      redact: {
        paths: [
          "headers.authorization",
          "request.headers.authorization",
          "*.headers.authorization",
          "privateKey",
          "secret",
          "token",
          "*.token",
          "*.privateKey",
          "*.secret",
        ],
        censor: "[REDACTED]",
      },
      hooks: { streamWrite: (line: string) => scrubLogLine(line, { secrets }) },
    },
    options.stream ?? pino.destination(1),
  );
}

/** What identifies one review job on every line it logs. */
export interface JobBindings {
  deliveryId?: string | undefined;
  installation?: number | undefined;
  repository: string;
  pr?: number | undefined;
  headSha?: string | undefined;
  jobId?: string | undefined;
}

/** Bindings without undefined values (pino would print them as null-less keys otherwise). */
export function jobBindings(bindings: JobBindings): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(bindings)) if (v !== undefined) out[k] = v;
  return out;
}
