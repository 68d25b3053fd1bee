// The security checklist: every finding maps to exactly one item, and the check run
// reports every item's state. Order matters: it is the order the check summary shows.

export interface ChecklistItem {
  id: ChecklistId;
  title: string;
  /** What the item covers, shown to humans in the check summary. */
  description: string;
  /** True when no static rule can decide the item on its own: the check run marks it "needs a human". */
  needsHuman?: boolean;
}

export const CHECKLIST_IDS = [
  "secrets",
  "input-validation",
  "sql-injection",
  "command-injection",
  "code-injection",
  "authz",
  "session",
  "tls",
  "csrf",
  "rate-limit",
  "weak-crypto",
  "deserialization",
  "path-traversal",
  "xss",
  "security-config",
  "data-exposure",
  "dependencies",
  "ssrf",
  "open-redirect",
] as const;

export type ChecklistId = (typeof CHECKLIST_IDS)[number];

export const CHECKLIST: readonly ChecklistItem[] = [
  { id: "secrets", title: "No hardcoded secrets", description: "API keys, tokens, passwords and private keys are loaded from the environment or a secret manager, never committed." },
  { id: "input-validation", title: "Input validation", description: "Untrusted input is validated (type, length, format) before use.", needsHuman: true },
  { id: "sql-injection", title: "SQL and NoSQL injection", description: "Queries use parameters or a query builder, never strings built from input." },
  { id: "command-injection", title: "Command injection", description: "Shell commands are not built from input; processes are spawned with argument arrays and no shell." },
  { id: "code-injection", title: "Code injection", description: "No eval, dynamic code or template rendering of untrusted input." },
  { id: "authz", title: "Authentication and authorization", description: "Every route that reads or changes data checks who the caller is and what they may do.", needsHuman: true },
  { id: "session", title: "Sessions, cookies and JWT", description: "Cookies are Secure/HttpOnly/SameSite, session secrets are strong, JWTs are verified with a fixed algorithm." },
  { id: "tls", title: "TLS", description: "HTTPS is enforced and certificate verification stays on." },
  { id: "csrf", title: "CSRF", description: "State-changing routes that use cookie auth are protected against cross-site request forgery." },
  { id: "rate-limit", title: "Rate limiting", description: "Login, 2FA, password-reset and other abusable routes are rate limited per account, not only per IP.", needsHuman: true },
  { id: "weak-crypto", title: "Cryptography", description: "Passwords are hashed with a slow KDF, no weak algorithms, and secrets come from a cryptographic random source." },
  { id: "deserialization", title: "Unsafe deserialization", description: "No pickle, unsafe YAML loaders or XML parsers with external entities on untrusted data." },
  { id: "path-traversal", title: "Path traversal", description: "File paths built from input are normalised and confined to an allowed directory." },
  { id: "xss", title: "Cross-site scripting", description: "Untrusted data is escaped or sanitised before it reaches HTML." },
  { id: "security-config", title: "Security configuration", description: "Security headers, strict CORS, no debug mode in production, no listening on all interfaces by accident." },
  { id: "data-exposure", title: "Data exposure", description: "Responses do not return whole records or stack traces; logs carry no secrets." },
  { id: "dependencies", title: "Dependencies", description: "New dependencies exist on their registry, are not typosquats, are pinned, are free of known vulnerabilities and add no install scripts that fetch remote code." },
  { id: "ssrf", title: "Server-side request forgery", description: "Outgoing requests do not go to URLs taken from input without an allow-list." },
  { id: "open-redirect", title: "Open redirect", description: "Redirect targets taken from input are checked against an allow-list." },
];

const byId = new Map(CHECKLIST.map((item) => [item.id, item]));

export function checklistItem(id: ChecklistId): ChecklistItem {
  const item = byId.get(id);
  if (!item) throw new Error(`unknown checklist item: ${id}`);
  return item;
}

export function isChecklistId(value: string): value is ChecklistId {
  return byId.has(value as ChecklistId);
}
