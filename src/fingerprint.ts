// Fingerprints identify a finding across pushes: they must not change when unrelated lines
// above it move, so they hash the rule, the path and the normalised flagged code, never a line number.
import { createHash } from "node:crypto";

/** Collapse whitespace so re-indenting or reformatting spacing keeps the fingerprint. */
export function normalizeCode(code: string): string {
  return code.replace(/\s+/g, " ").trim();
}

/**
 * @param occurrence the n-th identical flagged code in the same file for the same rule (0-based),
 *   so two identical flaws in one file get distinct fingerprints.
 */
export function fingerprint(ruleId: string, path: string, code: string, occurrence = 0): string {
  const h = createHash("sha256");
  h.update(ruleId);
  h.update("\0");
  h.update(path);
  h.update("\0");
  h.update(normalizeCode(code));
  if (occurrence > 0) h.update(`\0${occurrence}`);
  return h.digest("hex").slice(0, 32);
}

/** A short, non-reversible id for a secret value, shown in place of the value. */
export function secretFingerprint(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}
