// The server and the worker warm the engine up at start, a query group at a time: on the real
// rules that must compile everything (code patterns included) and let the event loop turn.
import { describe, expect, it } from "vitest";
import { engineFor } from "../../src/engine/index.js";
import { warmUpGradually } from "../../src/queue/warm.js";

describe("warmUpGradually", () => {
  it("compiles every query group of the built-in rules, turning the event loop between groups", async () => {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      const ms = await warmUpGradually(engineFor());
      expect(ms).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
    expect(turns).toBeGreaterThan(1);
  }, 120_000);
});
