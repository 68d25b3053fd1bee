// Loads rule files from disk and validates each with zod; a bad file stops the load with a
// message naming the file and the field.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { readRulesSnapshot } from "./rules-snapshot.js";
import { ruleSchema, taintLibrarySchema, type RuleDefinition, type TaintLibrary } from "./rule-schema.js";

export const DEFAULT_RULES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../rules");

/** A rule as read from disk, with where it came from. */
export interface LoadedRule {
  definition: RuleDefinition;
  file: string;
}

export interface LoadedRules {
  rules: LoadedRule[];
  /** Shared taint endpoint sets, by rule language. */
  taintLibraries: Map<string, { library: TaintLibrary; file: string }>;
}

export class RuleLoadError extends Error {
  override name = "RuleLoadError";
  constructor(
    readonly file: string,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ""}${detail}`);
  }
}

const TAINT_LIBRARY_FILE = "taint-library.yml";

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function firstIssue(error: z.ZodError): { field: string; detail: string } {
  const issue = error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return { field: issue.keys.map((k) => [...path, k].join(".")).join(", "), detail: "unknown field" };
  }
  return { field: path.join("."), detail: issue.message };
}

function parseYamlText(text: string, shown: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new RuleLoadError(shown, "", `invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Parsed YAML of a rules folder, cached in the temp folder under a hash of every file's path and
 * text: parsing the catalogue's YAML is most of a cold start (the YAML parser is slow until the
 * JIT warms up), reading JSON is not. Validation still runs on every load; a cache that cannot
 * be read or written is ignored. Only the packaged catalogue is cached (custom folders are small).
 */
function parsedYaml(files: Array<{ file: string; shown: string; text: string }>, cache: boolean): unknown[] {
  if (!cache) return files.map((f) => parseYamlText(f.text, f.shown));
  const hash = createHash("sha256");
  for (const f of files) hash.update(`${f.file}\0${f.text}\0`);
  const cacheFile = join(tmpdir(), `vibeguard-rules-${hash.digest("hex").slice(0, 32)}.json`);
  try {
    const cached = JSON.parse(readFileSync(cacheFile, "utf8")) as unknown;
    if (Array.isArray(cached) && cached.length === files.length) return cached;
  } catch {
    // no cache yet
  }
  const values = files.map((f) => parseYamlText(f.text, f.shown));
  try {
    const partial = `${cacheFile}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(values));
    renameSync(partial, cacheFile);
  } catch {
    // a read-only temp folder only costs the next start-up its YAML parse
  }
  return values;
}

/** Validate one rule file's parsed content. `shown` is the name used in errors. */
export function parseRule(value: unknown, shown: string): RuleDefinition {
  const result = ruleSchema.safeParse(value);
  if (!result.success) {
    const { field, detail } = firstIssue(result.error);
    throw new RuleLoadError(shown, field, detail);
  }
  return result.data;
}

/** Load every rule under `dir` (default: the packaged rules/ folder). */
export function loadRules(dir = DEFAULT_RULES_DIR): LoadedRules {
  // Built-in rules: the build's validated snapshot, while it matches the files (rules-snapshot.ts).
  if (dir === DEFAULT_RULES_DIR) {
    const snapshot = readRulesSnapshot(dir);
    if (snapshot) return snapshot;
  }
  const rules: LoadedRule[] = [];
  const taintLibraries = new Map<string, { library: TaintLibrary; file: string }>();
  const seen = new Map<string, string>();
  const files = yamlFiles(dir).map((file) => ({ file, shown: relative(process.cwd(), file) || file, text: readFileSync(file, "utf8") }));
  const values = parsedYaml(files, resolve(dir) === DEFAULT_RULES_DIR);
  for (const [i, { file, shown }] of files.entries()) {
    const value = values[i];
    if (file.endsWith(TAINT_LIBRARY_FILE)) {
      const result = taintLibrarySchema.safeParse(value);
      if (!result.success) {
        const { field, detail } = firstIssue(result.error);
        throw new RuleLoadError(shown, field, detail);
      }
      taintLibraries.set(result.data.language, { library: result.data, file: shown });
      continue;
    }
    const definition = parseRule(value, shown);
    const previous = seen.get(definition.id);
    if (previous) throw new RuleLoadError(shown, "id", `duplicate rule id "${definition.id}" (also in ${previous})`);
    seen.set(definition.id, shown);
    rules.push({ definition, file: shown });
  }
  return { rules, taintLibraries };
}
