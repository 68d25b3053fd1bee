// Known non-secrets: placeholders, lookups of the environment or a secret manager, hashes,
// identifiers and encoded data that look random but are not credentials.

const PLACEHOLDER_WORDS = [
  "changeme", "change_me", "change-me", "changeit", "replaceme", "replace_me", "replace-me", "placeholder",
  "example", "sample", "dummy", "fake", "mock", "redacted", "notreal", "not-a-real", "not_a_real", "todo", "fixme",
  "your_", "your-", "yourapi", "yourkey", "yoursecret", "yourtoken", "yourpassword", "my_api_key", "my-api-key",
  "insert", "enter_", "enter-", "put_your", "put-your", "xxxx", "****", "....", "…", "<", ">", "secret_here", "key_here",
  "token_here", "here>", "goes_here", "goes-here", "null", "undefined", "none", "nil", "test_key", "testkey", "test-key",
  "api_key_here", "sk_test_xxx", "lorem", "ipsum", "foobar", "abcdef1234", "1234567890", "0123456789", "abcdefghij",
  "qwerty", "asdf",
];

/** Whole values that are placeholders or defaults, compared lower-case. */
const PLACEHOLDER_VALUES = new Set([
  "", "password", "passwd", "pass", "pwd", "secret", "secrets", "token", "apikey", "api_key", "api-key", "key",
  "test", "testing", "tests", "demo", "dev", "development", "local", "admin", "root", "user", "username", "guest",
  "default", "string", "str", "value", "true", "false", "yes", "no", "on", "off", "null", "none", "nil", "undefined",
  "empty", "required", "optional", "hidden", "redacted", "masked", "private", "public", "secret_key", "access_token",
  "auth_token", "client_secret", "bearer", "basic", "token_type", "postgres", "mysql", "mongo", "redis", "rabbitmq",
  "sa", "user1", "pass1", "password1", "password123", "123456", "12345678", "letmein", "qwerty", "s3cr3t", "p@ssw0rd",
  "hunter", "foo", "bar", "baz", "abc", "abc123", "example", "sample", "dummy", "fake", "mock", "n/a", "na", "tbd",
  "xxx", "***", "...", "-", "_", "?", "env", "secret123", "mysecret", "mypassword", "yourpassword", "supersecret",
]);

/** A run of `n` characters in alphabet order (abcde, 12345, VWXYZ): typed by a human, not generated. */
export function hasSequentialRun(value: string, n = 5): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    const a = value.charCodeAt(i - 1) | 32;
    const b = value.charCodeAt(i) | 32;
    const alnum = (b >= 48 && b <= 57) || (b >= 97 && b <= 122);
    if (alnum && b === a + 1) {
      if (++run >= n) return true;
    } else run = 1;
  }
  return false;
}

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower)) return true;
  if (v.length < 3) return true;
  // template / interpolation syntaxes: ${VAR} $VAR {{ x }} %(x)s %s <TOKEN> {token} #{x} @VAR@ __VAR__
  if (/\$\{|\$\(|\{\{|\}\}|%\(\w*\)[sd]|%[sdv]\b|#\{|^<[^>]*>$|^\{[\w.\- ]*\}$|^@\w+@$|^__\w+__$|^\$[A-Za-z_]\w*$|^\$\d$|^:[a-z_]+$/.test(v)) return true;
  // one character repeated (xxxx, ****, 0000, ....)
  if (/^(.)\1+$/.test(v)) return true;
  if (/(.)\1{5,}/.test(v) && /([xX*.#•_\-0])\1{5,}/.test(v)) return true;
  for (const w of PLACEHOLDER_WORDS) {
    const at = lower.indexOf(w);
    if (at < 0) continue;
    // short words count only as words ("fake-token", not "...CasDf..." inside random text)
    if (w.length > 5 || !/^[a-z]+$/.test(w)) return true;
    for (let i = at; i >= 0; i = lower.indexOf(w, i + 1)) {
      const b = lower.charCodeAt(i - 1);
      const a = lower.charCodeAt(i + w.length);
      const letter = (c: number): boolean => c >= 97 && c <= 122;
      if (!letter(b) && !letter(a)) return true;
    }
  }
  if (hasSequentialRun(v)) return true;
  return false;
}

/** A value that reads a secret from somewhere instead of containing it. */
export function isReference(value: string): boolean {
  if (/^![A-Za-z][\w:]*$/.test(value)) return true; // a YAML tag on its own: !Sub, !Ref, !vault
  return /\b(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|ENV\.fetch|env\(|config\(|config\.get|settings\.|secrets\.|vault|secretsmanager|secretmanager|ssm:|keyvault|key_vault|aws_secretsmanager|parameter_store|valueFrom|secretKeyRef|(?<!\w)!(?:Ref|Sub|GetAtt|ImportValue)\b|resolve:|op:\/\/|doppler|getSecret|get_secret|readFileSync|open\()/i.test(
    value,
  );
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Random-looking values that are not credentials: UUIDs, integrity hashes, data URIs, URLs, paths, versions. */
export function isKnownNonSecret(value: string): boolean {
  const v = value.trim();
  if (UUID.test(v)) return true;
  if (/^pk_(?:test|live)_[A-Za-z0-9]{20,}$/.test(v) || /^pk\.eyJ[A-Za-z0-9_.-]+$/.test(v)) return true; // publishable keys (browser-side by design)
  if (/^\{[A-Za-z0-9+/]{16,}={0,2}\}$/.test(v)) return true; // Maven-encrypted password
  if (/^(?:sha1|sha256|sha384|sha512|md5)[-:]/i.test(v)) return true; // SRI / lockfile integrity, docker digests
  // password hashes (bcrypt, argon2, scrypt, crypt(3), Django, LDAP) and encrypted values: not plaintext
  if (/^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2[-\w]*|[156]|y|gy|7)\$/.test(v)) return true;
  if (/^(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2|sha1|md5)\$/.test(v) || /^\{(?:SSHA|SHA|SSHA512|BCRYPT|CRYPT|PBKDF2[-\w]*)\}/i.test(v)) return true;
  if (/^(?:ENC\(|ENC\[|\$ANSIBLE_VAULT|vault:v\d+:|AQICA)/.test(v)) return true;
  if (/^data:[\w.+\-]+\/[\w.+\-]+(?:;[\w=\-]+)*(?:;base64)?,/i.test(v)) return true;
  if (/^[a-z][a-z0-9+.\-]*:\/\//i.test(v) && !/:\/\/[^/\s:@]*:[^/\s@]+@/.test(v)) return true; // URL without credentials
  if (/^(?:\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return true; // relative, home or Windows path
  if (/^\/[a-z0-9_.@\-]+(?:\/[a-z0-9_.@\-]*)*$/.test(v) || /^\/\S*\.[a-z]{2,5}$/.test(v)) return true; // absolute unix path (base64 has capitals)
  if (/^[\w\-./]+\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|js|ts|py|rb|go|java|html|css|png|jpe?g|gif|svg|ini|conf|cfg|toml|xml|properties|sh|md)$/i.test(v)) return true;
  if (/^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(v)) return true; // version
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return true; // date
  if (/^#?[0-9a-fA-F]{3,8}$/.test(v) && v.length <= 9) return true; // colours, short hex
  if (/^[0-9]+$/.test(v) && v.length < 20) return true; // plain numbers
  if (/^ey[A-Za-z0-9_-]*$/.test(v) && v.length < 20) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return true; // a CONSTANT_NAME (an env var name, an enum)
  // a slug of words: base64-encoded-public-key, my.app.token.name
  const segs = v.split(/[-_.]/);
  if (segs.length >= 3 && segs.every((g) => /^(?:[a-z]+|[A-Z][a-z]+)\d{0,3}$/.test(g) || /^\d{1,4}$/.test(g))) {
    const letters = segs.filter((g) => /[A-Za-z]/.test(g));
    if (letters.length >= 2 && letters.reduce((n, g) => n + g.length, 0) / letters.length >= 3) return true;
  }
  return false;
}

/** Git object ids in contexts that name them as such (commit, sha, rev, ref). */
export function isGitShaContext(name: string, value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value) && /(?:commit|sha|rev|ref|hash|digest|checksum|head|base|tree|parent)/i.test(name);
}

/** A vendor's documented example key (e.g. AWS's keys ending in EXAMPLE): worth a low note, not an alarm. */
export function isVendorExample(value: string): boolean {
  return /example/i.test(value);
}

/**
 * Sample credentials printed in vendors' own documentation (Slack's token-types page, GitHub's
 * credential docs, Google Maps' API key guide, Stripe's API reference): worth a low note, not an
 * alarm. Compared whole.
 */
const DOCUMENTED_EXAMPLES = new Set([
  ["xoxb-17653672481-19874698323-", "pdFZKVeTuE8sk7oOcBrzbqgy"].join(""),
  ["ghp_16C7e42F292c6912E7", "710c838347Ae178B4a"].join(""),
  ["AIzaSyDaGmWKa4JsXZ-", "HjGw7ISLn_3namBGewQe"].join(""),
  ["sk_test_4eC39HqLyj", "WDarjtT1zdp7dc"].join(""),
  ["sk_test_BQokikJOvBiI2H", "lWgH4olfQ2"].join(""),
]);

export function isDocumentedExample(value: string): boolean {
  return DOCUMENTED_EXAMPLES.has(value);
}
