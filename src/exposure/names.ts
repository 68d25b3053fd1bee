// What a secret looks like by name and by value, for the public-prefix checks.

/** Prefixes that build tools inline into client bundles. */
export const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|VITE_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_|PUBLIC_)/;

const SECRET_NAME =
  /(SECRET|SERVICE_ROLE|SERVICE_KEY|PRIVATE_KEY|PRIVATE|PASSWORD|PASSWD|PWD|DATABASE_URL|DB_URL|POSTGRES|MONGO|REDIS_URL|ADMIN|CREDENTIAL|ACCESS_TOKEN|AUTH_TOKEN|REFRESH_TOKEN|WEBHOOK|OPENAI|ANTHROPIC|SENDGRID|RESEND_API|TWILIO_AUTH|AWS_SECRET|GITHUB_TOKEN|SLACK_TOKEN|JWT|SIGNING|ENCRYPTION_KEY|MASTER_KEY|SK_LIVE|SK_TEST)/;
/** Names that are public by design (publishable/anon keys, site keys, DSNs). */
const PUBLIC_NAME = /(PUBLISHABLE|ANON_KEY|ANON|PUBLIC_KEY|SITE_KEY|SITEKEY|DSN|MEASUREMENT_ID|APP_ID|PROJECT_ID|SENDER_ID|AUTH_DOMAIN|STORAGE_BUCKET|_URL$(?<!DATABASE_URL|DB_URL|REDIS_URL|POSTGRES_URL|MONGO_URL))/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.replace(PUBLIC_PREFIX, ""));
}

export function isPublicName(name: string): boolean {
  const rest = name.replace(PUBLIC_PREFIX, "");
  return PUBLIC_NAME.test(rest) && !/(SECRET|SERVICE_ROLE|PRIVATE_KEY|PASSWORD)/.test(rest);
}

function jwtRole(value: string): string | undefined {
  const parts = value.split(".");
  if (parts.length !== 3 || !value.startsWith("eyJ")) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { role?: unknown };
    return typeof payload.role === "string" ? payload.role : undefined;
  } catch {
    return undefined;
  }
}

/** A value shaped like a server secret (not a publishable/anon key). */
export function looksSecret(value: string): boolean {
  if (/^(sk|rk)_(live|test)_[0-9A-Za-z]{10,}$/.test(value)) return true;
  if (/^sk-(proj-|ant-)?[A-Za-z0-9_-]{20,}$/.test(value)) return true;
  if (/^(postgres(ql)?|mysql|mongodb(\+srv)?|redis|rediss|mssql):\/\/[^:/@\s]+:[^@\s]+@/.test(value)) return true;
  if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return true;
  if (/^(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}$/.test(value) || /^xox[abpr]-[A-Za-z0-9-]{10,}$/.test(value)) return true;
  if (/^(whsec|sb_secret)_[A-Za-z0-9]{16,}$/.test(value)) return true;
  return jwtRole(value) === "service_role";
}
