// Removed safeguards as findings: a removal becomes its own finding on the closest surviving
// line, or, when another rule already flags that line (a parameterized query rewritten into a
// string-built one), a note on that finding that it replaced a safe version.
import { fingerprint } from "../fingerprint.js";
import type { Finding } from "../findings.js";
import type { LoadedRule } from "../engine/load-rules.js";
import type { GrammarId } from "../engine/languages.js";
import { findRemovedSafeguards, type Removal } from "./compare.js";

export { findRemovedSafeguards, safeguardRulesFor, type Removal } from "./compare.js";
export { mapLines } from "./line-map.js";

function quote(code: string): string {
  const short = code.length > 80 ? `${code.slice(0, 77)}...` : code;
  return `\`${short.replace(/`/g, "'")}\``;
}

function describe(removal: Removal): string {
  if (removal.movedRoute) {
    return `Route ${removal.movedRoute} moved out from under the ${removal.safeguard.name} ${quote(removal.text)} (old line ${removal.oldLine}); the router it is registered on now has none, so that protection was removed.`;
  }
  const where = removal.text === removal.code ? "" : ` from ${quote(removal.code)}`;
  return `The change removed ${removal.safeguard.name} ${quote(removal.text)}${where} (old line ${removal.oldLine}).`;
}

function toFinding(removal: Removal, path: string, lines: string[]): Finding {
  const def = removal.rule.definition;
  const surviving = lines[removal.newLine - 1] ?? "";
  return {
    ruleId: def.id,
    category: def.category,
    severity: def.severity,
    path,
    line: removal.newLine,
    endLine: removal.newLine,
    column: 1,
    endColumn: surviving.length + 1,
    title: def.title,
    message: `${describe(removal)} ${def.message.trim()}`,
    fix: def.fix.trim(),
    cwe: def.cwe,
    fingerprint: fingerprint(def.id, path, `${removal.movedRoute ?? ""}${removal.text}\0${removal.code}`),
    suppressed: false,
    snippet: removal.text,
    removed: { line: removal.oldLine, code: removal.code },
  };
}

/** A finding another rule made on the line a removal lands on, in the same checklist item. */
function findingToAttachTo(removal: Removal, findings: Finding[]): Finding | undefined {
  const category = removal.rule.definition.category;
  return findings.find((f) => f.category === category && !f.removed && f.line <= removal.newLine + 1 && removal.newLine <= f.endLine + 1 && f.line >= removal.newLine - 1);
}

export interface SafeguardInput {
  path: string;
  base: string;
  content: string;
  grammar: GrammarId;
}

/**
 * The removed-safeguard findings for one file. `findings` are the other rules' findings for the
 * same file: a removal on a line they already flag is attached to that finding instead.
 */
export function removedSafeguardFindings(input: SafeguardInput, rules: readonly LoadedRule[], findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const lines = input.content.split("\n");
  for (const removal of findRemovedSafeguards(input, rules)) {
    const twin = findingToAttachTo(removal, findings);
    if (twin) {
      twin.message = `${twin.message} It replaced a safe version: ${removal.safeguard.name} ${quote(removal.text)} (old line ${removal.oldLine}) was removed.`;
      twin.removed = { line: removal.oldLine, code: removal.code };
      continue;
    }
    if (removal.safeguard["attach-only"]) continue;
    // One finding per removed line and rule.
    if (out.some((f) => f.ruleId === removal.rule.definition.id && f.removed?.line === removal.oldLine && f.snippet === removal.text)) continue;
    out.push(toFinding(removal, input.path, lines));
  }
  return out;
}
