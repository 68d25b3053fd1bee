// Syntax trees live in native memory that V8 does not see, so a long scan can climb past a
// gigabyte before the garbage collector runs. We count the bytes parsed and force a collection
// every so often; node-tree-sitter has no explicit tree.delete() to free them sooner.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const COLLECT_EVERY_BYTES = 24 * 1024 * 1024;

let collect: (() => void) | undefined;
let parsedSinceCollect = 0;

function collector(): (() => void) | undefined {
  if (collect) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (collect = exposed);
  try {
    // Exposes gc() to new contexts only; the main context's flags stay as they were.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  } catch {
    collect = undefined;
  }
  return collect;
}

/** Record that `bytes` of source were parsed; collects garbage when enough trees may be pending. */
export function noteParsed(bytes: number): void {
  parsedSinceCollect += bytes;
  if (parsedSinceCollect < COLLECT_EVERY_BYTES) return;
  parsedSinceCollect = 0;
  collector()?.();
}
