// Build step (scripts/build.mjs): validate the rule files and write the snapshot.
import { loadRules } from "./load-rules.js";
import { writeRulesSnapshot } from "./rules-snapshot.js";

export function writeBuiltInSnapshot(rulesDir: string, outFile: string): void {
  writeRulesSnapshot(rulesDir, loadRules(rulesDir), outFile);
}
