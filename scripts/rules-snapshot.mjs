// After `tsc -p tsconfig.build.json`: write dist/rules.snapshot.json, the built-in rules parsed
// and validated once (see src/engine/rules-snapshot.ts), so the CLI and the App start faster.
import { DEFAULT_RULES_DIR, loadRules } from "../dist/engine/load-rules.js";
import { SNAPSHOT_FILE, writeRulesSnapshot } from "../dist/engine/rules-snapshot.js";

writeRulesSnapshot(DEFAULT_RULES_DIR, loadRules(DEFAULT_RULES_DIR), SNAPSHOT_FILE);
console.log(`wrote ${SNAPSHOT_FILE}`);
