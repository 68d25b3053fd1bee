// Batching must not change the result: same findings, skipped files, analysed paths, checklist.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import type { SourceFile } from "../../src/analysis/types.js";
import { analyzeInBatches } from "../../src/cli/batch.js";
import { engineFor } from "../../src/engine/index.js";
import { FIXTURE_RULES } from "./helpers.js";

describe("analyzeInBatches", () => {
  it("gives what one analyze() call gives", async () => {
    const engine = engineFor(FIXTURE_RULES);
    const files: SourceFile[] = [
      { path: "a.js", content: "eval(a);\nconst x = 1;\neval(b);\n", added: "all" },
      { path: "b.py", content: "import sys\neval(sys.argv[1])\n", added: new Set([2]) },
      { path: "c.js", content: "const y = 2;\n", added: "all" },
      { path: "d.min.js", content: "eval(x)\n", added: "all" },
      { path: "e.js", content: "// vibeguard-ignore\neval(c);\n", added: "all" },
    ];
    const whole = await analyze(files, { engine });
    for (const batchBytes of [1, 20, 1 << 20]) {
      const batched = await analyzeInBatches(files, { engine }, batchBytes);
      expect(batched).toEqual(whole);
    }
    expect(whole.findings.map((f) => `${f.path}:${f.line}`)).toEqual(["a.js:1", "a.js:3", "b.py:2", "e.js:2"]);
  });
});
