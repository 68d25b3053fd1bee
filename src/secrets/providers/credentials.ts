// Credentials that are not one vendor's token format: HTTP credentials in commands and code,
// passwords in JDBC/Oracle strings, registry credentials (Bundler), Terraform variable defaults,
// PuTTY private keys, labelled crypto wallet keys, and prefix-less service keys found by the
// service's name within a bounded distance. Shapes follow each tool's own manual (curl, wget,
// requests/httpx, Go net/http, Oracle JDBC thin URLs, Bundler config, Terraform variables,
// PuTTY key files, Bitcoin WIF, Ethereum keys, Sumo Logic access keys, Twilio API keys).
import { randomness, shannonEntropy } from "../entropy.js";
import { hasSequentialRun, isPlaceholder } from "../nonsecrets.js";
import { synth, tok } from "../samples.js";
import type { ProviderPattern } from "../types.js";

/** A password literal worth reporting: not a placeholder, a variable, a number or a plain word. */
export function isPasswordLiteral(pw: string): boolean {
  if (pw.length < 4 || isPlaceholder(pw) || hasSequentialRun(pw, 6)) return false;
  if (/[$%{}<>]|^\*+$/.test(pw)) return false;
  if (/^\d+$/.test(pw)) return false;
  if (/^(?:pass(?:word)?|secret|token|changeit|guest|admin|root|user(?:name)?|x-oauth-basic|x-access-token)\d*$/i.test(pw)) return false;
  return true;
}

/** `user:password`: the password part is a literal and differs from the user. */
function isUserPassword(s: string): boolean {
  const i = s.indexOf(":");
  if (i <= 0) return randomness(s, 16).random && !isPlaceholder(s);
  const user = s.slice(0, i);
  const pw = s.slice(i + 1);
  if (pw.startsWith("//")) return false; // a URL, not user:password
  return user.toLowerCase() !== pw.toLowerCase() && isPasswordLiteral(pw) && !/[$]/.test(user);
}

const pw = (seed: number): string => tok(synth("alnum", 7, seed), "-", synth("alnum", 9, seed + 1));
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const DASHES = "-----";
void DASHES;

export const credentialPatterns: ProviderPattern[] = [
  {
    id: "http-basic-credentials",
    provider: "HTTP",
    description: "basic-auth user:password on a command line (curl -u / --user)",
    regex: "(?<![\\w-])(?:-u|--user|--proxy-user|--auth)(?:[ \\t]+|=)[\"']?(?<user>[^\\s:\"'$`]{1,64}):(?!//)(?<secret>[^\\s\"'`]{4,128})",
    keywords: ["-u ", "-u=", "--user", "--proxy-user", "--auth"],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [`curl -u deploy:${pw(1)} https://nexus.acme-corp.io/upload`, `curl --user "release:${pw(3)}" -X POST https://ci.acme-corp.io`],
    negatives: ['curl -u "$USER:$PASS" https://x', "pino-mq -u amqp://guest:guest@localhost", "pino-http-send -u http://localhost:8080/logs", "docker run -u 1000:1000 img", "curl -u admin:admin http://localhost", "curl -u user:password https://x", "curl -u api:${API_KEY} https://x"],
  },
  {
    id: "cli-password-argument",
    provider: "Command line",
    description: "password given as a command-line argument (mysql -p, sshpass, docker login -p, redis-cli -a, keytool, openssl pass:)",
    regex:
      "(?:\\bmysql(?:dump|admin|import|sh)?\\b[^\\n]{0,100}?[ \\t]-p|\\bsshpass[ \\t]+-p[ \\t]*|\\b(?:docker|podman|buildah|skopeo|oras|helm[ \\t]+registry)[ \\t]+login\\b[^\\n]{0,120}?[ \\t](?:-p|--password)(?:[ \\t]+|=)|\\bredis-cli\\b[^\\n]{0,100}?[ \\t]-a[ \\t]+|\\bmongo(?:sh|dump|restore|import|export)?\\b[^\\n]{0,120}?[ \\t](?:-p|--password)(?:[ \\t]+|=)|\\bldap(?:search|add|modify|delete|passwd)\\b[^\\n]{0,120}?[ \\t]-w[ \\t]+|[ \\t]-(?:src|dest)?(?:storepass|keypass)[ \\t]+|[ \\t]-pass(?:in|out|word)?[ \\t]+pass:)[\"']?(?<secret>[^\\s\"'$`|;&<>-][^\\s\"'`|;&<>]{3,127})",
    keywords: [
      "mysql ", "mysqldump", "mysqladmin", "mysqlimport", "mysqlsh", "sshpass", "docker login", "podman login", "buildah login",
      "skopeo login", "oras login", "registry login", "redis-cli", "mongo ", "mongosh", "mongodump", "mongorestore", "mongoimport",
      "mongoexport", "ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldappasswd", "storepass", "keypass", "-passin", "-passout",
      "-password pass:",
    ],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [`mysql -u root -p${pw(75)} shop`, `sshpass -p '${pw(77)}' ssh deploy@host`, `docker login -u ci -p ${pw(79)} registry.acme-corp.io`, `keytool -importkeystore -srcstorepass ${pw(81)} -destkeystore k.jks`, `openssl pkcs12 -export -passout pass:${pw(83)} -out c.p12`],
    negatives: ["mysql -u root -p shop", 'docker login -u ci -p "$CI_TOKEN" registry', "sshpass -p $PASS ssh host", "mysql -u root -p${MYSQL_PASSWORD}", "docker login -u ci --password-stdin registry", "redis-cli -a changeme ping"],
  },
  {
    id: "http-auth-tuple",
    provider: "HTTP",
    description: "basic-auth password in an HTTP client call (requests/httpx auth tuple, BasicAuth)",
    regex:
      "(?:\\bauth[\"']?\\s*(?:=>|[=:])\\s*[(\\[]|(?:BasicAuth|DigestAuth|basic_auth|basicAuth|BasicAuthentication|NetworkCredential|UsernamePasswordCredentials|PasswordAuthentication|Credentials\\.basic)\\s*\\()\\s*(?:new\\s+)?[\"'][^\"'\\n]{1,64}[\"']\\s*,\\s*[\"'](?<secret>[^\"'\\n]{4,128})[\"']",
    flags: "i",
    keywords: ["auth=(", "auth = (", "auth =(", "auth= (", "auth' =>", "auth\" =>", "auth'=>", "basicauth", "digestauth", "basic_auth", "basicauthentication", "networkcredential", "usernamepasswordcredentials", "passwordauthentication", "credentials.basic"],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [
      `requests.get(url, auth=("svc", "${pw(5)}"))`,
      `auth = HTTPBasicAuth("jira@acme-corp.io", "${pw(7)}")`,
      `req.SetBasicAuth("svc", "${pw(9)}")`,
      `$client->get($url, ['auth' => ['api', '${pw(11)}']]);`,
    ],
    negatives: ['requests.get(url, auth=("user", "password"))', "auth=(user, password)", 'auth=("admin", os.environ["PW"])', 'HTTPBasicAuth("u", "${PASS}")'],
  },
  {
    id: "db-connect-password",
    provider: "Database / broker",
    description: "password passed to a database connect call (PDO, mysqli, JDBC getConnection)",
    regex:
      "(?:new\\s+PDO|new\\s+mysqli|mysqli_connect|mysql_connect|DriverManager\\.getConnection|sql\\.Open|pymysql\\.connect|MySQLdb\\.connect)\\s*\\(\\s*[^,()\\n]{1,200},\\s*[\"'][^\"'\\n]{1,64}[\"']\\s*,\\s*[\"'](?<secret>[^\"'\\n]{4,128})[\"']",
    keywords: ["pdo", "mysqli", "mysql_connect", "getconnection", "pymysql", "mysqldb"],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [`$db = new PDO($dsn, 'shop', '${pw(53)}');`, `$conn = new mysqli('db.acme-corp.io', 'app', '${pw(55)}', 'shop');`, `DriverManager.getConnection(url, "etl", "${pw(57)}")`],
    negatives: ["$db = new PDO($dsn, $user, $pass);", "new mysqli('localhost', 'root', '', 'test')", 'DriverManager.getConnection(url, "sa", "password")'],
  },
  {
    id: "http-basic-encoded-literal",
    provider: "HTTP",
    description: "basic-auth user:password literal encoded in code (btoa, b64encode, Buffer.from)",
    regex:
      "(?:btoa|b64encode|Buffer\\.from|base64_encode|encode64|strict_encode64|encodeToString|EncodeToString|getEncoder\\(\\)\\.encode)\\(\\s*b?[\"'`](?<user>[^\"'`:\\s$]{1,64}):(?<secret>[^\"'`\\s]{4,128})[\"'`]",
    keywords: ["btoa(", "b64encode(", "buffer.from(", "base64_encode(", "encode64(", "encodetostring(", "getencoder().encode("],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [`headers.Authorization = "Basic " + btoa("svc:${pw(59)}");`, `token = base64.b64encode(b"api:${pw(61)}").decode()`],
    negatives: ['btoa(`${user}:${pass}`)', 'btoa("user:password")', 'Buffer.from("a:b").toString("base64")'],
  },
  {
    id: "http-authorization-token",
    provider: "HTTP",
    description: "API token in an Authorization header (Token / ApiKey / SSWS scheme)",
    regex:
      "\\bauthorization[\"']?\\s*(?:[:=,]|=>)\\s*[\"'`]?(?:token|apikey|api-key|api_key|key|ssws|sso-key|access_token|klaviyo-api-key|splunk|genieKey|pvekeyid|dsn|bot)[ \\t=]{1,5}(?<secret>[A-Za-z0-9._~+/\\-:]{16,512}=*)(?![A-Za-z0-9._~+/=\\-])",
    flags: "i",
    keywords: ["authorization"],
    severity: "high",
    minEntropy: 3.3,
    validate: (s) => !isPlaceholder(s) && randomness(s.replace(/^[^:]*:/, ""), 16).random,
    samples: [`curl --header 'Authorization: Token ${synth("hexLower", 40, 13)}' https://ci.acme-corp.io/api`, `headers: { Authorization: "SSWS 00${synth("base64url", 40, 14)}" }`],
    negatives: ["Authorization: Token <your-token>", "Authorization: Token ${TOKEN}", "Authorization: token is required for this endpoint"],
  },
  {
    id: "composer-auth-token",
    provider: "Composer",
    description: "repository token in Composer auth.json (bearer / github-oauth / gitlab-token)",
    regex: "\"(?:bearer|github-oauth|gitlab-token|gitlab-oauth)\"\\s*:\\s*\\{\\s*\"[^\"\\n]{1,200}\"\\s*:\\s*\"(?<secret>[^\"\\s]{12,512})\"",
    keywords: ['"bearer"', '"github-oauth"', '"gitlab-token"', '"gitlab-oauth"'],
    severity: "high",
    validate: (s) => !isPlaceholder(s) && randomness(s, 12).random,
    samples: [`{"bearer": {"satis.acme-corp.io": "${synth("alnum", 40, 46)}"}}`],
    negatives: ['{"bearer": {"satis.acme-corp.io": "${COMPOSER_TOKEN}"}}', '{"github-oauth": {"github.com": "your-token-here"}}'],
  },
  {
    id: "oracle-connect-password",
    provider: "Database / broker",
    description: "password in an Oracle connect string (user/password@host)",
    regex: "(?:jdbc:oracle:(?:thin|oci8?):|\\bsqlplus[ \\t]{1,4}(?:-[sSlL][ \\t]{1,4}){0,2}|\\brman[ \\t]{1,4}target[ \\t]{1,4})(?<user>[A-Za-z][\\w$#]{0,63})/(?<secret>[^@\\s\"'/]{4,128})@",
    flags: "i",
    keywords: ["jdbc:oracle:", "sqlplus", "rman"],
    severity: "high",
    validate: isPasswordLiteral,
    samples: [`jdbc:oracle:thin:etl/${pw(15)}@//ora.acme-corp.io:1521/ORCL`, `sqlplus -s app/${pw(17)}@prod-db`],
    negatives: ["jdbc:oracle:thin:scott/${DB_PASS}@//db:1521/ORCL", "sqlplus / as sysdba", "jdbc:oracle:thin:@//db:1521/ORCL"],
  },
  {
    id: "bundler-credentials",
    provider: "Bundler",
    description: "gem source credentials in Bundler config (BUNDLE_<HOST>)",
    regex: "\\bBUNDLE_[A-Z0-9_]*__[A-Z0-9_]+[\"']?[ \\t]*[:=][ \\t]*[\"']?(?<secret>[^\\s\"'$]{8,256})",
    keywords: ["bundle_"],
    severity: "high",
    validate: isUserPassword,
    samples: [`BUNDLE_GEMS__CONTRIBSYS__COM: "${synth("hexLower", 8, 19)}:${synth("hexLower", 8, 20)}"`, `export BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${synth("hexLower", 8, 21)}:${synth("hexLower", 8, 22)}`],
    negatives: ['BUNDLE_GEMS__CONTRIBSYS__COM: "${SIDEKIQ_CREDS}"', "BUNDLE_PATH__SYSTEM: true", "BUNDLE_GITHUB__HTTPS: true", 'BUNDLE_GEMS__CONTRIBSYS__COM: "user:password"'],
  },
  {
    id: "terraform-variable-default",
    provider: "Terraform",
    description: "secret in a Terraform variable default",
    regex:
      "\\bvariable\\s+\"(?![\\w-]*(?:public|_id\"|_ids\"|_name\"|_arn\"|_path\"|_file\"|vault|_ttl|length|expir|rotation|_version|_type|_length|_enabled|_count|_secret_name))[\\w-]*(?:pass|secret|token|api_?key|private_?key|access_?key|credential|auth)[\\w-]*\"\\s*\\{[^}]{0,400}?\\bdefault\\s*=\\s*\"(?<secret>[^\"\\n$]{4,256})\"",
    flags: "i",
    keywords: ['variable "'],
    severity: "high",
    validate: (s) => isPasswordLiteral(s) && !/^(?:[a-z]+[-_])*[a-z]+$/.test(s),
    samples: [`variable "db_password" {\n  type    = string\n  default = "${pw(23)}"\n}`],
    negatives: ['variable "db_password" {\n  type = string\n}', 'variable "key_name" {\n  default = "deploy-key"\n}', 'variable "api_token" {\n  default = ""\n}'],
  },
  {
    id: "putty-private-key",
    provider: "Private key",
    description: "PuTTY private key file",
    regex:
      "(?<secret>PuTTY-User-Key-File-[1-3]: [\\w@.-]{3,64}\\r?\\n(?:[^\\r\\n]{0,200}\\r?\\n){1,60}?Private-Lines: \\d{1,3}\\r?\\n(?:[A-Za-z0-9+/=]{4,80}\\r?\\n?){1,100})",
    keywords: ["putty-user-key-file-"],
    severity: "critical",
    validate: (s) => {
      const body = s.slice(s.indexOf("Private-Lines:")).replace(/^Private-Lines: \d+/, "").replace(/\s/g, "");
      return body.length >= 32 && shannonEntropy(body) >= 4.5 && !isPlaceholder(body);
    },
    samples: [
      ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: ed25519-key", "Public-Lines: 2", synth("base64", 64, 25), synth("base64", 20, 26), "Private-Lines: 1", synth("base64", 48, 27), `Private-MAC: ${synth("hexLower", 64, 28)}`].join("\n"),
    ],
    negatives: ["PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\nAAAA\n"],
  },
  {
    id: "jwk-private-key",
    provider: "Private key",
    description: "private JSON Web Key (the \"d\" parameter)",
    regex: "\"d\"\\s*:\\s*\"(?<secret>[A-Za-z0-9_\\-]{32,2048})\"",
    keywords: ['"kty"'],
    severity: "critical",
    minEntropy: 4,
    samples: [`{"kty":"EC","crv":"P-256","x":"${synth("base64url", 43, 63)}","y":"${synth("base64url", 43, 64)}","d":"${synth("base64url", 43, 65)}"}`],
    negatives: [`{"kty":"EC","crv":"P-256","x":"${synth("base64url", 43, 66)}","y":"${synth("base64url", 43, 67)}"}`],
  },
  {
    id: "rsa-xml-private-key",
    provider: "Private key",
    description: "RSA private key in .NET XML form (<RSAKeyValue> with <D>)",
    regex: "<RSAKeyValue>[\\s\\S]{0,4000}?<D>(?<secret>[A-Za-z0-9+/=\\s]{40,2048})</D>",
    keywords: ["<rsakeyvalue>"],
    severity: "critical",
    minEntropy: 4,
    samples: [`<RSAKeyValue><Modulus>${synth("base64", 172, 68)}</Modulus><Exponent>AQAB</Exponent><D>${synth("base64", 172, 69)}</D></RSAKeyValue>`],
    negatives: [`<RSAKeyValue><Modulus>${synth("base64", 172, 70)}</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>`],
  },
  {
    id: "bip32-extended-private-key",
    provider: "Cryptocurrency",
    description: "BIP32 extended private key (xprv)",
    regex: "(?<![1-9A-HJ-NP-Za-km-z])(?<secret>[xtyzuv]prv[1-9A-HJ-NP-Za-km-z]{100,108})(?![1-9A-HJ-NP-Za-km-z])",
    keywords: ["xprv", "tprv", "yprv", "zprv", "uprv", "vprv"],
    severity: "critical",
    minEntropy: 4.5,
    samples: [`XPRV=xprv9s21ZrQH143K${synth(B58, 95, 71)}`],
    negatives: [`XPUB=xpub661MyMwAqRbc${synth(B58, 95, 72)}`, `xprv${synth(B58, 40, 73)}`],
  },
  {
    id: "crypto-wallet-private-key",
    provider: "Cryptocurrency",
    description: "wallet private key (hex) in a wallet or network configuration",
    regex:
      "(?:\\baccounts\\s*:\\s*\\[\\s*|(?:Wallet|privateKeyToAccount|from_key|fromPrivateKey|privateKey|PrivateKey|private_key|Keypair\\.fromSecretKey)\\s*\\(\\s*)[\"'`](?<secret>(?:0x)?[0-9a-fA-F]{64})[\"'`]",
    keywords: ["accounts", "wallet(", "privatekeytoaccount", "from_key", "fromprivatekey", "privatekey(", "private_key("],
    severity: "critical",
    minEntropy: 3.2,
    samples: [`networks: { mainnet: { url: RPC, accounts: ["0x${synth("hexLower", 64, 29)}"] } }`, `const wallet = new ethers.Wallet("${synth("hexLower", 64, 30)}", provider);`],
    negatives: ["accounts: [process.env.PRIVATE_KEY]", `accounts: ["0x${"0".repeat(64)}"]`, "new ethers.Wallet(process.env.KEY)"],
  },
  {
    id: "bitcoin-wif-private-key",
    provider: "Cryptocurrency",
    description: "Bitcoin private key in Wallet Import Format",
    regex:
      "(?:wif|WIF|Wif|priv|PRIV|Priv|secret|SECRET|Secret|wallet|WALLET|Wallet|btc|BTC|bitcoin|Bitcoin|BITCOIN)[^\\n]{0,60}?(?<![1-9A-HJ-NP-Za-km-z])(?<secret>5[HJK][1-9A-HJ-NP-Za-km-z]{49}|[KL][1-9A-HJ-NP-Za-km-z]{51})(?![1-9A-HJ-NP-Za-km-z])",
    keywords: ["wif", "privkey", "private_key", "private-key", "privatekey", "private key", "wallet", "btc", "bitcoin"],
    severity: "critical",
    minEntropy: 4,
    samples: [`WIF = "K${synth(B58, 51, 31)}"`, `BTC_WIF_PRIVATE_KEY=5J${synth(B58, 49, 32)}`],
    negatives: [`WIF = "K${synth(B58, 40, 33)}"`, `wallet_address = "bc1q${synth("lowerAlnum", 38, 34)}"`],
  },
  {
    id: "sumologic-access-id",
    provider: "Sumo Logic",
    description: "access ID (with its access key nearby)",
    regex: "sumo(?:logic)?[\\s\\S]{0,200}?access[_.\\- ]?id[\\w.\\-]{0,10}[\"']?[ \\t]*(?::=|=>|[:=])[ \\t]*[\"']?(?<secret>su[A-Za-z0-9]{12})(?![A-Za-z0-9])",
    flags: "i",
    keywords: ["sumo"],
    severity: "medium",
    minEntropy: 3,
    samples: [`provider "sumologic" {\n  access_id  = "su${synth("alnum", 12, 35)}"\n}`, `SUMOLOGIC_ACCESS_ID=su${synth("alnum", 12, 36)}`],
    negatives: [`SUMOLOGIC_ACCESS_ID=su${synth("alnum", 10, 37)}`, "SUMOLOGIC_ACCESS_ID=${SUMO_ID}"],
  },
  {
    id: "twilio-api-key-sid",
    provider: "Twilio",
    description: "API key SID (SK...)",
    regex: "twilio[\\s\\S]{0,120}?(?<![A-Za-z0-9])(?<secret>SK[0-9a-fA-F]{32})(?![A-Za-z0-9])",
    flags: "i",
    keywords: ["twilio"],
    severity: "medium",
    minEntropy: 3,
    samples: [`twilio.api.key=SK${synth("hexLower", 32, 38)}`],
    negatives: [`twilio.api.key=SK${synth("hexLower", 30, 39)}`],
  },
  {
    id: "twilio-auth-token-call",
    provider: "Twilio",
    description: "auth token passed with the account SID",
    regex: "(?:Client|twilio|Twilio)\\s*\\(\\s*[\"']AC[0-9a-f]{32}[\"']\\s*,\\s*[\"'](?<secret>[0-9a-f]{32})[\"']",
    keywords: ["client(", "twilio("],
    severity: "high",
    minEntropy: 3,
    samples: [`client = Client("AC${synth("hexLower", 32, 40)}", "${synth("hexLower", 32, 41)}")`],
    negatives: [`client = Client("AC${synth("hexLower", 32, 42)}", auth_token)`],
  },
  {
    id: "discord-bot-token-in-call",
    provider: "Discord",
    description: "bot token passed to the client (client.login / bot.run)",
    regex: "\\.(?:login|run|start)\\(\\s*[\"'](?<secret>[MNO][A-Za-z0-9_\\-]{23,27}\\.[A-Za-z0-9_\\-]{6}\\.[A-Za-z0-9_\\-]{27,40})[\"']",
    keywords: [".login(", ".run(", ".start("],
    severity: "high",
    minEntropy: 4,
    // the first part is the bot's user id (a snowflake) in base64
    validate: (s) => /^\d{17,20}$/.test(Buffer.from(s.split(".")[0]!, "base64url").toString("latin1")),
    samples: [`client.login("${Buffer.from("8" + synth("digits", 17, 85)).toString("base64url")}.G${synth("base64url", 5, 86)}.${synth("base64url", 38, 87)}");`],
    negatives: [`client.login("M${synth("base64url", 25, 88)}.${synth("base64url", 6, 89)}.${synth("base64url", 38, 90)}");`, "client.login(process.env.DISCORD_TOKEN);"],
  },
  {
    id: "azure-function-key-url",
    provider: "Azure Functions",
    description: "function key in an HTTP trigger URL (?code=)",
    regex: "https://[A-Za-z0-9.\\-]{1,100}\\.azurewebsites\\.net/api/[^\\s\"'<>?]{0,200}\\?(?:[^\\s\"'<>]{0,300}&)?code=(?<secret>[A-Za-z0-9_\\-%]{40,100}(?:={1,2}|%3D){0,2})",
    keywords: ["azurewebsites.net/api/"],
    severity: "high",
    minEntropy: 4,
    samples: [`FUNC_URL=https://acme-fn.azurewebsites.net/api/HttpTrigger1?code=${synth("base64url", 54, 91)}==`],
    negatives: ["https://acme-fn.azurewebsites.net/api/HttpTrigger1?code=${FUNCTION_KEY}"],
  },
  {
    id: "chat-webhook-url",
    provider: "Mattermost / Rocket.Chat",
    description: "incoming webhook URL",
    regex: "https?://[A-Za-z0-9.\\-]{3,253}(?::\\d{2,5})?/hooks/(?<secret>(?=[a-z]{0,25}[0-9])[a-z0-9]{26}(?:/[A-Za-z0-9]{24,64})?)(?![A-Za-z0-9])",
    keywords: ["/hooks/"],
    severity: "medium",
    minEntropy: 3.5,
    samples: [`MATTERMOST_WEBHOOK_URL=https://chat.acme-corp.io/hooks/${synth("lowerAlnum", 26, 43)}`],
    negatives: ["https://chat.acme-corp.io/hooks/abcdefghijklmnopqrstuvwxyz", "import x from 'https://cdn.acme.io/hooks/useAuth.js'"],
  },
  {
    id: "power-automate-webhook",
    provider: "Microsoft Teams / Power Automate",
    description: "workflow webhook URL with its signature",
    regex: "https://[A-Za-z0-9.\\-]{1,100}\\.(?:logic\\.azure\\.com|api\\.powerplatform\\.com)(?::443)?/[^\\s\"'<>]{0,300}?[?&]sig=(?<secret>[A-Za-z0-9_%\\-]{40,100})",
    keywords: ["logic.azure.com", "api.powerplatform.com"],
    severity: "high",
    minEntropy: 4,
    samples: [`https://prod-12.westus.logic.azure.com:443/workflows/${synth("hexLower", 32, 44)}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${synth("base64url", 43, 45)}`],
    negatives: ["https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=${SIG}"],
  },
];

