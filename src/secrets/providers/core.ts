// Core credential formats: AWS keys, JWTs, private key blocks, URLs with embedded passwords.
// The scanner adds logic for some of them (AWS key pairing by proximity, multi-line private
// key blocks, placeholder passwords in URLs); see src/secrets/scanner.ts.
import type { ProviderPattern } from "../types.js";
import { isPlaceholder } from "../nonsecrets.js";
import { synth, tok } from "../samples.js";

const b64url = (s: string): string => Buffer.from(s, "utf8").toString("base64url");

/** Build a JWT-shaped sample at runtime: header and payload are JSON, the signature is synthetic. */
function sampleJwt(header: object, payload: object, seed = 1): string {
  return [b64url(JSON.stringify(header)), b64url(JSON.stringify(payload)), synth("base64url", 43, seed)].join(".");
}

function decodeJsonPart(part: string): unknown {
  try {
    const json = Buffer.from(part, "base64url").toString("utf8");
    if (!json.startsWith("{")) return undefined;
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** A JWT: header decodes to a JSON object with "alg", payload to a JSON object. */
export function isJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const header = decodeJsonPart(parts[0]!);
  if (!header || typeof header !== "object" || typeof (header as Record<string, unknown>).alg !== "string") return false;
  const payload = decodeJsonPart(parts[1]!);
  return !!payload && typeof payload === "object";
}

/** jwt.io's documented sample payload (sub 1234567890, "John Doe"): an example, not a credential. */
export function isExampleJwt(token: string): boolean {
  const payload = decodeJsonPart(token.split(".")[1] ?? "");
  const text = payload ? JSON.stringify(payload) : "";
  return /John Doe|"1234567890"|example/i.test(text);
}

/** Base64 of `user:password` with printable text and a password that is not a placeholder. */
export function isBasicCredentials(b64: string): boolean {
  let text: string;
  try {
    text = Buffer.from(b64, "base64").toString("utf8");
  } catch {
    return false;
  }
  const m = /^([\x20-\x7e]{1,128}):([\x21-\x7e]{4,256})$/.exec(text);
  if (!m) return false;
  const [, user, password] = m as unknown as [string, string, string];
  if (password.toLowerCase() === user.toLowerCase()) return false;
  return !isPlaceholder(password) && !/[$%{}<>]/.test(password);
}

/** Build a PEM-like private key block at runtime (synthetic base64 body, 64-char lines). */
export function samplePrivateKey(label: string, lines = 6, seed = 1): string {
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(synth("base64", 64, seed + i));
  const dashes = "-----";
  return [tok(dashes, "BEGIN ", label, dashes), ...body, tok(dashes, "END ", label, dashes)].join("\n");
}

const AKIA = (seed: number): string => tok("AK", "IA", synth("base32", 16, seed));
const AWS_SECRET = (seed: number): string => synth("base64", 40, seed);
const DASHES = "-----";

export const corePatterns: ProviderPattern[] = [
  {
    id: "aws-access-key-id",
    provider: "AWS",
    description: "access key ID",
    regex: "(?<![A-Z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])",
    keywords: ["akia", "asia", "abia", "acca", "a3t"],
    severity: "high",
    validate: (s) => !/^(?:AKIA|ASIA|ABIA|ACCA)(?:X{8,}|0{8,}|A{16})/.test(s),
    revokeUrl: "https://console.aws.amazon.com/iam/home#/security_credentials",
    samples: [AKIA(1), `aws_access_key_id = ${AKIA(2)}`, tok("AS", "IA", synth("upperAlnum", 16, 3))],
    negatives: [
      tok("AK", "IA", synth("base32", 15, 4)),
      tok("AK", "IA", "XXXXXXXXXXXXXXXX"),
      tok("ak", "ia", synth("base32", 16, 5).toLowerCase()),
      tok("X", "AK", "IA", synth("base32", 16, 6)),
    ],
  },
  {
    id: "aws-secret-access-key",
    provider: "AWS",
    description: "secret access key",
    regex:
      "(?:(?:aws|amazon)[\\w.\\-]{0,20}?secret|secret[_.\\- ]?access)[\\w.\\-]{0,20}?[\"']?\\s{0,5}(?::=|=>|[:=])\\s{0,5}[\"']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
    flags: "i",
    keywords: ["secret"],
    severity: "critical",
    minEntropy: 3.8,
    validate: (s) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9/+]/.test(s),
    revokeUrl: "https://console.aws.amazon.com/iam/home#/security_credentials",
    samples: [
      `aws_secret_access_key = ${AWS_SECRET(1)}`,
      `AWS_SECRET_ACCESS_KEY="${AWS_SECRET(2)}"`,
      `SecretAccessKey: ${AWS_SECRET(3)}`,
      `{"awsSecret": "${AWS_SECRET(4)}"}`,
    ],
    negatives: [
      `aws_secret_access_key = ${"a".repeat(40)}`,
      `aws_secret_access_key = ${AWS_SECRET(5).slice(0, 39)}`,
      `aws_secret_access_key = ${synth("hexLower", 40, 6)}`,
      `aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]`,
    ],
  },
  {
    id: "private-key",
    provider: "Private key",
    description: "private key block (PEM / OpenSSH / PGP / PKCS#8)",
    // PEM / OpenSSH / PGP use five dashes; the SSH.com (SSH2) format uses "---- BEGIN ... ----"
    regex: "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|---- BEGIN SSH2 (?:ENCRYPTED )?PRIVATE KEY ----",
    keywords: ["private key"],
    severity: "critical",
    samples: [
      samplePrivateKey("RSA PRIVATE KEY", 8, 1),
      samplePrivateKey("PRIVATE KEY", 6, 2),
      samplePrivateKey("OPENSSH PRIVATE KEY", 5, 3),
      samplePrivateKey("EC PRIVATE KEY", 3, 4),
      samplePrivateKey("DSA PRIVATE KEY", 6, 5),
      samplePrivateKey("PGP PRIVATE KEY BLOCK", 8, 6),
      `{"private_key": "${samplePrivateKey("PRIVATE KEY", 6, 7).replace(/\n/g, "\\n")}\\n"}`,
    ],
    negatives: [
      tok(DASHES, "BEGIN RSA PRIVATE KEY", DASHES, "\n...\n", DASHES, "END RSA PRIVATE KEY", DASHES),
      tok(DASHES, "BEGIN PRIVATE KEY", DASHES, "\n<your private key here>\n", DASHES, "END PRIVATE KEY", DASHES),
      samplePrivateKey("PUBLIC KEY", 6, 8),
      samplePrivateKey("CERTIFICATE", 6, 9),
      'if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----")) return "pkcs1";',
    ],
  },
  {
    id: "jwt",
    provider: "JSON Web Token",
    description: "JSON Web Token",
    regex: "(?<![A-Za-z0-9_.\\-])(?<secret>eyJ[A-Za-z0-9_\\-]{8,2048}\\.ey[A-Za-z0-9_\\-]{4,8192}\\.[A-Za-z0-9_\\-]{16,1024})(?!\\.?[A-Za-z0-9_\\-])",
    keywords: ["eyj"],
    severity: "medium",
    validate: isJwt,
    samples: [
      sampleJwt({ alg: "HS256", typ: "JWT" }, { sub: "svc-worker-17", iat: 1716239022, role: "service_role" }, 1),
      `Authorization: Bearer ${sampleJwt({ alg: "RS256", kid: "k1" }, { iss: "auth", aud: "api", exp: 1916239022 }, 2)}`,
    ],
    negatives: [
      // header without "alg"
      [b64url(JSON.stringify({ typ: "JWT", x: "abcdefgh" })), b64url(JSON.stringify({ sub: "abc" })), synth("base64url", 43, 3)].join("."),
      // three base64url parts that are not JSON
      tok("eyJ", synth("base64url", 30, 4), ".", "ey", synth("base64url", 30, 5), ".", synth("base64url", 40, 6)),
      "eyJhbGciOi.short",
    ],
  },
  {
    id: "database-url",
    provider: "Database / broker",
    description: "connection URL with an embedded password",
    regex:
      "(?<![A-Za-z0-9+.\\-])(?:jdbc:)?(?:postgres(?:ql)?|mysqlx?|mariadb|mongodb(?:\\+srv)?|rediss?|valkey|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb|couchdb|couchbases?|neo4j(?:\\+s|\\+ssc)?|nats|mqtts?|kafka|cassandra|memcached?|influxdb|elasticsearch|rabbitmq|db2|snowflake)(?:\\+[a-z0-9]+)?://(?<user>[^\\s:@/'\"`<>]{0,128}):(?<secret>[^\\s@/'\"`<>]{1,256})@(?<host>[A-Za-z0-9._\\-\\[\\]%]{1,253})",
    flags: "i",
    keywords: [
      "postgres", "mysql", "mariadb", "mongodb", "redis", "valkey", "amqp", "mssql", "sqlserver", "oracle", "clickhouse",
      "cockroachdb", "couchdb", "couchbase", "neo4j", "nats", "mqtt", "kafka", "cassandra", "memcache", "influxdb",
      "elasticsearch", "rabbitmq", "db2", "snowflake",
    ],
    severity: "high",
    samples: [
      `DATABASE_URL=postgres://app:${synth("alnum", 20, 1)}@db.internal.acme-corp.net:5432/app`,
      `mongodb+srv://svc:${synth("alnum", 24, 2)}@cluster0.ab1cd.mongodb.net/prod`,
      `redis://:${synth("alnum", 32, 3)}@cache.internal:6379/0`,
      `amqps://worker:${synth("alnum", 16, 4)}@mq.internal/vhost`,
      `mysql://root:${tok("Tr0ub", "4dor-3")}@10.0.3.7/shop`,
      `jdbc:sqlserver://sa:${synth("alnum", 18, 5)}@sql.internal:1433`,
      `"postgresql+psycopg2://etl:${synth("alnum", 22, 6)}@warehouse.internal/dw"`,
    ],
    negatives: [
      "postgres://app:${DB_PASSWORD}@db:5432/app",
      "postgres://user:password@localhost:5432/db",
      "mongodb://localhost:27017/app",
      "redis://cache:6379",
      "mysql://root:<password>@localhost/shop",
      "amqp://guest:guest@localhost:5672",
      "postgres://$PGUSER:$PGPASSWORD@db/app",
    ],
  },
  {
    id: "url-basic-auth",
    provider: "URL credentials",
    description: "password embedded in a URL (basic auth)",
    regex:
      "(?<![A-Za-z0-9+.\\-])(?:https?|ftps?|sftp|ssh|git|svn|ldaps?|smtps?|imaps?|pop3s?|wss?|socks[45]h?|rtsps?|rtmps?|smb|cifs|webdavs?|davs?|ircs?|nntp|xmpp|sips?|s3|hg|svn\\+ssh|git\\+(?:https?|ssh))://(?<user>[^\\s:@/'\"`<>]{1,128}):(?<secret>[^\\s@/'\"`<>]{1,256})@(?<host>[A-Za-z0-9._\\-]{1,253})",
    flags: "i",
    keywords: ["://"],
    severity: "high",
    samples: [
      `https://deploy:${synth("alnum", 20, 1)}@artifacts.acme-corp.io/repo`,
      `ftp://backup:${synth("alnum", 14, 2)}@files.corp.acme.net/`,
      `git clone https://ci-bot:${synth("alnum", 24, 3)}@git.acme-corp.dev/team/app.git`,
    ],
    negatives: [
      "https://user:password@example.com/",
      "https://${USER}:${PASS}@registry.example.com",
      "https://x-access-token:${{ secrets.GITHUB_TOKEN }}@github.com/o/r.git",
      "https://example.com/path?a=b",
      "git@github.com:owner/repo.git",
      "https://user@example.com/",
      "http://localhost:8080/@scope/pkg",
    ],
  },
  {
    id: "http-basic-auth-header",
    provider: "HTTP",
    description: "basic-auth credentials in an Authorization header",
    regex: "\\bbasic[ \\t]{1,5}(?<secret>[A-Za-z0-9+/]{8,512}={0,2})(?![A-Za-z0-9+/=])",
    flags: "i",
    keywords: ["basic"],
    severity: "high",
    validate: isBasicCredentials,
    samples: [
      `curl -H "Authorization: Basic ${Buffer.from(`deploy:${synth("alnum", 20, 1)}`).toString("base64")}" https://api.acme-corp.io`,
      `headers: { Authorization: 'Basic ${Buffer.from(`svc-user:${synth("alnum", 16, 2)}`).toString("base64")}' }`,
    ],
    negatives: [
      `Authorization: Basic ${Buffer.from("user:password").toString("base64")}`,
      `Authorization: Basic ${Buffer.from("username:${PASSWORD}").toString("base64")}`,
      "Use basic authentication for the admin endpoints",
      `Authorization: Basic ${synth("base64", 40, 3)}`,
    ],
  },
  {
    id: "http-bearer-token",
    provider: "HTTP",
    description: "bearer token in an Authorization header",
    regex: "\\bbearer[ \\t]{1,5}(?<secret>[A-Za-z0-9._~+/\\-]{20,2048}=*)(?![A-Za-z0-9._~+/=\\-])",
    flags: "i",
    keywords: ["bearer"],
    severity: "medium",
    minEntropy: 3.5,
    samples: [
      `curl -H "Authorization: Bearer ${synth("alnum", 40, 1)}" https://api.example.com/v1/items`,
      `headers = {"Authorization": "Bearer ${synth("base64url", 32, 2)}"}`,
    ],
    negatives: [
      'headers = {"Authorization": "Bearer " + token}',
      "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE",
      "Authorization: Bearer <token>",
      "Authorization: Bearer ${TOKEN}",
      "Use a bearer token in the Authorization header for authentication requests",
    ],
  },
];
