// What the review says: one inline comment per new finding, the review body, and the reply on a
// comment whose finding is gone. Hidden markers let later runs recognise the App's own comments.
import type { Finding, Severity } from "../findings.js";
import { SEVERITIES } from "../findings.js";
import { code, severityLabel, truncateMarkdown } from "./check-run.js";

/** GitHub's limit on a review or comment body. */
export const COMMENT_LIMIT = 65_536;

const FINGERPRINT_MARKER = /<!-- vibeguard:fingerprint=([A-Za-z0-9:_-]{1,128}) -->/;
const FIXED_MARKER = /<!-- vibeguard:fixed=([A-Za-z0-9:_-]{1,128}) -->/;

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- vibeguard:fingerprint=${fingerprint} -->`;
}

export function fixedMarker(fingerprint: string): string {
  return `<!-- vibeguard:fixed=${fingerprint} -->`;
}

const REJECTED_MARKER = /<!-- vibeguard:rejected=([A-Za-z0-9:_, -]{1,60000}) -->/;

/** Fingerprints whose inline comment GitHub refused, carried in the review body so later runs do not resend them. */
export function rejectedMarker(fingerprints: readonly string[]): string {
  return `<!-- vibeguard:rejected=${fingerprints.join(",")} -->`;
}

export function parseRejectedMarker(body: string | null | undefined): string[] {
  const list = body ? REJECTED_MARKER.exec(body)?.[1] : undefined;
  return list ? list.split(",").map((f) => f.trim()).filter((f) => /^[A-Za-z0-9:_-]{1,128}$/.test(f)) : [];
}

/** The fingerprint of a finding comment the App posted, or undefined. */
export function parseFingerprintMarker(body: string | null | undefined): string | undefined {
  return body ? FINGERPRINT_MARKER.exec(body)?.[1] : undefined;
}

/** The fingerprint a "fixed" reply closes, or undefined. */
export function parseFixedMarker(body: string | null | undefined): string | undefined {
  return body ? FIXED_MARKER.exec(body)?.[1] : undefined;
}

function commentPrefix(path: string): string {
  return /\.(py|rb|sh|bash|ya?ml|toml|r|pl)$/i.test(path) || /(^|\/)(Dockerfile|Makefile|\.env[^/]*)$/.test(path) ? "#" : "//";
}

/** A fenced block whose fence is longer than any backtick run inside it. */
function fenced(info: string, body: string): string {
  const runs = body.match(/`{3,}/g) ?? [];
  const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
  return `${fence}${info}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}${fence}`;
}

export interface CommentOptions {
  /** Include the finding's `suggestion` as a suggested change (only when the comment spans exactly line..endLine). */
  withSuggestion: boolean;
}

export function renderFindingComment(f: Finding, options: CommentOptions): string {
  const lines: string[] = [];
  lines.push(`**${severityLabel(f.severity)}: ${f.title}**`, "");
  lines.push(f.message, "");
  lines.push(`**How to fix:** ${f.fix}`, "");
  if (options.withSuggestion && f.suggestion !== undefined) {
    lines.push(fenced("suggestion", f.suggestion), "");
  }
  if (f.trace && f.trace.length > 0) {
    lines.push("<details><summary>Dataflow from source to sink</summary>", "");
    f.trace.forEach((step, i) => lines.push(`${i + 1}. line ${step.line}: ${code(step.code)}${step.note ? ` (${escapeNote(step.note)})` : ""}`));
    lines.push("", "</details>", "");
  }
  if (f.links && f.links.length > 0) {
    lines.push(...f.links.map((l) => `- ${l}`), "");
  }
  lines.push(
    `<sub>Rule ${code(f.ruleId)}${f.cwe ? ` · ${f.cwe}` : ""} · If this is a false positive, add ` +
      `${code(`${commentPrefix(f.path)} vibeguard-ignore ${f.ruleId}`)} with a reason on the flagged line or the line above.</sub>`,
  );
  const body = lines.join("\n");
  const marker = fingerprintMarker(f.fingerprint);
  return `${truncateMarkdown(body, COMMENT_LIMIT - marker.length - 2, "_…truncated._")}\n${marker}`;
}

export interface ReviewBodyInput {
  /** Findings that got an inline comment in this review. */
  commented: Finding[];
  /** New findings left out because of max_comments. */
  overflow: number;
  /** New findings that could not be placed on a line of the diff. */
  unplaceable: number;
  /** Current unsuppressed findings at or above the threshold (the whole change, not only new ones). */
  failing: number;
  threshold: Severity;
  checkRunUrl: string | undefined;
  requestChanges: boolean;
  /** Set when GitHub rejected the inline comments and this review carries none. */
  inlineRejected?: boolean;
  /** Findings whose inline comment GitHub refused (this push or an earlier one is not repeated). */
  rejected?: readonly Finding[];
}

export function renderReviewBody(input: ReviewBodyInput): string {
  const counts = SEVERITIES.map((s) => [s, input.commented.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const n = input.commented.length;
  const lines: string[] = [];
  lines.push("### vibeguard security review", "");
  if (input.inlineRejected) {
    lines.push("vibeguard found new security issues in this push, but GitHub did not accept the inline comments; they are listed in the check run.");
  } else {
    lines.push(`vibeguard found ${n === 1 ? "1 new security issue" : `${n} new security issues`} in this push (${counts.join(", ")}); see the inline comments.`);
  }
  const rest: string[] = [];
  const rejected = input.rejected ?? [];
  if (rejected.length > 0 && !input.inlineRejected) {
    rest.push(`${rejected.length} ${rejected.length === 1 ? "was" : "were"} not accepted by GitHub as an inline comment`);
  }
  if (input.overflow > 0) rest.push(`${input.overflow} more ${input.overflow === 1 ? "is" : "are"} not commented inline because of the \`max_comments\` limit`);
  if (input.unplaceable > 0) rest.push(`${input.unplaceable} could not be placed on a changed line of the diff`);
  if (rest.length > 0) lines.push("", `${rest.join("; ")}: ${input.checkRunUrl ? `see the [check run](${input.checkRunUrl})` : "see the vibeguard check run"}.`);
  if (input.failing > 0) {
    lines.push(
      "",
      `${input.failing === 1 ? "1 finding is" : `${input.failing} findings are`} at or above \`${input.threshold}\` severity, so the vibeguard check fails` +
        `${input.requestChanges ? " and this review requests changes" : ""}.`,
    );
  }
  if (input.checkRunUrl && rest.length === 0) lines.push("", `The full security checklist is in the [check run](${input.checkRunUrl}).`);
  if (rejected.length > 0) lines.push("", rejectedMarker(rejected.map((f) => f.fingerprint)));
  return lines.join("\n");
}

export function renderFixedReply(f: { fingerprint: string }, headSha: string, reason: "fixed" | "suppressed"): string {
  const text =
    reason === "suppressed"
      ? `This finding is now suppressed by a \`vibeguard-ignore\` comment (as of ${code(headSha.slice(0, 7))}). Resolving this thread.`
      : `✅ Fixed: vibeguard no longer finds this issue as of ${code(headSha.slice(0, 7))}. Resolving this thread.`;
  return `${text}\n${fixedMarker(f.fingerprint)}`;
}

/** A trace note in Markdown: plain words, no markup or mentions. */
function escapeNote(note: string): string {
  return note.replace(/[\\`*_[\]<>|@#~]/g, (c) => `\\${c}`).slice(0, 200);
}
