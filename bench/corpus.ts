// The benchmark corpus: real JavaScript, TypeScript and Python, copied into a temp folder so every
// pass reads the same files from disk. Sources, in order of preference:
//   1. .js/.mjs/.cjs/.ts (not .d.ts) and .py files of the packages `npm ci` installs, so every
//      dev and CI machine gets the same corpus;
//   2. Python's standard library (/usr/lib/python3*), when the machine has one, because npm
//      packages ship almost no Python.
// Files the engine would not analyse (minified, generated) are left out; files over the engine's
// 1 MiB limit are cut into pieces of at most 1 MiB at line breaks instead of being dropped.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { grammarForPath } from "../src/engine/index.js";
import { DEFAULT_MAX_FILE_BYTES, skipReasonForContent, skipReasonForPath } from "../src/engine/skip.js";
import { walkSorted } from "./walk.js";

export interface CorpusFile {
  /** Path inside the corpus folder, forward slashes, with the original extension. */
  path: string;
  full: string;
  bytes: number;
}

export interface Corpus {
  dir: string;
  files: CorpusFile[];
  bytes: number;
  /** Bytes by source, for the report. */
  sources: Record<string, { files: number; bytes: number }>;
}

const EXTENSIONS = /\.(js|mjs|cjs|ts|py)$/;
const DECLARATION = /\.d\.[mc]?ts$/;

function walk(dir: string, out: string[]): void {
  walkSorted(dir, {
    skipDirs: new Set([".git", "__pycache__"]),
    onFile: (full, name) => {
      if (EXTENSIONS.test(name) && !DECLARATION.test(name)) out.push(full);
    },
  });
}

/** Pieces of at most `max` UTF-8 bytes, cut after a line break (a longer line is cut anywhere). */
function splitAtLines(text: string, max: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let end = 0;
  let size = 0;
  while (end < text.length) {
    const nl = text.indexOf("\n", end);
    const next = nl < 0 ? text.length : nl + 1;
    const lineBytes = Buffer.byteLength(text.slice(end, next), "utf8");
    if (size + lineBytes > max && end > start) {
      pieces.push(text.slice(start, end));
      start = end;
      size = 0;
      continue;
    }
    end = next;
    size += lineBytes;
  }
  if (end > start) pieces.push(text.slice(start, end));
  return pieces.filter((p) => Buffer.byteLength(p, "utf8") <= max);
}

function pythonLibraries(): string[] {
  const roots: string[] = [];
  for (const base of ["/usr/lib", "/usr/local/lib"]) {
    let names: string[] = [];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names.sort()) if (/^python3\.\d+$/.test(name)) roots.push(join(base, name));
  }
  return roots;
}

interface Candidate {
  source: string;
  root: string;
  file: string;
}

function candidates(repoRoot: string): Candidate[] {
  const out: Candidate[] = [];
  const nodeModules = join(repoRoot, "node_modules");
  const files: string[] = [];
  walk(nodeModules, files);
  for (const file of files) out.push({ source: file.endsWith(".py") ? "node_modules (py)" : "node_modules (js/ts)", root: nodeModules, file });
  for (const root of pythonLibraries()) {
    const py: string[] = [];
    walk(root, py);
    for (const file of py) if (file.endsWith(".py") && !file.includes("/site-packages/") && !file.includes("/dist-packages/")) out.push({ source: `${root} (py)`, root, file });
  }
  return out;
}

/**
 * Build (or reuse) the corpus folder: `minBytes` of the sources in a stable mixed order (a little
 * more: the last file is whole), taking them again under a new prefix when they are smaller.
 */
export function buildCorpus(repoRoot: string, minBytes: number): Corpus {
  const all = candidates(repoRoot);
  const key = createHash("sha256")
    .update(`v3\0${minBytes}\0`)
    .update(all.map((c) => `${c.file}:${statSync(c.file).size}`).join("\n"))
    .digest("hex")
    .slice(0, 12);
  const dir = join(tmpdir(), `vibeguard-bench-corpus-${key}`);
  const manifestFile = join(dir, "manifest.json");
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Corpus;
    if (manifest.files.every((f) => existsSync(f.full))) return manifest;
  }
  rmSync(dir, { recursive: true, force: true });

  // Each source file once: the text pieces the engine would analyse.
  const pieces: Array<{ source: string; path: string; text: string }> = [];
  for (const c of all) {
    const rel = relative(c.root, c.file).split("\\").join("/");
    const text = readFileSync(c.file, "utf8");
    if (text.length === 0) continue;
    if (skipReasonForPath(rel) === "minified" || skipReasonForPath(rel) === "generated") continue;
    const parts = Buffer.byteLength(text, "utf8") > DEFAULT_MAX_FILE_BYTES ? splitAtLines(text, DEFAULT_MAX_FILE_BYTES) : [text];
    const ext = rel.slice(rel.lastIndexOf("."));
    const prefix = c.source.startsWith("node_modules") ? "npm" : `python/${c.root.split("/").pop()}`;
    parts.forEach((part, i) => {
      // Content checks as the engine makes them: minified, generated, binary are not analysed.
      if (skipReasonForContent(part) !== undefined) return;
      const path = parts.length > 1 ? `${prefix}/${rel.slice(0, -ext.length)}.part${i}${ext}` : `${prefix}/${rel}`;
      if (!grammarForPath(path)) return;
      pieces.push({ source: c.source, path, text: part });
    });
  }
  if (pieces.length === 0) throw new Error("no corpus: run npm ci first");

  // A stable mix of the sources, so a smaller corpus has the same proportions of each language.
  const order = (path: string) => createHash("sha1").update(path).digest("hex");
  pieces.sort((a, b) => (order(a.path) < order(b.path) ? -1 : 1));

  const files: CorpusFile[] = [];
  const sources: Corpus["sources"] = {};
  let bytes = 0;
  for (let round = 0; bytes < minBytes || round === 0; round++) {
    for (const piece of pieces) {
      if (bytes >= minBytes) break;
      const path = round === 0 ? piece.path : `round${round}/${piece.path}`;
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, piece.text);
      const size = Buffer.byteLength(piece.text, "utf8");
      files.push({ path, full, bytes: size });
      bytes += size;
      const label = round === 0 ? piece.source : `${piece.source}, again`;
      const s = (sources[label] ??= { files: 0, bytes: 0 });
      s.files++;
      s.bytes += size;
    }
  }
  const corpus: Corpus = { dir, files, bytes, sources };
  writeFileSync(manifestFile, JSON.stringify(corpus));
  return corpus;
}
