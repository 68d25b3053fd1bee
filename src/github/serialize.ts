// Runs for the same pull request (or merge group) never overlap in this process: a second
// delivery waits for the first and then finds its check run, instead of racing it to create a
// second one and post a second review. Across processes, the queue keeps one job per pull request.

const tails = new Map<string, Promise<unknown>>();

/** Run `fn` after every earlier call with the same key has settled. */
export async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const result = previous.then(fn, fn);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await result;
  } finally {
    // The last in line cleans up, so the map only holds keys with work pending.
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Keys currently held or waited for (for tests and diagnostics). */
export function pendingKeys(): number {
  return tails.size;
}
