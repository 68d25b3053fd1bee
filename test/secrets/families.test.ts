// The credential families of issue 10, each flagged and clean, across file kinds; and no secret
// ever appears in full in any output. All values are synthetic and built at runtime.
import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/render/json.js";
import { renderFindingComment } from "../../src/render/review-comment.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";
import { samplePrivateKey } from "../../src/secrets/providers/core.js";
import { synth, tok } from "../../src/secrets/samples.js";
import { scan } from "./helpers.js";

const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");
const pw = (seed: number): string => tok(synth("alnum", 7, seed), "!", synth("alnum", 8, seed + 50));
const jwt = (seed: number): string => [b64url('{"alg":"HS256","typ":"JWT"}'), b64url(JSON.stringify({ sub: synth("lowerAlnum", 12, seed), iat: 1718000000 })), synth("base64url", 43, seed)].join(".");

/** [name, path, content, 1-based line the secret starts on] */
type Flagged = [string, string, string, number];
/** [name, path, content] */
type Clean = [string, string, string];

function expectFlagged(cases: Flagged[]): void {
  it.each(cases)("flags %s", (_name, path, content, line) => {
    const found = scan(path, content);
    expect(found.map((f) => f.line), JSON.stringify(found.map((f) => [f.ruleId, f.line]))).toContain(line);
  });
}

function expectClean(cases: Clean[]): void {
  it.each(cases)("keeps %s quiet", (_name, path, content) => {
    const found = scan(path, content).filter((f) => f.severity !== "low");
    expect(found.map((f) => `${f.ruleId}@${f.line}`)).toEqual([]);
  });
}

describe("credentials in URLs and connection strings", () => {
  expectFlagged([
    ["postgres URL in .env", ".env", `DATABASE_URL=postgres://shop:${pw(1)}@db-1.acme-corp.io:5432/shop\n`, 1],
    ["mongodb+srv in JS", "src/db.js", `await mongoose.connect("mongodb+srv://admin:${pw(2)}@cluster0.ab1cd.mongodb.net/prod");\n`, 1],
    ["redis with empty user in YAML", "config/cache.yml", `cache:\n  url: redis://:${pw(3)}@redis-1.acme-corp.io:6379\n`, 2],
    ["amqp in Python", "celeryconfig.py", `broker_url = "amqp://worker:${pw(4)}@mq.acme-corp.io:5672/jobs"\n`, 1],
    ["smtp in Dockerfile", "Dockerfile", `FROM node:20\nENV MAILER_DSN=smtp://apikey:${pw(5)}@smtp.acme-mail.io:587\n`, 2],
    ["JDBC query password", "application.properties", `spring.datasource.url=jdbc:mysql://db.acme-corp.io/shop?user=shop&password=${pw(6)}\n`, 1],
    ["JDBC SQL Server properties", "hibernate.cfg.xml", `<property name="url">jdbc:sqlserver://sql.acme-corp.io;user=crm;password=${pw(7)};encrypt=true</property>\n`, 1],
    ["Oracle thin URL", "etl.properties", `source.url=jdbc:oracle:thin:etl/${pw(8)}@//ora.acme-corp.io:1521/ORCL\n`, 1],
    ["ADO.NET string in JSON", "appsettings.json", `{\n  "Db": "Server=tcp:acme.database.windows.net,1433;User ID=crm;Password=${pw(9)};"\n}\n`, 2],
    ["ODBC Pwd in Python", "load.py", `conn = pyodbc.connect("Driver={ODBC Driver 18};Server=sql.acme-corp.io;Uid=etl;Pwd=${pw(10)};")\n`, 1],
    ["https basic auth in Markdown", "docs/setup.md", `\`\`\`\nnpm config set registry https://ci:${pw(11)}@nexus.acme-corp.io/npm/\n\`\`\`\n`, 2],
    ["ftp in shell", "upload.sh", `lftp ftp://deploy:${pw(12)}@ftp.acme-corp.io\n`, 1],
  ]);
  expectClean([
    ["user:password placeholder", ".env.example", "DATABASE_URL=postgres://user:password@localhost:5432/mydb\n"],
    ["env interpolation", "docker-compose.yml", "      DATABASE_URL: postgres://${DB_USER}:${DB_PASS}@db:5432/app\n"],
    ["angle placeholder", "README.md", "mongodb+srv://admin:<password>@cluster0.mongodb.net/\n"],
    ["changeme", "dev.env", "REDIS_URL=redis://:changeme@localhost:6379\n"],
    ["ADO placeholder", "appsettings.json", '{"Db": "Server=tcp:{server};User ID={user};Password={your_password};"}\n'],
    ["JDBC env password", "application.properties", "spring.datasource.url=jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}\n"],
  ]);
});

describe("HTTP credentials in commands and code", () => {
  expectFlagged([
    ["curl -u", "publish.sh", `curl -u deploy:${pw(20)} --upload-file app.tgz https://nexus.acme-corp.io/raw/\n`, 1],
    ["curl --user in Markdown", "README.md", `\`\`\`sh\ncurl --user "bot:${pw(21)}" https://ci.acme-corp.io/api\n\`\`\`\n`, 2],
    ["curl -H bearer", "smoke.sh", `curl -H "Authorization: Bearer ${synth("alnum", 40, 22)}" https://api.acme-corp.io\n`, 1],
    ["curl --header token", "Makefile", `release:\n\tcurl --header 'Authorization: Token ${synth("hexLower", 40, 23)}' https://ci.acme-corp.io\n`, 2],
    ["wget --password", "Dockerfile", `FROM debian:12\nRUN wget --user=ci --password=${pw(24)} https://files.acme-corp.io/a.deb\n`, 2],
    ["Basic header decoded", "requests.http", `GET https://api.acme-corp.io\nAuthorization: Basic ${b64(`svc:${pw(25)}`)}\n`, 2],
    ["requests auth tuple", "export.py", `r = requests.get(URL, auth=("svc-export", "${pw(26)}"))\n`, 1],
    ["httpx auth tuple", "client.py", `client = httpx.Client(auth=('admin', '${pw(27)}'))\n`, 1],
    ["HTTPBasicAuth", "jira.py", `auth = HTTPBasicAuth("sync@acme-corp.io", "${pw(28)}")\n`, 1],
    ["Go SetBasicAuth", "client.go", `\treq.SetBasicAuth("svc", "${pw(29)}")\n`, 1],
    ["JS headers bearer", "api.ts", `const api = axios.create({ headers: { Authorization: "Bearer ${synth("alnum", 40, 30)}" } });\n`, 1],
    ["PDO password", "db.php", `$db = new PDO($dsn, 'shop', '${pw(31)}');\n`, 1],
    ["mysql -p", "backup.sh", `mysqldump -u root -p${pw(32)} shop > shop.sql\n`, 1],
    ["docker login -p", ".gitlab-ci.yml", `script:\n  - docker login -u ci -p ${pw(33)} registry.acme-corp.io\n`, 2],
    ["sshpass", "deploy.sh", `sshpass -p '${pw(34)}' ssh deploy@10.0.0.5\n`, 1],
    ["btoa of a literal", "client.js", `const auth = "Basic " + btoa("svc:${pw(35)}");\n`, 1],
  ]);
  expectClean([
    ["curl -u from env", "upload.sh", 'curl -u "$NEXUS_USER:$NEXUS_PASS" https://nexus\n'],
    ["docker -u uid:gid", "Makefile", "run:\n\tdocker run -u 1000:1000 app\n"],
    ["bearer variable", "call.sh", 'curl -H "Authorization: Bearer $TOKEN" https://api\ncurl -H "Authorization: Bearer ${API_TOKEN}" https://api\n'],
    ["bearer placeholder", "docs/api.md", 'curl -H "Authorization: Bearer <access_token>" https://api\n'],
    ["Basic of user:password", "docs/auth.md", `Authorization: Basic ${b64("username:password")}\n`],
    ["auth tuple of variables", "client.py", "r = requests.get(URL, auth=(user, password))\nr = requests.get(URL, auth=('api', os.environ['KEY']))\n"],
    ["template literal bearer", "http.ts", "headers: { Authorization: `Bearer ${token}` },\n"],
    ["curl -u with a URL", "logs.md", "node app.js | pino-mq -u amqp://guest:guest@localhost -q logs\n"],
    ["mysql prompting for the password", "db.sh", "mysql -u root -p shop\nmysql -u root -p${MYSQL_PASSWORD} shop\n"],
    ["docker login from stdin", "ci.sh", 'echo "$CI_TOKEN" | docker login -u ci --password-stdin registry\n'],
  ]);
});

describe("every token variant of the big providers", () => {
  const digits = (n: number, s: number): string => synth("digits", n, s).replace(/^0/, "1");
  expectFlagged([
    ["Slack bot", ".env", `SLACK_BOT_TOKEN=${tok("xo", "xb-", digits(12, 40), "-", digits(13, 41), "-", synth("alnum", 24, 42))}\n`, 1],
    ["Slack user", "config.yml", `slack:\n  token: ${tok("xo", "xp-", digits(12, 43), "-", digits(12, 44), "-", digits(13, 45), "-", synth("hexLower", 32, 46))}\n`, 2],
    ["Slack app-level", "app.py", `SLACK_APP_TOKEN = "${tok("xa", "pp-1-A", synth("upperAlnum", 10, 47), "-", digits(13, 48), "-", synth("hexLower", 64, 49))}"\n`, 1],
    ["Slack config", ".env", `SLACK_CONFIG_TOKEN=${tok("xo", "xe.xoxp-1-", synth("alnum", 150, 50))}\n`, 1],
    ["Slack config refresh", ".env", `SLACK_REFRESH=${tok("xo", "xe-1-", synth("alnum", 140, 51))}\n`, 1],
    ["Slack incoming webhook", "notify.js", `const url = "${tok("https://hooks.sl", "ack.com/services/T", synth("upperAlnum", 10, 52), "/B", synth("upperAlnum", 10, 53), "/", synth("alnum", 24, 54))}";\n`, 1],
    ["Slack workflow webhook", "notify.go", `\turl := "${tok("https://hooks.sl", "ack.com/workflows/T", synth("upperAlnum", 10, 55), "/A", synth("upperAlnum", 10, 56), "/", digits(18, 57), "/", synth("alnum", 24, 58))}"\n`, 1],
    ["Stripe live secret", "pay.rb", `Stripe.api_key = '${tok("sk", "_live_", synth("alnum", 99, 60))}'\n`, 1],
    ["Stripe restricted", ".env", `STRIPE_KEY=${tok("rk", "_live_", synth("alnum", 99, 61))}\n`, 1],
    ["Stripe webhook secret", "config.toml", `[stripe]\nwebhook_secret = "${tok("wh", "sec_", synth("alnum", 32, 62))}"\n`, 2],
    ["Square access token", ".env", `SQUARE_TOKEN=${tok("EA", "AA", synth("base64url", 60, 63))}\n`, 1],
    ["Square OAuth secret", "square.json", `{"secret": "${tok("sq0", "csp-", synth("base64url", 43, 64))}"}\n`, 1],
    ["Shopify shpat", ".env", `SHOPIFY_TOKEN=${tok("shp", "at_", synth("hexLower", 32, 65))}\n`, 1],
    ["Shopify shpca", "shop.py", `TOKEN = "${tok("shp", "ca_", synth("hexLower", 32, 66))}"\n`, 1],
    ["Shopify shppa", "shop.yml", `password: ${tok("shp", "pa_", synth("hexLower", 32, 67))}\n`, 1],
    ["Shopify shpss", "shop.ini", `[app]\nsecret = ${tok("shp", "ss_", synth("hexLower", 32, 68))}\n`, 2],
    ["GitHub fine-grained", ".env", `GH=${tok("github", "_pat_", synth("alnum", 22, 69), "_", synth("alnum", 59, 70))}\n`, 1],
    ["GitHub installation token (no checksum)", "ci.sh", `export T=${tok("gh", "s_", synth("alnum", 36, 71))}\n`, 1],
    ["GitHub user-to-server", "app.ts", `const t = "${tok("gh", "u_", synth("alnum", 36, 72))}";\n`, 1],
    ["GitHub refresh", "tokens.json", `{"refresh": "${tok("gh", "r_", synth("alnum", 76, 73))}"}\n`, 1],
    ["Teams webhook", "alert.ps1", `$u = "https://acme.webhook.office.com/webhookb2/${synth("hexLower", 8, 74)}-1a2b-4c3d-8e9f-${synth("hexLower", 12, 75)}@${synth("hexLower", 8, 76)}-4b5c-4d6e-9f0a-${synth("hexLower", 12, 77)}/IncomingWebhook/${synth("hexLower", 32, 78)}/${synth("hexLower", 8, 79)}-2c3d-4e5f-a0b1-${synth("hexLower", 12, 80)}"\n`, 1],
    ["Teams workflow webhook", "notify.yml", `url: https://prod-12.westus.logic.azure.com:443/workflows/${synth("hexLower", 32, 81)}/triggers/manual/paths/invoke?api-version=2016-06-01&sv=1.0&sig=${synth("base64url", 43, 82)}\n`, 1],
    ["Twilio API key SID", "twilio.properties", `twilio.api.key=SK${synth("hexLower", 32, 83)}\n`, 1],
    ["SendGrid", ".env", `SENDGRID=${tok("SG", ".", synth("base64url", 22, 84), ".", synth("base64url", 43, 85))}\n`, 1],
    ["Mailgun", "mail.py", `MAILGUN_API_KEY = "${synth("hexLower", 32, 86)}-${synth("hexLower", 8, 87)}-${synth("hexLower", 8, 88)}"\n`, 1],
    ["Discord webhook", "bot.js", `const hook = "${tok("https://discord.com/api/web", "hooks/", digits(19, 89), "/", synth("base64url", 68, 90))}";\n`, 1],
    ["Telegram bot", ".env", `TG=${digits(10, 91)}:AA${synth("base64url", 33, 92)}\n`, 1],
  ]);
  it("reports Stripe test keys at low", () => {
    const f = scan("pay.py", `stripe.api_key = "${tok("sk", "_test_", synth("alnum", 99, 93))}"\n`);
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.severity === "low")).toBe(true);
  });
  expectClean([
    ["Slack documented placeholder", "docs/slack.md", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"],
    ["Stripe placeholder", ".env.sample", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n"],
    ["Stripe publishable", "checkout.ts", `const stripe = Stripe("${tok("pk", "_live_", synth("alnum", 99, 94))}");\n`],
    ["GitHub placeholder", "README.md", "export GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"],
  ]);
});

describe("prefix-less services by name, bounded distance and entropy", () => {
  expectFlagged([
    ["Sumo Logic access id in Terraform", "sumo.tf", `provider "sumologic" {\n  access_id  = "su${synth("alnum", 12, 100)}"\n}\n`, 2],
    ["Datadog API key", ".env", `DD_API_KEY=${synth("hexLower", 32, 101)}\n`, 1],
    ["Flickr 16-hex secret", "photos.rb", `FLICKR_API_SECRET = '${synth("hexLower", 16, 102)}'\n`, 1],
    ["UUID-format API key under a secret name", "config.yml", `heroku_api_key: ${synth("hexLower", 8, 103)}-4a1b-4c2d-9e3f-${synth("hexLower", 12, 104)}\n`, 1],
    ["a 14-character key under a secret name", "config.yml", `vonage_api_secret: ${tok(synth("alnum", 4, 113), "7", synth("alnum", 4, 114), "3", synth("alnum", 4, 115))}\n`, 1],
    ["Azure function key in a trigger URL", ".env", `FUNC_URL=https://acme-fn.azurewebsites.net/api/Ingest?code=${synth("base64url", 54, 114)}==\n`, 1],
    ["client id beside client secret", ".env", `ACME_CLIENT_ID=${synth("alnum", 20, 105)}\nACME_CLIENT_SECRET=${synth("alnum", 40, 106)}\n`, 1],
    ["client secret", ".env", `ACME_CLIENT_ID=${synth("alnum", 20, 107)}\nACME_CLIENT_SECRET=${synth("alnum", 40, 108)}\n`, 2],
  ]);
  expectClean([
    ["Sumo Logic from a variable", "sumo.tf", 'provider "sumologic" {\n  access_id = var.sumo_access_id\n}\n'],
    ["client id alone", "auth.yml", `client_id: ${synth("hexLower", 8, 109)}-4a1b-4c2d-9e3f-${synth("hexLower", 12, 110)}\n`],
    ["UUID under an id name", "config.yml", `request_id: ${synth("hexLower", 8, 111)}-4a1b-4c2d-9e3f-${synth("hexLower", 12, 112)}\n`],
    ["a word under a key name", "settings.yml", "sort_key: created_at\nprimary_key: id\n"],
    ["short non-random values under secret names", "settings.yml", "secret_name: prod-db-creds\ntoken_type: Bearer\nsecret_rotation: 2024-01-01T00\n"],
  ]);
});

describe("structured files", () => {
  expectFlagged([
    ["Kubernetes Secret data (base64)", "k8s/secret.yaml", `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: ${b64("shop_app")}\n  password: ${b64(pw(120))}\n`, 8],
    ["Kubernetes Secret tls.key", "k8s/tls.yaml", `kind: Secret\ntype: kubernetes.io/tls\ndata:\n  tls.key: ${b64(samplePrivateKey("PRIVATE KEY", 6, 121) + "\n")}\n`, 4],
    ["Kubernetes Secret stringData", "k8s/app.yaml", `kind: Secret\napiVersion: v1\nstringData:\n  DB_PASSWORD: "${pw(122)}"\n`, 4],
    ["Docker config.json auths", ".docker/config.json", `{"auths": {"https://index.docker.io/v1/": {\n  "auth": "${b64(`bot:${pw(123)}`)}"}}}\n`, 2],
    [".npmrc _authToken", ".npmrc", `//npm.acme-corp.io/:_authToken=${synth("base64url", 64, 124)}\n`, 1],
    [".npmrc legacy UUID token", ".npmrc", `//registry.npmjs.org/:_authToken=${synth("hexLower", 8, 125)}-4a1b-4c2d-9e3f-${synth("hexLower", 12, 126)}\n`, 1],
    [".npmrc _auth", ".npmrc", `_auth=${b64(`ci:${pw(127)}`)}\n`, 1],
    [".pypirc", ".pypirc", `[internal]\nrepository = https://nexus.acme-corp.io/pypi/\nusername = deployer\npassword = ${pw(128)}\n`, 4],
    ["NuGet ClearTextPassword", "NuGet.Config", `<packageSourceCredentials>\n  <Feed>\n    <add key="ClearTextPassword" value="${pw(129)}" />\n  </Feed>\n</packageSourceCredentials>\n`, 3],
    ["Maven settings.xml", "settings.xml", `<server>\n  <id>releases</id>\n  <password>${pw(130)}</password>\n</server>\n`, 3],
    [".netrc one line", ".netrc", `machine ftp.acme-corp.io login deploy password ${pw(131)}\n`, 1],
    [".netrc multi-line", ".netrc", `machine api.heroku.com\n  login ops@acme-corp.io\n  password ${synth("hexLower", 8, 132)}-4a1b-4c2d-9e3f-${synth("hexLower", 12, 133)}\n`, 3],
    [".git-credentials", ".git-credentials", `https://ci-bot:${pw(134)}@git.acme-corp.io\n`, 1],
    ["Terraform variable default", "variables.tf", `variable "db_password" {\n  type    = string\n  default = "${pw(135)}"\n}\n`, 3],
    ["Terraform state", "terraform.tfstate", `{\n  "attributes": {\n    "password": "${pw(136)}",\n    "username": "root"\n  }\n}\n`, 3],
    ["Ansible become password", "group_vars/all.yml", `ansible_become_password: ${pw(137)}\n`, 1],
    ["Bundler Sidekiq credentials", ".bundle/config", `---\nBUNDLE_GEMS__CONTRIBSYS__COM: "${synth("hexLower", 8, 138)}:${synth("hexLower", 8, 139)}"\n`, 2],
    ["Composer http-basic", "auth.json", `{"http-basic": {"repo.packagist.com": {"username": "token", "password": "${synth("hexLower", 40, 140)}"}}}\n`, 1],
    ["Gradle credentials block", "build.gradle", `credentials {\n  username 'ci'\n  password '${pw(143)}'\n}\n`, 3],
    [".pgpass line", ".pgpass", `db.acme-corp.io:5432:shop:shop_app:${pw(144)}\n`, 1],
    ["Composer bearer", "auth.json", `{"bearer": {"satis.acme-corp.io": "${synth("alnum", 40, 141)}"}}\n`, 1],
  ]);
  expectClean([
    ["Kubernetes Secret with placeholders", "k8s/secret.yaml", `kind: Secret\ndata:\n  password: ${b64("changeme")}\n  username: ${b64("admin")}\n  ca.crt: ${b64("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")}\n`],
    ["Kubernetes ConfigMap", "k8s/cm.yaml", "kind: ConfigMap\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: search,checkout\n"],
    [".npmrc from env", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"],
    ["Maven encrypted password", "settings.xml", `<server>\n  <password>{${synth("base64", 40, 142)}=}</password>\n</server>\n`],
    ["Terraform variable without default", "variables.tf", 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n'],
    ["Ansible vault reference", "group_vars/all.yml", 'ansible_become_password: "{{ vault_become_pass }}"\n'],
    ["Bundler settings", ".bundle/config", '---\nBUNDLE_WITHOUT: "development:test"\nBUNDLE_JOBS: "4"\n'],
    ["tfstate null", "terraform.tfstate", '{"attributes": {"password": null, "id": "db-1"}}\n'],
  ]);
});

describe("keys and tokens in other shapes", () => {
  const pemJson = samplePrivateKey("PRIVATE KEY", 8, 150).replace(/\n/g, "\\n");
  expectFlagged([
    ["JWT in .env", ".env", `SUPABASE_SERVICE_ROLE_KEY=${jwt(151)}\n`, 1],
    ["JWT in JSON", "session.json", `{\n  "access_token": "${jwt(152)}"\n}\n`, 2],
    ["RSA PEM", "server.key", samplePrivateKey("RSA PRIVATE KEY", 10, 153) + "\n", 1],
    ["OpenSSH key", "id_ed25519", samplePrivateKey("OPENSSH PRIVATE KEY", 5, 154) + "\n", 1],
    ["PGP private block", "key.asc", samplePrivateKey("PGP PRIVATE KEY BLOCK", 8, 155) + "\n", 1],
    ["PEM in a YAML block scalar", "values.yaml", `tls:\n  key: |\n${samplePrivateKey("PRIVATE KEY", 6, 156).split("\n").map((l) => "    " + l).join("\n")}\n`, 3],
    ["PEM in a JSON string with \\n", "sa.json", `{\n  "type": "service_account",\n  "private_key": "${pemJson}\\n"\n}\n`, 3],
    ["PuTTY key", "deploy.ppk", ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: k", "Public-Lines: 2", synth("base64", 64, 157), synth("base64", 20, 158), "Private-Lines: 1", synth("base64", 48, 159), `Private-MAC: ${synth("hexLower", 64, 160)}`, ""].join("\n"), 1],
    ["Ethereum key labelled", ".env", `DEPLOYER_PRIVATE_KEY=0x${synth("hexLower", 64, 161)}\n`, 1],
    ["Hardhat accounts", "hardhat.config.js", `module.exports = { networks: { main: { accounts: ["${synth("hexLower", 64, 162)}"] } } };\n`, 1],
    ["Bitcoin WIF labelled", "sweep.py", `WIF = "K${synth("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 51, 163)}"\n`, 1],
    ["generic base64 in YAML", "app.yml", `app:\n  signing_secret: ${synth("base64", 44, 164)}\n`, 2],
    ["generic hex in .env", ".env", `SESSION_SECRET=${synth("hexLower", 64, 165)}\n`, 1],
    ["SSH2 (SSH.com) private key", "id_ssh2", ["---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", 'Comment: "rsa-key-20240101"', synth("base64", 64, 167), synth("base64", 64, 168), synth("base64", 64, 169), "---- END SSH2 ENCRYPTED PRIVATE KEY ----", ""].join("\n"), 1],
    ["literal fallback of an environment lookup", "config.js", `const key = process.env.API_KEY || "${synth("alnum", 40, 180)}";\n`, 1],
    ["generic in a Markdown table", "docs/env.md", `| Variable | Value |\n|---|---|\n| API_TOKEN | ${synth("alnum", 40, 181)} |\n`, 3],
    ["generic in a Markdown code block", "README.md", `\`\`\`env\nAPP_SECRET=${synth("alnum", 48, 166)}\n\`\`\`\n`, 2],
  ]);
  expectClean([
    ["public key", "pub.pem", samplePrivateKey("PUBLIC KEY", 6, 170) + "\n"],
    ["certificate", "ca.crt", samplePrivateKey("CERTIFICATE", 6, 171) + "\n"],
    ["ssh public key", "authorized_keys", `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${synth("base64", 43, 172)} ops@laptop\n`],
    ["transaction hash", "tx.json", `{"transactionHash": "0x${synth("hexLower", 64, 173)}"}\n`],
    ["commit SHA", ".pre-commit-config.yaml", `repos:\n  - repo: https://github.com/psf/black\n    rev: ${synth("hexLower", 40, 174)}\n`],
    ["lockfile integrity", "package-lock.json", `{"integrity": "sha512-${synth("base64", 86, 175)}=="}\n`],
    ["base64 image", "icon.ts", `export const ICON = "data:image/png;base64,iVBORw0KGgo${synth("base64", 200, 176)}";\n`],
    ["environment lookup without a fallback", "config.js", "const key = process.env.API_KEY || '';\nconst t = process.env.TOKEN ?? \"\";\n"],
    ["Markdown table of names", "docs/env.md", "| Variable | Meaning |\n|---|---|\n| API_TOKEN | the token for the API |\n"],
    ["three base64url parts that are not a JWT", "x.txt", `eyJ${synth("base64url", 30, 177)}.ey${synth("base64url", 30, 178)}.${synth("base64url", 40, 179)}\n`],
  ]);
});

describe("no secret in full in any output", () => {
  const secrets = [pw(200), synth("alnum", 40, 201), tok("xo", "xb-", synth("digits", 12, 205).replace(/^0/, "4"), "-", synth("digits", 13, 206).replace(/^0/, "7"), "-", synth("alnum", 24, 202)), jwt(203), b64(pw(204))];
  const content = [
    `DATABASE_URL=postgres://app:${secrets[0]}@db.acme-corp.io/app`,
    `curl -H "Authorization: Bearer ${secrets[1]}" https://api.acme-corp.io`,
    `SLACK_BOT_TOKEN=${secrets[2]}`,
    `token: ${secrets[3]}`,
    "kind: Secret",
    "data:",
    `  password: ${secrets[4]}`,
    "",
  ].join("\n");
  const findings = scan("deploy/config.yaml", content);
  const result = { findings, skipped: [], analyzed: ["deploy/config.yaml"], checked: new Set<never>() };
  const outputs: [string, string][] = [
    ["text", renderText(result, { failOn: "high", color: false })],
    ["json", renderJson(result, { version: "0.0.0", failOn: "high" })],
    ["sarif", renderSarif(result, { version: "0.0.0" })],
    ["comments", findings.map((f) => renderFindingComment(f, { withSuggestion: false })).join("\n")],
    ["messages", findings.map((f) => [f.title, f.message, f.snippet, f.fix].join("\n")).join("\n")],
  ];

  it("finds each of the secrets", () => {
    expect(findings.length).toBeGreaterThanOrEqual(secrets.length);
  });

  it.each(outputs)("the %s output holds no secret in full", (_name, out) => {
    expect(out.length).toBeGreaterThan(0);
    for (const s of secrets) expect(out.includes(s), s.slice(0, 4)).toBe(false);
    expect(out).toContain("[REDACTED");
  });
});
