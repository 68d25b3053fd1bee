// A labeled mini-corpus: secrets in the formats and files they leak in, and look-alikes that must
// stay quiet. It estimates recall and the false-positive rate; the thresholds are the project's
// targets (recall >= 0.95, <= 2% of look-alikes flagged). Everything is synthetic and built at runtime.
import { describe, expect, it } from "vitest";
import { PROVIDER_PATTERNS } from "../../src/secrets/providers/index.js";
import { samplePrivateKey } from "../../src/secrets/providers/core.js";
import { synth, tok } from "../../src/secrets/samples.js";
import { scan } from "./helpers.js";

interface Item {
  label: string;
  path: string;
  content: string;
  isTestPath?: boolean;
}

const SERVICES = [
  "ALGOLIA_ADMIN_KEY", "PUSHER_APP_SECRET", "MAPBOX_SECRET_TOKEN", "CONTENTFUL_DELIVERY_TOKEN", "SEGMENT_WRITE_KEY",
  "MIXPANEL_API_SECRET", "AMPLITUDE_SECRET_KEY", "BRAZE_REST_API_KEY", "CLOUDINARY_API_SECRET", "ONESIGNAL_REST_API_KEY",
  "INTERCOM_ACCESS_TOKEN", "ZOOM_CLIENT_SECRET", "ASANA_PAT", "TRELLO_TOKEN", "AIRTABLE_API_KEY", "FRESHDESK_API_KEY",
  "PAGERDUTY_TOKEN", "OPSGENIE_API_KEY", "ROLLBAR_ACCESS_TOKEN", "BUGSNAG_API_KEY", "LOGDNA_INGESTION_KEY",
  "HONEYCOMB_WRITE_KEY", "MUX_TOKEN_SECRET", "VONAGE_API_SECRET", "PLIVO_AUTH_TOKEN", "MESSAGEBIRD_ACCESS_KEY",
  "CONVERTKIT_API_SECRET", "KLAVIYO_PRIVATE_KEY", "WEBFLOW_API_TOKEN", "YOUSIGN_API_KEY", "DEEPL_AUTH_KEY", "OPENWEATHER_KEY",
  "ACME_SIGNING_SECRET", "INTERNAL_SERVICE_TOKEN", "JWT_SECRET", "SESSION_SECRET", "ENCRYPTION_KEY", "WEBHOOK_SECRET",
  "DB_PASSWORD", "SMTP_PASSWORD",
];

const FORMATS: ((seed: number) => string)[] = [
  (s) => synth("alnum", 32, s),
  (s) => synth("hexLower", 32, s),
  (s) => synth("hexLower", 40, s),
  (s) => synth("base64", 43, s) + "=",
  (s) => synth("lowerAlnum", 40, s),
  (s) => synth("alnum", 24, s),
  (s) => tok(synth("lower", 3, s), "_", synth("alnum", 30, s + 1)),
  (s) => synth("base64url", 43, s),
  (s) => synth("upperAlnum", 28, s),
];

const camel = (n: string): string => n.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const lower = (n: string): string => n.toLowerCase();
const dotted = (n: string): string => n.toLowerCase().replace(/_/g, ".");

const CONTEXTS: ((name: string, v: string) => [string, string])[] = [
  (n, v) => [".env", `${n}=${v}\n`],
  (n, v) => [".env.local", `${n}="${v}"\n`],
  (n, v) => ["config/app.yml", `services:\n  ${lower(n)}: ${v}\n`],
  (n, v) => ["config/app.yaml", `${lower(n)}: "${v}"\n`],
  (n, v) => ["settings.json", `{\n  "${camel(n)}": "${v}"\n}\n`],
  (n, v) => ["src/config.js", `const ${camel(n)} = "${v}";\n`],
  (n, v) => ["src/config.ts", `export const config = {\n  ${camel(n)}: '${v}',\n};\n`],
  (n, v) => ["app/settings.py", `${n} = '${v}'\n`],
  (n, v) => ["app/client.py", `client = Client(${lower(n)}="${v}")\n`],
  (n, v) => ["cmd/main.go", `\t${camel(n)} := "${v}"\n`],
  (n, v) => ["Cargo.toml", `[service]\n${lower(n)} = "${v}"\n`],
  (n, v) => ["src/main/resources/application.properties", `app.${dotted(n)}=${v}\n`],
  (n, v) => ["Dockerfile", `ENV ${n}=${v}\n`],
  (n, v) => ["scripts/deploy.sh", `export ${n}="${v}"\n`],
  (n, v) => ["infra/main.tf", `  ${lower(n)} = "${v}"\n`],
  (n, v) => ["config.ini", `[api]\n${lower(n)} = ${v}\n`],
  (n, v) => ["docs/setup.md", `Then run \`${n}=${v} npm start\`.\n`],
  (n, v) => ["notebooks/explore.ipynb", `{"cells": [{"source": ["${n} = \\"${v}\\"\\n"]}]}`],
  (n, v) => ["k8s/deploy.yml", `        env:\n          - name: ${n}\n            value: "${v}"\n`],
  (n, v) => ["src/App.java", `    private static final String ${n} = "${v}";\n`],
  (n, v) => ["lib/client.rb", `  ${lower(n)}: "${v}",\n`],
  (n, v) => ["src/App.cs", `var ${camel(n)} = "${v}";\n`],
];

function positives(): Item[] {
  const items: Item[] = [];
  let seed = 1000;
  SERVICES.forEach((name, i) => {
    // every service in several contexts and formats
    for (let k = 0; k < 4; k++) {
      const ctx = CONTEXTS[(i * 4 + k) % CONTEXTS.length]!;
      const fmt = FORMATS[(i + k) % FORMATS.length]!;
      const [path, content] = ctx(name, fmt(seed++));
      items.push({ label: `${name} in ${path}`, path, content });
    }
  });
  // provider formats, one sample per pattern, inside a line of prose
  for (const p of PROVIDER_PATTERNS) {
    const s = p.samples[0]!;
    items.push({ label: `provider ${p.id}`, path: "notes/creds.txt", content: `prod creds (rotate!): ${s}\n` });
  }
  items.push({ label: "private key in a yaml block", path: "deploy/values.yml", content: `tls:\n  key: |\n    ${samplePrivateKey("RSA PRIVATE KEY", 8, 77).replace(/\n/g, "\n    ")}\n` });
  items.push({ label: "db url", path: ".env", content: `DATABASE_URL=postgresql://app:${synth("alnum", 22, 78)}@prod-db.acme-corp.net:5432/app\n` });
  items.push({ label: "weak hardcoded password", path: "src/db.py", content: `conn = connect(host="db", user="app", password="Winter2024!")\n` });
  return items;
}

function lookAlikes(): Item[] {
  const L: Item[] = [];
  const add = (label: string, path: string, content: string, isTestPath = false): void => {
    L.push({ label, path, content, isTestPath });
  };
  const placeholders = [
    "your-api-key", "YOUR_API_KEY_HERE", "xxxxxxxxxxxxxxxxxxxxxxxx", "changeme", "<TOKEN>", "${API_KEY}", "{{ api_key }}",
    "%(api_key)s", "****************", "example", "dummy", "test", "", "TODO", "replace-me", "<your-secret-here>", "$API_KEY",
    "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", "insert-your-token", "none", "null", "1234567890abcdef", "abcdef123456",
    "<%= ENV['TOKEN'] %>", "#{secret}", "@@TOKEN@@", "__API_KEY__", "********", "REDACTED", "fake-token-for-tests",
  ];
  placeholders.forEach((v, i) => {
    const ctx = CONTEXTS[i % CONTEXTS.length]!;
    const [path, content] = ctx("API_TOKEN", v);
    add(`placeholder ${JSON.stringify(v)} in ${path}`, path.replace(/^\.env$/, ".env.example"), content);
  });
  const lookups: [string, string][] = [
    ["app.py", 'token = os.environ["TOKEN"]'],
    ["app.py", 'api_key = os.getenv("API_KEY", "")'],
    ["app.py", "password = settings.DATABASES['default']['PASSWORD']"],
    ["app.py", 'secret = config.get("auth", "secret")'],
    ["app.py", 'client_secret = vault_client.secrets.kv.read_secret_version(path="app")["data"]'],
    ["app.py", "token = secrets.token_urlsafe(32)"],
    ["app.py", 'password = getpass.getpass("Password: ")'],
    ["app.py", 'password = request.form["password"]'],
    ["app.js", "const apiKey = process.env.API_KEY;"],
    ["app.js", "const token = localStorage.getItem('token');"],
    ["app.js", "const { secret } = await secretsManager.getSecretValue({ SecretId: 'prod/app' }).promise();"],
    ["app.js", "const token = jwt.sign(payload, process.env.JWT_SECRET, { expiresIn: '1h' });"],
    ["app.js", "const apiKey = getApiKey();"],
    ["app.ts", "const password: string = req.body.password;"],
    ["app.ts", "headers.Authorization = `Bearer ${accessToken}`;"],
    ["main.go", 'apiKey := os.Getenv("API_KEY")'],
    ["main.go", 'token := viper.GetString("auth.token")'],
    ["app.rb", "api_key = ENV.fetch('API_KEY')"],
    ["app.rb", "secret = Rails.application.credentials.secret_key_base"],
    ["App.java", 'String password = System.getenv("DB_PASSWORD");'],
    ["App.cs", 'var apiKey = Environment.GetEnvironmentVariable("API_KEY");'],
    [".github/workflows/ci.yml", "        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"],
    ["k8s.yml", "        env:\n          - name: API_TOKEN\n            valueFrom:\n              secretKeyRef:\n                name: app\n                key: token"],
    ["values.yaml", 'password: "{{ .Values.postgres.password }}"'],
    ["cfn.yml", "      MasterUserPassword: !Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:password}}'"],
    ["main.tf", "  password = var.db_password"],
    ["main.tf", '  password = data.aws_secretsmanager_secret_version.db.secret_string'],
    ["docker-compose.yml", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}"],
    ["ansible.yml", 'ansible_become_pass: "{{ vault_become_pass }}"'],
    [".env.example", "STRIPE_SECRET_KEY="],
    ["Dockerfile", "ARG NPM_TOKEN"],
    ["deploy.sh", 'curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user'],
    ["deploy.sh", 'psql "postgres://$PGUSER:$PGPASSWORD@$PGHOST/app"'],
  ];
  for (const [path, content] of lookups) add(`lookup ${content.slice(0, 50)}`, path, content);

  for (let i = 0; i < 20; i++) {
    const h = synth("hexLower", 32, 500 + i);
    const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    const sha = synth("hexLower", 40, 600 + i);
    const b64 = synth("base64", 86, 700 + i);
    add("uuid id", "data/users.json", `{"id": "${uuid}", "request_id": "${uuid}"}`);
    add("git sha", i % 2 ? ".gitmodules.lock" : "deps.yml", i % 2 ? `commit: ${sha}` : `  rev: "${sha}"`);
    add("integrity", "package-lock.json", `      "integrity": "sha512-${b64}=="`);
    add("integrity html", "index.html", `<script src="x.js" integrity="sha384-${synth("base64", 64, 800 + i)}" crossorigin="anonymous"></script>`);
    add("data uri", "styles.css", `.logo { background-image: url("data:image/png;base64,${synth("base64", 200, 900 + i)}"); }`);
    add("notebook image", "analysis.ipynb", `{"outputs": [{"data": {"image/png": "iVBORw0KGgo${synth("base64", 300, 950 + i)}"}}]}`);
    add("checksum", "checksums.yml", `checksum: ${synth("hexLower", 64, 1000 + i)}`);
    add("etag", "cache.json", `{"etag": "W/\\"${synth("hexLower", 32, 1050 + i)}\\""}`);
    add("public key", "config.yml", `public_key: ${synth("base64", 43, 1100 + i)}=`);
    add("cache key", "src/cache.ts", `const cacheKey = "${synth("hexLower", 40, 1150 + i)}";`);
    add("nonce-ish id", "src/ids.ts", `const requestId = "${synth("alnum", 32, 1200 + i)}";`);
    add("test fixture password", "test/fixtures/users.test.ts", `const password = "hunter${i}x";`, true);
    add("docs password", "docs/guide.md", `Log in with \`password: Passw0rd${i}\` on the local instance.`);
  }

  const words: [string, string][] = [
    ["src/i18n/de.json", '{"password": "Passwort", "token": "Zugangstoken", "secret": "Geheimnis"}'],
    ["src/errors.ts", 'export const TOKEN_EXPIRED = "TOKEN_EXPIRED";'],
    ["src/errors.ts", 'throw new Error("Invalid token: signature verification failed");'],
    ["src/llm.py", "max_tokens = 4096"],
    ["src/auth.py", 'token_type = "Bearer"'],
    ["src/auth.py", "PASSWORD_MIN_LENGTH = 12"],
    ["src/auth.py", 'password_reset_url = "https://app.acme-corp.net/reset"'],
    ["src/form.tsx", '<input type="password" name="password" placeholder="Enter your password" />'],
    ["src/tokenizer.py", 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")'],
    ["src/keys.ts", "const keys = Object.keys(obj);"],
    ["src/keys.ts", 'const primaryKey = "user_id";'],
    ["src/auth.ts", 'const secretName = "prod/payments/stripe";'],
    ["src/auth.ts", 'const tokenEndpoint = "https://login.acme-corp.net/oauth2/v2.0/token";'],
    ["config.yml", "auth_enabled: true"],
    ["config.yml", "secret_ref: payments-stripe"],
    ["config.yml", "password_policy: strict"],
    ["README.md", "Set `API_KEY` to the key from your dashboard."],
    ["README.md", "The token must be at least 32 characters."],
    ["git.sh", "git clone git@github.com:acme/app.git"],
    ["docker-compose.yml", "      REDIS_URL: redis://redis:6379/0"],
    ["docker-compose.yml", "      DATABASE_URL: postgres://postgres:postgres@db:5432/app"],
    [".env.example", "DATABASE_URL=postgres://user:password@localhost:5432/app"],
    ["src/styles.css", ".token { color: #a1b2c3; }"],
    ["package.json", '"version": "1.2.3"'],
    ["src/date.ts", 'const secretDate = "2024-05-01T12:00:00Z";'],
    ["src/hash.py", 'hashed_password = "$2b$12$' + synth("base64", 53, 1300) + '"'],
    ["src/keys.py", 'key = "user:profile:settings"'],
    ["src/sort.js", "items.sort((a, b) => a.key.localeCompare(b.key));"],
    ["src/api.ts", 'const apiKeyHeader = "X-Api-Key";'],
    ["src/api.ts", 'const authorization = "Authorization";'],
    ["src/url.ts", 'const docsUrl = "https://docs.acme-corp.net/api/tokens";'],
    ["src/kv.ts", 'const tokenStorageKey = "auth.token";'],
    ["src/auth.ts", 'const password = "";'],
    ["src/auth.ts", "const password = undefined;"],
    ["src/auth.ts", "if (password === confirmPassword) submit();"],
    ["src/env.d.ts", "readonly API_KEY: string;"],
    ["Makefile", "API_KEY ?= $(shell cat .api_key)"],
    ["docs/deploy.md", "every webhook is verified against `WEBHOOK_SECRET` (`X-Hub-Signature-256`);"],
    ["src/app.ts", 'const apiKey = "' + "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345" + '";'],
    ["config.yml", "  token: ${{ github.token }}"],
    ["src/process.d.ts", " *   PWD: '/Users/maria/projects/app',"],
    ["cfn.yml", "      MasterUserPassword: !Ref DbPassword"],
  ];
  for (const [path, content] of words) add(`word ${content.slice(0, 50)}`, path, content);
  return L;
}

/** A second, differently built set: other names, other token shapes (prefixed, dotted, grouped, base58). */
function secondSet(): Item[] {
  const svc = ["zephyr", "quokka", "nimbus", "orbital", "lumen", "vortex", "kestrel", "pylon", "tundra", "saffron"];
  const suffix = ["_API_KEY", "_SECRET", "_TOKEN", "_ACCESS_TOKEN", "_AUTH_TOKEN", "_PRIVATE_KEY", "_CLIENT_SECRET", "_KEY", "_APIKEY", "_SECRET_KEY", "_PAT", "_PASSWORD"];
  const shapes: ((s: number) => string)[] = [
    (s) => `${synth("lower", 3, s)}_live_${synth("alnum", 32, s)}`,
    (s) => `${synth("lower", 2, s)}-${synth("alnum", 40, s)}`,
    (s) => `key-${synth("hexLower", 32, s)}`,
    (s) => synth("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 44, s),
    (s) => `${synth("alnum", 12, s)}.${synth("alnum", 24, s + 1)}`,
    (s) => synth("hexUpper", 32, s),
    (s) => synth("base64", 88, s),
    (s) => [0, 1, 2, 3, 4].map((k) => synth("upperAlnum", 4, s + k)).join("-"),
    (s) => `${synth("digits", 9, s)}:${synth("base64url", 35, s)}`,
  ];
  const ctx: ((n: string, v: string) => [string, string])[] = [
    (n, v) => [".env", `${n}=${v}`],
    (n, v) => ["config.yaml", `${n.toLowerCase()}: '${v}'`],
    (n, v) => ["src/a.ts", `const ${n} = "${v}";`],
    (n, v) => ["a.json", `{"${camel(n)}": "${v}"}`],
    (n, v) => ["a.py", `client = Api(${n.toLowerCase()}='${v}')`],
  ];
  const items: Item[] = [];
  let seed = 5000;
  for (const s of svc) for (const suf of suffix) for (const shape of shapes) {
    const [path, content] = ctx[seed % ctx.length]!(s.toUpperCase() + suf, shape(seed++));
    items.push({ label: `${s}${suf}`, path, content });
  }
  return items;
}

function flagged(item: Item): boolean {
  return scan(item.path, item.content, item.isTestPath ? { isTestPath: true } : {}).some((f) => !f.suppressed);
}

describe("labeled mini-corpus", () => {
  const pos = positives();
  const neg = lookAlikes();

  it("recall >= 0.95 over synthetic secrets in every file format", () => {
    const missed = pos.filter((p) => !flagged(p)).map((p) => `${p.label}: ${p.content.trim().slice(0, 120)}`);
    const recall = (pos.length - missed.length) / pos.length;
    if (process.env.SECRETS_CORPUS_DEBUG) console.log(missed.join("\n"));
    console.log(`secrets mini-corpus: recall ${recall.toFixed(3)} (${pos.length - missed.length}/${pos.length})`);
    expect(pos.length).toBeGreaterThan(300);
    expect(missed.length <= pos.length * 0.05 ? [] : missed).toEqual([]);
  });

  it("recall >= 0.95 on a second, differently shaped set", () => {
    const set = secondSet();
    const missed = set.filter((p) => !flagged(p)).map((p) => `${p.label}: ${p.content}`);
    const recall = (set.length - missed.length) / set.length;
    console.log(`secrets second set: recall ${recall.toFixed(3)} (${set.length - missed.length}/${set.length})`);
    expect(missed.length <= set.length * 0.05 ? [] : missed).toEqual([]);
  });

  it("flags <= 2% of look-alikes", () => {
    const hits = neg.filter(flagged).map((n) => `${n.label}: ${n.content.trim().slice(0, 120)}`);
    const rate = hits.length / neg.length;
    if (process.env.SECRETS_CORPUS_DEBUG) console.log(hits.join("\n"));
    console.log(`secrets mini-corpus: look-alikes flagged ${rate.toFixed(3)} (${hits.length}/${neg.length})`);
    expect(neg.length).toBeGreaterThan(250);
    expect(hits.length <= neg.length * 0.02 ? [] : hits).toEqual([]);
  });
});
