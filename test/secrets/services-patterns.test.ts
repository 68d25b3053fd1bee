// Self-check of the service provider patterns, independent of the scanner: every sample matches
// (and its secret is a whole token), every negative is rejected by the regex, the entropy floor or
// the validator, keywords occur in every sample, ids are unique and the regexes stay fast.
import { describe, expect, it } from "vitest";
import { servicePatterns } from "../../src/secrets/providers/services.js";
import type { ProviderPattern } from "../../src/secrets/types.js";

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

interface Hit {
  secret: string;
  start: number;
  end: number;
}

/** Matches the scanner would report: regex hit, then entropy floor, then validator. */
function hits(pattern: ProviderPattern, text: string): Hit[] {
  const re = new RegExp(pattern.regex, `g${pattern.flags ?? ""}`);
  const out: Hit[] = [];
  for (const m of text.matchAll(re)) {
    const secret = m.groups?.["secret"] ?? m[0];
    const start = (m.index ?? 0) + (m.groups?.["secret"] !== undefined ? m[0].indexOf(secret) : 0);
    if (pattern.minEntropy !== undefined && entropy(secret) < pattern.minEntropy) continue;
    if (pattern.validate && !pattern.validate(secret)) continue;
    out.push({ secret, start, end: start + secret.length });
  }
  return out;
}

describe("service provider patterns", () => {
  it("has enough patterns and providers", () => {
    expect(servicePatterns.length).toBeGreaterThanOrEqual(140);
    expect(new Set(servicePatterns.map((p) => p.provider)).size).toBeGreaterThanOrEqual(120);
  });

  it("has unique kebab-case ids", () => {
    const ids = servicePatterns.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it("has lower-case keywords, samples and negatives", () => {
    for (const p of servicePatterns) {
      expect(p.keywords.length, p.id).toBeGreaterThan(0);
      for (const k of p.keywords) expect(k, p.id).toBe(k.toLowerCase());
      expect(p.samples.length, p.id).toBeGreaterThan(0);
      expect(p.negatives.length, p.id).toBeGreaterThan(0);
      expect(p.description.length, p.id).toBeGreaterThan(0);
    }
  });

  for (const p of servicePatterns) {
    describe(p.id, () => {
      it("matches every sample as a whole token", () => {
        for (const sample of p.samples) {
          expect(
            p.keywords.some((k) => sample.toLowerCase().includes(k)),
            `${p.id}: no keyword in ${sample}`,
          ).toBe(true);
          const found = hits(p, sample);
          expect(found.length, `${p.id} should match ${sample}`).toBeGreaterThan(0);
          for (const h of found) {
            const before = sample.charAt(h.start - 1);
            const after = sample.charAt(h.end);
            // The secret is never a fragment of a longer run of alphanumerics.
            // Telegram tokens sit right after "bot" in Bot API URLs; that pattern only guards digits.
            const leftOk = p.id === "telegram-bot-token" ? !/[0-9]/.test(before) : !/[A-Za-z0-9]/.test(before);
            expect(leftOk, `${p.id}: left edge in ${sample}`).toBe(true);
            expect(/[A-Za-z0-9]/.test(after), `${p.id}: right edge in ${sample}`).toBe(false);
            if (p.minEntropy !== undefined) expect(entropy(h.secret)).toBeGreaterThanOrEqual(p.minEntropy);
          }
          // A bare token sample is matched whole.
          if (!/[\s"'=:(,]/.test(sample) && !sample.startsWith("https://")) {
            expect(found[0]?.secret, `${p.id}: whole sample`).toBe(sample);
          }
        }
      });

      it("rejects every negative", () => {
        for (const negative of p.negatives) {
          expect(hits(p, negative), `${p.id} should not match ${negative}`).toEqual([]);
        }
      });
    });
  }

  it("reports each sample under its own pattern only, span for span", () => {
    const clashes: string[] = [];
    for (const p of servicePatterns) {
      for (const sample of p.samples) {
        const mine = hits(p, sample).map((h) => `${h.start}:${h.end}`);
        for (const q of servicePatterns) {
          if (q === p) continue;
          for (const h of hits(q, sample)) {
            if (mine.includes(`${h.start}:${h.end}`)) clashes.push(`${p.id} sample also reported by ${q.id}`);
          }
        }
      }
    }
    expect(clashes).toEqual([]);
  });

  it("runs in linear time on adversarial input", () => {
    const chunks = [
      "a".repeat(20_000),
      "A".repeat(20_000),
      "0".repeat(20_000),
      "sk_live_".repeat(2_000),
      "xoxb-1234567890-".repeat(1_000),
      "mailjet_key_".repeat(1_000),
      `twilio SK${"a".repeat(32)} `.repeat(500),
      `AC${"0".repeat(32)} `.repeat(500),
      "-".repeat(20_000),
      "https://hooks.slack.com/services/T".repeat(500),
      "ably ".repeat(3_000),
      "=".repeat(20_000),
    ];
    for (const p of servicePatterns) {
      const re = new RegExp(p.regex, `g${p.flags ?? ""}`);
      for (const text of chunks) {
        const t0 = performance.now();
        for (const _ of text.matchAll(re)) void _;
        const ms = performance.now() - t0;
        expect(ms, `${p.id} on ${text.slice(0, 20)}...`).toBeLessThan(250);
      }
    }
  });
});
