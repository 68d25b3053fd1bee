// The adapter that feeds the App's review run from a workflow event (the GitHub Action).
import { describe, expect, it } from "vitest";
import { targetFromEvent } from "../../src/github/standalone.js";
import type { Log } from "../../src/github/octokit.js";
import { HEAD_SHA, PR_NUMBER, example, pullRequestPayload } from "./helpers.js";

function recordingLog(): Log & { warnings: object[] } {
  const warnings: object[] = [];
  return { warn: (obj: object) => warnings.push(obj), info: () => {}, error: () => {}, debug: () => {}, warnings } as unknown as Log & { warnings: object[] };
}

describe("targetFromEvent", () => {
  it("reviews pull_request and pull_request_target alike, reading the config at the base commit", () => {
    for (const event of ["pull_request", "pull_request_target"]) {
      const payload = pullRequestPayload("synchronize");
      const found = targetFromEvent(event, payload, recordingLog());
      expect(found).toMatchObject({
        kind: "run",
        configRef: payload.pull_request.base.sha,
        target: { owner: "Codertocat", repo: "Hello-World", headSha: HEAD_SHA, externalId: `pr:${PR_NUMBER}`, pull: { number: PR_NUMBER } },
      });
    }
  });

  it("reviews merge_group checks_requested against the group's base", () => {
    const payload = example("merge_group", "checks_requested");
    const found = targetFromEvent("merge_group", payload, recordingLog());
    expect(found).toMatchObject({
      kind: "run",
      configRef: payload.merge_group.base_sha,
      target: { headSha: payload.merge_group.head_sha, mergeGroup: { baseSha: payload.merge_group.base_sha } },
    });
  });

  it("skips, with a reason, what the App does not review or cannot read", () => {
    expect(targetFromEvent("pull_request", pullRequestPayload("labeled"), recordingLog())).toMatchObject({ kind: "skip", reason: expect.stringContaining("labeled") });
    expect(targetFromEvent("push", {}, recordingLog())).toMatchObject({ kind: "skip", reason: expect.stringContaining("push") });
    const closed = pullRequestPayload("synchronize", (p) => (p.pull_request.state = "closed"));
    expect(targetFromEvent("pull_request", closed, recordingLog())).toMatchObject({ kind: "skip", reason: expect.stringContaining("closed") });
    const log = recordingLog();
    const broken = pullRequestPayload("opened", (p) => delete p.pull_request.head);
    expect(targetFromEvent("pull_request", broken, log)).toMatchObject({ kind: "skip" });
    expect(log.warnings[0]).toMatchObject({ field: "pull_request.head" });
  });
});
