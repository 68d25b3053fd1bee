// Decides what the review says, given the current findings and the App's earlier comments:
// which findings are new (never commented, or back after being marked fixed), where each inline
// comment goes, which ones exceed the cap or cannot be placed, and which earlier comments are
// now fixed. Pure: no GitHub calls.
import { isAdded, type Finding } from "../findings.js";
import type { FileLines } from "./files.js";

/** One of the App's earlier review comments on the pull request. */
export interface OwnComment {
  id: number;
  path: string;
  /** Set on a finding comment (a thread's first comment). */
  fingerprint?: string | undefined;
  /** Set on the App's "fixed" reply; `inReplyTo` is the finding comment it closes. */
  fixedFingerprint?: string | undefined;
  inReplyTo?: number | undefined;
}

export interface PlannedComment {
  finding: Finding;
  path: string;
  line: number;
  /** Set for a multi-line comment (start_line < line). */
  startLine?: number;
  /** LEFT: on a line of the old file the change deleted (a removed safeguard). Default RIGHT. */
  side?: "LEFT" | "RIGHT";
  withSuggestion: boolean;
}

export interface FixedComment {
  commentId: number;
  fingerprint: string;
  path: string;
  reason: "fixed" | "suppressed";
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** New, placeable findings beyond max_comments. */
  overflow: Finding[];
  /** New findings whose line is not in the diff GitHub shows. */
  unplaceable: Finding[];
  fixed: FixedComment[];
}

export interface PlanInput {
  /** Current unsuppressed findings, in the order they should be commented (worst first). */
  findings: readonly Finding[];
  /** Current suppressed findings. */
  suppressed: readonly Finding[];
  existing: readonly OwnComment[];
  lines: ReadonlyMap<string, FileLines>;
  /**
   * True when this run knows for certain whether a path has findings: it was analysed, or the
   * change adds no line to it. Only then can an earlier comment's finding be declared fixed.
   */
  settled: (path: string) => boolean;
  maxComments: number;
  /** Fingerprints whose inline comment GitHub refused on an earlier push: never sent again. */
  rejected?: ReadonlySet<string>;
}

/**
 * A removed safeguard goes on its surviving line when the diff shows it (added or context line),
 * else on the deleted line of the old file; else only in the check run.
 */
function removalPlacement(f: Finding & { removed: { line: number } }, lines: FileLines): Omit<PlannedComment, "finding"> | undefined {
  if (lines.commentable.has(f.line)) return { path: f.path, line: f.line, withSuggestion: false };
  if (lines.deleted?.has(f.removed.line)) return { path: f.path, line: f.removed.line, side: "LEFT", withSuggestion: false };
  return undefined;
}

function placement(f: Finding, lines: FileLines | undefined): Omit<PlannedComment, "finding"> | undefined {
  // A file scanned whole (no patch from GitHub) has no diff GitHub would attach a comment to.
  if (!lines || lines.added === "all") return undefined;
  if (f.removed && !isAdded(lines.added, f.line)) return removalPlacement(f as Finding & { removed: { line: number } }, lines);
  if (!isAdded(lines.added, f.line) || !lines.commentable.has(f.line)) return undefined;
  const end = Math.max(f.line, f.endLine);
  if (end > f.line) {
    let spans = true;
    for (let l = f.line; l <= end; l++) if (!lines.commentable.has(l)) spans = false;
    if (spans) return { path: f.path, startLine: f.line, line: end, withSuggestion: f.suggestion !== undefined };
    // The range leaves the diff: comment on the first line, without a suggestion that would replace the wrong lines.
    return { path: f.path, line: f.line, withSuggestion: false };
  }
  return { path: f.path, line: f.line, withSuggestion: f.suggestion !== undefined };
}

export function planReview(input: PlanInput): ReviewPlan {
  const closed = new Set<number>();
  for (const c of input.existing) if (c.fixedFingerprint && c.inReplyTo !== undefined) closed.add(c.inReplyTo);
  const open = new Map<string, OwnComment[]>();
  for (const c of input.existing) {
    if (!c.fingerprint || c.inReplyTo !== undefined || closed.has(c.id)) continue;
    const list = open.get(c.fingerprint) ?? [];
    list.push(c);
    open.set(c.fingerprint, list);
  }

  const plan: ReviewPlan = { comments: [], overflow: [], unplaceable: [], fixed: [] };
  const seen = new Set<string>();
  for (const f of input.findings) {
    if (seen.has(f.fingerprint) || open.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const place = input.rejected?.has(f.fingerprint) ? undefined : placement(f, input.lines.get(f.path));
    if (!place) plan.unplaceable.push(f);
    else if (plan.comments.length < input.maxComments) plan.comments.push({ finding: f, ...place });
    else plan.overflow.push(f);
  }

  const current = new Set(input.findings.map((f) => f.fingerprint));
  const suppressed = new Set(input.suppressed.map((f) => f.fingerprint));
  for (const [fingerprint, comments] of open) {
    if (current.has(fingerprint)) continue;
    for (const c of comments) {
      if (!input.settled(c.path)) continue;
      plan.fixed.push({ commentId: c.id, fingerprint, path: c.path, reason: suppressed.has(fingerprint) ? "suppressed" : "fixed" });
    }
  }
  return plan;
}
