// What the bot says, in isolation: limits, truncation notes, fences, and the review plan's rules.
import { describe, expect, it } from "vitest";
import type { AnalysisResult } from "../../src/analysis/types.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { buildReport, type RunFacts } from "../../src/github/report.js";
import { planReview } from "../../src/github/review-plan.js";
import {
  OUTPUT_LIMIT,
  code,
  renderAnnotation,
  renderCheckRunOutput,
  truncateMarkdown,
} from "../../src/render/check-run.js";
import { parseFingerprintMarker, renderFindingComment, renderReviewBody } from "../../src/render/review-comment.js";
import { finding } from "./helpers.js";

const facts: RunFacts = {
  repoHtmlUrl: "https://github.com/o/r",
  headSha: "a".repeat(40),
  kind: "pull_request",
  skipped: [],
  wholeFile: [],
  deletedOnly: 0,
  listedFiles: 1,
  totalFiles: 1,
  listLimit: 3000,
};

function result(findings: ReturnType<typeof finding>[]): AnalysisResult {
  return { findings, skipped: [], analyzed: [...new Set(findings.map((f) => f.path))], checked: new Set(["sql-injection"]) };
}

describe("check-run output limits", () => {
  it("keeps summary and text under 65,535 bytes with a truncation note, and the checklist intact", () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ path: `src/dir-${i % 40}/file-${i}.ts`, line: i + 1, message: `Problem ${"é".repeat(200)} ${i}` }),
    );
    const skipped = Array.from({ length: 3000 }, (_, i) => ({ path: `assets/img-${i}.png`, reason: "no text diff (binary or empty file)" }));
    const output = renderCheckRunOutput(buildReport(result(many), DEFAULT_CONFIG), { ...facts, skipped });
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(Buffer.byteLength(output.text!)).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(output.summary).toContain("…truncated: this summary reached GitHub's 65,535-character limit");
    expect(output.text).toContain("…truncated: the remaining findings did not fit");
    expect(output.summary).toContain("| **Open redirect** |"); // the last checklist row survived
    expect(output.summary).toContain("3000 findings: ");
    expect(output.summary).toContain(" and 2990 more |");
  });

  it("does not truncate what fits", () => {
    expect(truncateMarkdown("short", 100, "note")).toBe("short");
  });

  it("closes a code fence it cuts through", () => {
    const text = `intro\n\`\`\`\n${"x\n".repeat(100)}\`\`\`\n`;
    const cut = truncateMarkdown(text, 80, "note");
    expect((cut.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(cut.endsWith("note\n")).toBe(true);
  });
});

describe("annotations", () => {
  it("sends columns only for single-line findings, and levels by threshold", () => {
    const multi = renderAnnotation(finding({ path: "a.ts", line: 3, endLine: 5, severity: "medium" }), "high");
    expect(multi).toMatchObject({ start_line: 3, end_line: 5, annotation_level: "warning" });
    expect(multi.start_column).toBeUndefined();
    expect(renderAnnotation(finding({ path: "a.ts", line: 3, severity: "low" }), "high").annotation_level).toBe("notice");
    expect(renderAnnotation(finding({ path: "a.ts", line: 3, severity: "low" }), "low").annotation_level).toBe("failure");
    expect(renderAnnotation(finding({ path: "a.ts", line: 3, title: "t".repeat(400) }), "high").title.length).toBe(255);
  });
});

describe("review comments", () => {
  it("uses a longer fence when the suggestion contains backticks, and ends with the fingerprint marker", () => {
    const f = finding({ path: "a.md", line: 1, suggestion: "```js\nsafe()\n```" });
    const body = renderFindingComment(f, { withSuggestion: true });
    expect(body).toContain("````suggestion\n```js\nsafe()\n```\n````");
    expect(parseFingerprintMarker(body)).toBe(f.fingerprint);
  });

  it("suggests a Python-style ignore comment in Python files", () => {
    const body = renderFindingComment(finding({ path: "app/views.py", line: 1, ruleId: "py/sql" }), { withSuggestion: false });
    expect(body).toContain("`# vibeguard-ignore py/sql`");
  });

  it("inline code survives backticks", () => {
    expect(code("a`b")).toBe("``a`b``");
  });

  it("review body without a check-run URL still points at the check run", () => {
    const body = renderReviewBody({ commented: [finding({ path: "a", line: 1 })], overflow: 2, unplaceable: 0, failing: 0, threshold: "high", checkRunUrl: undefined, requestChanges: false });
    expect(body).toContain("2 more are not commented inline because of the `max_comments` limit: see the vibeguard check run.");
  });
});

describe("review plan", () => {
  const lines = new Map([["a.ts", { added: new Set([1, 2, 3]), commentable: new Set([1, 2, 3, 4]) }]]);
  it("never plans two comments for one fingerprint, and ignores replies when deduplicating", () => {
    const f = finding({ path: "a.ts", line: 2 });
    const plan = planReview({
      findings: [f, { ...f }],
      suppressed: [],
      existing: [{ id: 1, path: "a.ts", fingerprint: f.fingerprint, inReplyTo: 99 }],
      lines,
      settled: () => true,
      maxComments: 25,
    });
    expect(plan.comments).toHaveLength(1);
  });

  it("declares fixed only on settled paths", () => {
    const f = finding({ path: "a.ts", line: 2 });
    const existing = [{ id: 1, path: "a.ts", fingerprint: f.fingerprint }];
    expect(planReview({ findings: [], suppressed: [], existing, lines, settled: () => false, maxComments: 25 }).fixed).toEqual([]);
    expect(planReview({ findings: [], suppressed: [], existing, lines, settled: () => true, maxComments: 25 }).fixed).toEqual([
      { commentId: 1, fingerprint: f.fingerprint, path: "a.ts", reason: "fixed" },
    ]);
  });

  it("max_comments 0 means no inline comments", () => {
    const plan = planReview({ findings: [finding({ path: "a.ts", line: 1 })], suppressed: [], existing: [], lines, settled: () => true, maxComments: 0 });
    expect(plan.comments).toEqual([]);
    expect(plan.overflow).toHaveLength(1);
  });
});
