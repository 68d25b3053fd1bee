// Bad input never crashes a run (issue 12, point 5): malformed payloads, 3000+ file pull
// requests, 100,000-line files, 1 MiB lines, binary and non-UTF-8 files, code that does not
// parse, deeply nested code, and a pull request larger than one review may hold. Each goes
// through the whole App with the real analysis; each run ends with a concluded check run.
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { analyze } from "../../src/analysis/analyze.js";
import {
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  checkRunUpdates,
  contentEntry,
  createTestApp,
  deliver,
  fileEntry,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockContents,
  mockFiles,
  mockHead,
  pullRequestPayload,
  HEAD_SHA,
  type MockFile,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

const realAnalyze: Parameters<typeof createTestApp>[0] = (files, options) => analyze(files, options);
const SINK = "app.get('/run', (req, res) => { eval(req.body.code); });\n";

async function review(files: MockFile[], options: { yaml?: string; maxReviewBytes?: number; change?: (p: Record<string, any>) => void } = {}) {
  const gh = github();
  mockCheckCreate(gh);
  mockConfig(gh, `comment_mode: checks-only\n${options.yaml ?? ""}`);
  mockFiles(gh, files);
  mockCheckUpdates(gh);
  const app = createTestApp(realAnalyze, options.maxReviewBytes !== undefined ? { maxReviewBytes: options.maxReviewBytes } : {});
  const started = Date.now();
  await deliver(app, "pull_request", pullRequestPayload("opened", options.change));
  const update = checkRunUpdates(gh).at(-1)!;
  return { gh, update, ms: Date.now() - started, summary: String(update.output.summary) };
}

function file(filename: string, content: string): MockFile {
  return { filename, patch: addedPatch(content), content };
}

describe("bad input never crashes a run", () => {
  it("a 100,000-line file is analysed to its last line", async () => {
    const content = "v = 1;\n".repeat(99_999) + SINK; // 700 KB: under the 1 MiB file limit
    const { update, ms } = await review([file("src/long.js", content)]);
    expect(update.conclusion).toBe("failure");
    expect(update.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([100_000]);
    expect(ms).toBeLessThan(90_000);
  }, 120_000);

  it("a 1 MiB single line does not stall the run; one over 1 MiB is reported as not analysed", async () => {
    const line = `const s = "${"a".repeat(1_000_000)}";\n`;
    const over = `const s = "${"b".repeat(1024 * 1024 + 10)}";\n`;
    const { update, ms, summary } = await review([file("src/line.js", line), file("src/over.js", over), file("src/ok.js", SINK)]);
    expect(ms).toBeLessThan(30_000);
    expect(update.conclusion).toBe("failure"); // the sink in ok.js
    expect(summary).toMatch(/`src\/over\.js`: larger than 1 MiB/);
  }, 60_000);

  it("binary and non-UTF-8 files: binary skipped, Latin-1 text still analysed", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    const latin1 = Buffer.concat([Buffer.from('name = "caf'), Buffer.from([0xe9]), Buffer.from('"\nresult = eval(input())\n')]);
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]);
    const files = [
      { filename: "app/legacy.py", patch: addedPatch(latin1.toString("latin1")) },
      { filename: "assets/blob.js", patch: addedPatch("x") },
    ];
    gh.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`).query(true).reply(200, files.map(fileEntry));
    for (const [path, bytes] of [["app/legacy.py", latin1], ["assets/blob.js", binary]] as const) {
      gh.scope
        .get(`/repos/${OWNER}/${REPO}/contents/${encodeURIComponent(path)}`)
        .query({ ref: HEAD_SHA })
        .reply(200, { ...contentEntry(path, ""), size: bytes.length, content: bytes.toString("base64") });
    }
    mockHead(gh);
    mockCheckUpdates(gh);
    await deliver(createTestApp(realAnalyze), "pull_request", pullRequestPayload("opened"));
    const update = checkRunUpdates(gh)[0]!;
    expect(update.output.annotations.map((a: { path: string; start_line: number }) => `${a.path}:${a.start_line}`)).toEqual(["app/legacy.py:2"]);
    expect(update.output.summary).toContain("- `assets/blob.js`: binary file");
  }, 60_000);

  it("code that does not parse is still scanned as far as tree-sitter recovers", async () => {
    const content = "function ( { ;;; }}} (((\nconst = = ;\n" + SINK + "class {\n";
    const { update } = await review([file("src/broken.js", content)]);
    expect(update.conclusion).toBe("failure");
    expect(update.output.annotations.map((a: { start_line: number }) => a.start_line)).toContain(3);
  }, 60_000);

  it("deeply nested code is analysed within a generous time bound", async () => {
    const depth = 400;
    const content = "app.get('/', (req, res) => {\n" + "if (a) {\n".repeat(depth) + "eval(req.body.x);\n" + "}\n".repeat(depth) + "});\n";
    const { update, ms } = await review([file("src/nested.js", content)]);
    expect(update.conclusion).toBe("failure");
    expect(update.output.annotations.map((a: { start_line: number }) => a.start_line)).toEqual([depth + 2]);
    expect(ms).toBeLessThan(60_000);
  }, 90_000);

  it("a pull request over GitHub's 3000-file listing says so at the top of the summary and is not a pass", async () => {
    const gh = github();
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    const entries = Array.from({ length: 3000 }, (_, i) => fileEntry({ filename: `img/${i}.png` }));
    entries[0] = fileEntry(file("src/a.js", "export const a = 1;\n"));
    for (let page = 1; page <= 30; page++) {
      const headers: Record<string, string> =
        page < 30 ? { link: `<https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files?per_page=100&page=${page + 1}>; rel="next"` } : {};
      gh.scope
        .get(`/repos/${OWNER}/${REPO}/pulls/${PR_NUMBER}/files`)
        .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
        .reply(200, entries.slice((page - 1) * 100, page * 100), headers);
    }
    mockContents(gh, [file("src/a.js", "export const a = 1;\n")]);
    mockHead(gh);
    mockCheckUpdates(gh);
    await deliver(createTestApp(realAnalyze), "pull_request", pullRequestPayload("opened", (p) => (p.pull_request.changed_files = 4200)));
    const update = checkRunUpdates(gh)[0]!;
    expect(update.conclusion).toBe("neutral");
    const summary = String(update.output.summary);
    expect(summary.indexOf("this change has 4200, so 1200 were not analysed")).toBeLessThan(summary.indexOf("| Item |"));
    expect(summary.length).toBeLessThanOrEqual(65_535);
    expect(gh.invalid()).toEqual([]);
  }, 60_000);

  it("memory stays bounded: a review holds at most its byte budget of file content; the rest is reported", async () => {
    const big = (i: number) => file(`src/gen${i}.js`, `// ${i}\n` + "let v = 1;\n".repeat(40_000)); // ~440 KB each
    const { update, summary } = await review(
      Array.from({ length: 6 }, (_, i) => big(i)),
      { maxReviewBytes: 1024 * 1024 },
    );
    expect(update.conclusion).toBe("neutral");
    const notRead = summary.match(/not read: this review already holds 1 MiB of changed files/g) ?? [];
    expect(notRead).toHaveLength(4);
  }, 90_000);
});

describe("malformed or unexpected payload fields", () => {
  for (const [what, change] of [
    ["a head SHA that is not one", (p: Record<string, any>) => (p.pull_request.head.sha = "main")],
    ["a pull request number that is a string", (p: Record<string, any>) => (p.pull_request.number = "2")],
    ["no repository owner", (p: Record<string, any>) => delete p.repository.owner],
    ["a negative changed_files", (p: Record<string, any>) => (p.pull_request.changed_files = -1)],
    ["a pull_request that is null", (p: Record<string, any>) => (p.pull_request = null)],
  ] as const) {
    it(`ignores a delivery with ${what}, calling GitHub for nothing`, async () => {
      const gh = github();
      const app = createTestApp(realAnalyze);
      await expect(deliver(app, "pull_request", pullRequestPayload("opened", change))).resolves.toBeUndefined();
      expect(gh.requests.filter((r) => !r.path.includes("access_tokens"))).toEqual([]);
      expect(app.logs.join("")).toContain("webhook payload lacks a field it needs");
    });
  }

  it("tolerates unknown extra fields and a missing optional draft flag", async () => {
    const { update } = await review([file("src/ok.js", "export const ok = 1;\n")], {
      change: (p) => {
        delete p.pull_request.draft;
        p.pull_request.some_new_field = { nested: [1, 2, 3] };
      },
    });
    expect(update.conclusion).toBe("success");
  }, 60_000);
});
