// `vibeguard-ignore <rule-id>` on the flagged line or the line above suppresses a finding.
// Suppressed findings are kept and marked, so JSON output still shows them.
import type { Finding } from "../findings.js";

const MARKER = /vibeguard-ignore(?![\w-])(?:[ \t:]+([A-Za-z0-9_\/,. \t-]*))?/;

/** The rule ids a line's ignore comment names; an empty list means "every rule". */
export function ignoredRules(lineText: string): string[] | undefined {
  const match = MARKER.exec(lineText);
  if (!match) return undefined;
  return (match[1] ?? "")
    .split(/[\s,]+/)
    .map((id) => id.replace(/[.]+$/, ""))
    .filter((id) => /^[a-z0-9]/.test(id));
}

function covers(ids: string[], ruleId: string): boolean {
  // An id also covers its namespace: `secrets` covers `secrets/github-pat`.
  return ids.length === 0 || ids.some((id) => ruleId === id || ruleId.startsWith(`${id}/`));
}

// A line that is only a comment, in any of the usual comment syntaxes (//, #, block, JSX, HTML, SQL).
const COMMENT_ONLY = /^\s*(?:\/\/|#|\/\*|\*|\{\s*\/\*|<!--|--|;)/;

/** Mark findings suppressed by an ignore comment in `content`. */
export function applySuppressions(findings: Finding[], content: string): void {
  if (findings.length === 0 || !content.includes("vibeguard-ignore")) return;
  const lines = content.split("\n");
  for (const finding of findings) {
    for (const lineNo of [finding.line, finding.line - 1]) {
      const text = lines[lineNo - 1] ?? "";
      // A trailing comment after code speaks for its own line only, not for the next one.
      if (lineNo !== finding.line && !COMMENT_ONLY.test(text)) continue;
      const ids = ignoredRules(text);
      if (ids && covers(ids, finding.ruleId)) {
        finding.suppressed = true;
        break;
      }
    }
  }
}
