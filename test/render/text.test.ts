// Terminal output: findings grouped by file, the checklist summary, colours only when asked.
import { describe, expect, it } from "vitest";
import { CHECKLIST } from "../../src/checklist.js";
import { renderText } from "../../src/render/text.js";
import { finding, sampleResult } from "./fixtures.js";

describe("text output", () => {
  const text = renderText(sampleResult(), { failOn: "high", color: false });

  it("groups findings by file, in file order, each with severity, rule, position, title, message, snippet and fix", () => {
    const files = ["api/db queries.py", "config/.env", "src/app.js"];
    const positions = files.map((f) => text.indexOf(`${f}\n`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain("  HIGH     js-eval-dynamic 12:3  eval of a dynamic string\n");
    expect(text).toContain("`eval` runs its argument as code.");
    expect(text).toContain("│ eval(userInput);");
    expect(text).toContain("fix: Do not evaluate strings.");
    // In a file, by line: line 3 before 12 before 20.
    const app = text.slice(text.indexOf("src/app.js\n"));
    expect(app.indexOf(" 3:3 ")).toBeLessThan(app.indexOf(" 12:3 "));
    expect(app.indexOf(" 12:3 ")).toBeLessThan(app.indexOf(" 20:3 "));
  });

  it("shows the dataflow trace", () => {
    expect(text).toMatch(/dataflow:\n\s+source line 31  uid = request.args\['id'\]\n\s+line 35  q = uid\n\s+sink\s+line 40/);
  });

  it("marks suppressed findings", () => {
    expect(text).toMatch(/js-eval-dynamic 20:3 .*\(suppressed\)/);
  });

  it("lists every checklist item with its state, like the check run", () => {
    const summary = text.slice(text.indexOf("Security checklist"));
    for (const item of CHECKLIST) expect(summary).toContain(item.title);
    expect(summary).toMatch(/Code injection\s+failed \(1\)/);
    expect(summary).toMatch(/SQL and NoSQL injection\s+failed \(1\)/);
    expect(summary).toMatch(/TLS\s+passed/);
    expect(summary).toMatch(/Input validation\s+needs a human/);
    expect(summary).toMatch(/Open redirect\s+not applicable/);
  });

  it("lists skipped files and ends with the verdict", () => {
    expect(text).toContain("Not analysed (2)\n  node_modules/  vendored: installed dependencies, folder not scanned\n  dist/app.min.js  minified\n");
    expect(text).toContain("3 files analysed: 1 critical, 1 high, 1 medium, 1 low, 1 suppressed.\n");
    expect(text.endsWith("Failed: 2 findings at or above high.\n")).toBe(true);
  });

  it("passes when nothing reaches the threshold", () => {
    const out = renderText(sampleResult(), { failOn: "critical", color: false });
    expect(out.endsWith("Failed: 1 finding at or above critical.\n")).toBe(true);
    const clean = renderText({ findings: [finding({ severity: "low" })], skipped: [], analyzed: ["a.js"], checked: new Set() }, { failOn: "high", color: false });
    expect(clean.endsWith("1 file analysed: 1 low.\nPassed: nothing at or above high.\n")).toBe(true);
  });

  it("uses ANSI colours only when asked", () => {
    expect(text).not.toContain("\u001b[");
    expect(renderText(sampleResult(), { failOn: "high", color: true })).toContain("\u001b[31m");
  });

  it("never passes control characters from the code to the terminal", () => {
    const out = renderText({ findings: [finding({ snippet: "eval(x) \u001b]0;pwned\u0007", message: "m\u001b[2J" })], skipped: [], analyzed: ["a.js"], checked: new Set() }, { failOn: "high", color: false });
    expect(out).not.toContain("\u001b");
    expect(out).not.toContain("\u0007");
  });
});
