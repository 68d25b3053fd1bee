// Adversarial inputs: 1 MiB lines built to trigger keyword storms and regex backtracking.
// Every provider pattern is on; each scan must finish well under a second.
import { describe, expect, it } from "vitest";
import { scanSecrets } from "../../src/secrets/index.js";
import { PROVIDER_PATTERNS } from "../../src/secrets/providers/index.js";
import { synth } from "../../src/secrets/samples.js";

const MIB = 1024 * 1024;

/** Milliseconds of CPU this process spent in `fn`: the scan's own cost, not time spent waiting for a shared CPU. */
function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}
const fill = (unit: string): string => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB);

// every keyword of every pattern, repeated: the worst case for window merging
const allKeywords = PROVIDER_PATTERNS.flatMap((p) => p.keywords).join(" ");

const inputs: [string, string][] = [
  ["long run of A", fill("A")],
  ["sk_live_ repeated", fill("sk_live_")],
  ["= repeated", fill("=")],
  ["base64 junk", synth("base64", MIB, 41)],
  ["base64url junk with dots", fill(synth("base64url", 97, 42) + ".")],
  ["-----BEGIN without end", fill("-----BEGIN RSA PRIVATE KEY-----")],
  ["-----BEGIN then base64", "-----BEGIN PRIVATE KEY-----\n" + fill("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")],
  ["password= repeated", fill("password=")],
  ["token: repeated", fill('"token": ')],
  ["key repeated", fill("key")],
  ["api_key=\" unterminated", fill('api_key="')],
  ["AKIA repeated", fill("AKIA")],
  ["eyJ repeated", fill("eyJ")],
  ["eyJ. parts", fill("eyJhbGciOiJIUzI1NiJ9.")],
  ["URL user:pass@ storm", fill("https://a:b")],
  ["postgres:// storm", fill("postgres://u:")],
  ["bearer storm", fill("Bearer ")],
  ["all keywords", fill(allKeywords + " ")],
  ["one char per line", fill("a\n")],
  ["quotes and colons", fill(`"secret":"`)],
];

describe("adversarial 1 MiB inputs", () => {
  it.each(inputs)("%s finishes in under a second", (_name, content) => {
    expect(content.length).toBeGreaterThanOrEqual(MIB);
    let findings: unknown = null;
    const ms = cpuMs(() => {
      findings = scanSecrets({ path: "src/evil.txt", content, added: "all" });
    });
    expect(Array.isArray(findings)).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it("also holds for code and config file kinds", () => {
    for (const path of ["src/evil.ts", ".env", "config.yml", "Dockerfile"]) {
      for (const content of [fill('password = "'), fill("TOKEN="), fill("apiKey: ")]) {
        expect(cpuMs(() => scanSecrets({ path, content, added: "all" })), path).toBeLessThan(1000);
      }
    }
  });
});
