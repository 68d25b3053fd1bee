import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { checkRunPayload, checkSuitePayload, mergeGroupPayload, pullRequestPayload, validPayload } from "../../src/github/payloads.js";

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

/** Every real example payload of an event and action, from github.com and every GHES version shipped. */
function examples(event: string, actions: string[]): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const flavour of ["api.github.com", "ghes-35", "ghes-34"]) {
    const groups = require(`@octokit/webhooks-examples/${flavour}/index.json`) as ExampleGroup[];
    const group = groups.find((g) => g.name === event);
    out.push(...(group?.examples ?? []).filter((e) => actions.includes(e.action ?? "")));
  }
  return out;
}

const quietLog = { warn: () => {} };

describe("webhook payload validation", () => {
  const cases = [
    { event: "pull_request", actions: ["opened", "synchronize", "reopened", "ready_for_review"], schema: pullRequestPayload },
    { event: "check_run", actions: ["rerequested"], schema: checkRunPayload },
    { event: "check_suite", actions: ["rerequested"], schema: checkSuitePayload },
    { event: "merge_group", actions: ["checks_requested"], schema: mergeGroupPayload },
  ] as const;

  for (const { event, actions, schema } of cases) {
    it(`accepts every real ${event} example (${actions.join(", ")})`, () => {
      const payloads = examples(event, [...actions]);
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) expect(schema.safeParse(payload).error?.issues ?? []).toEqual([]);
    });
  }

  it("rejects a payload without the head SHA and names the field", () => {
    const payload = structuredClone(examples("pull_request", ["opened"])[0]!) as { pull_request: { head: { sha?: string } } };
    delete payload.pull_request.head.sha;
    const warnings: object[] = [];
    expect(validPayload(pullRequestPayload, payload, { warn: (obj) => warnings.push(obj) }, "pull_request.opened")).toBeUndefined();
    expect(warnings).toEqual([{ event: "pull_request.opened", field: "pull_request.head.sha", problem: expect.any(String) }]);
  });

  it("rejects a SHA that is not one", () => {
    const payload = structuredClone(examples("merge_group", ["checks_requested"])[0]!) as { merge_group: { head_sha: string } };
    payload.merge_group.head_sha = "main";
    expect(validPayload(mergeGroupPayload, payload, quietLog, "merge_group.checks_requested")).toBeUndefined();
  });
});
