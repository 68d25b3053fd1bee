// Optional per-phase timing of the engine, for `npm run bench` and performance work.
// Off by default: the cost when off is one boolean check per phase.

export type Phase = "parse" | "candidates" | "relations" | "taintEndpoints" | "taintFlow";

export const engineTimings: Record<Phase, number> & { enabled: boolean } = {
  enabled: false,
  parse: 0,
  candidates: 0,
  relations: 0,
  taintEndpoints: 0,
  taintFlow: 0,
};

export function resetEngineTimings(enabled = true): void {
  engineTimings.enabled = enabled;
  engineTimings.parse = engineTimings.candidates = engineTimings.relations = engineTimings.taintEndpoints = engineTimings.taintFlow = 0;
}

/** Run `fn`, adding its wall time to `phase` when timing is on. */
export function timed<T>(phase: Phase, fn: () => T): T {
  if (!engineTimings.enabled) return fn();
  const start = performance.now();
  try {
    return fn();
  } finally {
    engineTimings[phase] += performance.now() - start;
  }
}
