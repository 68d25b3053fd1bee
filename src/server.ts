// The GitHub App's HTTP server: `npm start` (tsx src/server.ts) or `node dist/server.js`.
//
// Probot's run() does the work and reads Probot's standard environment (after loading .env):
//   APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT (3000), HOST (localhost),
//   WEBHOOK_PATH (/api/github/webhooks), LOG_LEVEL, LOG_FORMAT, WEBHOOK_PROXY_URL, and
//   GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server (the API base URL becomes
//   <GHE_PROTOCOL>://<GHE_HOST>/api/v3 and GraphQL <...>/api/graphql).
// Without APP_ID/PRIVATE_KEY outside production it serves Probot's setup flow, which registers
// the App from app.yml. Webhook signatures are verified by Probot with WEBHOOK_SECRET.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { run, type ApplicationFunction, type ApplicationFunctionOptions, type Probot } from "probot";
import app from "./index.js";

export const HEALTH_PATH = "/healthz";

/** GET/HEAD /healthz: 200 once Probot has loaded the App and the server is listening. */
export function healthz(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== HEALTH_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const body = JSON.stringify({ status: "ok" });
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

/**
 * Refuse to run a real App (APP_ID set) without WEBHOOK_SECRET: Probot would otherwise fall
 * back to the well-known secret "development" and accept forged webhooks.
 */
export function checkProductionConfig(env: NodeJS.ProcessEnv): void {
  if (env.APP_ID && !env.WEBHOOK_SECRET) {
    throw new Error("WEBHOOK_SECRET is required when APP_ID is set: webhook signatures cannot be verified without it.");
  }
}

type AppFn = (app: Probot, options: ApplicationFunctionOptions) => void | Promise<void>;

/** The App function Probot loads: the health route, then vibeguard itself. */
export function withServerRoutes(appFn: AppFn): ApplicationFunction {
  return async (probot, options) => {
    // Runs after run() has applied .env, so a secret written there by the setup flow counts.
    checkProductionConfig(process.env);
    options.addHandler(healthz);
    await appFn(probot, options);
  };
}

export async function startServer(appFn: AppFn = app): Promise<Awaited<ReturnType<typeof run>>> {
  const server = await run(withServerRoutes(appFn));
  // run() stops on SIGINT; containers are stopped with SIGTERM.
  process.once("SIGTERM", () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  return server;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  startServer().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
