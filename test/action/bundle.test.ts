// The committed Action as a runner uses it: dist/action/index.js is what `npm run build:action`
// builds from the current sources, and, copied with action.yml and rules/ to a folder outside
// this checkout (so nothing resolves from this repository's node_modules), it reviews a pull
// request against the fake GitHub Enterprise Server with a workflow token, loading the
// tree-sitter parsers it ships in dist/action/node_modules.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { synth, tok } from "../../src/secrets/samples.js";
import { REPO_ROOT, removeDir, tempDir } from "../cli/helpers.js";
import { FakeGitHub, blobSha, type FakeFile } from "../e2e/fake-github.js";
import { appKeys } from "../e2e/harness.js";
import { sarifValidator } from "../render/sarif-schema.js";
import { validateGitHubRequest } from "../support/openapi.js";

function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe("the committed Action bundle", () => {
  it("is what npm run build:action builds from the current sources (rebuild and commit dist/action if not)", () => {
    const out = tempDir("vibeguard-action-build-");
    try {
      const build = spawnSync(process.execPath, [join(REPO_ROOT, "scripts/build.mjs"), "--action", "--out", out], { cwd: REPO_ROOT, encoding: "utf8", timeout: 300_000 });
      expect(build.status, build.stderr).toBe(0);
      const committed = join(REPO_ROOT, "dist/action");
      expect(listFiles(out)).toEqual(listFiles(committed));
      for (const file of ["index.js", "rules.snapshot.json"]) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(committed, file))), `dist/action/${file} is stale: run npm run build:action`).toBe(true);
      }
    } finally {
      removeDir(out);
    }
  }, 300_000);

  it("action.yml runs the bundle on node20 and declares the inputs the entry point reads", () => {
    const action = parseYaml(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as { runs: Record<string, string>; inputs: Record<string, unknown> };
    expect(action.runs).toEqual({ using: "node20", main: "dist/action/index.js" });
    expect(Object.keys(action.inputs).sort()).toEqual(["comment_mode", "config", "fail_on", "github_token", "sarif"]);
  });
});

const OWNER = "octo-org";
const REPO = "shop";
const HEAD_SHA = blobSha("action head");
const BASE_SHA = blobSha("action base");
const PR = 42;
const SECRET = tok("github", "_pat_", synth("alnum", 22, 7), "_", synth("alnum", 59, 8));
const ROUTES = [
  'const express = require("express");', // 1
  'const db = require("./db");', // 2
  "const app = express();", // 3
  'app.get("/orders", async (req, res) => {', // 4
  "  const rows = await db.query(`SELECT * FROM orders WHERE id = '${req.query.id}'`);", // 5
  "  res.json(rows);", // 6
  "});", // 7
  `const token = "${SECRET}";`, // 8
  "module.exports = { app, token };", // 9
  "",
].join("\n");
const FILES: FakeFile[] = [
  {
    filename: "src/orders.js",
    status: "added",
    patch: `@@ -0,0 +1,9 @@\n${ROUTES.replace(/\n$/, "").split("\n").map((l) => `+${l}`).join("\n")}`,
    content: ROUTES,
  },
];

describe("the Action bundle against a fake GitHub", () => {
  let fake: FakeGitHub;
  let home: string;
  let actionDir: string;
  const token = "ghs_workflow" + synth("alnum", 24, 9);

  beforeAll(async () => {
    fake = new FakeGitHub(
      { owner: OWNER, repo: REPO, installationId: 1, pullNumber: PR, headSha: HEAD_SHA, baseSha: BASE_SHA, files: FILES },
      { id: 1, publicKey: appKeys().publicKey },
    );
    fake.tokens.add(token); // the workflow's GITHUB_TOKEN
    await fake.start();
    // What the runner checks out for `uses: owner/vibeguard@v1`, away from this checkout.
    home = tempDir("vibeguard-action-run-");
    actionDir = join(home, "_actions/vibeguard");
    mkdirSync(actionDir, { recursive: true });
    for (const entry of ["action.yml", "package.json", "rules", "dist/action"]) cpSync(join(REPO_ROOT, entry), join(actionDir, entry), { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await fake?.stop();
    if (home) removeDir(home);
  });

  function event(): Record<string, unknown> {
    const require = createRequire(import.meta.url);
    const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];
    const payload = structuredClone(examples.find((e) => e.name === "pull_request")!.examples.find((e) => e.action === "opened")!);
    const base = `http://${fake.host}`;
    const text = JSON.stringify(payload).replaceAll("https://api.github.com/", `${base}/api/v3/`).replaceAll("https://github.com/", `${base}/`);
    const p = JSON.parse(text) as Record<string, any>;
    p.repository.name = REPO;
    p.repository.owner.login = OWNER;
    p.repository.html_url = `${base}/${OWNER}/${REPO}`;
    Object.assign(p.pull_request, { number: PR, state: "open", draft: false, changed_files: FILES.length });
    p.pull_request.head.sha = HEAD_SHA;
    p.pull_request.base.sha = BASE_SHA;
    p.number = PR;
    delete p.installation;
    return p;
  }

  it("creates the failing check run with the checklist and posts the inline review, with the workflow token only", async () => {
    const workspace = join(home, "work");
    mkdirSync(workspace);
    writeFileSync(join(home, "event.json"), JSON.stringify(event()));
    writeFileSync(join(home, "summary.md"), "");
    writeFileSync(join(home, "output.txt"), "");
    const child = spawn(process.execPath, [join(actionDir, "dist/action/index.js")], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: join(home, "event.json"),
        GITHUB_API_URL: `http://${fake.host}/api/v3`,
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: join(home, "summary.md"),
        GITHUB_OUTPUT: join(home, "output.txt"),
        INPUT_GITHUB_TOKEN: token,
        INPUT_CONFIG: ".github/vibeguard.yml",
        INPUT_FAIL_ON: "",
        INPUT_COMMENT_MODE: "",
        INPUT_SARIF: "vibeguard.sarif",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    const requests = fake.requests.map((r) => `${r.method} ${r.url} -> ${r.status}${r.unhandled ? " (not faked)" : ""}`).join("\n");
    const context = `exit ${code}\n${output.slice(-4000)}\n${requests}`;

    // Findings at or above high: the step fails, as the check run does.
    expect(code, context).toBe(1);
    expect(output).toMatch(/::error::vibeguard: /);
    const run = [...fake.checkRuns.values()][0]!;
    expect(run.merged.head_sha, context).toBe(HEAD_SHA);
    expect(run.merged.conclusion).toBe("failure");
    expect((run.merged.output as { summary: string }).summary).toContain("SQL injection");
    expect(run.annotations.map((a) => a.start_line).sort()).toEqual([5, 8]);
    // One review with inline comments on the added lines.
    expect(fake.reviews).toHaveLength(1);
    const comments = fake.reviews[0]!.body.comments as { path: string; line: number; body: string }[];
    expect(comments.map((c) => [c.path, c.line]).sort()).toEqual([
      ["src/orders.js", 5],
      ["src/orders.js", 8],
    ]);
    // The secret never leaves in full; every request used the workflow token and was valid.
    expect(JSON.stringify(fake.requests.map((r) => r.rawBody))).not.toContain(SECRET);
    expect(output).not.toContain(SECRET);
    for (const r of fake.requests) expect(r.headers.authorization).toBe(`token ${token}`);
    expect(fake.requests.filter((r) => r.unhandled || r.status >= 400).map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual([
      // The config file does not exist at the base commit: defaults.
      `GET /api/v3/repos/${OWNER}/${REPO}/contents/.github%2Fvibeguard.yml?ref=${BASE_SHA} 404`,
    ]);
    const invalid = fake.requests.flatMap((r) => validateGitHubRequest(r.method, r.url, r.rawBody === "" ? undefined : r.rawBody));
    expect(invalid).toEqual([]);
    // Job summary, outputs and a valid SARIF file.
    expect(readFileSync(join(home, "summary.md"), "utf8")).toContain("SQL injection");
    expect(readFileSync(join(home, "output.txt"), "utf8")).toMatch(/conclusion<<[^\n]+\nfailure\n/);
    const sarif = JSON.parse(readFileSync(join(workspace, "vibeguard.sarif"), "utf8"));
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.runs[0].results.length).toBe(2);
    expect(relative(actionDir, join(actionDir, "dist/action/node_modules/tree-sitter"))).toBe("dist/action/node_modules/tree-sitter");
  }, 120_000);
});
