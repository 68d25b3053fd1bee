// The Probot app: reviews every pull request (and merge group) for security flaws, reports the
// security checklist in the "vibeguard" check run and comments inline on new findings.
// The handlers live in src/github/app.ts; this file wires in the real analysis.
import type { Probot } from "probot";
import { analyze } from "./analysis/analyze.js";
import { DependencyClient } from "./deps/client.js";
import { createVibeguardApp } from "./github/app.js";
import { scheduleStaleRunSweep } from "./github/stale-runs.js";

// One registry/OSV client for the App's lifetime, so its TTL cache serves every review.
const dependencyClient = new DependencyClient();
const deps = { analyze: ((files, options) => analyze(files, { ...options, dependencyClient })) as typeof analyze };
const handlers = createVibeguardApp(deps);

const app: (app: Probot) => void = (probot) => {
  handlers(probot);
  // Check runs a previous process left in progress are re-run (or concluded) shortly after start.
  scheduleStaleRunSweep(probot, deps);
};

export default app;
