// The generic rule test: every rule runs against every annotated fixture; each `expect:` line
// must be flagged by that rule, each `safe:` line must not, and no rule may flag an unannotated
// line of a fixture. A rule without at least two flagged and two safe cases fails the run.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { loadRules } from "../../src/engine/load-rules.js";
import { loadFixtures } from "./fixtures.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/rules");
const loaded = loadRules();
const engine = createEngine(loaded);
const fixtures = loadFixtures(FIXTURES);
// Removed-safeguard rules compare two versions of a file; test/safeguards/ covers them.
const ruleIds = new Set(loaded.rules.filter((r) => !r.definition.safeguard).map((r) => r.definition.id));

describe("rule fixtures", () => {
  it("loads at least one rule and one fixture", () => {
    expect(loaded.rules.length).toBeGreaterThan(0);
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const fixture of fixtures) {
    it(fixture.path, () => {
      const findings = engine.scan({ path: fixture.path, content: fixture.content, added: "all" });
      const flagged = new Set(findings.map((f) => `${f.ruleId}@${f.line}`));
      const problems: string[] = [];
      for (const a of fixture.annotations) {
        if (!ruleIds.has(a.ruleId)) {
          problems.push(`line ${a.commentLine}: unknown rule id "${a.ruleId}"`);
          continue;
        }
        const hit = flagged.has(`${a.ruleId}@${a.line}`);
        if (a.kind === "expect" && !hit) problems.push(`line ${a.line}: expected ${a.ruleId}, not reported`);
        if (a.kind === "safe" && hit) problems.push(`line ${a.line}: ${a.ruleId} reported on a safe line`);
      }
      const expected = new Set(fixture.annotations.filter((a) => a.kind === "expect").map((a) => `${a.ruleId}@${a.line}`));
      for (const f of findings) {
        if (!expected.has(`${f.ruleId}@${f.line}`)) problems.push(`line ${f.line}: unexpected ${f.ruleId} (${f.snippet})`);
      }
      expect(problems).toEqual([]);
    });
  }

  it("keyword gating changes no result: the same findings as running every pattern on whole files", () => {
    const baseline = createEngine(loaded, { gating: false });
    const key = (f: { ruleId: string; line: number; column: number }) => `${f.ruleId}@${f.line}:${f.column}`;
    for (const fixture of fixtures) {
      const file = { path: fixture.path, content: fixture.content, added: "all" as const };
      expect(engine.scan(file).map(key), fixture.path).toEqual(baseline.scan(file).map(key));
    }
    // Compiling every pattern ungated, then scanning every fixture, is slow on a loaded machine.
  }, 120_000);

  it("every candidate pattern of the shipped rules has a keyword gate (an ungated one costs a full pass on every file)", () => {
    // Taint endpoints run only on files with a sink candidate, so an ungated one costs less.
    const ungated = [...engine.ruleset.programs.values()].flatMap((p) => p.main?.ungated ?? []);
    expect([...new Set(ungated)]).toEqual([]);
  });

  it("every rule has at least two flagged and two safe cases", () => {
    const counts = new Map<string, { expect: number; safe: number }>();
    for (const fixture of fixtures) {
      for (const a of fixture.annotations) {
        const c = counts.get(a.ruleId) ?? { expect: 0, safe: 0 };
        c[a.kind]++;
        counts.set(a.ruleId, c);
      }
    }
    const lacking = [...ruleIds].filter((id) => {
      const c = counts.get(id);
      return !c || c.expect < 2 || c.safe < 2;
    });
    expect(lacking).toEqual([]);
  });
});
