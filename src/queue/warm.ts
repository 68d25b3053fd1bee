// The rule engine compiles its tree-sitter queries on first use: 15-20 s of CPU in all, in
// steps of up to ~200 ms, the longest stretches when the first file of a language is analysed.
// Done in the middle of a review, that blocks the thread for seconds (webhooks wait; a worker's
// queue lock is not renewed). So a process warms the engine up once at start, a query group at
// a time with a turn of the event loop between groups.
import type { Engine } from "../engine/index.js";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface GroupwiseQuery {
  groups: unknown[];
  compiled(group: unknown): unknown;
  compileAll(): void;
}

function isGroupwise(part: unknown): part is GroupwiseQuery {
  const p = part as Partial<GroupwiseQuery> | undefined;
  return !!p && Array.isArray(p.groups) && typeof p.compiled === "function";
}

/** Compile every query group of `engine`, yielding between groups; resolves with the time taken. */
export async function warmUpGradually(engine: Engine): Promise<number> {
  const started = performance.now();
  const programs = (engine.ruleset as { programs?: { values(): Iterable<{ main?: unknown; taint?: unknown }> } }).programs;
  if (!programs) {
    engine.warmUp();
    return performance.now() - started;
  }
  for (const program of programs.values()) {
    for (const part of [program.main, program.taint]) {
      if (!part) continue;
      if (isGroupwise(part)) {
        // One group at a time (the engine's own compileAll() does them all in one go).
        for (const group of part.groups) {
          part.compiled(group);
          await turn();
        }
      } else {
        (part as { compileAll?: () => void }).compileAll?.();
        await turn();
      }
    }
  }
  return performance.now() - started;
}
