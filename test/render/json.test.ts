// The JSON output is a contract other tools read: these tests pin its keys and their order.
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { buildReport } from "../../src/github/report.js";
import { JSON_FINDING_KEYS, renderJson } from "../../src/render/json.js";
import { sampleResult } from "./fixtures.js";

const render = () => JSON.parse(renderJson(sampleResult(), { version: "1.2.3", failOn: "high" }));

describe("JSON output contract", () => {
  it("has findings and skipped first, then version and summary", () => {
    expect(Object.keys(render())).toEqual(["findings", "skipped", "version", "summary"]);
  });

  it("gives every finding exactly the contract keys in order, plus trace only when there is one", () => {
    const out = render();
    expect(JSON_FINDING_KEYS).toEqual(["ruleId", "category", "severity", "path", "line", "endLine", "column", "message", "cwe", "fingerprint", "suppressed"]);
    for (const f of out.findings) {
      const keys = Object.keys(f);
      if (f.trace) expect(keys).toEqual([...JSON_FINDING_KEYS, "trace"]);
      else expect(keys).toEqual([...JSON_FINDING_KEYS]);
    }
    expect(out.findings.filter((f: { trace?: unknown }) => f.trace)).toHaveLength(1);
  });

  it("keeps the values and types", () => {
    const [first, withTrace, suppressed] = render().findings;
    expect(first).toEqual({
      ruleId: "js-eval-dynamic",
      category: "code-injection",
      severity: "high",
      path: "src/app.js",
      line: 12,
      endLine: 12,
      column: 3,
      message: "`eval` runs its argument as code.",
      cwe: "CWE-95",
      fingerprint: "0123456789abcdef0123456789abcdef",
      suppressed: false,
    });
    expect(withTrace.trace).toEqual([
      { line: 31, code: "uid = request.args['id']" },
      { line: 35, code: "q = uid" },
      { line: 40, code: "cursor.execute(f\"SELECT * FROM t WHERE id = {q}\")" },
    ]);
    for (const step of withTrace.trace) expect(Object.keys(step)).toEqual(["line", "code"]);
    expect(suppressed.suppressed).toBe(true);
  });

  it("lists skipped files with path and reason only", () => {
    const out = render();
    expect(out.skipped).toEqual([
      { path: "node_modules/", reason: "vendored: installed dependencies, folder not scanned" },
      { path: "dist/app.min.js", reason: "minified" },
    ]);
  });

  it("summarises: threshold, counts of unsuppressed findings, the checklist states", () => {
    const { summary, version } = render();
    expect(version).toBe("1.2.3");
    expect(summary.failOn).toBe("high");
    expect(summary.failed).toBe(true);
    expect(summary.counts).toEqual({ critical: 1, high: 1, medium: 1, low: 1 });
    expect(summary.suppressed).toBe(1);
    expect(summary.analyzed).toBe(3);
    const state = (id: string) => summary.checklist.find((c: { id: string }) => c.id === id)?.state;
    expect(state("code-injection")).toBe("failed");
    expect(state("tls")).toBe("passed");
    expect(state("authz")).toBe("needs-human");
    expect(state("ssrf")).toBe("not-applicable");
    expect(summary.checklist).toHaveLength(19);
  });

  it("does not fail on suppressed or below-threshold findings", () => {
    const result = sampleResult();
    result.findings = result.findings.filter((f) => f.suppressed || f.severity === "low");
    const out = JSON.parse(renderJson(result, { version: "1.2.3", failOn: "medium" }));
    expect(out.summary.failed).toBe(false);
    expect(out.findings).toHaveLength(2);
  });

  it("renders an empty result", () => {
    const out = JSON.parse(renderJson({ findings: [], skipped: [], analyzed: [], checked: new Set() }, { version: "1.2.3", failOn: "high" }));
    expect(out.findings).toEqual([]);
    expect(out.skipped).toEqual([]);
    expect(out.summary.checklist.every((c: { state: string }) => c.state === "not-applicable")).toBe(true);
  });

  it("gives each checklist item the state the check run gives it", () => {
    const rows = buildReport(sampleResult(), { ...DEFAULT_CONFIG, fail_on: "high" }).rows;
    expect(render().summary.checklist).toEqual(rows.map((r) => ({ id: r.item.id, title: r.item.title, state: r.state, findings: r.findings.length })));
  });
});
