// Entry point of the GitHub Action (bundled to dist/action/index.js by scripts/build-action.mjs).
import * as core from "@actions/core";
import { InputError, runAction } from "./run.js";

try {
  const result = await runAction();
  if (result.failure) core.setFailed(result.failure);
} catch (error) {
  // Input and setup errors are the user's to fix; anything else is named by type only, since a
  // message could quote file content.
  const e = error as Error;
  core.setFailed(error instanceof InputError ? `vibeguard: ${e.message}` : `vibeguard: internal error (${e.name ?? typeof error})`);
  if (process.env.RUNNER_DEBUG === "1") core.debug(e.stack ?? "");
}
