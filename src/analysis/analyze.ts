// The analysis: runs the rule engine and the secrets scanner over changed files, applies the
// repository configuration and suppressions, and says what was checked. No GitHub in here.
import picomatch from "picomatch";
import type { ChecklistId } from "../checklist.js";
import { DEFAULT_CONFIG, type VibeguardConfig } from "../config/schema.js";
import type { Finding, SkippedFile } from "../findings.js";
import { AnalysisTimeLimitError, engineFor, grammarForPath, skipReasonForContent, skipReasonForPath, type Engine } from "../engine/index.js";
import { releaseTrees } from "../engine/memory.js";
import { scanSecrets, isProbablyText } from "../secrets/index.js";
import { analyzeDependencies, isDependencyManifest } from "../deps/index.js";
import { removedSafeguardFindings } from "../safeguards/index.js";
import { browserExposureOf, scanExposure } from "../exposure/index.js";
import { applySuppressions } from "./suppress.js";
import type { AnalysisResult, AnalyzeOptions, SourceFile } from "./types.js";

export type { AnalysisResult, AnalyzeOptions, SourceFile } from "./types.js";

function matcher(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  return picomatch(globs, { dot: true });
}

function hasAddedLines(file: SourceFile): boolean {
  return file.added === "all" ? file.content.length > 0 : file.added.size > 0;
}

/** Apply config to one finding: disabled rules are dropped, overrides and test paths change severity. */
function configure(finding: Finding, config: VibeguardConfig, isTest: boolean): Finding | undefined {
  const disabled = config.disabled_rules.some((id) => finding.ruleId === id || finding.ruleId.startsWith(`${id}/`));
  if (disabled) return undefined;
  const override = config.severity_overrides[finding.ruleId];
  if (override) finding.severity = override;
  else if (isTest) finding.severity = "low";
  return finding;
}

/** Hardcoded-credential CWEs: a rule with one of these and the secrets scanner can report the same literal. */
const CREDENTIAL_CWES = new Set(["CWE-798", "CWE-321", "CWE-259"]);

/**
 * One flaw, one comment: when the secrets scanner reports a literal, a rule that flags the same
 * line as a hardcoded credential says less (no provider, no rotation advice), so it is dropped.
 */
function dropSecretTwins(findings: Finding[]): void {
  const secretLines = new Set(findings.filter((f) => f.category === "secrets").map((f) => f.line));
  if (secretLines.size === 0) return;
  for (let i = findings.length - 1; i >= 0; i--) {
    const f = findings[i]!;
    if (f.category !== "secrets" && CREDENTIAL_CWES.has(f.cwe) && secretLines.has(f.line)) findings.splice(i, 1);
  }
}

export interface AnalyzeDeps {
  engine?: Engine;
}

export async function analyze(files: SourceFile[], options: AnalyzeOptions & AnalyzeDeps = {}): Promise<AnalysisResult> {
  const config = options.config ?? DEFAULT_CONFIG;
  const engine = options.engine ?? engineFor();
  const isIgnored = matcher(config.ignore_paths);
  const isTest = matcher(config.test_paths);
  const findings: Finding[] = [];
  const skipped: SkippedFile[] = [];
  const analyzed: string[] = [];
  const checked = new Set<ChecklistId>();

  for (const file of files) {
    if (isIgnored(file.path)) {
      skipped.push({ path: file.path, reason: "ignored by configuration (ignore_paths)" });
      continue;
    }
    // A change that only deletes lines can still remove a safeguard.
    if (!hasAddedLines(file) && file.base === undefined) continue;
    const contentReason = skipReasonForContent(file.content);
    const binaryOrHuge = contentReason === "binary" || contentReason?.startsWith("over size limit");
    if (binaryOrHuge || !isProbablyText(file.path, file.content)) {
      skipped.push({ path: file.path, reason: contentReason ?? "binary" });
      continue;
    }
    const testFile = isTest(file.path);
    const fileFindings: Finding[] = [];

    // Secrets are looked for in every text file, vendored and generated ones included.
    fileFindings.push(...scanSecrets(file, { config: config.secrets, isTestPath: testFile }));
    checked.add("secrets");
    // Server secrets exposed to the browser: said once, by the finding that says where it leaks.
    const exposed = scanExposure(file);
    if (exposed.length > 0) {
      const lines = new Set(exposed.filter((f) => f.category === "secrets").map((f) => f.line));
      for (let i = fileFindings.length - 1; i >= 0; i--) if (lines.has(fileFindings[i]!.line)) fileFindings.splice(i, 1);
      fileFindings.push(...exposed);
      for (const f of exposed) checked.add(f.category);
    }
    // A secret the scanner found where the browser gets it: say so on that finding.
    for (const f of fileFindings) {
      if (f.category !== "secrets" || f.ruleId.startsWith("exposure-")) continue;
      const why = browserExposureOf(file.path, file.content, f.line);
      if (why) f.message = `${f.message} ${why}`;
    }

    const grammar = grammarForPath(file.path);
    if (grammar) {
      const reason = skipReasonForPath(file.path) ?? contentReason;
      if (reason) {
        skipped.push({ path: file.path, reason: `${reason}: rules not run (secrets still scanned)` });
      } else {
        // One file never fails the run: past its time limit, or on an engine error, it is skipped with the reason.
        try {
          fileFindings.push(...engine.scan({ ...file, timeLimitMs: options.fileTimeLimitMs }));
          for (const rule of engine.rulesFor(grammar)) if (!rule.definition.safeguard) checked.add(rule.definition.category);
          // Removed safeguards: only where the old version is known.
          if (file.base !== undefined) {
            const rules = engine.rulesFor(grammar).filter((r) => r.definition.safeguard);
            fileFindings.push(...removedSafeguardFindings({ path: file.path, base: file.base, content: file.content, grammar }, rules, fileFindings));
            for (const rule of rules) checked.add(rule.definition.category);
          }
        } catch (error) {
          const why = error instanceof AnalysisTimeLimitError ? "analysis time limit" : `analysis error: ${error instanceof Error ? error.message : String(error)}`;
          skipped.push({ path: file.path, reason: `skipped: ${why} (rules not run; secrets still scanned)` });
        }
      }
    }
    analyzed.push(file.path);

    applySuppressions(fileFindings, file.content);
    dropSecretTwins(fileFindings);
    await releaseTrees();
    for (const finding of fileFindings) {
      const kept = configure(finding, config, testFile);
      if (kept) findings.push(kept);
    }
  }

  // Dependencies: manifests and lockfiles, on their added lines (src/deps).
  const notes: NonNullable<AnalysisResult["notes"]> = {};
  const manifests = files.filter((f) => isDependencyManifest(f.path) && !isIgnored(f.path) && hasAddedLines(f));
  if (manifests.length > 0) {
    // A manifest the parsers trip over must not cost the rest of the review.
    const deps = await analyzeDependencies(manifests, {
      config: config.dependencies,
      ...(options.dependencyClient ? { client: options.dependencyClient } : {}),
      changedPaths: options.changedPaths ?? files.map((f) => f.path),
    }).catch((error: unknown) => ({
      findings: [],
      analyzed: [],
      skipped: [],
      checked: false,
      notes: [`not checked: the dependency analysis failed (${String((error as Error)?.message ?? error).split("\n")[0]})`],
    }));
    if (deps.checked) checked.add("dependencies");
    if (deps.notes.length > 0) notes.dependencies = deps.notes;
    skipped.push(...deps.skipped);
    for (const path of deps.analyzed) if (!analyzed.includes(path)) analyzed.push(path);
    const contentOf = new Map(manifests.map((f) => [f.path, f.content]));
    for (const [path, content] of contentOf) {
      const own = deps.findings.filter((f) => f.path === path);
      applySuppressions(own, content);
      for (const finding of own) {
        const kept = configure(finding, config, isTest(path));
        if (kept) findings.push(kept);
      }
    }
  }

  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
  return { findings, skipped, analyzed, checked, notes };
}
