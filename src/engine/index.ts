// The rule engine's public face: load and compile rules once per process, scan files.
import type { AddedLines, Finding } from "../findings.js";
import { compileProgramSteps, compileRules, type CompiledRuleSet, type CompileOptions } from "./compile.js";
import { grammarForPath, type GrammarId } from "./languages.js";
import { DEFAULT_RULES_DIR, loadRules, type LoadedRules } from "./load-rules.js";
import { scanSource } from "./scan.js";
import { DEFAULT_FILE_TIME_LIMIT_MS } from "./deadline.js";

export { grammarForPath, type GrammarId } from "./languages.js";
export { RuleLoadError } from "./load-rules.js";
export { skipReasonForContent, skipReasonForPath } from "./skip.js";
export { releaseTrees } from "./memory.js";
export { AnalysisTimeLimitError, DEFAULT_FILE_TIME_LIMIT_MS } from "./deadline.js";

export interface Engine {
  ruleset: CompiledRuleSet;
  /** Rule ids and checklist categories that run on a grammar. */
  rulesFor(grammar: GrammarId): CompiledRuleSet["rules"];
  /** Compile every query group of every grammar now, so no scan pays for compiling. */
  warmUp(): void;
  /** warmUp one query group per step, so a server can keep answering between steps. */
  warmUpSteps(): Generator<void>;
  /**
   * Scan one file's full text; only findings on `added` lines are returned. Past the file's time
   * limit (default DEFAULT_FILE_TIME_LIMIT_MS) it throws AnalysisTimeLimitError.
   */
  scan(file: { path: string; content: string; added: AddedLines; timeLimitMs?: number }): Finding[];
}

export function createEngine(loaded: LoadedRules = loadRules(), options: CompileOptions = {}): Engine {
  const ruleset = compileRules(loaded, options);
  return {
    ruleset,
    rulesFor(grammar) {
      return (ruleset.rulesByGrammar.get(grammar) ?? []).map((i) => ruleset.rules[i]!);
    },
    warmUp() {
      for (const _ of this.warmUpSteps());
    },
    *warmUpSteps() {
      for (const program of ruleset.programs.values()) yield* compileProgramSteps(program);
    },
    scan(file) {
      const grammar = grammarForPath(file.path);
      if (!grammar) return [];
      return scanSource(ruleset, { ...file, grammar, timeLimitMs: file.timeLimitMs ?? DEFAULT_FILE_TIME_LIMIT_MS });
    },
  };
}

const engines = new Map<string, Engine>();

/**
 * The engine for a rules folder, built once per process and shared. The built-in rules compile
 * per grammar on first use (the tests validate them all); a custom folder is compiled at once,
 * so its errors show before any scanning.
 */
export function engineFor(rulesDir = DEFAULT_RULES_DIR): Engine {
  let engine = engines.get(rulesDir);
  if (!engine) {
    engine = createEngine(loadRules(rulesDir), { lazy: rulesDir === DEFAULT_RULES_DIR });
    engines.set(rulesDir, engine);
  }
  return engine;
}
