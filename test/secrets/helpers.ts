import type { Finding } from "../../src/findings.js";
import { scanSecrets, type SecretsScanOptions } from "../../src/secrets/index.js";
import { secretsConfigSchema, type SecretsConfig } from "../../src/config/schema.js";

export function scan(path: string, content: string, options?: SecretsScanOptions, added: ReadonlySet<number> | "all" = "all"): Finding[] {
  return scanSecrets({ path, content, added }, options);
}

export function ids(findings: Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}

export function config(partial: Partial<SecretsConfig>): SecretsConfig {
  return secretsConfigSchema.parse(partial);
}
