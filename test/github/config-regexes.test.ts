// The shape check repository regexes pass before they run in the shared process.
import { describe, expect, it } from "vitest";
import { regexProblems } from "../../src/config/regexes.js";

describe("repository regex check", () => {
  it.each([
    "(a+)+!",
    "(\\w*x)*y",
    "(?:a|ab)*c",
    "(\\w|\\d)+$",
    "(.|\\s)*end",
    "(x+x+)+y",
    "(a)\\1",
    "(?<q>['\"]).*\\k<q>",
    "x".repeat(1001),
    "(unclosed",
  ])("refuses %s", (source) => {
    expect(regexProblems(source)).not.toEqual([]);
  });

  it.each(["^sk_test_", "acme_[a-z0-9]{32}", "(?:dummy|sample)-key", "AKIA[0-9A-Z]{16}", "\\bfoo(bar)?\\b", "[a-f0-9]{40}", "(?:ab|cd)+"])(
    "accepts %s",
    (source) => {
      expect(regexProblems(source)).toEqual([]);
    },
  );

  it("every refused pattern really is slow in a backtracking engine, and every accepted one fast", () => {
    const input = "a".repeat(24);
    const started = Date.now();
    new RegExp("(a+)+!").test(input);
    expect(Date.now() - started).toBeGreaterThan(20); // what the check protects against
    const fast = Date.now();
    for (const s of ["^sk_test_", "acme_[a-z0-9]{32}", "(?:ab|cd)+"]) new RegExp(s).test(input.repeat(1000));
    expect(Date.now() - fast).toBeLessThan(1000);
  });
});
