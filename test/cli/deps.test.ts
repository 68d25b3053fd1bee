// `vibeguard scan` and the dependency checks: --offline runs checks 3, 5 and 6 only; by default
// the registries and OSV are asked, and an unreachable one is reported, not fatal.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/main.js";
import { PINNED, removeDir, runMain, tempDir, writeFiles } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
  writeFiles(dir, {
    "package.json": JSON.stringify({ private: true, dependencies: { expresss: "4.18.2", "left-pad": "*" } }, null, 2),
    "requirements.txt": "flask==3.0.0\n",
  });
});
afterEach(() => {
  removeDir(dir);
  nock.cleanAll();
});

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; path: string }>;
  summary: { checklist: Array<{ id: string; state: string; findings: number; notes?: string[] }> };
}

const depsRow = (report: JsonReport) => report.summary.checklist.find((r) => r.id === "dependencies")!;

describe("scan and dependencies", () => {
  it("parses --offline", () => {
    const parsed = parseCommandLine(["scan", "--all", ".", "--offline"]);
    expect(parsed.kind === "scan" && parsed.options.offline).toBe(true);
    const online = parseCommandLine(["scan", "--all", "."]);
    expect(online.kind === "scan" && online.options.offline).toBe(false);
  });

  it("--offline: typosquat and unpinned spec found, nothing asked of the network, the item failed", async () => {
    const { code, stdout } = await runMain(dir, ["scan", "--all", ".", "--offline", "--format", "json", ...PINNED]);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.findings.filter((f) => f.ruleId.startsWith("dependencies/")).map((f) => `${f.ruleId}:${f.severity}`).sort()).toEqual([
      "dependencies/typosquat:high",
      "dependencies/unpinned:medium",
    ]);
    expect(depsRow(report)).toMatchObject({ state: "failed", findings: 2, notes: ["not checked (offline): package existence, age and known vulnerabilities"] });
    expect(code).toBe(1);
  });

  it("by default asks the registries and OSV; when they are unreachable it says so and still reports", async () => {
    // nock refuses every connection (test/setup/offline.ts): the services are unreachable.
    const { code, stdout, stderr } = await runMain(dir, ["scan", "--all", ".", "--format", "json", ...PINNED]);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as JsonReport;
    const row = depsRow(report);
    expect(row.state).toBe("failed");
    expect(row.notes!.some((n) => /^not checked: npm registry unreachable/.test(n))).toBe(true);
    expect(row.notes!.some((n) => /^not checked: OSV unreachable/.test(n))).toBe(true);
    expect(code).toBe(1);
  });

  it("by default reports a package the registry does not know", async () => {
    writeFiles(dir, { "package.json": JSON.stringify({ private: true, dependencies: { "made-up-helper-pkg": "1.0.0" } }, null, 2) });
    nock("https://registry.npmjs.org").get("/made-up-helper-pkg").reply(404, {});
    nock("https://api.osv.dev").post("/v1/querybatch").reply(200, { results: [{}, {}] });
    const { code, stdout } = await runMain(dir, ["scan", "--all", ".", "--format", "json", ...PINNED]);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.ruleId}:${f.severity}`)).toEqual(["dependencies/nonexistent-package:critical"]);
    expect(depsRow(report).notes).toBeUndefined();
    expect(code).toBe(1);
  });
});
