// The README's rule table is generated from rules/; it must list every rule as it is now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadRules } from "../../src/engine/load-rules.js";
import { README_PATH, renderRulesTable, withRulesTable } from "../../scripts/rules-table.js";

describe("README rule table", () => {
  const loaded = loadRules();

  it("is current (run `npm run docs:rules` after changing rules/)", () => {
    const readme = readFileSync(README_PATH, "utf8");
    expect(withRulesTable(readme, renderRulesTable(loaded))).toBe(readme);
  });

  it("has one row per rule, naming its checklist item and severity", () => {
    const table = renderRulesTable(loaded);
    const rows = table.split("\n").filter((line) => line.startsWith("| `"));
    expect(rows).toHaveLength(loaded.rules.length);
    const first = loaded.rules[0]!.definition;
    expect(rows.find((r) => r.startsWith(`| \`${first.id}\` |`))).toContain(`| ${first.category} |`);
  });
});
