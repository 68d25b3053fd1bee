// Redaction: a secret is never shown in full. The redacted form names the provider, keeps a
// short prefix, the length and the secret fingerprint, so people can match it to their vault.
import { secretFingerprint } from "../fingerprint.js";

/** How many leading characters may be shown: 4, fewer for short secrets (never more than a third). */
export function visiblePrefixLength(length: number): number {
  return Math.max(0, Math.min(4, Math.floor(length / 3)));
}

/**
 * The redacted form of a secret, e.g. `[REDACTED github-classic-pat "ghp_…" 40 chars fp:1a2b3c4d5e6f7a8b]`.
 * Safe to log. `label` is usually the pattern id or provider name.
 */
export function redactSecret(secret: string, label = "secret"): string {
  const prefix = secret.slice(0, visiblePrefixLength(secret.length)).replace(/[\r\n]/g, " ");
  return `[REDACTED ${label} "${prefix}…" ${secret.length} chars fp:${secretFingerprint(secret)}]`;
}

/** Replace every occurrence of each secret in `text` with its redacted form. */
export function redactText(text: string, secrets: readonly { value: string; label?: string }[]): string {
  let out = text;
  for (const { value, label } of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    if (value.length === 0) continue;
    out = out.split(value).join(redactSecret(value, label));
  }
  return out;
}
