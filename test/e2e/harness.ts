// Starts the real server (src/server.ts through tsx, or a built entry) as a child process,
// pointed at a FakeGitHub through GHE_HOST/GHE_PROTOCOL, and delivers signed webhooks to it.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export function appKeys(): { privateKey: string; publicKey: KeyObject } {
  // PKCS#1 PEM, the format GitHub hands out for App private keys.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), publicKey };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Everything the child wrote to stdout and stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start the server. E2E_SERVER_ENTRY picks the entry: default src/server.ts (run through tsx, as
 * `npm start` does); a .js path (e.g. dist/server.js) runs with plain node.
 */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<RunningServer> {
  const port = await freePort();
  const entry = process.env.E2E_SERVER_ENTRY ?? "src/server.ts";
  const entryPath = isAbsolute(entry) ? entry : join(ROOT, entry);
  const args = entryPath.endsWith(".ts") ? [join(ROOT, "node_modules/tsx/dist/cli.mjs"), entryPath] : [entryPath];
  // An empty working directory: Probot loads ./.env over the environment, and a developer's
  // .env must not leak into the test.
  const cwd = mkdtempSync(join(tmpdir(), "vibeguard-e2e-"));
  const child = spawn(process.execPath, args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? cwd,
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(cwd, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return { url, child, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop();
  throw new Error(`server did not become healthy (exit code ${String(child.exitCode)}):\n${output}`);
}

/** Run the server expecting it to exit; resolves with its exit code and output. */
export async function runToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  const entry = process.env.E2E_SERVER_ENTRY ?? "src/server.ts";
  const entryPath = isAbsolute(entry) ? entry : join(ROOT, entry);
  const args = entryPath.endsWith(".ts") ? [join(ROOT, "node_modules/tsx/dist/cli.mjs"), entryPath] : [entryPath];
  const cwd = mkdtempSync(join(tmpdir(), "vibeguard-e2e-"));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: cwd, HOST: "127.0.0.1", PORT: String(await freePort()), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  clearTimeout(timer);
  rmSync(cwd, { recursive: true, force: true });
  return { code, output };
}

export async function deliver(
  url: string,
  event: string,
  payload: unknown,
  signature: string | undefined,
): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": randomUUID(),
    "user-agent": "GitHub-Hookshot/e2e",
  };
  if (signature !== undefined) headers["x-hub-signature-256"] = signature;
  const send = () => fetch(`${url}/api/github/webhooks`, { method: "POST", headers, body, signal: AbortSignal.timeout(30_000) });
  let res: Response;
  try {
    res = await send();
  } catch (error) {
    // fetch reuses a kept-alive socket the server may be closing at that very moment (its idle
    // timeout is 5 s): the request never reached the server, so sending it again is safe.
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET") throw error;
    res = await send();
  }
  return { status: res.status, text: await res.text() };
}
