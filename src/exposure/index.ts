// Server secrets shipped to the browser: secret values or secret-named variables under public
// build prefixes (.env files, next.config / vite config, code), admin credentials referenced
// from client code, and backend rules added wide open (Firebase rules, Supabase tables without
// row-level security). Reports only on added lines; a secret value is never shown in full.
import { fingerprint } from "../fingerprint.js";
import { isAdded, type AddedLines, type Finding, type Severity } from "../findings.js";
import type { ChecklistId } from "../checklist.js";
import { redactSecret } from "../secrets/redact.js";
import { isClientFile, serverOnlyRanges } from "./client.js";
import { looksSecret, isPublicName, isSecretName, PUBLIC_PREFIX } from "./names.js";
import { permissiveRules } from "./backend-rules.js";

export interface ExposureFile {
  path: string;
  content: string;
  added: AddedLines;
}

export interface ExposureHit {
  id: string;
  category: ChecklistId;
  severity: Severity;
  line: number;
  title: string;
  message: string;
  fix: string;
  cwe: string;
  /** What is shown of the line; secrets already redacted. */
  snippet: string;
}

const ENV_FILE = /(^|\/)\.env(\.[\w.-]+)?$/;

function envFileHits(file: ExposureFile, lines: string[]): ExposureHit[] {
  const hits: ExposureHit[] = [];
  lines.forEach((text, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(text);
    if (!m || !isAdded(file.added, i + 1)) return;
    const [, name, raw] = m as unknown as [string, string, string];
    if (!PUBLIC_PREFIX.test(name)) return;
    const value = raw.replace(/^(["'])(.*)\1$/, "$2").replace(/\s+#.*$/, "");
    const shaped = value.length > 0 && looksSecret(value);
    if (!shaped && (!isSecretName(name) || isPublicName(name))) return;
    hits.push({
      id: "exposure-public-env-secret",
      category: "secrets",
      severity: shaped ? "critical" : "high",
      line: i + 1,
      title: "Server secret under a public build prefix",
      message: `\`${name}\` is inlined into the client bundle by its public prefix, so ${shaped ? "this secret value" : "the secret it names"} is exposed to the browser of every visitor.`,
      fix: "Drop the public prefix and read the variable only in server code (API routes, server actions, backend); rotate the value if it was ever deployed.",
      cwe: "CWE-200",
      snippet: value.length > 0 ? `${name}=${redactSecret(value, "exposed")}` : `${name}=`,
    });
  });
  return hits;
}

const PUBLIC_ENV_REF = /\b(?:process\.env|import\.meta\.env)\.([A-Z][A-Z0-9_]*)|\bimport\s*\{([^}]*)\}\s*from\s*["']\$env\/(?:static|dynamic)\/public["']/g;
const CONFIG_FILE = /(^|\/)(next|vite|nuxt)\.config\.[cm]?[jt]s$/;

/** Offsets of the `{...}` blocks after the given keys (next.config `env`, vite `define`). */
function blocksAfter(content: string, keys: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let m = keys.exec(content); m; m = keys.exec(content)) {
    const open = content.indexOf("{", m.index + m[0].length - 1);
    let depth = 0;
    for (let i = open; i >= 0 && i < content.length; i++) {
      if (content[i] === "{") depth++;
      else if (content[i] === "}" && --depth === 0) {
        out.push([open, i]);
        break;
      }
    }
  }
  return out;
}

function codeHits(file: ExposureFile, lines: string[]): ExposureHit[] {
  const hits: ExposureHit[] = [];
  const client = isClientFile(file.path, file.content);
  const serverRanges = client && /(^|\/)pages\//.test(file.path) ? serverOnlyRanges(file.content) : [];
  const inServerRange = (line: number) => serverRanges.some(([a, b]) => a <= line && line <= b);
  const config = CONFIG_FILE.test(file.path);
  const inlined = config ? blocksAfter(file.content, /\b(env|publicRuntimeConfig|define|public)\s*:\s*\{/g) : [];
  let offset = 0;
  lines.forEach((text, i) => {
    const line = i + 1;
    const start = offset;
    offset += text.length + 1;
    if (!isAdded(file.added, line)) return;
    // Public-prefixed, secret-named variables read in code or config.
    for (const m of text.matchAll(PUBLIC_ENV_REF)) {
      const names = m[1] ? [m[1]] : (m[2] ?? "").split(",").map((s) => s.trim().split(/\s+as\s+/)[0]!);
      for (const name of names) {
        if (!name || !PUBLIC_PREFIX.test(name) || !isSecretName(name) || isPublicName(name)) continue;
        hits.push({
          id: "exposure-public-env-secret",
          category: "secrets",
          severity: "high",
          line,
          title: "Server secret under a public build prefix",
          message: `\`${name}\` carries a public build prefix, so the secret it names is inlined into the client bundle and exposed to the browser.`,
          fix: "Rename it without the public prefix and use it only in server code; rotate the value if it was ever deployed.",
          cwe: "CWE-200",
          snippet: text.trim().slice(0, 200),
        });
      }
    }
    // next.config `env` / vite `define`: whatever goes in here is inlined into client code.
    if (config && inlined.some(([a, b]) => a <= start && start <= b)) {
      const ref = /process\.env\.([A-Z][A-Z0-9_]*)|^\s*["']?([A-Z][A-Z0-9_]*)["']?\s*:/.exec(text);
      const name = ref?.[1] ?? ref?.[2];
      if (name && isSecretName(name) && !isPublicName(name)) {
        hits.push({
          id: "exposure-config-inlines-secret",
          category: "secrets",
          severity: "high",
          line,
          title: "Build config inlines a server secret into client code",
          message: `The build configuration copies \`${name}\` into the client bundle (next.config \`env\` / vite \`define\`), so it is exposed to the browser.`,
          fix: "Remove it from the inlined block and read it only in server code.",
          cwe: "CWE-200",
          snippet: text.trim().slice(0, 200),
        });
      }
    }
    if (config && /\benvPrefix\s*:\s*(["']{2}|\[[^\]]*["']{2})/.test(text)) {
      hits.push({
        id: "exposure-config-inlines-secret",
        category: "secrets",
        severity: "high",
        line,
        title: "Build config inlines a server secret into client code",
        message: "An empty `envPrefix` makes Vite expose every environment variable, secrets included, to the browser.",
        fix: "Keep envPrefix to a dedicated public prefix such as VITE_.",
        cwe: "CWE-200",
        snippet: text.trim().slice(0, 200),
      });
    }
    // Admin / service-role credentials in browser code.
    if (client && !inServerRange(line)) {
      const admin =
        /\b(?:from\s+|require\(\s*)["']firebase-admin(?:\/[\w-]+)?["']/.exec(text)?.[0] ??
        /["'][^"']*(?:service[-_]?account|serviceAccountKey|firebase-adminsdk)[^"']*\.json["']/i.exec(text)?.[0] ??
        /\b[A-Z0-9_]*(?:SERVICE_ROLE|SERVICE_KEY|STRIPE_SECRET|SECRET_KEY|DATABASE_URL|POSTGRES_URL|POSTGRES_PRISMA_URL|MONGODB_URI|MONGO_URL|DB_PASSWORD|ADMIN_KEY|PRIVATE_KEY)[A-Z0-9_]*\b/.exec(text)?.[0] ??
        /\bserviceRole(?:Key)?\b|\bservice_role\b/.exec(text)?.[0];
      if (admin) {
        hits.push({
          id: "exposure-client-admin-credential",
          category: "secrets",
          severity: "critical",
          line,
          title: "Admin or service-role credential used in browser code",
          message: `This file runs in the browser, and it uses \`${admin.replace(/^(from|require\()\s*/, "").slice(0, 60)}\`: a credential that bypasses access rules (Supabase service_role, Firebase Admin, Stripe secret key, database URL) would be exposed to the browser of every visitor.`,
          fix: "Move this code to the server (an API route, server action or backend function) and call it from the client; in the browser use only the public anon/publishable key with row-level security.",
          cwe: "CWE-522",
          snippet: text.trim().slice(0, 200),
        });
      }
    }
  });
  return hits;
}

function toFinding(file: ExposureFile, hit: ExposureHit, lines: string[]): Finding {
  const text = lines[hit.line - 1] ?? "";
  return {
    ruleId: hit.id,
    category: hit.category,
    severity: hit.severity,
    path: file.path,
    line: hit.line,
    endLine: hit.line,
    column: 1,
    endColumn: text.length + 1,
    title: hit.title,
    message: hit.message,
    fix: hit.fix,
    cwe: hit.cwe,
    fingerprint: fingerprint(hit.id, file.path, hit.snippet),
    suppressed: false,
    snippet: hit.snippet,
  };
}

/** The exposure findings of one file, on added lines only. */
export function scanExposure(file: ExposureFile): Finding[] {
  const lines = file.content.split("\n");
  const hits: ExposureHit[] = [];
  if (ENV_FILE.test(file.path)) hits.push(...envFileHits(file, lines));
  else {
    hits.push(...codeHits(file, lines));
    hits.push(...permissiveRules(file.path, file.content, lines).filter((h) => isAdded(file.added, h.line)));
  }
  const seen = new Set<string>();
  return hits
    .filter((h) => {
      const key = `${h.id}@${h.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((h) => toFinding(file, h, lines));
}

/**
 * Why a secret found on this line reaches the browser, if it does: the line sets a variable with a
 * public build prefix in a .env file, or the file itself runs in the browser.
 */
export function browserExposureOf(path: string, content: string, line: number): string | undefined {
  const text = content.split("\n")[line - 1] ?? "";
  if (ENV_FILE.test(path)) {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(text)?.[1];
    return name && PUBLIC_PREFIX.test(name) ? `\`${name}\` has a public build prefix, so the value is inlined into the client bundle and exposed to the browser.` : undefined;
  }
  if (!isClientFile(path, content)) return undefined;
  if (/(^|\/)pages\//.test(path) && serverOnlyRanges(content).some(([a, b]) => a <= line && line <= b)) return undefined;
  return "This file runs in the browser, so the secret is exposed to the browser of every visitor.";
}
