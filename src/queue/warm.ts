// The rule engine compiles its tree-sitter queries on first use: seconds of CPU in all, in
// steps of up to ~200 ms, the longest stretches when the first file of a language is analysed.
// Done in the middle of a review, that blocks the thread for seconds (webhooks wait; a worker's
// queue lock is not renewed). So a process warms the engine up once at start, a query group at
// a time with a turn of the event loop between groups.
import type { Engine } from "../engine/index.js";

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Compile every query group of `engine`, yielding between groups; resolves with the time taken. */
export async function warmUpGradually(engine: Engine): Promise<number> {
  const started = performance.now();
  for (const _ of engine.warmUpSteps()) await turn();
  return performance.now() - started;
}
