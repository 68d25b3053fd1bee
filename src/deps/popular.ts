// The most downloaded npm and PyPI names (data/deps/*.txt, refreshed by
// scripts/refresh-popular-packages.ts), loaded once.
import { readFileSync } from "node:fs";
import type { Ecosystem } from "./types.js";
import { normalizePypiName } from "./parse/pep508.js";

const FILES: Record<Ecosystem, URL> = {
  npm: new URL("../../data/deps/popular-npm.txt", import.meta.url),
  PyPI: new URL("../../data/deps/popular-pypi.txt", import.meta.url),
};
/** Established names ranked after the popular ones: never typosquat targets, never called typosquats. */
const KNOWN_FILES: Record<Ecosystem, URL> = {
  npm: new URL("../../data/deps/known-npm.txt", import.meta.url),
  PyPI: new URL("../../data/deps/known-pypi.txt", import.meta.url),
};

export interface PopularList {
  /** Names, most popular first (PyPI names normalised). */
  names: string[];
  /** name -> 0-based rank. */
  rank: Map<string, number>;
  /** Established names beyond the popular list. */
  known: Set<string>;
}

function readNames(url: URL, ecosystem: Ecosystem): string[] {
  return readFileSync(url, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((n) => (ecosystem === "PyPI" ? normalizePypiName(n) : n));
}

const cache = new Map<Ecosystem, PopularList>();

export function popularList(ecosystem: Ecosystem): PopularList {
  let list = cache.get(ecosystem);
  if (!list) {
    const names = readNames(FILES[ecosystem], ecosystem);
    list = { names, rank: new Map(names.map((n, i) => [n, i])), known: new Set(readNames(KNOWN_FILES[ecosystem], ecosystem)) };
    cache.set(ecosystem, list);
  }
  return list;
}

export function registryKey(ecosystem: Ecosystem, name: string): string {
  return ecosystem === "PyPI" ? normalizePypiName(name) : name;
}

/** In the popular list: exists, has a track record, and is a typosquat target. */
export function isPopular(ecosystem: Ecosystem, name: string): boolean {
  return popularList(ecosystem).rank.has(registryKey(ecosystem, name));
}

/** Popular or established: exists and has a track record, so it is no typosquat itself. */
export function isEstablished(ecosystem: Ecosystem, name: string): boolean {
  const list = popularList(ecosystem);
  const key = registryKey(ecosystem, name);
  return list.rank.has(key) || list.known.has(key);
}
