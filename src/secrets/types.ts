// Provider patterns are data: one object per token format, with true and near-miss samples
// kept beside it so the generic test can prove every pattern both matches and rejects.
import type { Severity } from "../findings.js";

export interface ProviderPattern {
  /** Stable id, kebab-case, e.g. "github-classic-pat". Used as the finding's ruleId suffix. */
  id: string;
  /** Human name of the provider, e.g. "GitHub". */
  provider: string;
  /** What kind of credential, e.g. "personal access token". */
  description: string;
  /**
   * The token format. Must be linear-time safe (no nested quantifiers over overlapping classes,
   * bounded repetitions). Use a capture group named `secret` when the match contains context
   * (e.g. `aws_secret_access_key = ...`) so that only the secret itself is redacted and scored.
   * Flags: the scanner compiles with "g" plus `flags` if given (e.g. "i").
   */
  regex: string;
  flags?: string;
  /**
   * Lower-case literal keywords, at least one of which must occur in the text (case-insensitive)
   * for the regex to be tried. Choose strings every true match contains (usually the prefix).
   */
  keywords: string[];
  severity: Severity;
  /** Minimum Shannon entropy (bits per char) of the secret part; for formats too loose alone. */
  minEntropy?: number;
  /** Extra validation beyond the regex; return false to reject. */
  validate?: (secret: string) => boolean;
  /**
   * A checksum the real format carries (GitHub's and npm's CRC32). A token that fails it is still
   * reported, at low, with a note: it is most likely made up, but a made-up value in a real
   * token's format is worth a look, and the scanner must not miss tokens whose format changed.
   */
  checksum?: (secret: string) => boolean;
  /** Page where the credential can be revoked or rotated. */
  revokeUrl?: string;
  /** Synthetic strings that must be reported (built from the documented format, never real keys). */
  samples: string[];
  /** Look-alikes that must not be reported: wrong length, wrong prefix, placeholders. */
  negatives: string[];
}
