// Held-out batch, written after the first tuning round and measured once before any further
// change (first-run figures are in README.md). Prefix-less services named the way projects name
// them, further token variants, and look-alikes aimed at the newer detectors (curl -u, auth
// tuples, /hooks/ URLs, Kubernetes Secrets, Bundler keys, Terraform variables, wallet keys).
import type { Placed } from "./contexts.js";
import type { Rng } from "./rng.js";
import { b64 } from "./rng.js";

export interface HoldoutCase {
  service: string;
  positive: boolean;
  make: (r: Rng) => Placed;
}

const at = (path: string, lines: string[], marker: string): Placed => {
  const line = lines.findIndex((l) => l.includes(marker)) + 1;
  if (line === 0) throw new Error(`marker not found in ${path}: ${marker}`);
  return { path, content: lines.join("\n") + "\n", line };
};
const file = (path: string, lines: string[]): Placed => ({ path, content: lines.join("\n") + "\n", line: 0 });

/** [service, file, line template with $V, value format] */
const NAMED: [string, string, string, string][] = [
  ["adobe-client-secret", "config/adobe.yml", "adobe_client_secret: $V", "p8e-{a:32}"],
  ["beamer", "src/beamer.js", "const beamerApiKey = '$V';", "b_{B:44}"],
  ["bittrex", ".env", "BITTREX_SECRET_KEY=$V", "{h:32}"],
  ["confluent-secret", "kafka/client.properties", "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"{u:16}\" password=\"$V\";", "{b:64}"],
  ["droneci", ".drone.env", "DRONE_TOKEN=$V", "{a:32}"],
  ["etsy", "shop/etsy.py", "ETSY_API_KEY = \"$V\"", "{l:24}"],
  ["finicity", "fin.yaml", "finicity_app_key: $V", "{h:32}"],
  ["finnhub", "quotes.ts", "const finnhubToken = \"$V\";", "{a:20}"],
  ["flickr", "photos.rb", "FLICKR_API_SECRET = '$V'", "{h:16}"],
  ["freshbooks", ".env", "FRESHBOOKS_ACCESS_TOKEN=$V", "{a:64}"],
  ["gitter", "bot.json", "{\"gitterToken\": \"$V\"}", "{h:40}"],
  ["kucoin", "trade.py", "KUCOIN_API_SECRET = '$V'", "{U}"],
  ["looker", "looker.ini", "client_secret=$V", "{a:24}"],
  ["maxmind", "GeoIP.conf", "LicenseKey $V", "{a:6}_{a:29}_mmk"],
  ["nytimes", "news.go", "\tnytimesAPIKey := \"$V\"", "{a:32}"],
  ["scalingo", ".env", "SCALINGO_API_TOKEN=$V", "tk-us-{B:48}"],
  ["squarespace", "config.json", "{\"squarespaceApiKey\": \"$V\"}", "{U}"],
  ["yandex-api-key", "yc.tf", "  yc_api_key = \"$V\"", "AQVN{B:35}"],
  ["yandex-iam-token", ".env", "YC_TOKEN=$V", "t1.{B:150}"],
  ["intra42", ".env", "FT_CLIENT_SECRET=$V", "s-s4t2ud-{h:64}"],
  ["openshift", "deploy.sh", "oc login --token=$V --server=https://api.ocp.acme-corp.io:6443", "sha256~{B:43}"],
  ["settlemint", ".env", "SETTLEMINT_ACCESS_TOKEN=$V", "sm_pat_{a:16}"],
  ["defined-networking", "nebula.yml", "api_key: $V", "dnkey-{u:26}-{u:52}"],
  ["adafruit", "feeds.py", "ADAFRUIT_IO_KEY = '$V'", "aio_{a:28}"],
  ["readme", ".env", "README_API_KEY=$V", "rdme_{a:70}"],
  ["frameio", "upload.js", "const token = '$V';", "fio-u-{B:64}"],
  ["sourcegraph", ".env", "SRC_ACCESS_TOKEN=$V", "sgp_{h:16}_{h:40}"],
  ["gitlab-ci-build", "ci.sh", "curl --header \"JOB-TOKEN: $V\" https://gitlab.acme-corp.io/api/v4/projects", "glcbt-{h:2}_{B:20}"],
  ["gitlab-oauth-secret", "gitlab.rb", "gitlab_rails['omniauth_providers'] = [{ app_secret: '$V' }]", "gloas-{h:64}"],
  ["gitlab-feed", "feed.txt", "https://gitlab.acme-corp.io/dashboard/projects.atom?feed_token=$V", "glft-{B:20}"],
  ["gitlab-scim", ".env", "GITLAB_SCIM_TOKEN=$V", "glsoat-{B:20}"],
  ["shippo-test", "ship.py", "shippo.config.api_key = \"$V\"", "shippo_test_{h:40}"],
  ["mailgun-pubkey", "validate.js", "const mgPublicValidationKey = '$V';", "pubkey-{h:32}"],
  ["flutterwave-enc", ".env", "FLW_ENCRYPTION_KEY=$V", "FLWSECK_TEST{h:12}"],
  ["dropbox-long-lived", "backup.py", "dbx = dropbox.Dropbox('$V')", "{a:11}AAAAAAAAAA{B:43}"],
  ["plaid-client", ".env", "PLAID_SECRET=$V", "{h:30}"],
  ["coinbase-access", "cb.ts", "const coinbaseAccessToken = \"$V\";", "{a:64}"],
  ["bitbucket-client-secret", "settings.py", "BITBUCKET_CLIENT_SECRET = \"$V\"", "{B:32}"],
  ["discord-client-secret", ".env", "DISCORD_CLIENT_SECRET=$V", "{B:32}"],
  ["linear-client-secret", "linear.json", "{\"clientSecret\": \"$V\"}", "{h:32}"],
  ["new-relic-browser", "newrelic.js", "  licenseKey: '$V',", "NRJS-{h:19}"],
  ["huggingface-org", ".env", "HF_ORG_TOKEN=$V", "api_org_{a:34}"],
  ["slack-rotating-bot", "slack.env", "SLACK_BOT_TOKEN=$V", "xoxe.xoxb-1-{a:150}"],
  ["teams-legacy-webhook", "notify.ps1", "$webhook = \"$V\"", "https://outlook.office.com/webhook/{U}@{U}/IncomingWebhook/{h:32}/{U}"],
  ["discord-canary-webhook", "alerts.py", "WEBHOOK = \"$V\"", "https://canary.discord.com/api/webhooks/{D:19}/{B:68}"],
  ["sidekiq-enterprise-url", "Gemfile", "source \"$V\" do", "https://{h:8}:{h:8}@enterprise.contribsys.com/"],
  ["azure-sql-password", "main.tf", "  administrator_login_password = \"$V\"", "{a:10}!{a:6}9"],
  ["openai-in-code", "bot.py", "client = OpenAI(api_key=\"$V\")", "sk-proj-{B:74}T3BlbkFJ{B:74}"],
  ["anthropic-in-code", "agent.ts", "const client = new Anthropic({ apiKey: \"$V\" });", "sk-ant-api03-{B:93}AA"],
  ["stripe-in-code", "pay.rb", "Stripe.api_key = '$V'", "sk_live_{a:99}"],
  ["github-in-url", "deps.sh", "git clone https://$V@github.com/acme/private.git", "ghp_{a:36}"],
  ["npm-in-yarnrc", ".yarnrc.yml", "npmAuthToken: $V", "npm_{a:36}"],
  ["gcp-sa-in-env", ".env", "GOOGLE_API_KEY=$V", "AIza{B:35}"],
  ["aws-in-ini", ".aws/credentials", "aws_secret_access_key=$V", "{b:40}"],
  ["jwt-in-url", "links.md", "https://app.acme-corp.io/magic?token=$V", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxODAwMDAwMDAwfQ.{B:43}"],
  ["password-in-json", "config/prod.json", "  \"dbPassword\": \"$V\",", "{a:8}#{a:7}"],
  ["password-in-php", "db.php", "$db = new PDO($dsn, 'shop', '$V');", "{a:9}!{a:5}"],
  ["password-in-yaml-mail", "config/mail.yml", "smtp_password: $V", "{a:12}"],
];

/** Lines that look credential-shaped but are not. */
const QUIET: [string, string[]][] = [
  ["docker-user", ["Makefile", "run:", "\tdocker run -u 1000:1000 --rm app", "\tsudo -u postgres psql -c 'select 1'"]],
  ["curl-user-env", ["ci.sh", 'curl -u "${NEXUS_USER}:${NEXUS_PASSWORD}" https://nexus', 'curl -u ":$API_TOKEN" https://api', "curl -u $USER https://x"]],
  ["auth-tuple-vars", ["client.py", 'r = requests.get(u, auth=("api", settings.MAILGUN_KEY))', "r = requests.get(u, auth=(os.environ['U'], os.environ['P']))"]],
  ["react-hooks-path", ["src/App.tsx", "import { useSession } from '../hooks/useSessionToken';", "fetch('https://api.github.com/repos/acme/app/hooks/123456789')"]],
  ["k8s-secret-empty", ["k8s/secret.yaml", "apiVersion: v1", "kind: Secret", "metadata:", "  name: empty", "  namespace: production", "type: Opaque", "data: {}"]],
  ["k8s-secret-cert", ["k8s/ca.yaml", "kind: Secret", "data:", `  ca.crt: ${b64("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ1\n-----END CERTIFICATE-----\n")}`, `  username: ${b64("admin")}`, `  host: ${b64("db.prod.internal")}`, `  port: ${b64("5432")}`]],
  ["k8s-secret-refs", ["k8s/external.yaml", "kind: Secret", "stringData:", "  DB_PASSWORD: ${DB_PASSWORD}", "  API_URL: https://api.acme-corp.io"]],
  ["tf-var-nonsecret", ["variables.tf", 'variable "ssh_key_name" {', '  default = "deploy"', "}", 'variable "token_ttl" {', '  default = "1h"', "}", 'variable "db_password_length" {', "  default = 16", "}"]],
  ["bundler-nonsecret", [".bundle/config", '---', 'BUNDLE_BUILD__NOKOGIRI: "--use-system-libraries"', 'BUNDLE_MIRROR__HTTPS://RUBYGEMS__ORG/: "https://mirror.acme-corp.io/rubygems"', 'BUNDLE_WITHOUT: "development:test"']],
  ["eth-hashes", ["tx.json", `{"transactionHash": "0x${"ab12".repeat(16)}", "blockHash": "0x${"9f3e".repeat(16)}"}`]],
  ["hardhat-env-accounts", ["hardhat.config.ts", "networks: { sepolia: { url: RPC_URL, accounts: [process.env.DEPLOYER_KEY!] } }"]],
  ["authorization-token-var", ["api.sh", 'curl -H "Authorization: Token $CI_TOKEN" https://ci', "headers['Authorization'] = 'Token ' + token"]],
  ["oracle-nolog", ["db.sh", "sqlplus / as sysdba @init.sql", "sqlplus -s /nolog <<EOF"]],
  ["composer-placeholder", ["auth.json", '{"github-oauth": {"github.com": "<token>"}, "bearer": {"repo.acme-corp.io": "%COMPOSER_TOKEN%"}}']],
  ["netrc-env", [".netrc", "machine github.com", "  login ci", "  password $GITHUB_TOKEN"]],
  ["uuid-ids-named-key", ["config.yml", "idempotency_key_prefix: orders", "request_id: 6f1ed002-ab5d-42e7-8a63-3f8c1b2a9e07", "api_key_id: 0c9e2a77-4f0e-4a54-9a8b-2f1f6a2b8c11"]],
  ["sumologic-endpoint", ["sumo.tf", 'provider "sumologic" {', '  environment = "us2"', "  access_id   = var.sumo_access_id", "}"]],
  ["twilio-sids", ["notify.ts", `const accountSid = "AC${"3f9a".repeat(8)}"; // twilio`, `const serviceSid = "MG${"8d2c".repeat(8)}";`]],
];

export function holdoutCases(): HoldoutCase[] {
  const out: HoldoutCase[] = [];
  for (const [service, path, line, format] of NAMED) {
    out.push({
      service,
      positive: true,
      make: (r) => {
        const v = r.fmt(format);
        const text = line.replace("$V", v);
        return at(path, ["# config", text], v.slice(0, 24));
      },
    });
  }
  for (const [service, lines] of QUIET) out.push({ service, positive: false, make: () => file(lines[0]!, lines.slice(1)) });
  return out;
}
