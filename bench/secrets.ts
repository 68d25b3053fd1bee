// Secrets-pass throughput next to plain reading of the same files, in the same run.
//
//   npx tsx bench/secrets.ts               # corpus of >= 20 MB of text files from node_modules
//   npx tsx bench/secrets.ts --mb 50       # a bigger corpus
//   npx tsx bench/secrets.ts --json        # figures as JSON on the last line
//
// `npm run bench` (bench/run.ts) imports benchSecrets and passes its own corpus. Every provider
// pattern is on, all lines count as added (the worst case), every file is scanned (minified too).
// Benchmarks are not tests: vitest never runs this file.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { scanSecrets } from "../src/secrets/index.js";
import { PROVIDER_PATTERNS } from "../src/secrets/providers/index.js";
import { prefilterHitCount } from "../src/secrets/scanner.js";
import { walkSorted } from "./walk.js";

const MB = 1024 * 1024;

export interface BenchFile {
  path: string;
  /** The text; read from `full` (or `path` on disk) when absent. */
  content?: string;
  /** Absolute path on disk, if any. */
  full?: string;
}

export interface SecretsBenchResult {
  files: number;
  megabytes: number;
  patterns: number;
  findings: number;
  /** Secrets pass on wall time, MB/s (second, warm pass). */
  mbPerSec: number;
  /** First (cold) pass on wall time, MB/s: includes regex compilation and JIT warm-up. */
  coldMbPerSec: number;
  /** Secrets pass on CPU time of this process, MB/s. */
  cpuMbPerSec: number;
  /** Reading the same files from disk (utf8 decode included), MB/s, wall time. */
  readMbPerSec: number;
  /** The one-pass keyword prefilter alone (Aho-Corasick over every file), MB/s, CPU time, warm. */
  prefilterMbPerSec: number;
  prefilterHits: number;
  scanSeconds: number;
  readSeconds: number;
}

function diskPath(f: BenchFile): string | undefined {
  if (f.full && existsSync(f.full)) return f.full;
  if (existsSync(f.path)) return f.path;
  return undefined;
}

/**
 * Time the secrets pass over `files` and, when they are on disk, reading them again.
 * Accepts a file list or bench/run.ts's `{ files }` object.
 */
export async function benchSecrets(input: BenchFile[] | { files: BenchFile[] }): Promise<SecretsBenchResult> {
  const list = Array.isArray(input) ? input : input.files;
  const onDisk = list.map(diskPath);

  // read pass (also loads contents that were not given)
  const r0 = performance.now();
  const texts = list.map((f, i) => (onDisk[i] ? readFileSync(onDisk[i]!, "utf8") : f.content ?? ""));
  const readSeconds = (performance.now() - r0) / 1000;
  const contents = list.map((f, i) => f.content ?? texts[i]!);
  const bytes = contents.reduce((n, c) => n + Buffer.byteLength(c), 0);
  const canRead = onDisk.some(Boolean);

  // two passes: the first is cold (irregexp compiles each pattern on first use, the JIT warms up),
  // the second is the steady state a long-running App or CLI batch sees
  const pass = async (): Promise<{ seconds: number; cpuSeconds: number; findings: number }> => {
    let findings = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < list.length; i++) {
      findings += scanSecrets({ path: list[i]!.path, content: contents[i]!, added: "all" }).length;
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    const cpu = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, findings };
  };
  const cold = await pass();
  const warm = await pass();
  // the prefilter alone, warm (it ran inside both passes above)
  let prefilterHits = 0;
  const p0 = process.cpuUsage();
  for (const c of contents) prefilterHits += prefilterHitCount(c);
  const pcpu = process.cpuUsage(p0);
  const prefilterSeconds = (pcpu.user + pcpu.system) / 1e6;
  const scanSeconds = warm.seconds;
  const cpuSeconds = warm.cpuSeconds;
  const findings = warm.findings;
  const mb = bytes / MB;
  return {
    files: list.length,
    megabytes: Math.round(mb * 10) / 10,
    patterns: PROVIDER_PATTERNS.length,
    findings,
    mbPerSec: Math.round((mb / scanSeconds) * 10) / 10,
    coldMbPerSec: Math.round((mb / cold.seconds) * 10) / 10,
    cpuMbPerSec: Math.round((mb / cpuSeconds) * 10) / 10,
    readMbPerSec: canRead ? Math.round((mb / readSeconds) * 10) / 10 : NaN,
    prefilterMbPerSec: Math.round((mb / Math.max(prefilterSeconds, 1e-6)) * 10) / 10,
    prefilterHits,
    scanSeconds: Math.round(scanSeconds * 1000) / 1000,
    readSeconds: Math.round(readSeconds * 1000) / 1000,
  };
}

const TEXT_EXTENSIONS = /\.(?:js|mjs|cjs|ts|mts|cts|jsx|tsx|json|md|markdown|ya?ml|toml|ini|txt|py|sh|html|css|map|d\.ts)$/i;

/** Text files under `root` (sorted walk, deterministic) until `minBytes` are collected. */
export function collectTextFiles(root: string, minBytes: number): BenchFile[] {
  const out: BenchFile[] = [];
  let total = 0;
  walkSorted(root, {
    skipDirs: new Set([".git", ".cache"]),
    onFile: (full, name) => {
      if (!TEXT_EXTENSIONS.test(name)) return false;
      const size = statSync(full).size;
      if (size === 0 || size > 4 * MB) return false;
      out.push({ path: relative(root, full).split("\\").join("/"), full });
      total += size;
      return total >= minBytes;
    },
  });
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: "string", default: "20" }, json: { type: "boolean", default: false } } });
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const files = collectTextFiles(join(repo, "node_modules"), Number(values.mb) * MB);
  const result = await benchSecrets(files);
  console.log(`corpus: ${result.files} text files from node_modules, ${result.megabytes} MB; ${result.patterns} provider patterns + generic`);
  console.log(`read:          ${result.readMbPerSec} MB/s (${result.readSeconds} s)`);
  console.log(`prefilter:     ${result.prefilterMbPerSec} MB/s CPU (one keyword pass, ${result.prefilterHits} hits)`);
  console.log(`secrets pass:  ${result.mbPerSec} MB/s wall, ${result.cpuMbPerSec} MB/s CPU (${result.scanSeconds} s, warm), ${result.coldMbPerSec} MB/s cold first pass; ${result.findings} findings`);
  if (values.json) console.log(JSON.stringify(result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
