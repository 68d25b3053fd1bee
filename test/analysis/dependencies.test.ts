// The dependencies checklist item end to end through analyze(): checked on manifests, passed
// or failed with findings, and a note when a service could not be asked.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { parseConfig } from "../../src/config/schema.js";
import { DependencyClient } from "../../src/deps/client.js";
import { buildReport } from "../../src/github/report.js";
import { renderCheckRunSummary } from "../../src/render/check-run.js";
import { renderText } from "../../src/render/text.js";

const facts = {
  repoHtmlUrl: "https://github.com/o/r",
  headSha: "0123456789abcdef0123456789abcdef01234567",
  kind: "pull_request" as const,
  skipped: [],
  wholeFile: [],
  deletedOnly: 0,
  listedFiles: 1,
  totalFiles: undefined,
  listLimit: 3000,
};

function row(result: Awaited<ReturnType<typeof analyze>>, config = parseConfig({})) {
  return buildReport(result, config).rows.find((r) => r.item.id === "dependencies")!;
}

afterEach(() => nock.cleanAll());

describe("the dependencies checklist item", () => {
  it("passes when added dependency lines are clean, and is not applicable without manifests", async () => {
    const clean = await analyze([{ path: "requirements.txt", content: "flask==3.0.0\n", added: "all" }]);
    expect(clean.checked.has("dependencies")).toBe(true);
    expect(row(clean).state).toBe("passed");
    const none = await analyze([{ path: "README.md", content: "hello\n", added: "all" }]);
    expect(row(none).state).toBe("not-applicable");
  });

  it("fails with the findings, which honour severity overrides, test paths and ignore comments", async () => {
    const files = [
      { path: "package.json", content: '{\n  "dependencies": {\n    "expresss": "4.0.0"\n  }\n}\n', added: "all" as const },
      { path: "requirements.txt", content: "reqeusts==2.0  # vibeguard-ignore dependencies/typosquat\n", added: "all" as const },
      { path: "test/fixtures/package.json", content: '{\n  "dependencies": { "axois": "1.0.0" }\n}\n', added: "all" as const },
    ];
    const result = await analyze(files);
    const deps = result.findings.filter((f) => f.category === "dependencies");
    expect(deps.map((f) => [f.path, f.ruleId, f.severity, f.suppressed])).toEqual([
      ["package.json", "dependencies/typosquat", "high", false],
      ["requirements.txt", "dependencies/typosquat", "high", true],
      ["test/fixtures/package.json", "dependencies/typosquat", "low", false],
    ]);
    const r = row(result);
    expect(r.state).toBe("failed");
    expect(r.failing).toBe(true);
    expect(renderCheckRunSummary(buildReport(result, parseConfig({})), facts)).toMatch(/\*\*Dependencies\*\* \| ❌ \*\*Failed\*\* \| 2 findings/);
  });

  it("says in the check run and the terminal when a service was unreachable, and still passes", async () => {
    nock("https://pypi.org").get("/pypi/not-on-the-popular-list-xyz/json").reply(503);
    nock("https://api.osv.dev").post("/v1/querybatch").reply(503);
    const client = new DependencyClient({ retries: 0, retryDelayMs: 0 });
    const result = await analyze([{ path: "requirements.txt", content: "not-on-the-popular-list-xyz==1.0\n", added: "all" }], { dependencyClient: client });
    expect(result.notes?.dependencies).toEqual(["not checked: PyPI unreachable (HTTP 503)", "not checked: OSV unreachable (HTTP 503)"]);
    expect(row(result).state).toBe("passed");
    const summary = renderCheckRunSummary(buildReport(result, parseConfig({})), facts);
    expect(summary).toContain("_Not checked: OSV unreachable (HTTP 503)._");
    expect(renderText(result, { failOn: "high", color: false })).toContain("not checked: PyPI unreachable (HTTP 503)");
  });

  it("reads only the configured paths: ignore_paths and disabled rules apply", async () => {
    const config = parseConfig({ ignore_paths: ["vendor/**"], disabled_rules: ["dependencies/unpinned"] });
    const result = await analyze(
      [
        { path: "vendor/package.json", content: '{"dependencies": {"expresss": "1.0.0"}}', added: "all" },
        { path: "requirements.txt", content: "flask\n", added: "all" },
      ],
      { config },
    );
    expect(result.findings).toEqual([]);
    expect(row(result, config).state).toBe("passed");
  });
});
