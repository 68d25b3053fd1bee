// Engine start-up, measured in this process before anything else touches the engine:
//  - ready: load and validate every rule file, compile every code pattern, group every query
//    pattern by its keyword gates for every grammar. This is what a CLI run or the App pays
//    before its first scan; a query group compiles natively when a file first needs it.
//  - compile all: every native query of every grammar compiled now (what `engine.warmUp()`
//    and a custom rules folder pay), split by grammar.
import { createEngine, type Engine } from "../src/engine/index.js";
import { loadRules } from "../src/engine/load-rules.js";
import { compileProgram } from "../src/engine/compile.js";

export interface StartupFigures {
  readyMs: number;
  readyCpuMs: number;
  compileAllMs: number;
  compileAllCpuMs: number;
  byGrammar: Record<string, { ms: number; cpuMs: number }>;
  engine: Engine;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export function measureStartup(rulesDir?: string): StartupFigures {
  const t0 = performance.now();
  const c0 = cpuMs();
  const engine = createEngine(loadRules(rulesDir), { lazy: true });
  const programs = engine.ruleset.programs.values();
  const readyMs = performance.now() - t0;
  const readyCpuMs = cpuMs() - c0;
  const byGrammar: StartupFigures["byGrammar"] = {};
  for (const program of programs) {
    const t = performance.now();
    const c = cpuMs();
    compileProgram(program);
    byGrammar[program.grammar] = { ms: performance.now() - t, cpuMs: cpuMs() - c };
  }
  const compileAllMs = performance.now() - t0;
  const compileAllCpuMs = cpuMs() - c0;
  return { readyMs, readyCpuMs, compileAllMs, compileAllCpuMs, byGrammar, engine };
}
