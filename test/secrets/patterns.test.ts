// The generic provider-pattern test: every pattern in every family file proves it matches its
// samples and rejects its negatives through the real scanner, with a linear-safe regex shape.
import { describe, expect, it } from "vitest";
import { scanSecrets } from "../../src/secrets/index.js";
import { PROVIDER_PATTERNS } from "../../src/secrets/providers/index.js";
import { lintRegex } from "../../src/secrets/regexlint.js";
import { compilePatternRegex } from "../../src/secrets/scanner.js";

const reported = (content: string, id: string): boolean =>
  scanSecrets({ path: "config/sample.txt", content, added: "all" }).some((f) => f.ruleId === `secrets/${id}`);

describe("provider pattern registry", () => {
  it("has unique kebab-case ids", () => {
    const seen = new Map<string, number>();
    for (const p of PROVIDER_PATTERNS) seen.set(p.id, (seen.get(p.id) ?? 0) + 1);
    const dupes = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    expect(dupes).toEqual([]);
    for (const p of PROVIDER_PATTERNS) expect(p.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it("does not reuse the scanner's own generic rule ids", () => {
    const ids = new Set(PROVIDER_PATTERNS.map((p) => p.id));
    expect(ids.has("generic-assignment")).toBe(false);
    expect(ids.has("hardcoded-password")).toBe(false);
  });

  it("has at least the core patterns", () => {
    const ids = new Set(PROVIDER_PATTERNS.map((p) => p.id));
    for (const id of ["aws-access-key-id", "aws-secret-access-key", "private-key", "jwt", "database-url", "url-basic-auth"]) expect(ids).toContain(id);
  });
});

describe.each(PROVIDER_PATTERNS.map((p) => [p.id, p] as const))("pattern %s", (_id, p) => {
  it("compiles with the scanner's flags", () => {
    expect(() => compilePatternRegex(p.regex, p.flags)).not.toThrow();
  });

  it("has no catastrophic regex shape", () => {
    expect(lintRegex(p.regex)).toEqual([]);
  });

  it("has lower-case ASCII keywords, one of which occurs in every sample", () => {
    expect(p.keywords.length).toBeGreaterThan(0);
    for (const k of p.keywords) {
      expect(k).toBe(k.toLowerCase());
      expect(k).toMatch(/^[\x20-\x7e]+$/);
    }
    for (const s of p.samples) expect(p.keywords.some((k) => s.toLowerCase().includes(k))).toBe(true);
  });

  it("has samples and negatives", () => {
    expect(p.samples.length).toBeGreaterThan(0);
    expect(p.negatives.length).toBeGreaterThan(0);
  });

  it("reports every sample", () => {
    const missed = p.samples.filter((s) => !reported(s, p.id));
    expect(missed).toEqual([]);
  });

  it("redacts what it reports for every sample", () => {
    for (const s of p.samples) {
      const findings = scanSecrets({ path: "config/sample.txt", content: s, added: "all" }).filter((f) => f.ruleId === `secrets/${p.id}`);
      for (const f of findings) expect(f.snippet).toContain("[REDACTED");
      // a bare token sample must not survive anywhere in the findings
      if (!/[\s=:"'{]/.test(s)) expect(JSON.stringify(findings)).not.toContain(s);
    }
  });

  it("does not report any negative", () => {
    const flagged = p.negatives.filter((s) => reported(s, p.id));
    expect(flagged).toEqual([]);
  });
});
