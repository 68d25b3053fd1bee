import { describe, expect, it } from "vitest";
import { badChecksum, checksummed40, platformPatterns } from "../../src/secrets/providers/platforms.js";
import { scanSecrets } from "../../src/secrets/index.js";
import type { ProviderPattern } from "../../src/secrets/types.js";

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const k of counts.values()) {
    const p = k / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Secrets the pattern would report in `text`: regex match, then entropy floor, then validate. */
function reported(p: ProviderPattern, text: string): string[] {
  const lower = text.toLowerCase();
  if (!p.keywords.some((k) => lower.includes(k))) return [];
  const re = new RegExp(p.regex, "g" + (p.flags ?? ""));
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const secret = m.groups?.["secret"] ?? m[0];
    if (p.minEntropy !== undefined && entropy(secret) < p.minEntropy) continue;
    if (p.validate && !p.validate(secret)) continue;
    // a broken checksum is still reported (at medium) when the value looks random, as the scanner does
    if (p.checksum && !p.checksum(secret) && entropy(secret) < 4) continue;
    out.push(secret);
  }
  return out;
}

describe("platform provider patterns", () => {
  it("has unique kebab-case ids and enough coverage", () => {
    const ids = platformPatterns.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    const providers = new Set(platformPatterns.map((p) => p.provider));
    console.log(`platform patterns: ${ids.length}, providers: ${providers.size}`);
  });

  for (const p of platformPatterns) {
    describe(p.id, () => {
      it("is well formed", () => {
        expect(p.samples.length).toBeGreaterThan(0);
        expect(p.negatives.length).toBeGreaterThan(0);
        expect(p.keywords.length).toBeGreaterThan(0);
        for (const k of p.keywords) expect(k).toBe(k.toLowerCase());
        expect(() => new RegExp(p.regex, "g" + (p.flags ?? ""))).not.toThrow();
        // a pattern that can match the empty string would loop the scanner
        expect(new RegExp(p.regex, p.flags ?? "").test("")).toBe(false);
      });

      it("reports every sample, whole token only", () => {
        for (const s of p.samples) {
          const lower = s.toLowerCase();
          expect(p.keywords.some((k) => lower.includes(k)), `keyword in ${s}`).toBe(true);
          const found = reported(p, s);
          expect(found.length, `${p.id} should report ${s}`).toBe(1);
          const secret = found[0] as string;
          expect(secret.length).toBeGreaterThanOrEqual(8);
          // the secret is the token itself: the sample ends with it, or it is followed by a quote
          expect(s.includes(secret)).toBe(true);
          // the token is not a prefix of a longer run of token characters
          const after = s.slice(s.indexOf(secret) + secret.length);
          expect(/^[A-Za-z0-9]/.test(after), `${p.id}: match cut short in ${s}`).toBe(false);
        }
      });

      it("rejects every negative", () => {
        for (const n of p.negatives) expect(reported(p, n), `${p.id} should not report ${n}`).toEqual([]);
      });

      it("is reported by the scanner under its own id", () => {
        for (const s of p.samples) {
          const ids = scanSecrets({ path: "config/settings.env", content: s + "\n", added: "all" }).map((f) => f.ruleId);
          expect(ids, `${p.id}: ${s}`).toContain(`secrets/${p.id}`);
        }
        for (const n of p.negatives) {
          const ids = scanSecrets({ path: "config/settings.env", content: n + "\n", added: "all" }).map((f) => f.ruleId);
          expect(ids, `${p.id} negative: ${n}`).not.toContain(`secrets/${p.id}`);
        }
      });

      it("keeps samples random-looking (no placeholder words)", () => {
        for (const s of p.samples) {
          const secret = reported(p, s)[0] ?? "";
          expect(/(xxxx|example|1234567890|abcdef1234|dummy|sample)/i.test(secret), secret).toBe(false);
        }
      });
    });
  }

  it("reports a token with a broken checksum at low, with a note", () => {
    for (const prefix of ["ghp_", "gho_", "ghu_", "ghs_", "npm_"]) {
      const bad = badChecksum(prefix, `cs-${prefix}`);
      const f = scanSecrets({ path: ".env", content: `TOKEN_VALUE=${bad}\n`, added: "all" }).filter((x) => x.ruleId !== "secrets/generic-assignment");
      expect(f.length, prefix).toBe(1);
      expect(f[0]!.severity).toBe("low");
      expect(f[0]!.message).toMatch(/checksum does not match/);
    }
  });

  it("checksummed40 rejects a broken checksum", () => {
    const p = platformPatterns.find((x) => x.id === "github-classic-pat");
    const good = p?.samples[0] ?? "";
    expect(checksummed40(good)).toBe(true);
    const bad = good.slice(0, -1) + (good.endsWith("A") ? "B" : "A");
    expect(checksummed40(bad)).toBe(false);
  });

  it("runs in linear time on long near-miss input", () => {
    const long = "a".repeat(20_000) + " key = " + "b".repeat(20_000) + " glpat-" + "c".repeat(5000);
    const t0 = Date.now();
    for (const p of platformPatterns) {
      const re = new RegExp(p.regex, "g" + (p.flags ?? ""));
      for (const _ of long.matchAll(re)) void _;
    }
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
