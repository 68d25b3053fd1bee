// Logging (issue 12, point 6): JSON lines that carry the job's identity on every line the job
// writes, with tokens, private keys, the webhook secret and detected secrets redacted wherever
// they appear.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import nock from "nock";
import { analyze } from "../../src/analysis/analyze.js";
import { createLogger, scrubLogLine } from "../../src/logging.js";
import {
  HEAD_SHA,
  INSTALLATION_ID,
  OWNER,
  PR_NUMBER,
  REPO,
  addedPatch,
  createTestApp,
  github,
  mockCheckCreate,
  mockCheckUpdates,
  mockConfig,
  mockFiles,
  pullRequestPayload,
  testPrivateKey,
} from "./helpers.js";

afterEach(() => {
  nock.cleanAll();
});

const WEBHOOK_SECRET = "test-secret"; // createTestApp's
const INSTALLATION_TOKEN = `ghs_${"A1b2C3d4E5".repeat(3)}xyz123`;
const STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9Qz2";
const AWS = "AKIAZ4QW7RTY2XPL6MNB";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDAsImlzcyI6MTIzfQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";

function memory(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

/** Every way a credential could appear, as raw text, in JSON escapes or in part. */
function leaks(text: string, privateKey: string): string[] {
  const found: string[] = [];
  const body = privateKey.split("\n").filter((l) => l && !l.startsWith("-----"));
  for (const [name, value] of [
    ["installation token", INSTALLATION_TOKEN],
    ["webhook secret", WEBHOOK_SECRET],
    ["stripe key", STRIPE],
    ["aws key", AWS],
    ["jwt", JWT],
    ["private key line", body[3]!],
    ["private key header", "BEGIN RSA PRIVATE KEY"],
  ] as const) {
    if (text.includes(value)) found.push(name);
  }
  return found;
}

describe("log redaction", () => {
  it("redacts every kind of credential fed to the logger, wherever it is", () => {
    const { lines, stream } = memory();
    const privateKey = testPrivateKey();
    const log = createLogger({ stream, secrets: [WEBHOOK_SECRET, privateKey], level: "debug" });
    log.info({ headers: { authorization: `token ${INSTALLATION_TOKEN}` } }, "request");
    log.info({ request: { headers: { authorization: `bearer ${JWT}` } } }, "app request");
    log.error({ err: new Error(`could not sign with ${privateKey}`) }, "auth failed");
    log.warn(`webhook secret was ${WEBHOOK_SECRET} and token ${INSTALLATION_TOKEN}`);
    log.debug({ body: { comments: [{ body: `const k = "${STRIPE}"; // ${AWS}` }] } }, "GitHub request: POST /reviews - 200");
    log.info({ token: INSTALLATION_TOKEN, nested: { secret: WEBHOOK_SECRET, privateKey } }, "fields");
    log.child({ job: 1 }).info({ config: { webhookSecret: WEBHOOK_SECRET } }, `JWT ${JWT}`);
    expect(lines).toHaveLength(7);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(leaks(lines.join("\n"), privateKey)).toEqual([]);
    expect(lines.join("\n")).toContain("[REDACTED");
  });

  it("keeps ordinary lines as they are", () => {
    const line = JSON.stringify({ level: 30, msg: "vibeguard: check run completed", checkRun: 4242, sha: HEAD_SHA });
    expect(scrubLogLine(line, { secrets: [WEBHOOK_SECRET] })).toBe(line);
  });
});

describe("a job's log lines", () => {
  it("carry delivery id, installation, repository, pull request and head on every line, and no credential", async () => {
    const gh = github();
    // The installation token this run gets: a real-looking one, so a leak would show.
    nock.removeInterceptor({ hostname: "api.github.com", path: `/app/installations/${INSTALLATION_ID}/access_tokens`, method: "POST", proto: "https" });
    nock("https://api.github.com")
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: INSTALLATION_TOKEN, expires_at: "2099-01-01T00:00:00Z", permissions: { checks: "write" } });
    const content = `export const stripe = "${STRIPE}";\nexport const aws = "${AWS}";\n`;
    mockCheckCreate(gh);
    mockConfig(gh, "comment_mode: checks-only\n");
    mockFiles(gh, [{ filename: "src/keys.ts", patch: addedPatch(content), content }]);
    mockCheckUpdates(gh);
    const privateKey = testPrivateKey();
    let lines: string[] = [];
    const app = createTestApp((files, options) => analyze(files, options), {
      log: (stream) => {
        const mem = memory();
        lines = mem.lines;
        mem.stream.on("finish", () => stream.end());
        return createLogger({ stream: mem.stream, secrets: [WEBHOOK_SECRET, privateKey], level: "debug" });
      },
    });
    await app.probot.receive({ id: "delivery-42", name: "pull_request", payload: pullRequestPayload("opened") } as never);
    await app.queue().idle();

    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const job = parsed.filter((l) => String(l.msg).startsWith("vibeguard:") || l.name === "github");
    expect(job.length).toBeGreaterThan(5); // the GitHub requests (debug) and the run's own lines
    for (const line of job) {
      expect(line).toMatchObject({ deliveryId: "delivery-42", installation: INSTALLATION_ID, repository: `${OWNER}/${REPO}`, pr: PR_NUMBER, headSha: HEAD_SHA });
    }
    // The analysis found both secrets: the check run says so, the logs never show them.
    const update = gh.requests.find((r) => r.method === "PATCH")!.body as Record<string, any>;
    expect(update.conclusion).toBe("failure");
    expect(leaks(lines.join("\n"), privateKey)).toEqual([]);
  });
});
