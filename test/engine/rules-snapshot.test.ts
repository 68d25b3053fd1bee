// The built rules snapshot stands in for parsing the YAML only while it matches the rule files.
import { appendFileSync, cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadRules } from "../../src/engine/load-rules.js";
import { readRulesSnapshot, writeRulesSnapshot } from "../../src/engine/rules-snapshot.js";
import { FIXTURE_RULES, removeDir, tempDir } from "../cli/helpers.js";

describe("rules snapshot", () => {
  let dir: string;
  let rules: string;
  let snapshot: string;
  beforeEach(() => {
    dir = tempDir("vibeguard-snapshot-");
    rules = join(dir, "rules");
    cpSync(FIXTURE_RULES, rules, { recursive: true });
    snapshot = join(dir, "rules.snapshot.json");
    writeRulesSnapshot(rules, loadRules(rules), snapshot);
  });
  afterEach(() => removeDir(dir));

  it("reads back what loadRules gives, rule files named as loadRules names them", () => {
    const fromYaml = loadRules(rules);
    const fromSnapshot = readRulesSnapshot(rules, [snapshot]);
    expect(fromSnapshot?.rules).toEqual(fromYaml.rules);
    expect(fromSnapshot?.taintLibraries).toEqual(fromYaml.taintLibraries);
  });

  it("is ignored once a rule file changes, is added, or when it is missing or corrupt", () => {
    appendFileSync(join(rules, "javascript/js-eval-dynamic.yml"), "\n# edited\n");
    expect(readRulesSnapshot(rules, [snapshot])).toBeUndefined();
    writeRulesSnapshot(rules, loadRules(rules), snapshot);
    expect(readRulesSnapshot(rules, [snapshot])).toBeDefined();
    writeFileSync(join(rules, "python/extra.yml"), "id: x\n");
    expect(readRulesSnapshot(rules, [snapshot])).toBeUndefined();
    expect(readRulesSnapshot(rules, [join(dir, "none.json")])).toBeUndefined();
    writeFileSync(snapshot, "{not json");
    expect(readRulesSnapshot(rules, [snapshot])).toBeUndefined();
  });
});
