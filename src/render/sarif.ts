// SARIF 2.1.0 in the shape GitHub code scanning accepts: rules carry `security-severity` and CWE
// tags, results carry a partial fingerprint, dataflow traces become code flows, and suppressed
// findings stay in the log with an in-source suppression.
import type { AnalysisResult } from "../analysis/types.js";
import { severityRank, type Finding, type Severity, type TraceStep } from "../findings.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const INFORMATION_URI = "https://github.com/vibeguard/vibeguard";
export const FINGERPRINT_KEY = "vibeguard/v1";

/** GitHub maps these to its critical/high/medium/low security severities. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };
const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };

export interface SarifOptions {
  version: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: { tags: string[]; "security-severity": string; precision: string; "problem.severity": string };
}

/** A rule id in PascalCase, e.g. js-eval-dynamic -> JsEvalDynamic; secrets/github-pat -> SecretsGithubPat. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

function cweTag(cwe: string): string | undefined {
  const match = /^CWE-(\d+)$/i.exec(cwe.trim());
  return match ? `external/cwe/cwe-${match[1]}` : undefined;
}

/** A repository-relative path as a relative URI reference. */
export function pathUri(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function cweLink(cwe: string): string | undefined {
  const match = /^CWE-(\d+)$/i.exec(cwe.trim());
  return match ? `https://cwe.mitre.org/data/definitions/${match[1]}.html` : undefined;
}

/** The rule as the findings describe it; the message without the per-finding dataflow sentence. */
function buildRule(findings: Finding[]): SarifRule {
  const first = findings[0]!;
  const worst = findings.reduce((a, f) => (severityRank(f.severity) > severityRank(a) ? f.severity : a), first.severity);
  const base = findings.find((f) => !f.trace)?.message ?? first.message.replace(/\s*Untrusted data flows from line \d+ to line \d+\.$/, "");
  const tags = ["security", first.category];
  const cwe = cweTag(first.cwe);
  if (cwe) tags.push(cwe);
  const link = cweLink(first.cwe);
  const links = [...(link ? [link] : []), ...(first.links ?? [])];
  const markdown = [`**${first.title}**`, "", base, "", `**Fix:** ${first.fix}`, ...(links.length > 0 ? ["", ...links.map((l) => `- <${l}>`)] : [])].join("\n");
  const rule: SarifRule = {
    id: first.ruleId,
    name: ruleName(first.ruleId),
    shortDescription: { text: first.title },
    fullDescription: { text: base },
    help: { text: `${base}\n\nFix: ${first.fix}`, markdown },
    defaultConfiguration: { level: LEVEL[worst] },
    properties: {
      tags,
      "security-severity": SECURITY_SEVERITY[worst],
      // Taint rules follow dataflow and can be fooled by sanitisers they do not know.
      precision: findings.some((f) => f.trace) ? "medium" : "high",
      "problem.severity": worst === "low" ? "recommendation" : LEVEL[worst],
    },
  };
  if (link) rule.helpUri = link;
  return rule;
}

function region(f: Finding): Record<string, number> {
  const endLine = Math.max(f.endLine, f.line);
  const out: Record<string, number> = { startLine: f.line, startColumn: Math.max(1, f.column), endLine };
  // An end column only makes sense after the start on a one-line region.
  if (endLine > f.line || f.endColumn > f.column) out.endColumn = Math.max(1, f.endColumn);
  return out;
}

/** A trace step; the dataflow analysis may say what happens at a step (optional). */
type Step = TraceStep & { note?: string };

function stepMessage(step: Step, index: number, count: number): string {
  const note = typeof step.note === "string" && step.note.trim() !== "" ? step.note.trim() : undefined;
  const role = index === 0 ? "source" : index === count - 1 ? "sink" : undefined;
  if (note !== undefined) return role ? `${role}: ${note}` : note;
  return role ? `${role}: ${step.code}` : step.code;
}

/** A taint finding's path from source to sink as one code flow, the way CodeQL reports dataflow. */
function codeFlow(f: Finding, trace: readonly Step[]): Record<string, unknown> {
  const first = trace[0]!;
  const last = trace.at(-1)!;
  return {
    message: { text: `Untrusted data flows from line ${first.line} to line ${last.line}.` },
    threadFlows: [
      {
        locations: trace.map((step, i) => ({
          location: {
            physicalLocation: {
              artifactLocation: { uri: pathUri(f.path), uriBaseId: "%SRCROOT%" },
              region: { startLine: step.line, snippet: { text: step.code } },
            },
            message: { text: stepMessage(step, i, trace.length) },
          },
          ...(i === 0 ? { kinds: ["source"] } : i === trace.length - 1 ? { kinds: ["sink"] } : {}),
        })),
      },
    ],
  };
}

export function buildSarif(result: AnalysisResult, options: SarifOptions): Record<string, unknown> {
  const byRule = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byRule.get(f.ruleId) ?? [];
    list.push(f);
    byRule.set(f.ruleId, list);
  }
  const ruleIds = [...byRule.keys()].sort();
  const rules = ruleIds.map((id) => buildRule(byRule.get(id)!));
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));

  const results = result.findings.map((f) => {
    const location = {
      physicalLocation: {
        artifactLocation: { uri: pathUri(f.path), uriBaseId: "%SRCROOT%" },
        region: { ...region(f), ...(f.snippet ? { snippet: { text: f.snippet } } : {}) },
      },
    };
    const out: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      properties: { severity: f.severity, category: f.category },
    };
    if (f.trace && f.trace.length > 0) out.codeFlows = [codeFlow(f, f.trace)];
    if (f.suppressed) out.suppressions = [{ kind: "inSource", justification: "vibeguard-ignore comment" }];
    return out;
  });

  const notifications = result.skipped.map((s) => ({
    level: "note",
    message: { text: `${s.path}: not analysed (${s.reason})` },
    locations: [{ physicalLocation: { artifactLocation: { uri: pathUri(s.path.replace(/\/$/, "")), uriBaseId: "%SRCROOT%" } } }],
  }));

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "vibeguard",
            semanticVersion: options.version,
            version: options.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
}

export function renderSarif(result: AnalysisResult, options: SarifOptions): string {
  return `${JSON.stringify(buildSarif(result, options), null, 2)}\n`;
}
