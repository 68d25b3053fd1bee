// The App end to end on a pull request that adds dependencies: the real analysis, the registry
// and OSV answering through nock, the check run's checklist row and the review's suggested fix.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import {
  deliverToDefaultApp,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  checkRunUpdates,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockFiles,
  pullRequestPayload,
  requestsTo,
  type MockFile,
} from "./helpers.js";

afterEach(() => nock.cleanAll());

const REQUIREMENTS = "flask==3.0.0\nDjango==3.2.0\nsurely-hallucinated-orm==0.1.0\n";
const FILE: MockFile = { filename: "requirements.txt", patch: addedPatch(REQUIREMENTS), content: REQUIREMENTS };

describe("the App on a pull request that adds dependencies", () => {
  it("fails the dependencies item with the findings, and suggests the fixed version on the pinned line", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [FILE]);
    mockCheckUpdates(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 1 });
    nock("https://pypi.org").get("/pypi/surely-hallucinated-orm/json").reply(404, { message: "Not Found" });
    nock("https://api.osv.dev")
      .post("/v1/querybatch")
      .reply(200, { results: [{}, { vulns: [{ id: "GHSA-test-dj32-0001", modified: "2024-01-01T00:00:00Z" }] }, {}] });
    nock("https://api.osv.dev")
      .get("/v1/vulns/GHSA-test-dj32-0001")
      .reply(200, {
        id: "GHSA-test-dj32-0001",
        summary: "SQL injection in QuerySet.annotate",
        aliases: ["CVE-2022-28346"],
        database_specific: { severity: "CRITICAL" },
        affected: [{ package: { ecosystem: "PyPI", name: "django" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "3.2" }, { fixed: "3.2.13" }] }] }],
      });
    await deliverToDefaultApp("pull_request", pullRequestPayload("opened"));

    const [update] = checkRunUpdates(gh);
    expect(update!.conclusion).toBe("failure");
    const row = (update!.output.summary as string).split("\n").find((r) => r.startsWith("| **Dependencies**"))!;
    expect(row).toContain("❌ **Failed**");
    expect(row).toContain("2 findings");
    const annotations = update!.output.annotations as Array<Record<string, unknown>>;
    expect(annotations.map((a) => [a.start_line, a.annotation_level]).sort()).toEqual([
      [2, "failure"],
      [3, "failure"],
    ]);
    const [review] = requestsTo(gh, "POST", "/reviews").map((r) => r.body as { comments: Array<{ line: number; body: string }> });
    const django = review!.comments.find((c) => c.line === 2)!;
    expect(django.body).toContain("GHSA-test-dj32-0001");
    expect(django.body).toContain("```suggestion\nDjango==3.2.13\n```");
    expect(review!.comments.find((c) => c.line === 3)!.body).toContain("does not exist on PyPI");
    expect(nock.pendingMocks()).toEqual([]);
  });
});
