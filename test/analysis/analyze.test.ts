import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { ignoredRules } from "../../src/analysis/suppress.js";
import { parseConfig } from "../../src/config/schema.js";
import { createEngine } from "../../src/engine/index.js";
import { loadRules } from "../../src/engine/load-rules.js";

const engine = createEngine(loadRules(join(import.meta.dirname, "../fixtures/engine-rules")));
const handler = (extra = "") => `app.get("/u", (req, res) => {\n  ${extra}db.query("SELECT " + req.query.id);\n});\n`;

describe("analyze", () => {
  it("reports engine findings on added lines and says which checklist items were checked", async () => {
    const result = await analyze([{ path: "src/app.js", content: handler(), added: new Set([2]) }], { engine });
    expect(result.findings.map((f) => [f.ruleId, f.line, f.suppressed])).toEqual([["t-sql", 2, false]]);
    expect(result.analyzed).toEqual(["src/app.js"]);
    expect([...result.checked].sort()).toEqual(["secrets", "security-config", "sql-injection"]);
  });

  it("marks findings suppressed by a vibeguard-ignore comment on the line or the line above, and keeps them", async () => {
    const sameLine = 'app.get("/u", (req, res) => {\n  db.query("SELECT " + req.query.id); // vibeguard-ignore t-sql\n});';
    const above = handler("// vibeguard-ignore t-sql -- reviewed\n  ");
    const other = handler("// vibeguard-ignore some-other-rule\n  ");
    const trailingAbove = 'app.get("/u", (req, res) => {\n  run(); // vibeguard-ignore t-sql\n  db.query("SELECT " + req.query.id);\n});';
    const result = await analyze(
      [
        { path: "a.js", content: sameLine, added: "all" },
        { path: "b.js", content: above, added: "all" },
        { path: "c.js", content: other, added: "all" },
        { path: "d.js", content: trailingAbove, added: "all" },
      ],
      { engine },
    );
    expect(result.findings.map((f) => [f.path, f.suppressed])).toEqual([
      ["a.js", true],
      ["b.js", true],
      ["c.js", false],
      ["d.js", false],
    ]);
  });

  it("applies disabled rules, severity overrides, test paths and ignored paths from the config", async () => {
    const files = [
      { path: "src/a.js", content: handler(), added: "all" as const },
      { path: "test/a.test.js", content: handler(), added: "all" as const },
      { path: "legacy/a.js", content: handler(), added: "all" as const },
    ];
    const overridden = await analyze(files, { engine, config: parseConfig({ severity_overrides: { "t-sql": "critical" }, ignore_paths: ["legacy/**"] }) });
    expect(overridden.findings.map((f) => [f.path, f.severity])).toEqual([
      ["src/a.js", "critical"],
      ["test/a.test.js", "critical"],
    ]);
    expect(overridden.skipped).toEqual([{ path: "legacy/a.js", reason: "ignored by configuration (ignore_paths)" }]);

    const defaults = await analyze(files.slice(0, 2), { engine });
    expect(defaults.findings.map((f) => [f.path, f.severity])).toEqual([
      ["src/a.js", "high"],
      ["test/a.test.js", "low"],
    ]);

    const disabled = await analyze(files, { engine, config: parseConfig({ disabled_rules: ["t-sql"] }) });
    expect(disabled.findings).toEqual([]);
  });

  it("lists binary and vendored files as skipped instead of dropping them silently", async () => {
    const result = await analyze(
      [
        { path: "logo.png", content: "\u0089PNG\u0000\u0000", added: "all" },
        { path: "vendor/lib.js", content: handler(), added: "all" },
      ],
      { engine },
    );
    expect(result.skipped).toEqual([
      { path: "logo.png", reason: "binary" },
      { path: "vendor/lib.js", reason: "vendored: rules not run (secrets still scanned)" },
    ]);
    expect(result.findings).toEqual([]);
  });

  it("finds secrets alongside rule findings, redacted", async () => {
    const key = "AKIA" + "Q3EGR7TWKZ4XN5PB";
    const content = `const aws = { accessKeyId: "${key}" };\n`;
    const result = await analyze([{ path: "config.js", content, added: "all" }], { engine });
    const secret = result.findings.find((f) => f.category === "secrets");
    expect(secret).toBeDefined();
    expect(JSON.stringify(result)).not.toContain(key);
  });
});

describe("one flaw, one comment", () => {
  it("drops a rule's hardcoded-credential finding where the secrets scanner reports the same line", async () => {
    const literal = "9fK2" + "xQ7vLmP3tR8wZ1yB6nC4dH5jS0aE";
    const content = `from flask import Flask\napp = Flask(__name__)\napp.secret_key = "${literal}"\napp.secret_key = "dev"\n`;
    const result = await analyze([{ path: "app.py", content, added: "all" }]);
    const byLine = result.findings.map((f) => `${f.line}:${f.category}`);
    expect(byLine).toContain("3:secrets");
    expect(byLine.filter((l) => l.startsWith("3:"))).toEqual(["3:secrets"]);
    // Where the scanner has nothing to say (a short dev value), the rule still reports.
    expect(byLine).toContain("4:session");
  });
});

describe("ignore comments", () => {
  it("reads rule ids, lists and the bare form", () => {
    expect(ignoredRules("x(); // vibeguard-ignore js-eval-dynamic")).toEqual(["js-eval-dynamic"]);
    expect(ignoredRules("# vibeguard-ignore: py-sql-injection, secrets")).toEqual(["py-sql-injection", "secrets"]);
    expect(ignoredRules("// vibeguard-ignore")).toEqual([]);
    expect(ignoredRules("// nothing here")).toBeUndefined();
    expect(ignoredRules("// vibeguard-ignored-thing")).toBeUndefined();
  });
});
