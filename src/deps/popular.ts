// The most downloaded npm and PyPI names (data/deps/*.txt, refreshed by
// scripts/refresh-popular-packages.ts), loaded once.
import { readFileSync } from "node:fs";
import type { Ecosystem } from "./types.js";
import { normalizePypiName } from "./parse/pep508.js";

const FILES: Record<Ecosystem, URL> = {
  npm: new URL("../../data/deps/popular-npm.txt", import.meta.url),
  PyPI: new URL("../../data/deps/popular-pypi.txt", import.meta.url),
};

export interface PopularList {
  /** Names, most popular first (PyPI names normalised). */
  names: string[];
  /** name -> 0-based rank. */
  rank: Map<string, number>;
}

const cache = new Map<Ecosystem, PopularList>();

export function popularList(ecosystem: Ecosystem): PopularList {
  let list = cache.get(ecosystem);
  if (!list) {
    const names = readFileSync(FILES[ecosystem], "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))
      .map((n) => (ecosystem === "PyPI" ? normalizePypiName(n) : n));
    list = { names, rank: new Map(names.map((n, i) => [n, i])) };
    cache.set(ecosystem, list);
  }
  return list;
}

export function registryKey(ecosystem: Ecosystem, name: string): string {
  return ecosystem === "PyPI" ? normalizePypiName(name) : name;
}

export function isPopular(ecosystem: Ecosystem, name: string): boolean {
  return popularList(ecosystem).rank.has(registryKey(ecosystem, name));
}
