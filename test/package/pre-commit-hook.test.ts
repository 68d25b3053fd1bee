// .pre-commit-hooks.yaml: the hook runs the package's own bin on the staged changes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseCommandLine } from "../../src/cli/main.js";
import { REPO_ROOT } from "../cli/helpers.js";

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parseYaml(readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Record<string, unknown>[];
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };

  it("declares one node hook that scans the staged changes with the package's bin", () => {
    expect(hooks).toHaveLength(1);
    const hook = hooks[0]!;
    expect(hook).toMatchObject({ id: "vibeguard", language: "node", pass_filenames: false });
    const [bin, ...args] = String(hook.entry).split(/\s+/);
    expect(Object.keys(pkg.bin)).toContain(bin);
    expect(parseCommandLine(args)).toMatchObject({ kind: "scan", options: { staged: true, all: false } });
  });
});
