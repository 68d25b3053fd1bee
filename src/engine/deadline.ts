// A time budget for one file's analysis: parsing, queries and taint tracking check it, so one
// hostile file ends as "skipped: analysis time limit" instead of stalling the process.

/** Default per-file budget. A normal file takes milliseconds; this bounds the pathological ones. */
export const DEFAULT_FILE_TIME_LIMIT_MS = 10_000;

/** Thrown when a file's analysis runs past its deadline; the analysis skips that file. */
export class AnalysisTimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(`analysis time limit (${limitMs} ms)`);
    this.name = "AnalysisTimeLimitError";
  }
}

export class Deadline {
  private readonly end: number;
  private ticks = 0;

  constructor(readonly limitMs: number) {
    this.end = performance.now() + limitMs;
  }

  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY);
  }

  expired(): boolean {
    return performance.now() > this.end;
  }

  /** Throws once the budget is spent. */
  check(): void {
    if (this.expired()) throw new AnalysisTimeLimitError(this.limitMs);
  }

  /** As check(), but reads the clock only every 256th call: for hot loops. */
  tick(): void {
    if ((++this.ticks & 255) === 0) this.check();
  }
}
