// The Probot app: reviews every pull request (and merge group) for security flaws, reports the
// security checklist in the "vibeguard" check run and comments inline on new findings.
// The handlers live in src/github/app.ts; this file wires in the real analysis.
import type { Probot } from "probot";
import { analyze } from "./analysis/analyze.js";
import { DependencyClient } from "./deps/client.js";
import { createVibeguardApp } from "./github/app.js";

// One registry/OSV client for the App's lifetime, so its TTL cache serves every review.
const dependencyClient = new DependencyClient();

const app: (app: Probot) => void = createVibeguardApp({
  analyze: (files, options) => analyze(files, { ...options, dependencyClient }),
});

export default app;
