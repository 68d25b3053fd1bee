import { describe, expect, it } from "vitest";
import { secretFingerprint } from "../../src/fingerprint.js";
import { isProbablyText, redactSecret, scanSecrets, validateSecretsConfig } from "../../src/secrets/index.js";
import { samplePrivateKey } from "../../src/secrets/providers/core.js";
import { synth, tok } from "../../src/secrets/samples.js";
import { config, ids, scan } from "./helpers.js";

const secret = synth("alnum", 32, 31);
const keyId = tok("AK", "IA", synth("base32", 16, 32));
const awsSecret = synth("base64", 40, 33);
const dbPw = synth("alnum", 18, 34);

describe("redaction", () => {
  it("shows the label, at most 4 leading characters, the length and the fingerprint", () => {
    const r = redactSecret(secret, "generic-assignment");
    expect(r).toContain(secret.slice(0, 4));
    expect(r).not.toContain(secret.slice(0, 5));
    expect(r).toContain("32 chars");
    expect(r).toContain(secretFingerprint(secret));
    expect(r).toContain("generic-assignment");
  });

  it("shows fewer characters of short secrets", () => {
    expect(redactSecret("abcd")).toContain('"a…"');
    expect(redactSecret("hunter2")).toContain('"hu…"');
  });

  it("never puts a full secret in any finding field", () => {
    const pem = samplePrivateKey("RSA PRIVATE KEY", 8, 35);
    const content = [
      `const apiKey = "${secret}"; const other = "${secret}";`,
      `aws_access_key_id = ${keyId}`,
      `aws_secret_access_key = ${awsSecret}`,
      `DATABASE_URL=postgres://svc:${dbPw}@db.prod.internal/app`,
      `password = "hunter2"`,
      pem,
    ].join("\n");
    const findings = scanSecrets({ path: "src/leak.py", content, added: "all" });
    expect(new Set(ids(findings))).toEqual(
      new Set(["secrets/generic-assignment", "secrets/aws-access-key-id", "secrets/aws-secret-access-key", "secrets/database-url", "secrets/hardcoded-password", "secrets/private-key"]),
    );
    const json = JSON.stringify(findings);
    for (const s of [secret, keyId, awsSecret, dbPw, "hunter2", ...pem.split("\n").slice(1, -1)]) expect(json).not.toContain(s);
  });

  it("replaces the secret in the snippet with its redacted form", () => {
    const [f] = scan("a.js", `  const apiKey = "${secret}";  `);
    expect(f!.snippet).toBe(`const apiKey = "${redactSecret(secret, "generic-assignment")}";`);
  });
});

describe("finding shape", () => {
  it("fills rule id, category, CWE, position, guidance and revocation link", () => {
    const [f] = scan("src/aws.ts", `\nconst id = "${keyId}";\n`);
    expect(f).toMatchObject({
      ruleId: "secrets/aws-access-key-id",
      category: "secrets",
      cwe: "CWE-798",
      line: 2,
      endLine: 2,
      column: 13,
      endColumn: 33,
      suppressed: false,
      links: ["https://console.aws.amazon.com/iam/home#/security_credentials"],
    });
    expect(f!.fix).toMatch(/[Rr]evoke and rotate/);
    expect(f!.fix).toMatch(/git history/);
    expect(f!.fix).toMatch(/environment or a secret manager/);
  });

  it("keeps the fingerprint stable across line moves and free of the secret", () => {
    const a = scan("a.js", `const apiKey = "${secret}";`)[0]!;
    const b = scan("a.js", `// moved\n\n\nconst apiKey =   "${secret}";`)[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toContain(secret);
    const c = scan("b.js", `const apiKey = "${secret}";`)[0]!;
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it("gives two occurrences of the same secret distinct fingerprints", () => {
    const f = scan("a.js", `const apiKey = "${secret}";\nconst apiKey2 = "${secret}";`);
    expect(f).toHaveLength(2);
    expect(f[0]!.fingerprint).not.toBe(f[1]!.fingerprint);
  });
});

describe("added lines only", () => {
  const content = `const a = 1;\nconst apiKey = "${secret}";\nconst b = 2;\n`;
  it("reports a secret on an added line", () => {
    expect(ids(scan("a.js", content, {}, new Set([2])))).toEqual(["secrets/generic-assignment"]);
  });
  it("skips a secret on an unchanged line", () => {
    expect(scan("a.js", content, {}, new Set([1, 3]))).toEqual([]);
    expect(scan("a.js", content, {}, new Set())).toEqual([]);
  });
});

describe("suppression comments", () => {
  it.each([
    [`const apiKey = "${secret}"; // vibeguard-ignore secrets/generic-assignment`],
    [`# vibeguard-ignore secrets\napi_key = "${secret}"`],
    [`<!-- vibeguard-ignore secrets/generic-assignment -->\napi_key = "${secret}"`],
    [`/* vibeguard-ignore secrets */ const apiKey = "${secret}";`],
  ])("marks %s as suppressed", (content) => {
    const f = scan("x.js", content);
    expect(f).toHaveLength(1);
    expect(f[0]!.suppressed).toBe(true);
  });

  it("does not suppress for another rule id or a comment two lines up", () => {
    expect(scan("x.js", `const apiKey = "${secret}"; // vibeguard-ignore secrets/jwt`)[0]!.suppressed).toBe(false);
    expect(scan("x.js", `// vibeguard-ignore secrets\n\nconst apiKey = "${secret}";`)[0]!.suppressed).toBe(false);
  });
});

describe("configuration", () => {
  it("allow_regexes drop matching secrets", () => {
    expect(scan("a.js", `const apiKey = "${secret}";`, { config: config({ allow_regexes: [`^${secret.slice(0, 6)}`] }) })).toEqual([]);
    expect(scan("a.js", `const apiKey = "${secret}";`, { config: config({ allow_regexes: ["^nomatch"] }) })).toHaveLength(1);
  });

  it("allow_paths (globs) drop whole files", () => {
    const cfg = config({ allow_paths: ["fixtures/**", "**/*.snap"] });
    expect(scan("fixtures/keys/a.env", `TOKEN=${secret}`, { config: cfg })).toEqual([]);
    expect(scan("src/__snapshots__/x.snap", `TOKEN=${secret}`, { config: cfg })).toEqual([]);
    expect(scan("src/a.env", `TOKEN=${secret}`, { config: cfg })).toHaveLength(1);
  });

  it("allow_fingerprints accept a finding's fingerprint or the secret fingerprint", () => {
    const [f] = scan("a.js", `const apiKey = "${secret}";`);
    expect(scan("a.js", `const apiKey = "${secret}";`, { config: config({ allow_fingerprints: [f!.fingerprint] }) })).toEqual([]);
    expect(scan("a.js", `const apiKey = "${secret}";`, { config: config({ allow_fingerprints: [secretFingerprint(secret)] }) })).toEqual([]);
  });

  it("extra_patterns add organisation-specific formats with their own keywords", () => {
    const cfg = config({
      extra_patterns: [{ id: "acme-internal-token", description: "ACME internal token", regex: "acme_[a-z0-9]{24}", keywords: ["acme_"], severity: "critical" }],
    });
    const t = tok("acme", "_", synth("lowerAlnum", 24, 36));
    const f = scan("deploy.sh", `curl -H "X-Acme: ${t}" https://acme.internal`, { config: cfg });
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["secrets/acme-internal-token", "critical"]]);
    expect(JSON.stringify(f)).not.toContain(t);
    expect(scan("deploy.sh", `curl -H "X-Acme: ${t}" https://acme.internal`)).toEqual([]);
  });

  it("validateSecretsConfig reports invalid regexes", () => {
    const cfg = config({ allow_regexes: ["("], extra_patterns: [{ id: "bad", description: "d", regex: "[", keywords: ["ab"], severity: "high" }] });
    expect(validateSecretsConfig(cfg)).toHaveLength(2);
    const slow = config({ extra_patterns: [{ id: "slow", description: "d", regex: "(a+)+b", keywords: ["ab"], severity: "high" }] });
    expect(validateSecretsConfig(slow)).toEqual([expect.stringMatching(/nested unbounded/)]);
    expect(() => scan("a.txt", "ab[", { config: cfg })).not.toThrow();
  });
});

describe("file kinds", () => {
  it("isProbablyText rejects binary and minified content, accepts source, config and lockfiles", () => {
    expect(isProbablyText("a.png", "\u0089PNG\r\n\u001a\n\u0000\u0000")).toBe(false);
    expect(isProbablyText("data.bin", "abc\u0000def")).toBe(false);
    expect(isProbablyText("dist/app.min.js", "var a=1;")).toBe(false);
    expect(isProbablyText("dist/bundle.js", "x".repeat(20000))).toBe(false);
    expect(isProbablyText("src/app.ts", "const a = 1;\n".repeat(500))).toBe(true);
    expect(isProbablyText("package-lock.json", '{\n  "name": "x"\n}\n')).toBe(true);
    expect(isProbablyText("notebook.ipynb", '{"cells": []}')).toBe(true);
  });

  it("returns nothing for binary content", () => {
    expect(scan("a.bin", `\u0000\u0001apiKey = "${secret}"`)).toEqual([]);
  });

  it("still finds provider tokens in lockfiles", () => {
    expect(ids(scan("yarn.lock", `  resolved "https://deploy:${dbPw}@npm.corp.net/x/-/x-1.0.0.tgz"`))).toEqual(["secrets/url-basic-auth"]);
  });
});
