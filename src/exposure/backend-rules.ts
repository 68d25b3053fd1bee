// Backend access rules added wide open: Firebase/Firestore/Storage security rules that allow
// everyone, Supabase tables created without row-level security, and policies `using (true)`.
import type { ExposureHit } from "./index.js";

const FIREBASE_RULES = /(^|\/)(firestore|storage|database)?[\w.-]*\.rules$|(^|\/)database\.rules\.json$/;

function lineOf(content: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content.charCodeAt(i) === 10) n++;
  return n;
}

function hit(id: string, line: number, title: string, message: string, fix: string, snippet: string, severity: ExposureHit["severity"] = "critical"): ExposureHit {
  return { id, category: "authz", severity, line, title, message, fix, cwe: "CWE-284", snippet: snippet.trim().slice(0, 200) };
}

export function permissiveRules(path: string, content: string, lines: string[]): ExposureHit[] {
  const out: ExposureHit[] = [];
  if (FIREBASE_RULES.test(path)) {
    lines.forEach((text, i) => {
      const open =
        /\ballow\s+[\w\s,]+:\s*if\s+true\s*;/.test(text) ||
        /\ballow\s+[\w\s,]+;/.test(text.replace(/:\s*if\b.*$/, "")) && !/:/.test(text) ||
        /"\.(read|write)"\s*:\s*(true|"true")/.test(text);
      if (open) {
        out.push(
          hit(
            "exposure-firebase-rules-open",
            i + 1,
            "Firebase security rule open to everyone",
            "This rule lets anyone read or write the data with no condition: the database is exposed to the browser of every visitor, not only your app's users.",
            "Require a signed-in user and check ownership, e.g. `allow read, write: if request.auth != null && request.auth.uid == userId;`.",
            text,
          ),
        );
      }
    });
    return out;
  }
  if (!/\.sql$/i.test(path) || !(/(^|\/)supabase\//.test(path) || /\bauth\.(uid|users|jwt|role)\b/i.test(content))) return out;
  const lower = content.toLowerCase();
  const tableRe = /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?((?:"?[\w]+"?\.)?"?[\w]+"?)/gi;
  for (let m = tableRe.exec(content); m; m = tableRe.exec(content)) {
    const full = m[1]!.replace(/"/g, "").toLowerCase();
    const [schema, table] = full.includes(".") ? full.split(".") : ["public", full];
    if (schema !== "public") continue; // only the public schema is served by the Data API
    const rls = new RegExp(`alter\\s+table\\s+(?:if\\s+exists\\s+)?(?:only\\s+)?(?:"?public"?\\.)?"?${table}"?\\s+enable\\s+row\\s+level\\s+security`);
    if (rls.test(lower)) continue;
    const line = lineOf(content, m.index);
    out.push(
      hit(
        "exposure-supabase-rls-missing",
        line,
        "Supabase table created without row-level security",
        `Table \`${table}\` is created in the public schema without \`enable row level security\` in the same migration: anyone holding the public anon key can read and change every row, so the table is exposed to the browser.`,
        `Add \`alter table ${table} enable row level security;\` and policies that scope rows to \`auth.uid()\`.`,
        lines[line - 1] ?? "",
      ),
    );
  }
  const policyRe = /\bcreate\s+policy\b[\s\S]*?;/gi;
  for (let m = policyRe.exec(content); m; m = policyRe.exec(content)) {
    const body = m[0];
    const open = /\b(using|with\s+check)\s*\(\s*true\s*\)/i.exec(body);
    if (!open) continue;
    const line = lineOf(content, m.index + open.index);
    const selectOnly = /\bfor\s+select\b/i.test(body);
    out.push(
      hit(
        "exposure-supabase-policy-true",
        line,
        "Supabase policy that allows every row",
        `This policy's condition is \`true\`, so ${selectOnly ? "every row is readable" : "every row can be changed"} by anyone with the public anon key: the table is exposed to the browser.`,
        "Scope the policy to the caller, e.g. `using (auth.uid() = user_id)`, and give it to the `authenticated` role only.",
        lines[line - 1] ?? "",
        selectOnly ? "medium" : "critical",
      ),
    );
  }
  return out;
}
