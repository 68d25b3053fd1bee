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

/**
 * Expected Shannon entropy of a uniformly random string of length n over k symbols, with the
 * Miller-Madow small-sample correction (a random 16-char alphanumeric string measures ~3.8 bits,
 * not log2(62) = 5.95).
 */
export function expectedEntropy(n: number, k: number): number {
  if (n <= 1) return 0;
  return n >= k ? Math.log2(k) - (k - 1) / (2 * n * Math.LN2) : Math.log2(n) - (n - 1) / (2 * k * Math.LN2);
}

/** Size of the alphabet the value draws from: the character classes it uses. */
function effectiveAlphabet(s: string): number {
  let k = 0;
  if (/[a-z]/.test(s)) k += 26;
  if (/[A-Z]/.test(s)) k += 26;
  if (/[0-9]/.test(s)) k += 10;
  if (/[^A-Za-z0-9+/=_\-]/.test(s)) k += 32;
  else if (/[+/_\-]/.test(s)) k += 2;
  return Math.max(k, 2);
}

function avgCamelSegment(s: string): number {
  const segs = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g);
  if (!segs) return 0;
  return segs.join("").length / segs.length;
}

/** Reads as words (camelCase or run-together English): long letter segments with many vowels. */
function isWordy(s: string): boolean {
  const segs = s.match(/[A-Z]?[a-z]{2,}/g);
  if (!segs || segs.length < 2) return false;
  const letters = segs.join("");
  const vowels = (letters.match(/[aeiouAEIOU]/g) ?? []).length;
  return letters.length / s.length >= 0.85 && letters.length / segs.length >= 4.5 && vowels / letters.length >= 0.3;
}

/**
 * Scores a candidate value. `minLength` defaults to 16 (20 for hex). A value is "random" when its
 * entropy is close to that of a random string of the same length and charset, it mixes character
 * classes, and it does not read as words.
 */
export function randomness(value: string, minLength = 16): Randomness {
  // a short label before the random part (sk-<hex>, key_<hex>, 0x<hex>): score the random part
  const labelled = /^(?:0x|[A-Za-z][A-Za-z0-9]{0,9}(?:[-_][A-Za-z0-9]{1,10}){0,2}[-_])([0-9a-fA-F]{20,}|[A-Za-z0-9]{20,})$/.exec(value);
  if (labelled && labelled[1]!.length >= minLength) {
    const r = scoreRandomness(labelled[1]!, minLength);
    if (r.random) return { ...r, charset: charsetOf(value) };
  }
  // grouped keys (ABCD-EF12-...) and dotted tokens: score the characters, not the separators
  if (/^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+$/.test(value)) {
    const bare = value.replace(/[-_.]/g, "");
    if (bare.length >= minLength) {
      const r = scoreRandomness(bare, minLength);
      return { ...r, charset: charsetOf(value) };
    }
  }
  return scoreRandomness(value, minLength);
}

function scoreRandomness(value: string, minLength: number): Randomness {
  const charset = charsetOf(value);
  const entropy = shannonEntropy(value);
  const n = value.length;
  const k = charset === "hex" ? 16 : effectiveAlphabet(value.replace(/=+$/, ""));
  const ratio = entropy / Math.max(expectedEntropy(n, k), 1);
  let random = false;
  const hasDigit = /[0-9]/.test(value);
  const hasLower = /[a-z]/.test(value);
  const hasUpper = /[A-Z]/.test(value);
  const hasSpace = /\s/.test(value);
  if (!hasSpace) {
    if (charset === "hex") {
      random = n >= Math.max(minLength, 20) && hasDigit && /[a-fA-F]/.test(value) && entropy >= 3.0 && ratio >= 0.85;
    } else {
      const classes = (hasDigit ? 1 : 0) + (hasLower ? 1 : 0) + (hasUpper ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
      // without digits only mixed case with short camel segments (random, not CamelCaseWords)
      const mixed = hasDigit ? classes >= 2 : hasUpper && hasLower && (n >= 24 || avgCamelSegment(value) < 2.5);
      const wordy = isWordy(value);
      random = n >= minLength && mixed && !wordy && ratio >= 0.85 && entropy >= 3.2;
    }
  }
  return { charset, entropy, ratio, random };
}
