// Shannon entropy and "does this look like a random credential" scoring per character set.

export type Charset = "hex" | "base64" | "alnum" | "other";

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

export function charsetOf(s: string): Charset {
  if (/^[0-9a-fA-F]+$/.test(s)) return "hex";
  if (/^[A-Za-z0-9]+$/.test(s)) return "alnum";
  if (/^[A-Za-z0-9+/_\-]+=*$/.test(s)) return "base64";
  return "other";
}

export interface Randomness {
  charset: Charset;
  entropy: number;
  /** Entropy as a fraction of what a random string of this length and charset would reach. */
  ratio: number;
  random: boolean;
}

const ALPHABET: Record<Charset, number> = { hex: 16, alnum: 62, base64: 64, other: 90 };

/** Average length of camelCase / word segments; long segments mean English-like identifiers. */
function wordiness(s: string): number {
  const segs = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g);
  if (!segs || segs.length === 0) return 0;
  let letters = 0;
  for (const seg of segs) letters += seg.length;
  return letters / segs.length;
}

/**
 * Scores a candidate value. `minLength` defaults to 16 (20 for hex). A value is "random" when its
 * entropy is close to that of a random string of the same length and charset, it mixes character
 * classes, and it does not read as words.
 */
export function randomness(value: string, minLength = 16): Randomness {
  const charset = charsetOf(value);
  const entropy = shannonEntropy(value);
  const n = value.length;
  const ideal = Math.min(Math.log2(ALPHABET[charset]), Math.log2(Math.max(n, 2)));
  const ratio = entropy / ideal;
  let random = false;
  const hasDigit = /[0-9]/.test(value);
  const hasLower = /[a-z]/.test(value);
  const hasUpper = /[A-Z]/.test(value);
  const hasSpace = /\s/.test(value);
  if (!hasSpace) {
    if (charset === "hex") {
      random = n >= Math.max(minLength, 20) && hasDigit && /[a-fA-F]/.test(value) && entropy >= 3.0 && ratio >= 0.78;
    } else {
      const classes = (hasDigit ? 1 : 0) + (hasLower ? 1 : 0) + (hasUpper ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
      const mixed = hasDigit ? classes >= 2 : classes >= 2 && hasUpper && hasLower && n >= 24;
      const wordy = wordiness(value) >= 4.5;
      random = n >= minLength && mixed && !wordy && ratio >= 0.8 && entropy >= 3.2;
    }
  }
  return { charset, entropy, ratio, random };
}
