// `npm run bench`: engine throughput against raw tree-sitter parsing, the secrets pass against
// plain reading, and peak memory, all measured in one run over the same corpus.
//
//   npm run bench                      # default: at least 50 MB of corpus
//   npm run bench -- --mb 20           # a smaller corpus
//   npm run bench -- --json            # machine-readable figures on the last line
//   npm run bench -- --rules bench/code-pattern-rules   # another rules folder (here: code patterns)
//   npm run bench -- --no-yield        # one synchronous loop per pass: shows the tree memory problem
//   node --expose-gc --import tsx bench/run.ts -- --gc-every-mb 8   # also force collections
//
// Every pass reads each file from disk (the page cache is warm) and is timed as a whole. MB/s are
// given on wall time and on CPU time of this process: on a busy machine wall time mostly measures
// the other processes, CPU time does not. The ratio uses CPU time.
//
// Memory: node-tree-sitter frees a syntax tree in an N-API finalizer that Node runs only once the
// event loop turns, so a synchronous loop keeps every tree alive until it ends, gc() or not.
// By default the passes yield to the event loop every --yield-every-mb MB (as src/cli/batch.ts does).
//
// Benchmarks are not tests: vitest never runs this file.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { grammarForPath } from "../src/engine/languages.js";
import { parserFor } from "../src/engine/languages.js";
import { scanSecrets } from "../src/secrets/index.js";
import { buildCorpus, type CorpusFile } from "./corpus.js";
import { benchSecrets } from "./secrets.js";
import { measureStartup } from "./startup.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MB = 1024 * 1024;

const { values } = parseArgs({
  options: {
    mb: { type: "string", default: "50" },
    json: { type: "boolean", default: false },
    "gc-every-mb": { type: "string", default: "0" },
    "yield-every-mb": { type: "string", default: "4" },
    "no-yield": { type: "boolean", default: false },
    /** Another rules folder, e.g. bench/code-pattern-rules (rules written as code patterns). */
    rules: { type: "string" },
  },
});
const minMb = Number(values.mb);
/** With --expose-gc: collect every this many MB inside a pass (0: only between passes). */
const gcEveryMb = Number(values["gc-every-mb"]);
const yieldEveryMb = values["no-yield"] ? 0 : Number(values["yield-every-mb"]);

const gc = (globalThis as { gc?: () => void }).gc;

interface PassResult {
  name: string;
  seconds: number;
  cpuSeconds: number;
  bytes: number;
  files: number;
  mbPerSecond: number;
  mbPerCpuSecond: number;
  /** Highest RSS seen during the pass, and RSS when it started. */
  peakRss: number;
  startRss: number;
  /** CPU seconds and bytes by grammar. */
  byGrammar: Record<string, { cpuSeconds: number; bytes: number }>;
  extra?: Record<string, number | string>;
}

let overallPeakRss = process.memoryUsage.rss();

function sampleRss(current: { peak: number }): void {
  const rss = process.memoryUsage.rss();
  if (rss > current.peak) current.peak = rss;
  if (rss > overallPeakRss) overallPeakRss = rss;
}

const turnEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run `work` on every file (read included), timing the whole pass and sampling RSS after each file. */
async function pass(name: string, files: CorpusFile[], work: (file: CorpusFile, text: string) => void): Promise<PassResult> {
  const byGrammar: PassResult["byGrammar"] = {};
  gc?.();
  await turnEventLoop();
  const startRss = process.memoryUsage.rss();
  const memory = { peak: startRss };
  let bytes = 0;
  let sinceGc = 0;
  let sinceYield = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const file of files) {
    const before = process.cpuUsage();
    const text = readFileSync(file.full, "utf8");
    work(file, text);
    const used = process.cpuUsage(before);
    const group = (byGrammar[grammarForPath(file.path) ?? "other"] ??= { cpuSeconds: 0, bytes: 0 });
    group.cpuSeconds += (used.user + used.system) / 1e6;
    group.bytes += file.bytes;
    bytes += file.bytes;
    sampleRss(memory);
    if (gc && gcEveryMb > 0) {
      sinceGc += file.bytes;
      if (sinceGc >= gcEveryMb * MB) {
        gc();
        sinceGc = 0;
      }
    }
    if (yieldEveryMb > 0) {
      sinceYield += file.bytes;
      if (sinceYield >= yieldEveryMb * MB) {
        await turnEventLoop();
        sinceYield = 0;
      }
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { name, seconds, cpuSeconds, bytes, files: files.length, mbPerSecond: bytes / MB / seconds, mbPerCpuSecond: bytes / MB / cpuSeconds, peakRss: memory.peak, startRss, byGrammar };
}

function fmtMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function log(line = ""): void {
  if (!values.json) process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const corpus = buildCorpus(REPO_ROOT, minMb * MB);
  log(`corpus: ${corpus.files.length} files, ${fmtMb(corpus.bytes)} in ${corpus.dir} (built or reused in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const [source, s] of Object.entries(corpus.sources)) log(`  ${source}: ${s.files} files, ${fmtMb(s.bytes)}`);
  log(`node ${process.version}, gc ${gc ? `exposed${gcEveryMb > 0 ? `, collecting every ${gcEveryMb} MB` : ", between passes only"}` : "not exposed"}, ${yieldEveryMb > 0 ? `yielding to the event loop every ${yieldEveryMb} MB` : "never yielding (--no-yield)"}`);

  // Start-up first, before anything else warms the engine's caches (bench/startup.ts).
  const startup = measureStartup(values.rules ? resolve(values.rules) : undefined);
  const engine = startup.engine;
  log(
    `engine start-up: ${engine.ruleset.rules.length} rules ready to scan in ${startup.readyMs.toFixed(0)} ms wall, ${startup.readyCpuMs.toFixed(0)} ms CPU (query groups compile on first use)`,
  );
  log(
    `  compiling every native query of every grammar: ${startup.compileAllMs.toFixed(0)} ms wall, ${startup.compileAllCpuMs.toFixed(0)} ms CPU in all (${Object.entries(startup.byGrammar)
      .map(([g, t]) => `${g} ${t.cpuMs.toFixed(0)} ms CPU`)
      .join(", ")})`,
  );
  // Throughput, not start-up: every query group was compiled before the timed passes.

  const grammarOf = new Map(corpus.files.map((f) => [f.path, grammarForPath(f.path)!]));

  // Warm up: JIT, grammars, query compilation caches, the page cache for the files.
  const warm = corpus.files.filter((_, i) => i % 50 === 0);
  for (const file of warm) {
    const text = readFileSync(file.full, "utf8");
    parserFor(grammarOf.get(file.path)!).parse(text);
    engine.scan({ path: file.path, content: text, added: "all" });
    scanSecrets({ path: file.path, content: text, added: "all" });
  }
  for (const file of corpus.files) readFileSync(file.full);

  const results: PassResult[] = [];
  results.push(await pass("read", corpus.files, () => {}));

  results.push(
    await pass("parse", corpus.files, (file, text) => {
      parserFor(grammarOf.get(file.path)!).parse(text);
    }),
  );

  let findings = 0;
  const byRule = new Map<string, number>();
  const engineResult = await pass("engine", corpus.files, (file, text) => {
    const found = engine.scan({ path: file.path, content: text, added: "all" });
    findings += found.length;
    for (const f of found) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  });
  engineResult.extra = { findings };
  results.push(engineResult);

  let secrets = 0;
  const secretsResult = await pass("secrets", corpus.files, (file, text) => {
    secrets += scanSecrets({ path: file.path, content: text, added: "all" }).length;
  });
  secretsResult.extra = { findings: secrets };
  results.push(secretsResult);

  // The secrets engineer's own measurement (bench/secrets.ts), on the same corpus.
  const own = await benchSecrets({ files: corpus.files });

  const get = (name: string) => results.find((r) => r.name === name)!;
  const ratio = get("engine").cpuSeconds / get("parse").cpuSeconds;
  const wallRatio = get("engine").seconds / get("parse").seconds;
  const rate = (r: PassResult) => `${r.mbPerCpuSecond.toFixed(1)} MB/s (CPU time), ${r.mbPerSecond.toFixed(1)} MB/s (wall)`;

  log();
  log(`${"pass".padEnd(10)}${"MB/s cpu".padStart(10)}${"MB/s wall".padStart(11)}${"cpu s".padStart(9)}${"wall s".padStart(9)}${"peak RSS".padStart(12)}${"RSS at start".padStart(14)}`);
  for (const r of results) {
    log(
      `${r.name.padEnd(10)}${r.mbPerCpuSecond.toFixed(1).padStart(10)}${r.mbPerSecond.toFixed(1).padStart(11)}${r.cpuSeconds.toFixed(2).padStart(9)}${r.seconds.toFixed(2).padStart(9)}${fmtMb(r.peakRss).padStart(12)}${fmtMb(r.startRss).padStart(14)}`,
    );
  }
  log();
  log(`engine (all rules, every line added, read included): ${rate(get("engine"))}, ${findings} findings`);
  log(`raw tree-sitter parse (read included):               ${rate(get("parse"))}`);
  log(`engine / parse:                                      ${ratio.toFixed(2)}x on CPU time, ${wallRatio.toFixed(2)}x on wall time (goal: <= 3)`);
  for (const [grammar, engineGroup] of Object.entries(get("engine").byGrammar)) {
    const parseGroup = get("parse").byGrammar[grammar];
    if (!parseGroup) continue;
    log(
      `  ${grammar.padEnd(11)} ${fmtMb(engineGroup.bytes).padStart(8)}: engine ${(engineGroup.bytes / MB / engineGroup.cpuSeconds).toFixed(1)} MB/s, parse ${(parseGroup.bytes / MB / parseGroup.cpuSeconds).toFixed(1)} MB/s, ${(engineGroup.cpuSeconds / parseGroup.cpuSeconds).toFixed(2)}x`,
    );
  }
  log(`secrets pass:                                        ${rate(get("secrets"))}, ${secrets} findings`);
  log(`read alone:                                          ${rate(get("read"))}`);
  log(
    `secrets, bench/secrets.ts:                           ${own.cpuMbPerSec.toFixed(1)} MB/s (CPU time), ${own.mbPerSec.toFixed(1)} MB/s (wall, warm), ${own.coldMbPerSec.toFixed(1)} MB/s (cold); read ${own.readMbPerSec.toFixed(1)} MB/s; ${own.patterns} patterns, ${own.findings} findings`,
  );
  log(`peak RSS over the run: ${fmtMb(overallPeakRss)} (corpus ${fmtMb(corpus.bytes)})`);
  const top = [...byRule.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  if (top.length > 0) log(`most frequent findings: ${top.map(([id, n]) => `${id} ${n}`).join(", ")}`);

  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        corpus: { files: corpus.files.length, bytes: corpus.bytes, sources: corpus.sources },
        passes: results,
        ratio,
        wallRatio,
        startup: { readyMs: startup.readyMs, readyCpuMs: startup.readyCpuMs, compileAllMs: startup.compileAllMs, compileAllCpuMs: startup.compileAllCpuMs, byGrammar: startup.byGrammar },
        peakRss: overallPeakRss,
        gc: gc ? (gcEveryMb > 0 ? `every ${gcEveryMb} MB` : "between passes") : "not exposed",
        yieldEveryMb,
        secretsBench: own,
      })}\n`,
    );
  }
}

await main();
