// The accuracy set's own value generator (sfc32 seeded from a string hash), independent of the
// pattern samples' generator in src/secrets/samples.ts. Values follow a format template:
//   {d:N} digits   {h:N} hex   {H:N} HEX   {a:N} base62   {l:N} a-z0-9   {u:N} A-Z0-9   {L:N} a-z
//   {A:N} A-Z      {b:N} base64   {B:N} base64url   {c:N} base32 (A-Z2-7)   {5:N} base58   {8:N} bech32 (upper)   {U} uuid
//   {D:N} digits without a leading zero
const SETS: Record<string, string> = {
  d: "0123456789",
  D: "0123456789",
  h: "0123456789abcdef",
  H: "0123456789ABCDEF",
  a: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  l: "abcdefghijklmnopqrstuvwxyz0123456789",
  u: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  L: "abcdefghijklmnopqrstuvwxyz",
  A: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  b: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  B: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
  c: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
  "5": "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
  "8": "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
};

export class Rng {
  private s: Uint32Array;
  constructor(seed: string) {
    let h = 1779033703 ^ seed.length;
    for (let i = 0; i < seed.length; i++) {
      h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = (): number => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    this.s = Uint32Array.from([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = ((s[2]! << 21) | (s[2]! >>> 11)) >>> 0;
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.u32() % list.length]!;
  }
  chars(set: string, n: number): string {
    let out = "";
    for (let i = 0; i < n; i++) out += set[this.u32() % set.length];
    return out;
  }
  uuid(): string {
    const h = this.chars(SETS.h!, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[this.u32() % 4]}${h.slice(17, 20)}-${h.slice(20)}`;
  }
  /** A value in the template's format. */
  fmt(template: string): string {
    return template.replace(/\{([A-Za-z58])(?::(\d+))?\}/g, (_m, k: string, n?: string) => {
      if (k === "U") return this.uuid();
      const len = Number(n ?? 1);
      if (k === "D") return this.chars("123456789", 1) + this.chars(SETS.d!, len - 1);
      const set = SETS[k];
      if (!set) throw new Error(`unknown class ${k}`);
      return this.chars(set, len);
    });
  }
}

export const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
export const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");
