// The six dependency checks, each deciding on the dependency lines a change added:
//  1 existence on the public registry   2 new or obscure package   3 typosquat of a popular name
//  4 known vulnerabilities (OSV)         5 unpinned or non-registry specs   6 install-time scripts
// 3, 5 and 6 need no network; 1, 2 and 4 ask the registries and OSV through DependencyClient.
import type { Finding } from "../findings.js";
import type { DependenciesConfig } from "../config/schema.js";
import type { DependencyClient, PackageInfo } from "./client.js";
import { advisoryLink, DEPENDENCY_RULES as RULES, dependencyFinding, registryPage } from "./findings.js";
import type { Lookup } from "./http.js";
import { summarizeAdvisory, upgradeTarget, type AdvisorySummary } from "./osv.js";
import { isPopular, registryKey } from "./popular.js";
import { classifyNpmSpec, classifyPep440, classifyPoetry, classifyPythonUrl, type SpecInfo } from "./specs.js";
import { findTyposquat, type SquatMatch } from "./typosquat.js";
import type { DependencyRef, InstallScriptRef } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** npm weekly downloads above which a look-alike name is an established package, not a squat. */
export const ESTABLISHED_WEEKLY_DOWNLOADS = 50_000;

// ---- skipping private packages -------------------------------------------------------------

export function isSkippedName(ref: { ecosystem: string; name: string }, skipScopes: string[]): boolean {
  const name = ref.ecosystem === "PyPI" ? registryKey("PyPI", ref.name) : ref.name.toLowerCase();
  return skipScopes.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry.startsWith("@") && !entry.includes("/")) return name.startsWith(`${entry}/`);
    return name.startsWith(ref.ecosystem === "PyPI" ? registryKey("PyPI", entry) : entry);
  });
}

// ---- check 5: specs --------------------------------------------------------------------------

export function specInfo(ref: DependencyRef): SpecInfo {
  if (ref.ecosystem === "npm") return classifyNpmSpec(ref.spec);
  if (/:\/\/|^(git|hg|svn|bzr)\+|^file:|^\.{0,2}\//i.test(ref.spec)) return classifyPythonUrl(ref.spec);
  if (ref.section.startsWith("tool.poetry.")) return classifyPoetry(ref.spec);
  return classifyPep440(ref.spec);
}

export function checkSpec(ref: DependencyRef, application: boolean): Finding | undefined {
  if (ref.source !== "manifest") return undefined;
  const info = specInfo(ref);
  const quoted = ref.spec === "" ? "no version at all" : `\`${ref.spec}\``;
  switch (info.kind) {
    case "git":
    case "url":
    case "file": {
      const where = info.kind === "git" ? "a git repository" : info.kind === "url" ? "a URL" : "a local file";
      const insecure = info.insecure === true;
      return dependencyFinding(ref, {
        ruleId: RULES.source,
        severity: insecure ? "high" : "medium",
        title: insecure ? "Dependency fetched over plain HTTP" : "Dependency installed from outside the registry",
        message:
          `\`${ref.name}\` comes from ${where} (${quoted})${insecure ? " without TLS, so anyone on the network path can swap the code" : ""}: ` +
          "its content is not versioned or reviewed by the registry, can change under the same reference, and is invisible to vulnerability databases.",
        fix: "Depend on a published release from the registry with a pinned version; if a fork is needed, publish it (privately if need be) or pin a full commit hash over https.",
        cwe: insecure ? "CWE-494" : "CWE-1357",
      });
    }
    case "any":
    case "tag":
    case "unbounded": {
      if (ref.rangeExpected) return undefined;
      if (!application && info.kind === "unbounded") return undefined;
      const what =
        info.kind === "tag" ? `the moving tag ${quoted}` : info.kind === "unbounded" ? `${quoted}, a lower bound with no upper bound` : `${quoted}, which accepts any version`;
      return dependencyFinding(ref, {
        ruleId: RULES.unpinned,
        severity: application ? "medium" : "low",
        title: info.kind === "unbounded" ? "Dependency version without an upper bound" : "Unpinned dependency",
        message:
          `\`${ref.name}\` is required as ${what}: every install can pull a new major release, including a compromised or breaking one, ` +
          `without a change to this repository${application ? "" : " (this looks like a library, where ranges are normal, but not this open)"}.`,
        fix: application
          ? "Pin an exact version (or a range with an upper bound, such as `^1.4.2` or `~=1.4`) and let a lockfile and update bot move it."
          : "Give the range an upper bound on the next major version (`^1.4.2`, `>=1.4,<2`).",
        cwe: "CWE-1357",
      });
    }
    default:
      return undefined;
  }
}

// ---- check 3: typosquats ---------------------------------------------------------------------

export function typosquatFinding(ref: DependencyRef, match: SquatMatch): Finding {
  const how: Record<SquatMatch["kind"], string> = {
    "one-edit": "one character away from",
    swapped: "the same as, with two letters swapped,",
    doubled: "the same as, with one letter doubled,",
    missing: "the same as, with one letter missing,",
    separator: "the same as, with a different `-`/`_`/`.`,",
    "scope-dropped": "the scope-less spelling of",
  };
  return dependencyFinding(ref, {
    ruleId: RULES.typosquat,
    severity: "high",
    title: "Possible typosquat of a popular package",
    message:
      `\`${ref.name}\` is ${how[match.kind]} the popular package \`${match.target}\`, and is not popular itself. ` +
      "Attackers register such names so that a typo, or an assistant's guess, installs their code.",
    fix: `If you meant \`${match.target}\`, depend on it instead; otherwise confirm that \`${ref.name}\` is the package you intend (publisher, repository, downloads).`,
    cwe: "CWE-829",
    links: [registryPage({ ecosystem: ref.ecosystem, name: match.target })],
  });
}

// ---- check 6: install scripts ----------------------------------------------------------------

const REMOTE_CODE: Array<[RegExp, string]> = [
  [/\b(curl|wget|fetch|aria2c)\b/i, "downloads a file"],
  [/\b(Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Start-BitsTransfer|bitsadmin|certutil\s+-urlcache)\b/i, "downloads a file"],
  [/\|\s*(ba|z|da)?sh\b|\|\s*(node|python3?|perl|ruby|iex|powershell)\b/i, "pipes downloaded text into an interpreter"],
  [/\bhttps?:\/\/|\bftp:\/\//i, "reaches out to a URL"],
  [/\b(node|deno|bun)\s+(-e|--eval|-p|--print)\b|\bpython3?\s+-c\b|\bperl\s+-e\b/i, "runs inline code"],
  [/base64\s+(-d|--decode)|\batob\s*\(|Buffer\.from\([^)]*base64|FromBase64String/i, "decodes hidden content"],
  [/\beval\b|\bnew Function\b/i, "evaluates generated code"],
];

export function checkInstallScript(script: InstallScriptRef): Finding | undefined {
  const reasons = [...new Set(REMOTE_CODE.filter(([re]) => re.test(script.command)).map(([, why]) => why))];
  if (reasons.length === 0) return undefined;
  return dependencyFinding(script, {
    ruleId: RULES.installScript,
    severity: "high",
    title: `Install script that fetches or runs remote code (${script.hook})`,
    message:
      `The \`${script.hook}\` script runs automatically on \`npm install\`, on every developer machine and CI runner, and it ${reasons.join(", ")}: ` +
      "whoever controls that content runs code with the installer's rights.",
    fix: "Remove the install hook, or make it run only local, reviewed files from the repository; fetch tools as pinned dependencies with integrity checks instead.",
    cwe: "CWE-494",
  });
}

// ---- checks 1 and 2: existence and age --------------------------------------------------------

export function missingFinding(ref: DependencyRef, lookalike: SquatMatch | undefined, unpublished: boolean): Finding {
  return dependencyFinding(ref, {
    ruleId: unpublished ? RULES.unpublished : RULES.missing,
    severity: "critical",
    title: unpublished ? "Dependency was unpublished from the registry" : "Dependency does not exist on the registry",
    message:
      (unpublished
        ? `\`${ref.name}\` has no published version left on ${ref.ecosystem === "npm" ? "npm" : "PyPI"}: the name can be taken over by anyone.`
        : `\`${ref.name}\` does not exist on ${ref.ecosystem === "npm" ? "the npm registry" : "PyPI"}; it may be a hallucinated name that anyone can register, and the next install would run their code.`) +
      (lookalike ? ` It looks like \`${lookalike.target}\`.` : ""),
    fix: lookalike
      ? `Did you mean \`${lookalike.target}\`? Use the real package, or, for a private package, list its scope or prefix in \`dependencies.skip_scopes\`.`
      : "Use an existing, maintained package; for a private package, list its scope or prefix in `dependencies.skip_scopes` (or its registry in `dependencies.registries`).",
    cwe: "CWE-829",
  });
}

export function ageFinding(ref: DependencyRef, info: PackageInfo, now: Date, minAgeDays: number): Finding | undefined {
  if (minAgeDays <= 0 || !info.created) return undefined;
  const days = Math.floor((now.getTime() - info.created.getTime()) / DAY_MS);
  if (days >= minAgeDays) return undefined;
  return dependencyFinding(ref, {
    ruleId: RULES.new,
    severity: "medium",
    title: "Dependency was first published very recently",
    message:
      `\`${ref.name}\` was first published ${days <= 0 ? "today" : `${days} day${days === 1 ? "" : "s"} ago`} (${info.created.toISOString().slice(0, 10)}), ` +
      `under the ${minAgeDays}-day minimum: new packages have no track record, and freshly registered names are how slopsquatting attacks arrive.`,
    fix: "Check the package's publisher, source repository and contents before depending on it, or wait until it has a track record.",
    cwe: "CWE-1357",
    links: [registryPage(ref)],
  });
}

export function obscureFinding(ref: DependencyRef, weekly: number, minimum: number): Finding {
  return dependencyFinding(ref, {
    ruleId: RULES.obscure,
    severity: "medium",
    title: "Dependency is almost never downloaded",
    message: `\`${ref.name}\` was downloaded ${weekly} time${weekly === 1 ? "" : "s"} last week (fewer than ${minimum}): almost nobody uses or reviews it, which is also how a planted or hallucinated package looks.`,
    fix: "Check the package's publisher, repository and code, or prefer a widely used alternative.",
    cwe: "CWE-1357",
    links: [registryPage(ref)],
  });
}

// ---- check 4: vulnerabilities ------------------------------------------------------------------

export function vulnerabilityFinding(ref: DependencyRef, advisories: AdvisorySummary[]): Finding {
  const rank = { critical: 4, high: 3, medium: 2, low: 1 } as const;
  const worst = advisories.reduce((a, b) => (rank[b.severity] > rank[a.severity] ? b : a));
  const fixes = advisories.map((a) => a.fixed).filter((f): f is string => f !== undefined);
  const unfixed = advisories.filter((a) => a.fixed === undefined);
  const target = unfixed.length === advisories.length ? undefined : upgradeTarget(ref.ecosystem, fixes);
  const list = advisories
    .map((a) => {
      const alias = a.aliases.find((x) => x.startsWith("CVE-") || x.startsWith("GHSA-"));
      return `${a.id}${alias ? ` (${alias})` : ""}: ${a.severity}${a.fixed ? `, fixed in ${a.fixed}` : ", no fixed version yet"}${a.summary ? ` — ${a.summary}` : ""}`;
    })
    .join("; ");
  let suggestion: string | undefined;
  if (target && ref.source === "manifest" && ref.versionIndex !== undefined && ref.version !== undefined) {
    suggestion = ref.lineText.slice(0, ref.versionIndex) + target + ref.lineText.slice(ref.versionIndex + ref.version.length);
  }
  const n = advisories.length;
  const text = {
    ruleId: RULES.vulnerable,
    severity: worst.severity,
    title: `Dependency version with ${n === 1 ? "a known vulnerability" : `${n} known vulnerabilities`}`,
    message: `\`${ref.name}\` ${ref.version} is affected by ${list}.`,
    fix: target
      ? `Upgrade \`${ref.name}\` to ${target} or later${unfixed.length > 0 ? ` (${unfixed.map((a) => a.id).join(", ")} has no fix yet: check whether it applies)` : ""}${ref.source === "lock" ? " and regenerate the lockfile" : ""}.`
      : "No fixed version is published: check whether the advisory applies to your use, or choose another package.",
    cwe: "CWE-1395",
    links: advisories.map((a) => advisoryLink(a.id)),
  };
  return dependencyFinding(ref, suggestion === undefined ? text : { ...text, suggestion });
}

export type { Lookup };
