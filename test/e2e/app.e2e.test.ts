// Black-box test of the GitHub App: the real server in a child process, a fake GitHub
// Enterprise Server on 127.0.0.1, a signed pull_request webhook in GitHub's own format, and
// assertions on every request the App sends back.
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synth, tok } from "../../src/secrets/samples.js";
import { validateGitHubRequest } from "../support/openapi.js";
import { FakeGitHub, blobSha, diffLines, type CapturedRequest, type FakeFile } from "./fake-github.js";
import { appKeys, deliver, runToExit, sign, startServer, type RunningServer } from "./harness.js";

const APP_ID = 424242;
const INSTALLATION_ID = 9876543;
const WEBHOOK_SECRET = "e2e-webhook-secret-" + synth("alnum", 16, 3);
const OWNER = "Codertocat";
const REPO = "Hello-World";
const HEAD_SHA = blobSha("head commit");
const BASE_SHA = blobSha("base commit");

// Built at runtime so no complete token literal sits in the repository.
const SECRET = tok("github", "_pat_", synth("alnum", 22, 41), "_", synth("alnum", 59, 42));

// The PR modifies src/routes/users.js: line 7 gains a SQL injection, line 11 a hardcoded token.
const USERS_JS = [
  'const express = require("express");', // 1
  'const db = require("../db");', // 2
  "", // 3
  "const router = express.Router();", // 4
  "", // 5
  'router.get("/users", async (req, res) => {', // 6
  "  const rows = await db.query(`SELECT * FROM users WHERE name = '${req.query.name}'`);", // 7 (added)
  "  res.json(rows);", // 8
  "});", // 9
  "", // 10
  `const githubToken = "${SECRET}";`, // 11 (added)
  "", // 12
  "module.exports = { router, githubToken };", // 13 (added)
  "",
].join("\n");
const SQL_LINE = 7;
const SECRET_LINE = 11;
const USERS_PATCH = [
  "@@ -4,8 +4,10 @@ const db = require(\"../db\");",
  " const router = express.Router();",
  " ",
  ' router.get("/users", async (req, res) => {',
  '-  const rows = await db.query("SELECT * FROM users WHERE name = $1", [req.query.name]);',
  "+  const rows = await db.query(`SELECT * FROM users WHERE name = '${req.query.name}'`);",
  "   res.json(rows);",
  " });",
  " ",
  `+const githubToken = "${SECRET}";`,
  "+",
  "-module.exports = router;",
  "+module.exports = { router, githubToken };",
].join("\n");

const README = "# Hello World\n\nNow with users.\n";
const FILES: FakeFile[] = [
  { filename: "src/routes/users.js", status: "modified", patch: USERS_PATCH, content: USERS_JS },
  { filename: "README.md", status: "modified", patch: "@@ -1 +1,3 @@\n # Hello World\n+\n+Now with users.", content: README },
];
const ADDED = new Map(FILES.map((f) => [f.filename, diffLines(f.patch!).added]));

function pullRequestEvent(fakeBase: string, action: "opened" | "synchronize", headSha = HEAD_SHA): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
  const opened = examples.find((e) => e.name === "pull_request")!.examples.find((e) => e.action === action)!;
  // The example is a real github.com delivery: point its URLs at the fake GHES host.
  const text = JSON.stringify(opened)
    .replaceAll("https://api.github.com/", `${fakeBase}/api/v3/`)
    .replaceAll("https://github.com/", `${fakeBase}/`);
  const payload = JSON.parse(text) as Record<string, any>;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uOTg3NjU0Mw==" };
  const pr = payload.pull_request;
  pr.draft = false;
  pr.state = "open";
  pr.head.sha = headSha;
  pr.base.sha = BASE_SHA;
  pr.changed_files = FILES.length;
  payload.number = pr.number;
  if (action === "synchronize") {
    payload.before = HEAD_SHA;
    payload.after = headSha;
  }
  return payload;
}

/** Wait for a concluded check run, then for the App to stop talking. */
async function untilCompleted(fake: FakeGitHub, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && ![...fake.checkRuns.values()].some((r) => r.merged.conclusion !== undefined)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // The review follows the check run's completion (after the head check): wait for it too.
  while (Date.now() < deadline && !fake.requests.some((r) => r.method === "POST" && /\/pulls\/\d+\/reviews$/.test(r.pathname))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // Quiet for longer than the throttling plugin's one second between writes: the review (a write
  // after the check run's completion, another write) is then certainly sent.
  await fake.idle(2_000, 20_000);
}

/**
 * Requests that github.com's or the oldest supported GHES's OpenAPI description would reject
 * (the validator strips the /api/v3 prefix): the App must work against both.
 */
function invalidRequests(requests: CapturedRequest[]): string[] {
  return (["api.github.com", "ghes-3.17"] as const).flatMap((spec) =>
    requests.flatMap((r) =>
      validateGitHubRequest(r.method, r.url, r.rawBody === "" ? undefined : r.rawBody, { spec }).map((e) => `[${spec}] ${e}`),
    ),
  );
}

function summary(requests: CapturedRequest[]): string {
  return requests.map((r) => `${r.method} ${r.url} -> ${r.status}${r.unhandled ? " (not faked)" : ""}`).join("\n");
}

describe("vibeguard App end to end against a fake GitHub Enterprise Server", () => {
  const keys = appKeys();
  let fake: FakeGitHub;
  let server: RunningServer;
  let payload: Record<string, unknown>;

  beforeAll(async () => {
    fake = new FakeGitHub(
      { owner: OWNER, repo: REPO, installationId: INSTALLATION_ID, pullNumber: 0, headSha: HEAD_SHA, baseSha: BASE_SHA, files: FILES },
      { id: APP_ID, publicKey: keys.publicKey },
    );
    await fake.start();
    payload = pullRequestEvent(`http://${fake.host}`, "opened");
    fake.repo.pullNumber = payload.number as number;
    server = await startServer({
      APP_ID: String(APP_ID),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
  });

  it("answers /healthz with 200", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("rejects webhooks with a bad or missing signature, and never calls GitHub for them", async () => {
    const before = fake.requests.length;
    const bad = await deliver(server.url, "pull_request", payload, sign("not-the-secret", JSON.stringify(payload)));
    expect([400, 401]).toContain(bad.status);
    const tampered = await deliver(server.url, "pull_request", { ...payload, number: 999 }, sign(WEBHOOK_SECRET, JSON.stringify(payload)));
    expect([400, 401]).toContain(tampered.status);
    const missing = await deliver(server.url, "pull_request", payload, undefined);
    expect([400, 401]).toContain(missing.status);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.length).toBe(before);
  });

  it("reviews a signed pull_request.opened delivery: token, files, contents, failing check run, inline comments", async () => {
    const res = await deliver(server.url, "pull_request", payload, sign(WEBHOOK_SECRET, JSON.stringify(payload)));
    expect([200, 202], `webhook answered ${res.status}: ${res.text}\n${server.output()}`).toContain(res.status);

    await untilCompleted(fake);
    const requests = fake.requests;
    const context = `requests:\n${summary(requests)}\n\nserver output:\n${server.output().slice(-6000)}`;

    // Installation token: created with the App's JWT for this installation.
    expect(
      requests.some((r) => r.method === "POST" && r.pathname === `/api/v3/app/installations/${INSTALLATION_ID}/access_tokens` && r.status === 201),
      context,
    ).toBe(true);
    // Every request went to the GHES paths (REST under /api/v3, GraphQL at /api/graphql), authenticated.
    for (const r of requests) {
      expect(r.pathname.startsWith("/api/v3/") || r.pathname === "/api/graphql", `${r.method} ${r.url}`).toBe(true);
      expect(r.headers.authorization, `${r.method} ${r.url} had no Authorization header`).toBeTruthy();
    }
    expect(requests.filter((r) => r.status === 401 || r.status === 403).map((r) => `${r.method} ${r.url}`), context).toEqual([]);
    expect(requests.filter((r) => r.status === 422).map((r) => `${r.method} ${r.url}: ${r.rawBody.slice(0, 500)}`), context).toEqual([]);
    expect(requests.filter((r) => r.unhandled).map((r) => `${r.method} ${r.url}`), context).toEqual([]);

    // The PR's files and the changed file's contents.
    expect(requests.some((r) => r.method === "GET" && r.pathname === `/api/v3/repos/${OWNER}/${REPO}/pulls/${fake.repo.pullNumber}/files`), context).toBe(true);
    const contentRead = requests.some(
      (r) =>
        r.method === "GET" &&
        r.status === 200 &&
        (decodeURIComponent(r.pathname) === `/api/v3/repos/${OWNER}/${REPO}/contents/src/routes/users.js` ||
          r.pathname === `/api/v3/repos/${OWNER}/${REPO}/git/blobs/${blobSha(USERS_JS)}`),
    );
    expect(contentRead, context).toBe(true);

    // One check run for the head commit, completed as a failure, annotated on the added lines.
    const runs = [...fake.checkRuns.values()];
    expect(runs.length, context).toBeGreaterThanOrEqual(1);
    const run = runs.find((r) => r.merged.conclusion !== undefined)!;
    expect(run, context).toBeDefined();
    expect(run.merged.head_sha).toBe(HEAD_SHA);
    expect(run.merged.status ?? "completed").toBe("completed");
    expect(run.merged.conclusion).toBe("failure");
    const output = run.merged.output as { title?: string; summary?: string };
    expect(output.title, context).toBeTruthy();
    expect(output.summary, context).toBeTruthy();
    const annotated = run.annotations.map((a) => `${String(a.path)}:${String(a.start_line)}`);
    expect(annotated, context).toContain(`src/routes/users.js:${SQL_LINE}`);
    expect(annotated, context).toContain(`src/routes/users.js:${SECRET_LINE}`);
    for (const a of run.annotations) {
      expect(ADDED.get(String(a.path))?.has(Number(a.start_line)), `annotation off an added line: ${JSON.stringify(a)}`).toBe(true);
    }

    // Inline review comments, only on added lines, on the head commit.
    const inline: Record<string, unknown>[] = [
      ...fake.reviews.flatMap((r) => ((r.body.comments ?? []) as Record<string, unknown>[]).map((c) => ({ ...c, commit_id: r.body.commit_id }))),
      ...requests
        .filter((r) => r.method === "POST" && r.pathname.endsWith(`/pulls/${fake.repo.pullNumber}/comments`) && r.status < 300)
        .map((r) => r.body as Record<string, unknown>),
    ];
    expect(inline.length, context).toBeGreaterThanOrEqual(1);
    for (const c of inline) {
      expect(c.side ?? "RIGHT", JSON.stringify(c)).toBe("RIGHT");
      expect(ADDED.get(String(c.path))?.has(Number(c.line)), `comment off an added line: ${JSON.stringify(c)}`).toBe(true);
      if (c.start_line !== undefined) expect(ADDED.get(String(c.path))?.has(Number(c.start_line))).toBe(true);
      if (c.commit_id !== undefined) expect(c.commit_id).toBe(HEAD_SHA);
    }
    expect(inline.map((c) => Number(c.line)), context).toContain(SQL_LINE);

    // The token never leaves in full: not in any body, URL or header sent to GitHub.
    for (const r of requests) {
      expect(r.rawBody.includes(SECRET), `${r.method} ${r.url} body contains the secret`).toBe(false);
      expect(r.url.includes(SECRET)).toBe(false);
      expect(JSON.stringify(r.headers).includes(SECRET)).toBe(false);
    }
    // ...nor a long piece of it (a redaction keeps at most a short prefix/suffix).
    const middle = SECRET.slice(16, 48);
    expect(requests.filter((r) => r.rawBody.includes(middle)).map((r) => `${r.method} ${r.url}`)).toEqual([]);

    // Every request is one GitHub's OpenAPI descriptions (github.com and GHES) accept.
    expect(invalidRequests(requests), context).toEqual([]);
  }, 45_000);

  it("sends more than 50 annotations in batches GitHub accepts, and caps inline comments", async () => {
    // A push adds a file with 60 hardcoded tokens: 60 findings, more than one request's worth.
    const count = 60;
    const secrets = Array.from({ length: count }, (_, i) => tok("github", "_pat_", synth("alnum", 22, 100 + i), "_", synth("alnum", 59, 200 + i)));
    const content = secrets.map((s, i) => `export const token${i} = "${s}";`).join("\n") + "\n";
    const headSha = blobSha("second head commit");
    const previous = { headSha: fake.repo.headSha, files: fake.repo.files };
    fake.repo.headSha = headSha;
    fake.repo.files = [
      ...FILES,
      { filename: "src/keys.js", status: "added", content, patch: `@@ -0,0 +1,${count} @@\n` + content.trimEnd().split("\n").map((l) => `+${l}`).join("\n") },
    ];
    fake.reset();
    try {
      const event = pullRequestEvent(`http://${fake.host}`, "synchronize", headSha);
      const res = await deliver(server.url, "pull_request", event, sign(WEBHOOK_SECRET, JSON.stringify(event)));
      expect([200, 202]).toContain(res.status);
      await untilCompleted(fake);
      const requests = fake.requests;
      const context = `requests:\n${summary(requests)}\n\nserver output:\n${server.output().slice(-4000)}`;

      expect(requests.filter((r) => r.status >= 400 && !/\/contents\/\.github/.test(r.url)).map((r) => `${r.method} ${r.url} -> ${r.status}`), context).toEqual([]);
      const run = [...fake.checkRuns.values()].find((r) => r.merged.conclusion !== undefined);
      expect(run, context).toBeDefined();
      expect(run!.merged.conclusion).toBe("failure");
      // Every request carried at most 50 (the fake answers 422 otherwise), and all of them arrived.
      for (const body of run!.bodies) {
        expect(((body.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length).toBeLessThanOrEqual(50);
      }
      const keyLines = new Set(run!.annotations.filter((a) => a.path === "src/keys.js").map((a) => Number(a.start_line)));
      expect(keyLines.size, context).toBe(count);
      // Inline comments stay within max_comments (default 25) and on added lines.
      const inline = fake.reviews.flatMap((r) => (r.body.comments ?? []) as Record<string, unknown>[]);
      expect(inline.length, context).toBeGreaterThan(0);
      expect(inline.length).toBeLessThanOrEqual(25);
      for (const c of inline) {
        const added = c.path === "src/keys.js" ? new Set(Array.from({ length: count }, (_, i) => i + 1)) : ADDED.get(String(c.path));
        expect(added?.has(Number(c.line)), JSON.stringify(c)).toBe(true);
      }
      for (const r of requests) {
        for (const secret of secrets) expect(r.rawBody.includes(secret), `${r.method} ${r.url} leaks a token`).toBe(false);
      }
      expect(invalidRequests(requests), context).toEqual([]);
    } finally {
      fake.repo.headSha = previous.headSha;
      fake.repo.files = previous.files;
    }
  }, 45_000);
});

describe("server startup checks", () => {
  it("refuses to start with APP_ID but without WEBHOOK_SECRET", async () => {
    const { privateKey } = appKeys();
    const { code, output } = await runToExit({ APP_ID: "1", PRIVATE_KEY: privateKey, NODE_ENV: "production" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/WEBHOOK_SECRET/);
  }, 25_000);

  it("refuses to start in production without APP_ID", async () => {
    const { code, output } = await runToExit({ NODE_ENV: "production", WEBHOOK_SECRET: "x" });
    expect(code).not.toBe(0);
    expect(output).toMatch(/APP_ID/);
  }, 25_000);
});
