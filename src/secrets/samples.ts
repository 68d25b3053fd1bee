// Helpers for building SYNTHETIC token samples at runtime, so that no complete token literal
// sits in the repository (push protection and other scanners would flag it). Deterministic:
// the same arguments always give the same string.

export const CHARSETS = {
  digits: "0123456789",
  hexLower: "0123456789abcdef",
  hexUpper: "0123456789ABCDEF",
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  lowerAlnum: "abcdefghijklmnopqrstuvwxyz0123456789",
  upperAlnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  alnum: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  base64: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  base64url: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  base32: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
} as const;

export type CharsetName = keyof typeof CHARSETS;

/**
 * A pseudo-random string of `length` characters from `charset` (a CHARSETS name or the
 * characters themselves), seeded so samples are stable. Looks random (high entropy).
 */
export function synth(charset: CharsetName | string, length: number, seed = 1): string {
  const chars = charset in CHARSETS ? CHARSETS[charset as CharsetName] : charset;
  // xorshift32 over a seed mixed with the length and charset size
  let x = (seed * 2654435761 + length * 40503 + chars.length * 97) >>> 0 || 1;
  let out = "";
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += chars[x % chars.length];
  }
  return out;
}

/** Join parts: `tok("gh", "p_", synth("alnum", 36))`, so a full token never appears as one literal. */
export function tok(...parts: string[]): string {
  return parts.join("");
}

/**
 * `length` pseudo-random characters of `alphabet`, fixed per seed string (FNV-1a of the seed,
 * then mulberry32): random-looking, high-entropy and reproducible.
 */
export function seededChars(seed: string, length: number, alphabet: string): string {
  let a = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    a ^= seed.charCodeAt(i);
    a = Math.imul(a, 0x01000193) >>> 0;
  }
  a ||= 1;
  let out = "";
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += alphabet.charAt(Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * alphabet.length));
  }
  return out;
}
