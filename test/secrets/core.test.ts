import { describe, expect, it } from "vitest";
import { samplePrivateKey } from "../../src/secrets/providers/core.js";
import { synth, tok } from "../../src/secrets/samples.js";
import { ids, scan } from "./helpers.js";

const keyId = (seed = 1): string => tok("AK", "IA", synth("base32", 16, seed));
const awsSecret = (seed = 1): string => synth("base64", 40, seed);

describe("AWS keys", () => {
  it("pairs an access key id with a nearby unnamed 40-char secret and marks both critical", () => {
    const content = `creds = {\n  "id": "${keyId()}",\n  "value": "${awsSecret()}",\n}\n`;
    const f = scan("src/aws.py", content);
    expect(ids(f).sort()).toEqual(["secrets/aws-access-key-id", "secrets/aws-secret-access-key"]);
    expect(f.every((x) => x.severity === "critical")).toBe(true);
    const secret = f.find((x) => x.ruleId === "secrets/aws-secret-access-key")!;
    expect(secret.line).toBe(3);
    expect(secret.message).toMatch(/paired with the access key ID on line 2/);
  });

  it("does not pair a secret that is too far away, and leaves a lone key id at high", () => {
    const filler = "x = 1\n".repeat(20);
    const f = scan("src/aws.py", `key = "${keyId()}"\n${filler}blob = "${awsSecret()}"\n`);
    expect(ids(f)).toEqual(["secrets/aws-access-key-id"]);
    expect(f[0]!.severity).toBe("high");
  });

  it("does not pair a git SHA or a hex digest next to a key id", () => {
    const f = scan("deploy.sh", `AKID=${keyId()}\nCOMMIT=${synth("hexLower", 40, 3)}\n`);
    expect(ids(f)).toEqual(["secrets/aws-access-key-id"]);
  });

  it("reports a named secret access key in .env, YAML, INI and JSON", () => {
    const s = awsSecret(7);
    for (const [path, content] of [
      [".env", `AWS_SECRET_ACCESS_KEY=${s}\n`],
      ["config.yml", `aws:\n  secret_access_key: ${s}\n`],
      ["credentials", `[default]\naws_secret_access_key = ${s}\n`],
      ["cfg.json", `{"SecretAccessKey": "${s}"}`],
    ] as const) {
      expect(ids(scan(path, content)), path).toContain("secrets/aws-secret-access-key");
    }
  });

  it("reports AWS's documented example keys as low-severity notes", () => {
    const exampleId = tok("AKIA", "IOSFODNN7", "EXAMPLE");
    const exampleSecret = tok("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY", "EXAMPLEKEY");
    const f = scan("docs/setup.md", `aws_access_key_id = ${exampleId}\naws_secret_access_key = ${exampleSecret}\n`);
    expect(ids(f).sort()).toEqual(["secrets/aws-access-key-id", "secrets/aws-secret-access-key"]);
    expect(f.every((x) => x.severity === "low")).toBe(true);
    expect(f[0]!.title).toMatch(/^Example/);
  });

  it("drops documented example keys in test paths", () => {
    const exampleId = tok("AKIA", "IOSFODNN7", "EXAMPLE");
    expect(scan("test/aws.test.ts", `const id = "${exampleId}";`, { isTestPath: true })).toEqual([]);
  });
});

describe("private key blocks", () => {
  it("reports a multi-line block on the BEGIN line, spanning to END", () => {
    const block = samplePrivateKey("RSA PRIVATE KEY", 10, 4);
    const f = scan("deploy/id_rsa", `# key\n${block}\n`);
    expect(ids(f)).toEqual(["secrets/private-key"]);
    expect(f[0]!.line).toBe(2);
    expect(f[0]!.endLine).toBe(13);
    expect(f[0]!.severity).toBe("critical");
  });

  it("reports keys embedded in JSON with escaped newlines (service account files)", () => {
    const block = samplePrivateKey("PRIVATE KEY", 8, 5).replace(/\n/g, "\\n");
    const f = scan("sa.json", `{\n  "type": "service_account",\n  "private_key": "${block}\\n"\n}\n`);
    expect(ids(f)).toContain("secrets/private-key");
  });

  it("reports an encrypted key at high, not critical", () => {
    const f = scan("key.pem", samplePrivateKey("ENCRYPTED PRIVATE KEY", 6, 6));
    expect(f.map((x) => x.severity)).toEqual(["high"]);
  });

  it("only reports a block whose BEGIN line is added", () => {
    const block = samplePrivateKey("OPENSSH PRIVATE KEY", 6, 7);
    expect(scan("k", block, {}, new Set([3, 4]))).toEqual([]);
    expect(ids(scan("k", block, {}, new Set([1])))).toEqual(["secrets/private-key"]);
  });

  it("accepts a truncated block with base64 lines but no END", () => {
    const lines = samplePrivateKey("EC PRIVATE KEY", 5, 8).split("\n").slice(0, 5).join("\n");
    expect(ids(scan("k.pem", lines))).toEqual(["secrets/private-key"]);
  });

  it("ignores headers in code and docs without a key body", () => {
    expect(scan("src/pem.ts", 'const header = "-----BEGIN PRIVATE KEY-----";\nconst footer = "-----END PRIVATE KEY-----";\n')).toEqual([]);
    expect(scan("README.md", "Paste your key:\n\n-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n")).toEqual([]);
  });
});

describe("credential URLs", () => {
  const pw = synth("alnum", 20, 11);
  it.each([
    ["postgres", `postgres://svc:${pw}@db.prod.internal:5432/app`],
    ["postgresql", `postgresql://svc:${pw}@db.prod.internal/app`],
    ["mysql", `mysql://svc:${pw}@10.1.2.3/app`],
    ["mariadb", `mariadb://svc:${pw}@maria.prod/app`],
    ["mongodb+srv", `mongodb+srv://svc:${pw}@cluster1.abcd.mongodb.net/app`],
    ["rediss", `rediss://default:${pw}@cache.prod:6380`],
    ["amqp", `amqp://svc:${pw}@mq.prod/vhost`],
    ["mssql", `mssql://sa:${pw}@sql.prod:1433/app`],
  ])("reports %s URLs with a password", (_scheme, url) => {
    expect(ids(scan("app/settings.py", `DATABASE_URL = "${url}"\n`))).toContain("secrets/database-url");
  });

  it("redacts only the password, keeping scheme and host visible", () => {
    const f = scan(".env", `DATABASE_URL=postgres://svc:${pw}@db.prod.internal:5432/app\n`);
    const url = f.find((x) => x.ruleId === "secrets/database-url")!;
    expect(url.snippet).toContain("postgres://svc:[REDACTED");
    expect(url.snippet).toContain("@db.prod.internal");
    expect(url.snippet).not.toContain(pw);
  });

  it.each([
    "postgres://app:${DB_PASSWORD}@db:5432/app",
    "postgres://app:$DB_PASSWORD@db:5432/app",
    "mysql://root:<password>@db/app",
    "mongodb://user:password@localhost:27017/app",
    "redis://:{{ redis_password }}@cache:6379",
    "postgres://postgres:postgres@localhost:5432/postgres",
    "amqp://guest:guest@localhost:5672",
    "postgresql://localhost/app",
    "https://user:pass@example.com/",
    "https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/o/r.git",
  ])("does not report placeholder or password-less URL %s", (url) => {
    expect(scan("docker-compose.yml", `    url: ${url}\n`)).toEqual([]);
  });

  it("lowers a real-looking password on localhost to low", () => {
    const f = scan(".env", `DATABASE_URL=postgres://app:${pw}@localhost:5432/app\n`);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["secrets/database-url", "low"]]);
  });

  it("reports basic auth in http(s) and ftp URLs", () => {
    expect(ids(scan("ci.sh", `curl https://deploy:${pw}@nexus.corp.net/repo/x.tgz\n`))).toEqual(["secrets/url-basic-auth"]);
    expect(ids(scan("ci.sh", `wget ftp://backup:${pw}@files.corp.net/dump.sql\n`))).toEqual(["secrets/url-basic-auth"]);
  });
});

describe("JWTs", () => {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  it("reports a token whose header has alg and payload is JSON", () => {
    const t = [part({ alg: "HS256", typ: "JWT" }), part({ sub: "u-81", role: "admin" }), synth("base64url", 43, 2)].join(".");
    const f = scan("src/client.ts", `const token = "${t}";`);
    expect(ids(f)).toEqual(["secrets/jwt"]);
  });

  it("treats jwt.io's documented example payload as a low note", () => {
    const t = [part({ alg: "HS256", typ: "JWT" }), part({ sub: "1234567890", name: "John Doe", iat: 1516239022 }), synth("base64url", 43, 3)].join(".");
    expect(scan("README.md", t).map((x) => x.severity)).toEqual(["low"]);
  });

  it("ignores base64url triples that are not JSON", () => {
    const t = tok("eyJ", synth("base64url", 40, 4), ".", "eyJ", synth("base64url", 40, 5), ".", synth("base64url", 40, 6));
    expect(scan("a.txt", t)).toEqual([]);
  });
});
