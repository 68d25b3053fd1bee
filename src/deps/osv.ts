// What an OSV advisory means for one added version: its severity, and the first version that
// fixes it. https://ossf.github.io/osv-schema/
import * as pep440 from "@renovatebot/pep440";
import cvss from "ae-cvss-calculator";
import semver from "semver";
import type { Severity } from "../findings.js";
import type { OsvVuln } from "./client.js";
import { normalizePypiName } from "./parse/pep508.js";
import type { Ecosystem } from "./types.js";

export interface AdvisorySummary {
  id: string;
  /** CVE/GHSA ids the advisory is also known by. */
  aliases: string[];
  summary: string;
  severity: Severity;
  /** Where the severity came from: "GHSA: HIGH", "CVSS 9.8". Empty when the advisory gives none. */
  severitySource: string;
  /** The first version after the added one that fixes it; undefined when no fix is published. */
  fixed?: string;
}

const GHSA_SEVERITY: Record<string, Severity> = { CRITICAL: "critical", HIGH: "high", MODERATE: "medium", MEDIUM: "medium", LOW: "low" };

function fromScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  return "low";
}

/** Base score of a CVSS v2/v3.x/v4 vector, with the library FIRST's formulas are implemented in. */
export function cvssBaseScore(vector: string): number | undefined {
  try {
    const parsed = vector.startsWith("CVSS:4.0/")
      ? new cvss.Cvss4P0(vector)
      : vector.startsWith("CVSS:3.1/")
        ? new cvss.Cvss3P1(vector)
        : vector.startsWith("CVSS:3.0/")
          ? new cvss.Cvss3P0(vector)
          : new cvss.Cvss2(vector);
    const score = parsed.calculateScores().base;
    return typeof score === "number" && Number.isFinite(score) ? score : undefined;
  } catch {
    return undefined;
  }
}

export function advisorySeverity(vuln: OsvVuln): { severity: Severity; source: string } {
  const label = vuln.database_specific?.severity;
  if (typeof label === "string" && GHSA_SEVERITY[label.toUpperCase()]) return { severity: GHSA_SEVERITY[label.toUpperCase()]!, source: `advisory: ${label.toUpperCase()}` };
  const vectors = [...(vuln.severity ?? []), ...(vuln.affected ?? []).flatMap((a) => a.severity ?? [])];
  let best: number | undefined;
  for (const s of vectors) {
    const score = cvssBaseScore(s.score) ?? (Number.isFinite(Number(s.score)) ? Number(s.score) : undefined);
    if (score !== undefined && (best === undefined || score > best)) best = score;
  }
  if (best !== undefined) return { severity: fromScore(best), source: `CVSS ${best.toFixed(1)}` };
  // No rating: a known vulnerability in an exact version being added is still worth a stop.
  return { severity: "high", source: "" };
}

export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number | undefined {
  if (ecosystem === "npm") {
    const va = semver.valid(a);
    const vb = semver.valid(b);
    return va && vb ? semver.compare(va, vb) : undefined;
  }
  return pep440.valid(a) && pep440.valid(b) ? pep440.compare(a, b) : undefined;
}

function samePackage(ecosystem: Ecosystem, name: string, pkg: { ecosystem: string; name: string } | undefined): boolean {
  if (!pkg || pkg.ecosystem.split(":")[0] !== ecosystem) return false;
  return ecosystem === "PyPI" ? normalizePypiName(pkg.name) === normalizePypiName(name) : pkg.name === name;
}

/** The smallest `fixed` event above `version` in this package's affected ranges. */
export function firstFixedVersion(vuln: OsvVuln, ecosystem: Ecosystem, name: string, version: string): string | undefined {
  let best: string | undefined;
  for (const affected of vuln.affected ?? []) {
    if (!samePackage(ecosystem, name, affected.package)) continue;
    for (const range of affected.ranges ?? []) {
      if (range.type === "GIT") continue;
      for (const event of range.events) {
        if (event.fixed === undefined) continue;
        const above = compareVersions(ecosystem, event.fixed, version);
        if (above === undefined || above <= 0) continue;
        if (best === undefined || (compareVersions(ecosystem, event.fixed, best) ?? 0) < 0) best = event.fixed;
      }
    }
  }
  return best;
}

export function summarizeAdvisory(vuln: OsvVuln, ecosystem: Ecosystem, name: string, version: string): AdvisorySummary {
  const { severity, source } = advisorySeverity(vuln);
  const out: AdvisorySummary = {
    id: vuln.id,
    aliases: (vuln.aliases ?? []).filter((a) => a !== vuln.id),
    summary: (vuln.summary ?? vuln.details ?? "").split("\n")[0]!.trim(),
    severity,
    severitySource: source,
  };
  const fixed = firstFixedVersion(vuln, ecosystem, name, version);
  if (fixed !== undefined) out.fixed = fixed;
  return out;
}

/** The highest version among the fixes: the smallest upgrade that fixes every advisory listed. */
export function upgradeTarget(ecosystem: Ecosystem, fixes: string[]): string | undefined {
  let best: string | undefined;
  for (const f of fixes) if (best === undefined || (compareVersions(ecosystem, f, best) ?? 0) > 0) best = f;
  return best;
}
