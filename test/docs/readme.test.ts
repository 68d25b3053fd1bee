// The README's taint-rule example must stay a valid rule that does what the README says.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { DEFAULT_RULES_DIR, loadRules } from "../../src/engine/load-rules.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("### Writing a taint rule"));
const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;

describe("README taint rule example", () => {
  const dir = mkdtempSync(join(tmpdir(), "vg-readme-"));
  mkdirSync(join(dir, "javascript"));
  writeFileSync(join(dir, "javascript", "example.yml"), example);
  copyFileSync(join(DEFAULT_RULES_DIR, "javascript", "taint-library.yml"), join(dir, "javascript", "taint-library.yml"));
  const engine = createEngine(loadRules(dir));

  it("flags the flow it describes, with the trace it shows", () => {
    const code = [
      'app.get("/users", async (req, res) => {',
      "  const { id } = req.query;",
      '  const sql = "SELECT * FROM users WHERE id = " + id;',
      "  await db.query(sql);",
      '  await db.query("SELECT * FROM users WHERE id = ?", [id]);',
      "  await db.query(`SELECT ${db.escape(id)}`);",
      "});",
      "db.execute(`DELETE FROM jobs WHERE name = '${process.argv[2]}'`);",
    ].join("\n");
    const findings = engine.scan({ path: "app.js", content: code, added: "all" });
    expect(findings.map((f) => f.line)).toEqual([4, 8]);
    expect(findings[0]!.trace!.map((s) => s.line)).toEqual([2, 3, 4]);
  });
});
