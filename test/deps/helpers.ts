import type { SourceFile } from "../../src/analysis/types.js";
import { DEFAULT_CONFIG, type DependenciesConfig } from "../../src/config/schema.js";

/** A file whose every line is added. */
export function added(path: string, content: string): SourceFile {
  return { path, content, added: "all" };
}

/** A file where only the given 1-based lines are added. */
export function addedLines(path: string, content: string, lines: number[]): SourceFile {
  return { path, content, added: new Set(lines) };
}

export function depsConfig(overrides: Partial<DependenciesConfig> = {}): DependenciesConfig {
  return { ...DEFAULT_CONFIG.dependencies, ...overrides };
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The 1-based line of the first line containing `needle`. */
export function lineOf(content: string, needle: string): number {
  const i = content.split("\n").findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line contains ${needle}`);
  return i + 1;
}
