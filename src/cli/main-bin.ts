// The installed CLI's entry point, bundled to dist/cli/vibeguard.js (scripts/build.mjs) and run
// by bin/vibeguard.js: one file to load instead of a hundred modules.
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
