// Loads rule files from disk and validates each with zod; a bad file stops the load with a
// message naming the file and the field.
import { readdirSync, readFileSync, statSync } from "node:fs";
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

function readYaml(file: string, shown: string): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new RuleLoadError(shown, "", `invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
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
  for (const file of yamlFiles(dir)) {
    const shown = relative(process.cwd(), file) || file;
    const value = readYaml(file, shown);
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
