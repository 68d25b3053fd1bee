// SARIF output, validated offline against the official SARIF 2.1.0 JSON schema, and checked
// for what GitHub code scanning reads: security-severity, CWE tags, fingerprints, code flows.
import { describe, expect, it } from "vitest";
import { buildSarif, renderSarif } from "../../src/render/sarif.js";
import { sampleResult } from "./fixtures.js";
import { sarifValidator } from "./sarif-schema.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("SARIF output", () => {
  const validate = sarifValidator();
  const log = JSON.parse(renderSarif(sampleResult(), { version: "1.2.3" })) as Json;
  const run = log.runs[0] as Json;

  it("validates against the SARIF 2.1.0 schema", () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator does reject a broken log", () => {
    const broken = structuredClone(log);
    broken.runs[0].results[0].level = "fatal";
    delete broken.runs[0].tool.driver.name;
    expect(validate(broken)).toBe(false);
  });

  it("validates an empty run too", () => {
    const empty = buildSarif({ findings: [], skipped: [], analyzed: [], checked: new Set() }, { version: "1.2.3" });
    expect(validate(empty)).toBe(true);
    expect((empty.runs as Json[])[0]!.results).toEqual([]);
  });

  it("describes the tool and each rule the way GitHub code scanning reads them", () => {
    expect(log.version).toBe("2.1.0");
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: "vibeguard", version: "1.2.3", informationUri: expect.stringMatching(/^https:\/\//) });
    const ids = driver.rules.map((r: Json) => r.id);
    expect(ids).toEqual(["js-eval-dynamic", "js-weak-thing", "py-sql-dynamic-string", "secrets/github-pat"]);
    const sql = driver.rules[2];
    expect(sql).toMatchObject({
      id: "py-sql-dynamic-string",
      name: "PySqlDynamicString",
      shortDescription: { text: "SQL built from input" },
      fullDescription: { text: "The query is built from request data." },
      properties: { "security-severity": "9.5", precision: "medium" },
    });
    expect(sql.properties.tags).toEqual(["security", "sql-injection", "external/cwe/cwe-89"]);
    expect(sql.help.text).toContain("Use parameters.");
    expect(sql.help.markdown).toContain("**Fix:** Use parameters.");
    const severities = Object.fromEntries(driver.rules.map((r: Json) => [r.id, r.properties["security-severity"]]));
    expect(severities).toEqual({ "js-eval-dynamic": "8.0", "js-weak-thing": "3.0", "py-sql-dynamic-string": "9.5", "secrets/github-pat": "5.5" });
    // No CWE, no CWE tag.
    expect(driver.rules[1].properties.tags).toEqual(["security", "weak-crypto"]);
    expect(driver.rules[3].help.markdown).toContain("https://github.com/settings/tokens");
  });

  it("maps each finding to a result with level, location, fingerprint", () => {
    expect(run.results).toHaveLength(5);
    const [first, sql, suppressed, secret, low] = run.results as [Json, Json, Json, Json, Json];
    expect(first).toMatchObject({
      ruleId: "js-eval-dynamic",
      ruleIndex: 0,
      level: "error",
      message: { text: "`eval` runs its argument as code." },
      partialFingerprints: { "vibeguard/v1": "0123456789abcdef0123456789abcdef" },
    });
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "src/app.js", uriBaseId: "%SRCROOT%" },
      region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 18, snippet: { text: "eval(userInput);" } },
    });
    expect(first.suppressions).toBeUndefined();
    expect(sql.level).toBe("error");
    expect(sql.ruleIndex).toBe(2);
    expect(sql.locations[0].physicalLocation.artifactLocation.uri).toBe("api/db%20queries.py");
    expect(sql.locations[0].physicalLocation.region).toMatchObject({ startLine: 40, endLine: 42, endColumn: 2 });
    expect(secret.level).toBe("warning");
    expect(low.level).toBe("note");
    expect(suppressed.suppressions).toEqual([{ kind: "inSource", justification: "vibeguard-ignore comment" }]);
  });

  it("turns a trace into a code flow, source first", () => {
    const sql = run.results[1] as Json;
    const steps = sql.codeFlows[0].threadFlows[0].locations.map((l: Json) => l.location.physicalLocation.region.startLine);
    expect(steps).toEqual([31, 35, 40]);
    expect(sql.codeFlows[0].threadFlows[0].locations[0].location.message.text).toMatch(/^source: /);
    expect(run.results[0].codeFlows).toBeUndefined();
  });

  it("a code flow carries the dataflow's per-step notes when there are any, and stays valid", () => {
    const result = sampleResult();
    const withNotes = result.findings.find((f) => f.trace)!;
    withNotes.trace = withNotes.trace!.map((step, i) => (i === 1 ? { ...step, note: "assigned to q" } : step));
    const flowLog = buildSarif(result, { version: "1.2.3" }) as Json;
    expect(validate(flowLog)).toBe(true);
    const flow = (flowLog.runs[0].results as Json[]).find((r) => r.codeFlows)!.codeFlows[0];
    expect(flow.message.text).toBe("Untrusted data flows from line 31 to line 40.");
    const steps = flow.threadFlows[0].locations as Json[];
    expect(steps.map((s) => s.location.message.text)).toEqual([
      "source: uid = request.args['id']",
      "assigned to q",
      'sink: cursor.execute(f"SELECT * FROM t WHERE id = {q}")',
    ]);
    expect(steps.map((s) => s.kinds)).toEqual([["source"], undefined, ["sink"]]);
  });

  it("gives every result a partial fingerprint and every rule a security-severity, help with the fix, and tags", () => {
    for (const r of run.results as Json[]) expect(r.partialFingerprints["vibeguard/v1"]).toMatch(/^[0-9a-f]{32}$/);
    for (const rule of run.tool.driver.rules as Json[]) {
      expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
      expect(rule.properties.tags[0]).toBe("security");
      expect(rule.help.text).toMatch(/Fix: \S/);
    }
  });

  it("reports skipped files as tool notifications", () => {
    const notes = run.invocations[0].toolExecutionNotifications as Json[];
    expect(notes.map((n) => n.message.text)).toEqual(["node_modules/: not analysed (vendored: installed dependencies, folder not scanned)", "dist/app.min.js: not analysed (minified)"]);
  });
});
