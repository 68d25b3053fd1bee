// The dependency analyser: reads the manifests and lockfiles of a change, keeps the dependency
// lines it ADDED, and runs the six checks (see checks.ts). Usable without GitHub: the CLI and
// the App both call it through analyze(). With no client it runs offline (checks 3, 5, 6).
import type { SourceFile } from "../analysis/types.js";
import type { DependenciesConfig } from "../config/schema.js";
import pLimit from "p-limit";
import type { Finding, SkippedFile } from "../findings.js";
import {
  ageFinding,
  ESTABLISHED_WEEKLY_DOWNLOADS,
  checkInstallScript,
  checkSpec,
  isSkippedName,
  missingFinding,
  obscureFinding,
  specInfo,
  typosquatFinding,
  vulnerabilityFinding,
} from "./checks.js";
import { SERVICE_NAMES, type DependencyClient, type PackageInfo, type Service } from "./client.js";
import { dirName, isLockfile, manifestType } from "./detect.js";
import type { Lookup } from "./http.js";
import { summarizeAdvisory, type AdvisorySummary } from "./osv.js";
import { parseManifest } from "./parse/index.js";
import { isEstablished, registryKey } from "./popular.js";
import { findTyposquat, type SquatMatch } from "./typosquat.js";
import type { DependencyRef, ParsedManifest } from "./types.js";

export { DependencyClient } from "./client.js";
export { isDependencyManifest };

function isDependencyManifest(path: string): boolean {
  return manifestType(path) !== undefined;
}

export interface DependencyOptions {
  config: DependenciesConfig;
  /** Registry and OSV client; without one, checks 1, 2 and 4 are not run. */
  client?: DependencyClient;
  /** Every path in the change (files with no added lines included), to see lockfiles beside manifests. */
  changedPaths?: string[];
  now?: Date;
}

export interface DependencyAnalysis {
  findings: Finding[];
  /** Manifests read. */
  analyzed: string[];
  skipped: SkippedFile[];
  /** Some manifest or lockfile with added lines was read: the checklist item was checked. */
  checked: boolean;
  /** What was not checked and why ("not checked: OSV unreachable"). */
  notes: string[];
}

/** Package lookups started at once (the client bounds HTTP requests separately). */
const LOOKUPS_IN_FLIGHT = 8;

const PUBLIC_KINDS = new Set(["exact", "bounded", "any", "tag", "unbounded"]);

function isApplication(manifest: ParsedManifest, config: DependenciesConfig, lockDirs: Set<string>): boolean {
  if (config.project !== "auto") return config.project === "application";
  if (manifest.applicationHint) return true;
  return lockDirs.has(dirName(manifest.path));
}

/** Tracks each service's reachability for one run: after one failure it is not asked again. */
class Reachability {
  private readonly down = new Map<Service, string>();
  isDown(service: Service): boolean {
    return this.down.has(service);
  }
  record<T>(service: Service, result: Lookup<T>): Lookup<T> {
    if (result.status === "unreachable" && !this.down.has(service)) this.down.set(service, result.reason);
    return result;
  }
  notes(): string[] {
    return [...this.down.entries()].map(([service, reason]) => `not checked: ${SERVICE_NAMES[service]} unreachable (${reason})`);
  }
}

export async function analyzeDependencies(files: SourceFile[], options: DependencyOptions): Promise<DependencyAnalysis> {
  const { config, client } = options;
  const now = options.now ?? new Date();
  const out: DependencyAnalysis = { findings: [], analyzed: [], skipped: [], checked: false, notes: [] };
  const lockDirs = new Set((options.changedPaths ?? files.map((f) => f.path)).filter(isLockfile).map(dirName));

  const manifests: ParsedManifest[] = [];
  for (const file of files) {
    const parsed = parseManifest(file);
    if (!parsed) continue;
    if (parsed.error) {
      out.skipped.push({ path: file.path, reason: `dependencies not checked: ${parsed.error}` });
      continue;
    }
    manifests.push(parsed);
    out.analyzed.push(file.path);
    out.checked = true;
  }
  if (manifests.length === 0) return out;

  // Manifest lines before lockfile lines, so a package named in both is reported where it was chosen.
  const all = manifests.flatMap((m) => m.dependencies.map((d) => ({ d, m }))).sort((a, b) => Number(a.d.source === "lock") - Number(b.d.source === "lock"));
  // A configured registry mirror is the public registry under another name.
  const mirrorHosts = new Set(Object.values(config.registries).map((url) => new URL(url).hostname));
  const isPrivate = (d: DependencyRef) =>
    (d.privateSource === true && !(d.resolvedHost !== undefined && mirrorHosts.has(d.resolvedHost))) || isSkippedName(d, config.skip_scopes);

  // ---- offline checks: 5 (specs), 6 (install scripts), 3 (typosquats) ----
  for (const m of manifests) {
    const application = isApplication(m, config, lockDirs);
    for (const d of m.dependencies) {
      const f = checkSpec(d, application);
      if (f) out.findings.push(f);
    }
    for (const s of m.installScripts) {
      const f = checkInstallScript(s);
      if (f) out.findings.push(f);
    }
  }

  // One registry verdict per package: the first line that names it.
  const firstByName = new Map<string, DependencyRef>();
  for (const { d } of all) {
    if (isPrivate(d) || !PUBLIC_KINDS.has(specInfo(d).kind) || d.name.includes("://")) continue;
    const key = `${d.ecosystem}:${registryKey(d.ecosystem, d.name)}`;
    if (!firstByName.has(key)) firstByName.set(key, d);
  }
  const squats = new Map<string, SquatMatch>();
  for (const [key, d] of firstByName) {
    // Typosquats are judged where a name was chosen (manifests); lockfiles add whole dependency trees.
    if (d.source !== "manifest") continue;
    const match = findTyposquat(d.ecosystem, d.name);
    if (match) squats.set(key, match);
  }

  if (!client) {
    for (const [key, match] of squats) out.findings.push(typosquatFinding(firstByName.get(key)!, match));
    out.notes.push("not checked (offline): package existence, age and known vulnerabilities");
    return out;
  }

  const reach = new Reachability();
  const registries = { npm: config.registries.npm ?? client.endpoints.npm, pypi: config.registries.pypi ?? client.endpoints.pypi };

  // Lookups start a few at a time, so once a service has failed the ones still waiting are not sent.
  const pool = pLimit(LOOKUPS_IN_FLIGHT);

  // ---- checks 1 and 2: existence, age, downloads ----
  await Promise.all(
    [...firstByName].map(([key, d]) => pool(async () => {
      const service: Service = d.ecosystem === "npm" ? "npm" : "pypi";
      // Popular and established names exist and have a track record: no need to ask.
      if (isEstablished(d.ecosystem, d.name) || reach.isDown(service)) {
        if (squats.has(key)) out.findings.push(typosquatFinding(d, squats.get(key)!));
        return;
      }
      const result: Lookup<PackageInfo> = reach.record(
        service,
        d.ecosystem === "npm" ? await client.npmPackage(d.name, registries.npm) : await client.pypiProject(registryKey("PyPI", d.name), registries.pypi),
      );
      const squat = squats.get(key);
      if (result.status === "not-found" || (result.status === "ok" && result.value.unpublished)) {
        out.findings.push(missingFinding(d, squat, result.status === "ok"));
        return;
      }
      let established = false;
      if (result.status === "ok") {
        const age = ageFinding(d, result.value, now, config.min_age_days);
        if (age) out.findings.push(age);
        if (d.ecosystem === "npm" && !reach.isDown("npmDownloads") && (config.min_weekly_downloads > 0 || squat)) {
          const downloads = reach.record("npmDownloads", await client.npmWeeklyDownloads(d.name));
          if (downloads.status === "ok") {
            established = downloads.value >= ESTABLISHED_WEEKLY_DOWNLOADS;
            if (downloads.value < config.min_weekly_downloads) out.findings.push(obscureFinding(d, downloads.value, config.min_weekly_downloads));
          }
        }
      }
      if (squat && !established) out.findings.push(typosquatFinding(d, squat));
    })),
  );

  // ---- check 4: known vulnerabilities of the exact versions added ----
  if (config.osv) {
    const byVersion = new Map<string, DependencyRef>();
    for (const { d } of all) {
      if (d.version === undefined || isPrivate(d)) continue;
      const key = `${d.ecosystem}:${registryKey(d.ecosystem, d.name)}@${d.version}`;
      if (!byVersion.has(key)) byVersion.set(key, d);
    }
    const refs = [...byVersion.values()];
    if (refs.length > 0) {
      const batch = reach.record("osv", await client.osvQueryBatch(refs.map((d) => ({ ecosystem: d.ecosystem, name: registryKey(d.ecosystem, d.name), version: d.version! }))));
      if (batch.status === "ok") {
        const ids = [...new Set(batch.value.flat())];
        const details = new Map<string, Awaited<ReturnType<DependencyClient["osvVuln"]>>>();
        await Promise.all(
          ids.map((id) => pool(async () => {
            if (!reach.isDown("osv")) details.set(id, reach.record("osv", await client.osvVuln(id)));
          })),
        );
        refs.forEach((d, i) => {
          const advisories: AdvisorySummary[] = [];
          for (const id of batch.value[i]!) {
            const detail = details.get(id);
            if (detail?.status === "ok") {
              if (!detail.value.withdrawn) advisories.push(summarizeAdvisory(detail.value, d.ecosystem, registryKey(d.ecosystem, d.name), d.version!));
            } else {
              advisories.push({ id, aliases: [], summary: "", severity: "high", severitySource: "" });
            }
          }
          // Aliased advisories (a GHSA and a PYSEC for one flaw) are one problem: keep the first.
          const seen = new Set<string>();
          const unique = advisories.filter((a) => {
            if (seen.has(a.id)) return false;
            for (const x of [a.id, ...a.aliases]) seen.add(x);
            return true;
          });
          if (unique.length > 0) out.findings.push(vulnerabilityFinding(d, unique));
        });
      }
    }
  } else {
    out.notes.push("not checked: known vulnerabilities (dependencies.osv is false)");
  }
  out.notes.push(...reach.notes());
  return out;
}
