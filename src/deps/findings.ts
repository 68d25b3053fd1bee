// Builds the Finding each dependency check reports: what the bot says about a dependency line
// lives here, the decisions in checks.ts.
import { fingerprint } from "../fingerprint.js";
import type { Finding, Severity } from "../findings.js";
import type { DependencyRef, InstallScriptRef } from "./types.js";

export const DEPENDENCY_RULES = {
  missing: "dependencies/nonexistent-package",
  unpublished: "dependencies/unpublished-package",
  new: "dependencies/new-package",
  obscure: "dependencies/obscure-package",
  typosquat: "dependencies/typosquat",
  vulnerable: "dependencies/known-vulnerability",
  unpinned: "dependencies/unpinned",
  source: "dependencies/non-registry-source",
  installScript: "dependencies/install-script",
} as const;

export interface FindingText {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  fix: string;
  cwe: string;
  suggestion?: string;
  links?: string[];
}

export function dependencyFinding(at: DependencyRef | InstallScriptRef, text: FindingText): Finding {
  const finding: Finding = {
    ruleId: text.ruleId,
    category: "dependencies",
    severity: text.severity,
    path: at.path,
    line: at.line,
    endLine: at.line,
    column: at.column,
    endColumn: at.endColumn,
    title: text.title,
    message: text.message,
    fix: text.fix,
    cwe: text.cwe,
    fingerprint: fingerprint(text.ruleId, at.path, at.lineText),
    suppressed: false,
    snippet: at.lineText.trim().slice(0, 200),
  };
  if (text.suggestion !== undefined) finding.suggestion = text.suggestion;
  if (text.links && text.links.length > 0) finding.links = text.links;
  return finding;
}

export function registryPage(ref: { ecosystem: string; name: string }): string {
  return ref.ecosystem === "npm" ? `https://www.npmjs.com/package/${ref.name}` : `https://pypi.org/project/${ref.name}/`;
}

export function advisoryLink(id: string): string {
  return `https://osv.dev/vulnerability/${id}`;
}
