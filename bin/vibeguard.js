#!/usr/bin/env node
// Launcher. The installed package runs the compiled, bundled CLI (dist/cli/vibeguard.js, built
// by `npm run build` before `npm pack`). A source checkout (src/ next to bin/) runs the
// TypeScript through tsx instead, so a stale build can never stand in for the code being edited.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
const bundle = new URL("../dist/cli/vibeguard.js", import.meta.url);

if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import(source.href);
  process.exitCode = await main(process.argv.slice(2));
} else if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write("vibeguard: this installation has no dist/cli/vibeguard.js; reinstall the package (or run `npm run build` in a checkout)\n");
  process.exitCode = 2;
}
