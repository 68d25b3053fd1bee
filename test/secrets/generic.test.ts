import { describe, expect, it } from "vitest";
import { classifyName } from "../../src/secrets/generic.js";
import { randomness } from "../../src/secrets/entropy.js";
import { synth } from "../../src/secrets/samples.js";
import { ids, scan } from "./helpers.js";

const hi = synth("alnum", 32, 21); // random-looking value
const hex = synth("hexLower", 32, 22);
const b64 = synth("base64", 44, 23);

describe("name classification", () => {
  it.each(["password", "DB_PASSWORD", "dbPass", "PGPASSWORD", "passwd", "pwd", "smtp_password", "passphrase"])("%s is a password name", (n) => {
    expect(classifyName(n)).toBe("password");
  });
  it.each([
    "api_key", "apiKey", "APIKEY", "x-api-key", "secret", "client_secret", "clientSecret", "SECRET_KEY", "secret_key_base", "token",
    "access_token", "authToken", "GITHUB_TOKEN", "private_key", "privateKey", "auth", "_authToken", "credentials", "signing_key",
    "webhookSecret", "SLACK_BOT_TOKEN", "encryption_key", "license_key", "spring.datasource.secret",
  ])("%s is a secret name", (n) => {
    expect(classifyName(n)).toBe("secret");
  });
  it.each([
    "token_url", "tokenizer", "max_tokens", "secretName", "secret_ref", "password_field", "passwordConfirmation", "public_key",
    "publishable_key", "keyboard", "monkey", "nextPageToken", "csrf_token", "token_type", "primaryKey", "cacheKey", "key_id",
    "secret_arn", "password_min_length", "hashed_password", "bypass", "compass", "keys", "sortKey", "passwordResetUrl", "authUrl",
    "auth_enabled", "tokenEndpoint", "siteKey", "secretsManager",
  ])("%s is not a secret name", (n) => {
    expect(classifyName(n)).toBeNull();
  });
  it("treats <provider>_KEY as a weak key name (random values only)", () => {
    expect(classifyName("OPENAI_KEY")).toBe("weak-key");
    expect(classifyName("key")).toBe("bare-key");
  });
});

describe("randomness", () => {
  it("separates random tokens from words and identifiers", () => {
    expect(randomness(hi).random).toBe(true);
    expect(randomness(hex).random).toBe(true);
    expect(randomness(b64).random).toBe(true);
    for (const v of ["mysecretpassword", "getUserAccessTokenFromCache", "INVALID_TOKEN_ERROR", "correct horse battery staple", "aaaaaaaaaaaaaaaaaaaa"]) {
      expect(randomness(v).random, v).toBe(false);
    }
  });
});

describe("generic assignments across file formats", () => {
  it.each([
    ["app.js", `const apiKey = "${hi}";`],
    ["app.ts", `export const config = { clientSecret: '${hi}' };`],
    ["app.ts", `const token: string = "${hi}";`],
    ["app.py", `API_KEY = "${hi}"`],
    ["app.py", `settings = {"api_key": "${hi}"}`],
    ["app.py", `client(token=r"${hi}")`],
    ["main.go", `const apiToken = "${hi}"`],
    ["main.go", `var password string = "${hi}"`],
    ["main.go", `secret := "${hi}"`],
    ["app.rb", `config.secret_key = '${hi}'`],
    ["app.rb", `{ :api_key => "${hi}" }`],
    ["App.java", `private static final String API_SECRET = "${hi}";`],
    ["App.kt", `val authToken: String = "${hi}"`],
    ["App.cs", `var apiKey = @"${hi}";`],
    ["index.php", `$apiKey = '${hi}';`],
    [".env", `STRIPE_SECRET=${hi}`],
    [".env.production", `export SERVICE_TOKEN="${hi}"`],
    ["config.yml", `service:\n  api_key: ${hi}\n`],
    ["config.yaml", `secret: "${hi}"`],
    ["settings.json", `{"auth": {"token": "${hi}"}}`],
    ["app.ini", `[api]\nsecret_key = ${hi}\n`],
    ["Cargo.toml", `[registry]\ntoken = "${hi}"`],
    ["application.properties", `app.security.jwt-secret=${hi}`],
    ["Dockerfile", `ENV API_TOKEN ${hi}`],
    ["Dockerfile", `ARG NPM_TOKEN=${hi}`],
    ["deploy.sh", `curl --header "x-api-key: ${hi}" https://api.internal/x`],
    ["main.tf", `  client_secret = "${hi}"`],
    ["README.md", `Set \`OPENAI_KEY=${hi}\` in your shell.`],
    [".npmrc", `//registry.example.org/:_authToken=${hi}`],
    ["web.config", `<secret>${hi}</secret>`],
    ["analysis.ipynb", `{"cells":[{"source":["api_key = \\"${hi}\\"\\n"]}]}`],
    ["app.py", `ACME_API_KEY = "${hex}"`],
    ["app.py", `SIGNING_SECRET = "${b64}"`],
  ])("%s: %s", (path, content) => {
    const f = scan(path, content);
    expect(ids(f)).toEqual(["secrets/generic-assignment"]);
    expect(["high", "medium"]).toContain(f[0]!.severity);
  });
});

describe("references, placeholders and look-alikes are not secrets", () => {
  it.each([
    ["app.py", `token = os.environ["TOKEN"]`],
    ["app.py", `token = os.getenv("TOKEN")`],
    ["app.py", `password = settings.DB_PASSWORD`],
    ["app.js", `const apiKey = process.env.API_KEY;`],
    ["app.js", "const token = `Bearer ${session.accessToken}`;"],
    ["app.js", `const secret = config.get("secret");`],
    ["app.js", `const token = await vault.read("kv/app");`],
    ["main.go", `apiKey := os.Getenv("API_KEY")`],
    ["app.rb", `api_key = ENV.fetch("API_KEY")`],
    ["ci.yml", "    token: ${{ secrets.NPM_TOKEN }}"],
    ["values.yaml", `password: "{{ .Values.db.password }}"`],
    ["k8s.yml", "        secretKeyRef:\n          name: db\n          key: password"],
    [".env.example", "API_KEY=your-api-key-here"],
    [".env.example", "SECRET_KEY=changeme"],
    [".env.example", "TOKEN=<TOKEN>"],
    [".env.example", "TOKEN=xxxxxxxxxxxxxxxxxxxxxxxx"],
    ["settings.py", "PASSWORD = '****'"],
    ["app.py", `password = "%(db_password)s"`],
    ["config.yml", "api_key: ${API_KEY}"],
    ["app.js", `const password = "";`],
    ["app.js", `if (token === undefined) throw new Error("missing token");`],
    ["app.js", `const tokenUrl = "https://auth.example.com/oauth/token";`],
    ["app.js", `const secretName = "prod/db/credentials";`],
    ["form.html", `<input type="password" name="password" placeholder="Password">`],
    ["de.json", `{"password": "Passwort", "token": "Zugangstoken"}`],
    ["app.py", `request_id = "6f1ed002-ab5d-42e7-8a63-3f8c1b2a9e07"`],
    ["app.py", `api_key_id = "6f1ed002-ab5d-42e7-8a63-3f8c1b2a9e07"`],
    ["package.json", `"integrity": "sha512-${synth("base64", 86, 5)}=="`],
    ["app.py", `commit_sha = "${synth("hexLower", 40, 6)}"`],
    ["styles.css", `.icon { background: url("data:image/png;base64,${synth("base64", 120, 7)}"); }`],
    ["app.py", `secret_file = "/etc/app/secret.json"`],
    ["app.ts", `const PASSWORD_MIN_LENGTH = 12;`],
    ["app.ts", `const hashedPassword = "$2b$12$${synth("base64", 53, 8)}";`],
  ])("%s: %s", (path, content) => {
    expect(scan(path, content)).toEqual([]);
  });

  it("reports a short low-entropy password in code as low severity", () => {
    const f = scan("src/db.py", `password = "hunter2"`);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["secrets/hardcoded-password", "low"]]);
  });

  it("drops generic findings in a test path, keeps provider formats at low", () => {
    expect(scan("test/db.test.py", `password = "hunter2"`, { isTestPath: true })).toEqual([]);
    expect(scan("test/db.test.py", `api_key = "${hi}"`, { isTestPath: true })).toEqual([]);
    expect(ids(scan("test/db.test.py", `api_key = "${hi}"`))).toEqual(["secrets/generic-assignment"]);
    const f = scan("test/db.test.py", `url = "postgres://svc:${hi}@db.prod.internal/app"`, { isTestPath: true });
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["secrets/database-url", "low"]]);
  });

  it("reports an ADO.NET connection-string password inside a code string", () => {
    const f = scan("Startup.cs", `var cs = "Server=db;Database=app;User Id=app;Password=Sp4rkle-Tr33;";`);
    expect(ids(f)).toEqual(["secrets/hardcoded-password"]);
  });

  it("ignores a lockfile's generic-looking entries", () => {
    expect(scan("package-lock.json", `{"token": "${hi}", "integrity": "sha512-${synth("base64", 86, 9)}=="}`)).toEqual([]);
  });
});

describe("name/value pairs and CLI flags", () => {
  it.each([
    ["k8s.yml", `env:\n  - name: API_TOKEN\n    value: ${hi}\n`],
    ["task.json", `{"environment": [{"name": "STRIPE_SECRET", "value": "${hi}"}]}`],
    ["web.config", `<add key="ApiKey" value="${hi}" />`],
    ["run.sh", `mycli deploy --api-key ${hi} --region eu`],
  ])("%s: reports the sibling value", (path, content) => {
    expect(ids(scan(path, content))).toEqual(["secrets/generic-assignment"]);
  });

  it("does not report a name whose value comes from a secret reference", () => {
    expect(scan("k8s.yml", "env:\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef: {name: app, key: token}\n")).toEqual([]);
  });
});

describe("more assignment syntaxes", () => {
  it.each([
    ["config.php", `define('API_KEY', '${hi}');`],
    ["app.py", `key = os.getenv("API_KEY", "${hi}")`],
    ["config.h", `#define API_KEY "${hi}"`],
    [".netrc", `machine api.acme.io login bot password ${hi}`],
    ["src/main.rs", `const API_KEY: &'static str = "${hi}";`],
    ["config.fish", `set -x API_TOKEN ${hi}`],
    [".env", `NEW_RELIC_LICENSE=${hex}`],
    ["deploy.ps1", `$env:API_TOKEN = "${hi}"`],
  ])("%s: %s", (path, content) => {
    expect(ids(scan(path, content))).toEqual(["secrets/generic-assignment"]);
  });

  it("does not read a label pair as a secret", () => {
    expect(scan("src/i18n.js", `t("password", "Password")`)).toEqual([]);
    expect(scan("Dockerfile", `RUN echo token ${hi}`)).toEqual([]);
  });
});

describe("hashes and encrypted values under secret names", () => {
  it.each([
    ["seed.json", `{"password": "$2a$10$${synth("base64", 53, 61).replace(/\+/g, ".")}"}`],
    ["users.yml", `password: "$argon2id$v=19$m=65536,t=3,p=4$${synth("base64", 22, 62)}$${synth("base64", 43, 63)}"`],
    ["app.properties", `db.password=ENC(${synth("base64", 44, 64)})`],
    ["users.py", `password = "pbkdf2_sha256$600000$${synth("alnum", 22, 65)}$${synth("base64", 44, 66)}"`],
    ["sealed.yml", `  encryptedData:\n    password: Ag${synth("base64", 600, 67)}`],
  ])("%s is not reported", (path, content) => {
    expect(scan(path, content)).toEqual([]);
  });
});
