// A dependency analyser that throws must not cost the review: the item says why, the rest runs.
import { describe, expect, it, vi } from "vitest";

vi.mock("../../src/deps/parse/index.js", () => ({
  parseManifest: () => {
    throw new Error("parser exploded");
  },
}));

const { analyze } = await import("../../src/analysis/analyze.js");

describe("analyze() when the dependency analyser fails", () => {
  it("notes the failure on the dependencies item and still scans the files", async () => {
    const result = await analyze([{ path: "requirements.txt", content: "flask==3.0.0\n", added: "all" }]);
    expect(result.notes?.dependencies).toEqual(["not checked: the dependency analysis failed (parser exploded)"]);
    expect(result.checked.has("dependencies")).toBe(false);
    expect(result.checked.has("secrets")).toBe(true);
  });
});
