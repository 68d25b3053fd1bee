// Where the review puts a removed-safeguard comment: RIGHT on its surviving line when the diff
// shows that line, else LEFT on the deleted line of the old file, else only in the check run.
// The review request is validated against GitHub's OpenAPI description.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import {
  OWNER,
  PR_NUMBER,
  REPO,
  createTestApp,
  deliver,
  fakeAnalyze,
  finding,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockFiles,
  pullRequestPayload,
  requestsTo,
  checkRunUpdates,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

// Old file: 1 const router..., 2 router.use(requireAuth);, 3 router.get(...), 4 module.exports = router;
const NEW = "const router = express.Router();\nrouter.get('/orders', listOrders);\nexport default router;\n";
const PATCH = [
  "@@ -1,4 +1,3 @@",
  " const router = express.Router();",
  "-router.use(requireAuth);",
  " router.get('/orders', listOrders);",
  "-module.exports = router;",
  "+export default router;",
].join("\n");

const removal = (line: number, oldLine: number, fp: string) =>
  finding({
    path: "src/orders.js",
    line,
    ruleId: "js-removed-auth-router",
    category: "authz",
    title: "Authentication middleware removed from an app or router",
    message: `The change removed authentication middleware \`requireAuth\` (old line ${oldLine}).`,
    fingerprint: fp,
    snippet: "requireAuth",
    removed: { line: oldLine, code: "router.use(requireAuth);" },
  });

describe("the review places removed-safeguard comments where GitHub accepts them", () => {
  it("RIGHT on a surviving context line, LEFT on the deleted line, else check run only", async () => {
    const onContext = removal(2, 2, "a".repeat(32));
    const onDeleted = removal(9, 4, "b".repeat(32)); // surviving line outside the patch, old line 4 deleted
    const nowhere = removal(9, 30, "c".repeat(32)); // neither in the patch
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, undefined);
    mockFiles(gh, [{ filename: "src/orders.js", status: "modified", patch: PATCH, content: NEW }]);
    mockCheckUpdates(gh);
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/comments`).query(true).reply(200, []);
    gh.scope.post(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/reviews`).reply(200, { id: 77 });
    const app = createTestApp(fakeAnalyze([onContext, onDeleted, nowhere], ["authz"]));

    await deliver(app, "pull_request", pullRequestPayload("opened"));

    const [review] = requestsTo(gh, "POST", `/pulls/${PR_NUMBER}/reviews`).map((r) => r.body as Record<string, any>);
    expect(review!.comments.map((c: Record<string, unknown>) => ({ path: c.path, line: c.line, side: c.side }))).toEqual([
      { path: "src/orders.js", line: 2, side: "RIGHT" },
      { path: "src/orders.js", line: 4, side: "LEFT" },
    ]);
    expect(review!.comments[0].body).toContain("removed authentication middleware");
    expect(review!.body).toContain("1 could not be placed");
    // The third is reported in the check run's annotations.
    const annotations = checkRunUpdates(gh).flatMap((u) => (u.output?.annotations ?? []) as Array<Record<string, unknown>>);
    expect(annotations.some((a) => a.start_line === 9 && String(a.message).includes("old line 30"))).toBe(true);
    expect(gh.invalid()).toEqual([]);
  });
});
