// Builds what ships (run through `npm run build` / `npm run build:action`):
//
//   node scripts/build.mjs            the npm package: tsc output in dist/ (the App runs
//                                     dist/server.js), the CLI as one bundled file
//                                     dist/cli/vibeguard.js (what bin/vibeguard.js runs), and
//                                     dist/rules.snapshot.json
//   node scripts/build.mjs --action   the GitHub Action, committed: dist/action/index.js (one
//                                     ES module with every JavaScript dependency inlined),
//                                     dist/action/rules.snapshot.json, and dist/action/node_modules
//                                     holding only the native parsers (see NATIVE below)
//
// tree-sitter and its grammars are native addons (.node files loaded through node-gyp-build).
// A bundler cannot inline them, so they stay external: the CLI package lists them as
// dependencies (npm installs them with their prebuilt binaries); the Action, which must run
// without `npm install`, ships each native package trimmed to its loader, its package.json and
// its prebuilt binaries for every platform the packages publish (linux, macOS, Windows; x64 and
// arm64), next to the bundle, where Node's module resolution finds them.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The native packages: what each needs at run time besides its prebuilds/ folder. */
export const NATIVE = {
  "tree-sitter": ["package.json", "index.js", "LICENSE"],
  "node-gyp-build": ["package.json", "index.js", "node-gyp-build.js", "LICENSE"],
  "tree-sitter-javascript": ["package.json", "bindings/node/index.js", "LICENSE"],
  "tree-sitter-python": ["package.json", "bindings/node/index.js", "LICENSE"],
  "tree-sitter-typescript": ["package.json", "bindings/node/index.js", "LICENSE"],
};
const EXTERNAL = Object.keys(NATIVE);

// Bundled CommonJS dependencies call require() for Node's built-ins; an ES module has none.
const BANNER = 'import { createRequire as __vibeguardCreateRequire } from "node:module";\nconst require = __vibeguardCreateRequire(import.meta.url);';

/** esbuild options shared by every bundle; deterministic for the same sources. */
export function bundleOptions(entry, outfile) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    // jsonc-parser's "main" is a UMD build whose factory requires its parts at run time, which
    // a bundle cannot resolve; its ES module build bundles cleanly.
    alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
    banner: { js: BANNER },
    legalComments: "eof",
    logLevel: "warning",
  };
}

/** The built-in rules, parsed and validated, as src/engine/rules-snapshot.ts reads them. */
async function writeSnapshot(outFile) {
  const dir = mkdtempSync(join(tmpdir(), "vibeguard-build-"));
  try {
    const helper = join(dir, "snapshot.mjs");
    await esbuild.build({ ...bundleOptions("src/engine/rules-snapshot-writer.ts", helper), logLevel: "error" });
    const { writeBuiltInSnapshot } = await import(pathToFileURL(helper).href);
    writeBuiltInSnapshot(join(ROOT, "rules"), outFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function copyNativePackages(into) {
  rmSync(into, { recursive: true, force: true });
  for (const [name, files] of Object.entries(NATIVE)) {
    const from = join(ROOT, "node_modules", name);
    const to = join(into, name);
    for (const file of files) {
      if (!existsSync(join(from, file))) throw new Error(`${name}: ${file} is missing; run npm ci`);
      mkdirSync(dirname(join(to, file)), { recursive: true });
      cpSync(join(from, file), join(to, file));
    }
    if (existsSync(join(from, "prebuilds"))) cpSync(join(from, "prebuilds"), join(to, "prebuilds"), { recursive: true });
  }
  // tree-sitter's own linux-x64 prebuild links against GLIBCXX_3.4.31 (GCC 13's libstdc++), which
  // Ubuntu 22.04 runners and Debian 12 lack. `npm ci` compiles the core with node-gyp (see the
  // README); that build needs only GLIBCXX_3.4.29 and GLIBC_2.17, so it replaces the prebuild.
  const local = join(ROOT, "node_modules/tree-sitter/build/Release/tree_sitter_runtime_binding.node");
  if (process.platform === "linux" && process.arch === "x64" && existsSync(local)) {
    cpSync(local, join(into, "tree-sitter/prebuilds/linux-x64/tree-sitter.node"));
  }
}

function size(path) {
  let total = 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  for (const entry of readdirSync(path)) total += size(join(path, entry));
  return total;
}

export async function buildAction(outDir = join(ROOT, "dist/action")) {
  mkdirSync(outDir, { recursive: true });
  await esbuild.build(bundleOptions("src/action/main.ts", join(outDir, "index.js")));
  await writeSnapshot(join(outDir, "rules.snapshot.json"));
  copyNativePackages(join(outDir, "node_modules"));
  return outDir;
}

async function buildPackage() {
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  await esbuild.build(bundleOptions("src/cli/main-bin.ts", join(ROOT, "dist/cli/vibeguard.js")));
  await writeSnapshot(join(ROOT, "dist/rules.snapshot.json"));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes("--action")) {
    // --out <dir>: build elsewhere (the test that the committed bundle is current compares the two).
    const at = process.argv.indexOf("--out");
    const out = await buildAction(at > 0 ? process.argv[at + 1] : undefined);
    const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.log(`${relative(ROOT, out)}/index.js ${mb(size(join(out, "index.js")))}; node_modules ${mb(size(join(out, "node_modules")))}`);
  } else {
    await buildPackage();
    console.log("dist/ built: dist/cli/vibeguard.js, dist/rules.snapshot.json, dist/server.js");
  }
}
