// Syntax trees live in native memory that V8 does not see, so a long scan can climb past a
// gigabyte before the garbage collector runs. Worse, the trees' native finalizers run only when
// the event loop turns, so even a collection frees nothing inside a synchronous loop. The engine
// counts the bytes it parses; callers that loop over many files await releaseTrees() between
// files, which collects garbage and yields once enough source has been parsed.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let parsedSinceCollect = 0;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return (collect = exposed);
  try {
    // Exposes gc() to new contexts only; the main context's globals stay as they were.
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Record that `bytes` of source were parsed. */
export function noteParsed(bytes: number): void {
  parsedSinceCollect += bytes;
}

/** When enough trees may be pending, collect garbage and let their finalizers run. */
export async function releaseTrees(): Promise<void> {
  if (parsedSinceCollect < COLLECT_EVERY_BYTES) return;
  parsedSinceCollect = 0;
  collector()?.();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
