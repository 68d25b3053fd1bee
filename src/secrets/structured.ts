// Secrets inside structured files whose values are encoded or keyed by something other than a
// secret-like name: Kubernetes Secret manifests (`data:` values are base64 and are decoded
// before they are judged; `stringData:` values are plain).
import { PRIORITY, type Candidate } from "./candidate.js";
import { randomness } from "./entropy.js";
import { classifyName } from "./generic.js";
import { isKnownNonSecret, isPlaceholder, isReference } from "./nonsecrets.js";
import { isPasswordLiteral } from "./providers/credentials.js";

const KIND_SECRET = /^kind:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/m;
const BLOCK = /^([ \t]*)(data|stringData):[ \t]*$/gm;
const ENTRY = /^([ \t]+)["']?([\w.\-]{1,253})["']?:[ \t]*(.*)$/;

function decodeBase64(v: string): string | null {
  if (v.length < 4 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return null;
  const text = Buffer.from(v, "base64").toString("utf8");
  // printable text only (a binary keystore is still a secret, but cannot be judged here)
  if (!/^[\x09\x0a\x0d\x20-\x7e]+$/.test(text)) return null;
  return text;
}

/** Is this (decoded) value of Secret entry `key` a credential? Returns a description or null. */
function judge(key: string, value: string): { description: string; severity: Candidate["severity"] } | null {
  const v = value.replace(/\r?\n$/, "");
  if (/-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/.test(v)) return { description: "private key (base64 in a Kubernetes Secret)", severity: "critical" };
  if (/-----BEGIN CERTIFICATE-----|-----BEGIN PUBLIC KEY-----/.test(v)) return null;
  if (/"auths"\s*:/.test(v) && /"(?:auth|password|identitytoken)"\s*:\s*"[^"]{8,}"/.test(v)) return { description: "registry credentials (.dockerconfigjson)", severity: "high" };
  if (/\s/.test(v) || v.length > 512) return null; // configuration files, certificates
  if (isPlaceholder(v) || isReference(v) || isKnownNonSecret(v)) return null;
  const kind = classifyName(key);
  const random = randomness(v, 12).random;
  if (kind === "password") return isPasswordLiteral(v) && !/^[A-Za-z]+$/.test(v) ? { description: "password in a Kubernetes Secret", severity: "high" } : null;
  if (kind !== null) return random || (v.length >= 12 && isPasswordLiteral(v) && /\d/.test(v) && /[A-Za-z]/.test(v)) ? { description: "credential in a Kubernetes Secret", severity: "high" } : null;
  return random && v.length >= 16 ? { description: "random value in a Kubernetes Secret", severity: "medium" } : null;
}

/** Candidates from every `kind: Secret` YAML document in the text. */
export function kubernetesSecretCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  // documents: split on `---` lines, keeping offsets
  const docStarts = [0];
  for (const m of text.matchAll(/^---[ \t]*$/gm)) docStarts.push(m.index! + m[0].length);
  for (let d = 0; d < docStarts.length && out.length < 200; d++) {
    const from = docStarts[d]!;
    const to = d + 1 < docStarts.length ? docStarts[d + 1]! : text.length;
    const doc = text.slice(from, to);
    if (!KIND_SECRET.test(doc)) continue;
    BLOCK.lastIndex = 0;
    let b: RegExpExecArray | null;
    while ((b = BLOCK.exec(doc)) !== null) {
      const indent = b[1]!.length;
      const encoded = b[2] === "data";
      let pos = b.index + b[0].length + 1;
      while (pos < doc.length) {
        let end = doc.indexOf("\n", pos);
        if (end < 0) end = doc.length;
        const line = doc.slice(pos, end).replace(/\r$/, "");
        if (line.trim() === "" || line.trim().startsWith("#")) {
          pos = end + 1;
          continue;
        }
        const e = ENTRY.exec(line);
        if (!e || e[1]!.length <= indent) break;
        const key = e[2]!;
        let raw = e[3]!.replace(/[ \t]+#.*$/, "").trim();
        const quoted = /^(["']).*\1$/.test(raw);
        if (quoted) raw = raw.slice(1, -1);
        if (raw.length > 0 && raw !== "|" && raw !== ">" && !/^[|>][-+]?$/.test(raw)) {
          const value = encoded ? decodeBase64(raw) : raw;
          const verdict = value !== null ? judge(key, value) : null;
          if (verdict) {
            const start = from + pos + line.indexOf(raw, e[1]!.length + key.length);
            out.push({
              id: "kubernetes-secret",
              provider: "Kubernetes",
              description: verdict.description,
              secret: raw,
              start,
              end: start + raw.length,
              severity: verdict.severity,
              priority: PRIORITY.url,
              strong: true,
            });
          }
        }
        pos = end + 1;
      }
    }
  }
  return out;
}

const CLIENT_SECRET_NAME = /(?:client|consumer|app(?:lication)?|oauth)[_.\- ]?secret/i;
const CLIENT_ID = /(?<![A-Za-z0-9])["']?[A-Za-z0-9_.\-]{0,40}?(?:client|consumer|app(?:lication)?|oauth)[_.\- ]?(?:id|key)(?![A-Za-z0-9])["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?(?<value>[A-Za-z0-9._~\-]{8,128})["']?/i;

/**
 * An OAuth app's client ID beside its reported client secret: the pair is the credential, so
 * the ID line is reported too (medium), within three lines of the secret.
 */
export function pairClientIds(text: string, starts: Int32Array, lineOf: (offset: number) => number, candidates: Candidate[]): void {
  const secrets = candidates.filter((c) => c.id !== "oauth-client-id" && c.id !== "private-key");
  if (secrets.length === 0 || secrets.length > 200) return;
  const lineText = (l: number): string => {
    const s = starts[l]!;
    const e = l + 1 < starts.length ? starts[l + 1]! - 1 : text.length;
    return text.slice(s, Math.min(e, s + 400));
  };
  const taken = new Set(candidates.map((c) => lineOf(c.start)));
  for (const c of secrets) {
    const line = lineOf(c.start);
    if (!CLIENT_SECRET_NAME.test(lineText(line))) continue;
    for (let l = Math.max(0, line - 3); l <= Math.min(starts.length - 1, line + 3); l++) {
      if (l === line || taken.has(l)) continue;
      const t = lineText(l);
      const m = CLIENT_ID.exec(t);
      if (!m || CLIENT_SECRET_NAME.test(t)) continue;
      const v = m.groups!.value!;
      if (isPlaceholder(v) || isReference(v) || /^(?:true|false|null|none)$/i.test(v) || (/^\d+$/.test(v) && v.length < 10)) continue;
      const start = starts[l]! + m.index + m[0].lastIndexOf(v);
      taken.add(l);
      candidates.push({
        id: "oauth-client-id",
        provider: c.provider === "Generic" ? "OAuth app" : c.provider,
        description: "OAuth client ID paired with a client secret",
        secret: v,
        start,
        end: start + v.length,
        severity: "medium",
        priority: PRIORITY.generic + 1,
        note: `It is the client ID paired with the client secret on line ${line + 1}; rotate the secret.`,
        strong: true,
      });
    }
  }
}

/** `.pgpass` / `pgpass.conf`: `host:port:database:user:password` per line. */
export function pgpassCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  let pos = 0;
  while (pos < text.length && out.length < 200) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end).replace(/\r$/, "");
    const m = /^[^#:\s][^:]*:(?:\d+|\*):[^:]*:(?:[^:\\]|\\.)*:(.+)$/.exec(line);
    if (m && isPasswordLiteral(m[1]!) && !isReference(m[1]!)) {
      const start = pos + line.length - m[1]!.length;
      out.push({ id: "pgpass-password", provider: "PostgreSQL", description: "password in a .pgpass file", secret: m[1]!, start, end: start + m[1]!.length, severity: "high", priority: PRIORITY.url, strong: true });
    }
    pos = end + 1;
  }
  return out;
}
