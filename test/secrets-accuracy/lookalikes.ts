// Look-alikes: random-looking strings that are not credentials, or credentials' documented
// placeholders, in the files they usually sit in. `lowOk`: a finding at low severity is accepted
// (a vendor's documented example key, a test-mode or publishable key).
import { b64, b64url, type Rng } from "./rng.js";
import type { Placed } from "./contexts.js";

export interface LookAlike {
  kind: string;
  lowOk?: boolean;
  make: (r: Rng) => Placed;
}

const file = (path: string, lines: string[]): Placed => ({ path, content: lines.join("\n") + "\n", line: 0 });
const D = "-----";

export const LOOKALIKES: LookAlike[] = [
  // hashes and digests
  { kind: "sha256-checksum", make: (r) => file("SHA256SUMS", [`${r.fmt("{h:64}")}  vibe-linux-amd64.tar.gz`, `${r.fmt("{h:64}")}  vibe-darwin-arm64.tar.gz`]) },
  { kind: "homebrew-sha", make: (r) => file("Formula/vibe.rb", ['  url "https://github.com/acme/vibe/archive/v1.2.0.tar.gz"', `  sha256 "${r.fmt("{h:64}")}"`]) },
  { kind: "dockerfile-sha-arg", make: (r) => file("Dockerfile", [`ARG NODE_SHA256=${r.fmt("{h:64}")}`, "RUN echo \"$NODE_SHA256  node.tar.xz\" | sha256sum -c -"]) },
  { kind: "image-digest", make: (r) => file("k8s/deploy.yaml", [`        image: nginx@sha256:${r.fmt("{h:64}")}`]) },
  { kind: "md5-etag", make: (r) => file("cache.json", ["{", `  "etag": "${r.fmt("{h:32}")}",`, `  "md5": "${r.fmt("{h:32}")}"`, "}"]) },
  { kind: "checksum-field", make: (r) => file("manifest.json", [`{"file": "model.bin", "checksum": "${r.fmt("{h:64}")}", "size": 1048576}`]) },
  { kind: "file-hash-yaml", make: (r) => file("assets.yml", ["assets:", `  - path: logo.png`, `    hash: ${r.fmt("{h:40}")}`]) },
  { kind: "sri-html", make: (r) => file("public/index.html", [`<script src="https://cdn.jsdelivr.net/npm/lib@1/dist/lib.min.js" integrity="sha384-${r.fmt("{b:64}")}" crossorigin="anonymous"></script>`]) },
  { kind: "webpack-hash", make: (r) => file("dist/manifest.json", [`{"main.js": "main.${r.fmt("{h:20}")}.js", "contenthash": "${r.fmt("{h:20}")}"}`]) },
  { kind: "trace-id", make: (r) => file("logs/sample.txt", [`traceparent: 00-${r.fmt("{h:32}")}-${r.fmt("{h:16}")}-01`]) },
  { kind: "mongo-object-id", make: (r) => file("seed/users.json", [`[{"_id": "${r.fmt("{h:24}")}", "name": "Ada"}]`]) },
  { kind: "bcrypt-hash", make: (r) => file("seed/admin.yml", ["admin:", `  password_hash: "$2b$12$${r.fmt("{a:53}")}"`]) },
  // UUIDs under id names
  { kind: "uuid-request-id", make: (r) => file("test/fixtures/response.json", [`{"requestId": "${r.uuid()}", "status": "ok"}`]) },
  { kind: "uuid-tenant", make: (r) => file(".env", [`AZURE_TENANT_ID=${r.uuid()}`, `AZURE_SUBSCRIPTION_ID=${r.uuid()}`]) },
  { kind: "uuid-client-id", make: (r) => file("config/auth.yml", [`client_id: ${r.uuid()}`, "authority: https://login.microsoftonline.com/common"]) },
  { kind: "uuid-tf", make: (r) => file("main.tf", [`  subscription_id = "${r.uuid()}"`, `  tenant_id       = "${r.uuid()}"`]) },
  { kind: "uuid-code", make: (r) => file("src/ids.ts", [`export const DEFAULT_ORG_ID = "${r.uuid()}";`]) },
  // commit SHAs
  { kind: "precommit-rev", make: (r) => file(".pre-commit-config.yaml", ["repos:", "  - repo: https://github.com/psf/black", `    rev: ${r.fmt("{h:40}")}`]) },
  { kind: "actions-pin", make: (r) => file(".github/workflows/ci.yml", ["    steps:", `      - uses: actions/checkout@${r.fmt("{h:40}")} # v4.1.1`]) },
  { kind: "git-head", make: (r) => file("package.json", ["{", '  "name": "lib",', `  "gitHead": "${r.fmt("{h:40}")}"`, "}"]) },
  { kind: "commit-url", make: (r) => file("CHANGELOG.md", [`- fix parser ([${r.fmt("{h:7}")}](https://github.com/acme/lib/commit/${r.fmt("{h:40}")}))`]) },
  { kind: "git-sha-env", make: (r) => file("build.env", [`GIT_SHA=${r.fmt("{h:40}")}`, `BUILD_COMMIT=${r.fmt("{h:40}")}`]) },
  { kind: "submodule-commit", make: (r) => file("deps.json", [`{"commit": "${r.fmt("{h:40}")}", "repo": "acme/proto"}`]) },
  // base64 images and data
  { kind: "data-uri-png", make: (r) => file("src/icons.ts", [`export const ICON = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9h${r.fmt("{b:180}")}==";`]) },
  { kind: "css-data-uri", make: (r) => file("styles/app.css", [`.logo { background: url(data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9${r.fmt("{b:160}")}); }`]) },
  { kind: "raw-base64-png", make: (r) => file("fixtures/avatar.json", [`{"avatar": "iVBORw0KGgoAAAANSUhEUgAAAGQAAABkCAYAAABw4pVU${r.fmt("{b:300}")}"}`]) },
  { kind: "font-base64", make: (r) => file("styles/fonts.css", [`@font-face { src: url("data:font/woff2;base64,d09GMgABAAAAA${r.fmt("{b:200}")}") format("woff2"); }`]) },
  // lockfiles
  { kind: "package-lock-integrity", make: (r) => file("package-lock.json", ['    "node_modules/left-pad": {', '      "version": "1.3.0",', `      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",`, `      "integrity": "sha512-${r.fmt("{b:86}")}=="`, "    }"]) },
  { kind: "yarn-lock-integrity", make: (r) => file("yarn.lock", ['left-pad@^1.3.0:', '  version "1.3.0"', `  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#${r.fmt("{h:40}")}"`, `  integrity sha512-${r.fmt("{b:86}")}==`]) },
  { kind: "pnpm-lock-integrity", make: (r) => file("pnpm-lock.yaml", ["  /left-pad@1.3.0:", `    resolution: {integrity: sha512-${r.fmt("{b:86}")}==}`]) },
  { kind: "go-sum", make: (r) => file("go.sum", [`github.com/acme/lib v1.2.3 h1:${r.fmt("{b:43}")}=`, `github.com/acme/lib v1.2.3/go.mod h1:${r.fmt("{b:43}")}=`]) },
  { kind: "poetry-lock", make: (r) => file("poetry.lock", [`    {file = "requests-2.31.0-py3-none-any.whl", hash = "sha256:${r.fmt("{h:64}")}"},`]) },
  { kind: "cargo-lock", make: (r) => file("Cargo.lock", ['name = "serde"', 'version = "1.0.200"', `checksum = "${r.fmt("{h:64}")}"`]) },
  { kind: "terraform-lock", make: (r) => file(".terraform.lock.hcl", ['provider "registry.terraform.io/hashicorp/aws" {', "  hashes = [", `    "h1:${r.fmt("{b:43}")}=",`, `    "zh:${r.fmt("{h:64}")}",`, "  ]", "}"]) },
  { kind: "requirements-hash", make: (r) => file("requirements.txt", [`requests==2.31.0 --hash=sha256:${r.fmt("{h:64}")}`]) },
  { kind: "gemfile-lock-checksum", make: (r) => file("Gemfile.lock", ["CHECKSUMS", `  rake (13.1.0) sha256=${r.fmt("{h:64}")}`]) },
  // documented example keys and placeholders
  { kind: "aws-docs-example", lowOk: true, make: (r) => file("docs/aws.md", ["```ini", "[default]", `aws_access_key_id = AKIA${r.fmt("{c:9}")}EXAMPLE`, `aws_secret_access_key = ${r.fmt("{b:23}")}EXAMPLEKEY`, "```"]) },
  { kind: "jwt-docs-example", lowOk: true, make: (r) => file("docs/auth.md", ["Example token:", "", `    ${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"John Doe","iat":1516239022}')}.${r.fmt("{B:43}")}`]) },
  { kind: "placeholder-openai", make: () => file(".env.example", ["OPENAI_API_KEY=sk-...", "ANTHROPIC_API_KEY=sk-ant-..."]) },
  { kind: "placeholder-stripe", make: () => file(".env.sample", ["STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "STRIPE_WEBHOOK_SECRET=whsec_..."]) },
  { kind: "placeholder-github", make: () => file("README.md", ["```", "export GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "```"]) },
  { kind: "placeholder-angle", make: () => file("config/example.yml", ["api_key: <YOUR_API_KEY>", "client_secret: <client-secret>", "password: <password>"]) },
  { kind: "placeholder-slack-webhook", make: () => file("docs/slack.md", ["SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"]) },
  { kind: "placeholder-template", make: () => file(".github/workflows/release.yml", ["      env:", "        NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", "        password: ${{ secrets.DB_PASSWORD }}"]) },
  { kind: "placeholder-jinja", make: () => file("roles/app/templates/app.env.j2", ["DB_PASSWORD={{ db_password }}", "API_TOKEN={{ vault_api_token }}"]) },
  { kind: "placeholder-your", make: () => file("docs/setup.md", ["```python", 'openai.api_key = "your-api-key-here"', 'client = Client(token="YOUR_TOKEN")', "```"]) },
  { kind: "env-reference", make: () => file("src/config.ts", ["export const token = process.env.API_TOKEN ?? '';", "const secret = process.env['JWT_SECRET'];"]) },
  { kind: "env-reference-py", make: () => file("app/settings.py", ['SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]', 'DB_PASSWORD = os.getenv("DB_PASSWORD", "")']) },
  // URL and connection string placeholders
  { kind: "url-placeholder-password", make: () => file(".env.example", ["DATABASE_URL=postgres://user:password@localhost:5432/mydb"]) },
  { kind: "url-env-vars", make: () => file("docker-compose.yml", ["      DATABASE_URL: postgres://${DB_USER}:${DB_PASS}@db:5432/app"]) },
  { kind: "url-angle", make: () => file("README.md", ["mongodb+srv://admin:<password>@cluster0.mongodb.net/?retryWrites=true"]) },
  { kind: "url-changeme", make: () => file("dev/redis.env", ["REDIS_URL=redis://:changeme@localhost:6379/0"]) },
  { kind: "url-guest", make: () => file("config/dev.yml", ["broker: amqp://guest:guest@localhost:5672//"]) },
  { kind: "url-example-host", make: () => file("docs/proxy.md", ["export HTTPS_PROXY=http://username:password@proxy.example.com:8080"]) },
  { kind: "conn-string-placeholder", make: () => file("appsettings.Development.json", ['    "Default": "Server=(localdb)\\\\mssqllocaldb;Database=App;Trusted_Connection=True;"', '    "Prod": "Server=tcp:{server}.database.windows.net;User ID={user};Password={your_password};"']) },
  { kind: "jdbc-env", make: () => file("application.properties", ["spring.datasource.url=jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}"]) },
  { kind: "git-token-env", make: () => file(".github/workflows/mirror.yml", ["        run: git push https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/acme/mirror.git"]) },
  // HTTP placeholders
  { kind: "curl-env-user", make: () => file("scripts/upload.sh", ['curl -u "$NEXUS_USER:$NEXUS_PASS" --upload-file app.tgz "$NEXUS_URL"']) },
  { kind: "curl-env-bearer", make: () => file("scripts/call.sh", ['curl -H "Authorization: Bearer $TOKEN" https://api.acme-corp.io', 'curl -H "Authorization: Bearer ${API_TOKEN}" https://api.acme-corp.io']) },
  { kind: "curl-angle-bearer", make: () => file("docs/api.md", ['curl -H "Authorization: Bearer <access_token>" https://api.acme-corp.io/v1/me', "curl -H 'Authorization: Bearer YOUR_API_KEY' https://api.acme-corp.io"]) },
  { kind: "basic-docs-example", make: () => file("docs/auth.md", [`Authorization: Basic ${b64("username:password")}`]) },
  { kind: "requests-auth-vars", make: () => file("client.py", ["resp = requests.get(URL, auth=(user, password))", 'resp = requests.get(URL, auth=("admin", os.environ["ADMIN_PW"]))']) },
  { kind: "js-bearer-template", make: () => file("src/http.ts", ["headers: { Authorization: `Bearer ${token}` },", "headers: { Authorization: 'Bearer ' + accessToken },"]) },
  // public keys and certificates
  { kind: "ssh-public-key", make: (r) => file(".ssh/authorized_keys", [`ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${r.fmt("{b:340}")} deploy@ci`, `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.fmt("{b:43}")} ops@laptop`]) },
  { kind: "pem-public-key", make: (r) => file("keys/public.pem", [`${D}BEGIN PUBLIC KEY${D}`, "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + r.fmt("{b:20}"), r.fmt("{b:64}"), r.fmt("{b:64}"), "IDAQAB", `${D}END PUBLIC KEY${D}`]) },
  { kind: "pem-certificate", make: (r) => file("certs/ca.crt", [`${D}BEGIN CERTIFICATE${D}`, "MIIDdzCCAl+gAwIBAgIE" + r.fmt("{b:44}"), r.fmt("{b:64}"), r.fmt("{b:64}"), r.fmt("{b:30}") + "==", `${D}END CERTIFICATE${D}`]) },
  { kind: "pgp-public", make: (r) => file("KEYS.asc", [`${D}BEGIN PGP PUBLIC KEY BLOCK${D}`, "", "mQINBF" + r.fmt("{b:58}"), r.fmt("{b:64}"), `=${r.fmt("{b:4}")}`, `${D}END PGP PUBLIC KEY BLOCK${D}`]) },
  { kind: "k8s-ca-bundle", make: (r) => file("k8s/webhook.yaml", ["  clientConfig:", `    caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM${r.fmt("{b:200}")}`]) },
  { kind: "vapid-public", make: (r) => file(".env", [`VAPID_PUBLIC_KEY=B${r.fmt("{B:86}")}`]) },
  { kind: "code-pem-check", make: () => file("src/pem.ts", ['if (text.startsWith("-----BEGIN RSA PRIVATE KEY-----")) return "pkcs1";', 'const header = "-----BEGIN OPENSSH PRIVATE KEY-----";']) },
  // publishable and test keys
  { kind: "stripe-publishable", lowOk: true, make: (r) => file("src/checkout.ts", [`const stripe = Stripe("pk_live_51${r.fmt("{a:97}")}");`]) },
  { kind: "stripe-publishable-test", lowOk: true, make: (r) => file(".env.development", [`NEXT_PUBLIC_STRIPE_KEY=pk_test_51${r.fmt("{a:97}")}`]) },
  { kind: "mapbox-public", lowOk: true, make: (r) => file("src/map.js", [`mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZSIsImEiOiJ${r.fmt("{a:20}")}In0.${r.fmt("{B:22}")}';`]) },
  { kind: "sentry-dsn-public", make: (r) => file("src/sentry.ts", [`Sentry.init({ dsn: "https://${r.fmt("{h:32}")}@o${r.fmt("{D:6}")}.ingest.sentry.io/${r.fmt("{D:7}")}" });`]) },
  { kind: "ga-ids", make: (r) => file("src/analytics.ts", [`gtag('config', 'G-${r.fmt("{u:10}")}');`, `const UA = 'UA-${r.fmt("{D:8}")}-1';`]) },
  // encrypted values
  { kind: "sops-value", make: (r) => file("secrets.enc.yaml", [`db_password: ENC[AES256_GCM,data:${r.fmt("{b:24}")},iv:${r.fmt("{b:43}")}=,tag:${r.fmt("{b:22}")}==,type:str]`]) },
  { kind: "ansible-vault", make: (r) => file("group_vars/prod/vault.yml", ["db_password: !vault |", "  $ANSIBLE_VAULT;1.1;AES256", `  ${r.fmt("{h:80}")}`, `  ${r.fmt("{h:80}")}`]) },
  { kind: "sealed-secret", make: (r) => file("k8s/sealed.yaml", ["kind: SealedSecret", "spec:", "  encryptedData:", `    password: AgB${r.fmt("{b:300}")}`]) },
  { kind: "maven-encrypted", make: (r) => file("settings.xml", ["<server>", "  <id>central</id>", `  <password>{${r.fmt("{b:40}")}=}</password>`, "</server>"]) },
  { kind: "k8s-secret-placeholder", make: () => file("k8s/secret.yaml", ["kind: Secret", "data:", `  password: ${b64("changeme")}`, `  username: ${b64("admin")}`]) },
  // identifiers and text that look random
  { kind: "translation-keys", make: () => file("locales/en.json", ['{"auth.token.expired": "Your session token expired", "password.reset.title": "Reset password"}']) },
  { kind: "svg-path", make: () => file("src/icons/key.svg", ['<path d="M12.65 10C11.83 7.67 9.61 6 7 6c-3.31 0-6 2.69-6 6s2.69 6 6 6c2.61 0 4.83-1.67 5.65-4H17v4h4v-4h2v-4H12.65z"/>']) },
  { kind: "css-colors", make: () => file("theme.ts", ['export const tokenColors = { keyword: "#c678dd", secret: "#e06c75", password: "#98c379" };']) },
  { kind: "cache-key", make: (r) => file("src/cache.ts", [`const cacheKey = "v2-${r.fmt("{h:16}")}";`, `const idempotencyKey = "${r.uuid()}";`]) },
  { kind: "public-key-field", make: (r) => file("config/webpush.json", [`{"publicKey": "${r.fmt("{B:87}")}"}`]) },
  { kind: "password-policy", make: () => file(".env", ["PASSWORD_MIN_LENGTH=12", "TOKEN_TTL_SECONDS=3600", "SECRET_ROTATION_DAYS=90"]) },
  { kind: "token-url", make: () => file("config/oauth.yml", ["token_url: https://oauth2.googleapis.com/token", "auth_uri: https://accounts.google.com/o/oauth2/auth"]) },
  { kind: "nonce-field", make: (r) => file("fixtures/payload.json", [`{"nonce": "${r.fmt("{h:32}")}", "timestamp": 1718000000}`]) },
  { kind: "test-file-fake", make: (r) => file("test/auth.test.ts", [`const fakeToken = "fake-${r.fmt("{l:12}")}";`, 'expect(mask("hunter2")).toBe("*******");']) },
  { kind: "algolia-app-id", make: (r) => file("src/search.ts", [`const client = algoliasearch("${r.fmt("{u:10}")}", process.env.ALGOLIA_SEARCH_KEY);`]) },
  { kind: "public-ssh-fingerprint", make: (r) => file("docs/hosts.md", [`github.com SHA256:${r.fmt("{b:43}")}`]) },
  { kind: "npmrc-env", make: () => file(".npmrc", ["//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "@acme:registry=https://npm.pkg.github.com"]) },
  { kind: "docker-config-credstore", make: () => file(".docker/config.json", ['{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}']) },
  { kind: "pypirc-token-env", make: () => file(".pypirc", ["[pypi]", "username = __token__", "password = ${PYPI_TOKEN}"]) },
  { kind: "tfstate-null", make: (r) => file("terraform.tfstate", ['            "password": null,', `            "id": "${r.uuid()}",`, '            "arn": "arn:aws:iam::123456789012:user/ci"']) },
  { kind: "terraform-var-ref", make: () => file("main.tf", ['  password = var.db_password', '  api_key  = data.vault_generic_secret.dd.data["api_key"]']) },
  { kind: "git-credentials-helper", make: () => file(".gitconfig", ["[credential]", "  helper = store", "[url \"https://github.com/\"]", "  insteadOf = git@github.com:"]) },
];
