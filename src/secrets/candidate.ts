import type { Severity } from "../findings.js";

/** A detected secret before it becomes a Finding. Offsets are into the file content. */
export interface Candidate {
  /** Pattern id, without the "secrets/" prefix. */
  id: string;
  provider: string;
  description: string;
  secret: string;
  /** Offset of the secret's first character. */
  start: number;
  /** Offset just past the secret (for multi-line secrets, past the last line of the block). */
  end: number;
  severity: Severity;
  revokeUrl?: string;
  /** Higher wins when two candidates overlap. */
  priority: number;
  /** A vendor's documented example key. */
  example?: boolean;
  /** Extra sentence for the message (e.g. "paired with a secret access key on line 4"). */
  note?: string;
  /** Value a test path may keep (random-looking generic values, provider tokens). */
  strong: boolean;
}

export const PRIORITY = {
  provider: 100,
  privateKey: 90,
  awsPair: 95,
  jwt: 60,
  url: 50,
  bearer: 40,
  extra: 110,
  generic: 10,
} as const;
