// The built-in rules as one JSON file written at build time (`npm run build`): parsing ~100 YAML
// files and validating them with zod costs about half a second of CPU on every start, JSON.parse
// of the validated result a few milliseconds. The snapshot records a digest of every rule file's
// name and content and is used only while the rule files still match it, so an edited rule is
// never shadowed by a stale snapshot (it is then read from YAML as before).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadedRule, LoadedRules } from "./load-rules.js";
import type { TaintLibrary } from "./rule-schema.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/**
 * Where the build puts the snapshot: next to the code for the Action's bundle (dist/action/),
 * else dist/rules.snapshot.json (from dist/engine/ and the CLI bundle in dist/cli/).
 */
export const SNAPSHOT_CANDIDATES = [resolve(HERE, "rules.snapshot.json"), resolve(HERE, "../rules.snapshot.json")];
const FORMAT = 1;

interface Snapshot {
  format: number;
  digest: string;
  rules: LoadedRule[];
  taintLibraries: [string, { library: TaintLibrary; file: string }][];
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...ruleFiles(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** sha256 over every rule file's path (relative to `dir`) and bytes. */
export function rulesDigest(dir: string): string {
  const hash = createHash("sha256");
  for (const file of ruleFiles(dir)) {
    hash.update(relative(dir, file).split("\\").join("/")).update("\0");
    hash.update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export function writeRulesSnapshot(dir: string, loaded: LoadedRules, file: string): void {
  // Stored relative to the rules folder; shown relative to the current folder when read.
  const stored = (f: string) => relative(dir, resolve(process.cwd(), f)).split("\\").join("/");
  const snapshot: Snapshot = {
    format: FORMAT,
    digest: rulesDigest(dir),
    rules: loaded.rules.map((r) => ({ definition: r.definition, file: stored(r.file) })),
    taintLibraries: [...loaded.taintLibraries].map(([language, entry]) => [language, { library: entry.library, file: stored(entry.file) }]),
  };
  writeFileSync(file, `${JSON.stringify(snapshot)}\n`);
}

/** The snapshot's rules when it exists and matches the rule files in `dir`; otherwise undefined. */
export function readRulesSnapshot(dir: string, files: readonly string[] = SNAPSHOT_CANDIDATES): LoadedRules | undefined {
  const file = files.find((f) => existsSync(f));
  if (file === undefined) return undefined; // a source checkout: read the YAML
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  } catch {
    return undefined; // unreadable: read the YAML
  }
  if (snapshot.format !== FORMAT || !Array.isArray(snapshot.rules) || !Array.isArray(snapshot.taintLibraries)) return undefined;
  try {
    if (snapshot.digest !== rulesDigest(dir)) return undefined;
  } catch {
    return undefined;
  }
  // File names are shown relative to the current folder, as loadRules shows them.
  const shown = (f: string) => relative(process.cwd(), resolve(dir, f)) || f;
  return {
    rules: snapshot.rules.map((r) => ({ definition: r.definition, file: shown(r.file) })),
    taintLibraries: new Map(snapshot.taintLibraries.map(([language, entry]) => [language, { library: entry.library, file: shown(entry.file) }])),
  };
}
