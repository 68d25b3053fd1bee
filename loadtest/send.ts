// The load test's webhook sender, in a process of its own so the fake GitHub (busy serving the
// reviews) does not delay the answers it times. Reads {url, secret, payloads} as JSON on stdin,
// sends every payload at once as a signed pull_request delivery, and prints one JSON line:
// [{ ms, status }, ...] in payload order.
import { createHmac, randomUUID } from "node:crypto";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { url: string; secret: string; payloads: unknown[] };

const prepared = input.payloads.map((payload) => {
  const body = JSON.stringify(payload);
  return { body, signature: `sha256=${createHmac("sha256", input.secret).update(body).digest("hex")}` };
});

const results = await Promise.all(
  prepared.map(async ({ body, signature }) => {
    const started = performance.now();
    try {
      const res = await fetch(input.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": randomUUID(), "x-hub-signature-256": signature },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.text();
      return { ms: performance.now() - started, status: res.status };
    } catch {
      return { ms: performance.now() - started, status: 0 };
    }
  }),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
