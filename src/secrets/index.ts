// The secrets scanner module: called on the added lines of every changed text file.
import type { AddedLines, Finding } from "../findings.js";
import { candidatesToFindings, isAllowedPath, scanText, type SecretsScanOptions } from "./scanner.js";

export type { SecretsScanOptions } from "./scanner.js";
export { validateSecretsConfig } from "./scanner.js";
export { redactSecret, redactText } from "./redact.js";
export { isProbablyText, isLockfile } from "./filetypes.js";
export { PROVIDER_PATTERNS } from "./providers/index.js";
export type { ProviderPattern } from "./types.js";

/**
 * Secrets on the added lines of one file, as findings with category "secrets". Secrets are
 * redacted everywhere in the findings. Binary content returns nothing. Lockfiles are scanned
 * for provider token formats only (a registry token in a resolved URL is real), never for
 * generic `name = value` secrets (integrity hashes would drown them).
 */
export function scanSecrets(file: { path: string; content: string; added: AddedLines }, options: SecretsScanOptions = {}): Finding[] {
  if (file.content.length === 0) return [];
  if (file.added !== "all" && file.added.size === 0) return [];
  if (isAllowedPath(file.path, options.config)) return [];
  const head = file.content.length > 8192 ? file.content.slice(0, 8192) : file.content;
  if (head.includes("\u0000")) return [];
  const candidates = scanText(file, options);
  return candidatesToFindings(file, candidates, options);
}

