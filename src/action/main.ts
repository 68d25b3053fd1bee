// Entry point of the GitHub Action (bundled to dist/action/index.js by scripts/build-action.mjs).
import * as core from "@actions/core";
import { InputError, runAction } from "./run.js";

try {
  const result = await runAction();
  if (result.failure) core.setFailed(result.failure);
} catch (error) {
  // Input and setup errors are the user's to fix; anything else is named by type only, since a
  // message could quote file content.
  const e = error as NodeJS.ErrnoException;
  if (error instanceof InputError) core.setFailed(`vibeguard: ${e.message}`);
  else if (e.code === "ERR_DLOPEN_FAILED" || e.code === "MODULE_NOT_FOUND") {
    // A native parser that does not load on this runner (the message names a library and a path).
    core.setFailed(`vibeguard: cannot load the tree-sitter parsers on ${process.platform}-${process.arch}: ${String(e.message).split("\n")[0]}`);
  } else core.setFailed(`vibeguard: internal error (${e.name ?? typeof error})`);
  if (process.env.RUNNER_DEBUG === "1") core.debug(e.stack ?? "");
}
