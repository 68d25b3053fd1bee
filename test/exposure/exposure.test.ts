// Server secrets shipped to the browser: flagged and clean cases for each kind of leak.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import type { Finding } from "../../src/findings.js";

// Built at run time so no whole credential sits in the source.
const STRIPE_SECRET = ["sk", "live", "51Nq8vTk2LmZpR4sWx7YbC9dEf3GhJ6kQa1Ps5Tu8Vw"].join("_");
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const SERVICE_ROLE_JWT = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iss: "supabase", ref: "abcdefghijklmnop", role: "service_role", iat: 1700000000, exp: 2000000000 })}.Qx7vN2kLmP9rS4tU6wY8zA1bC3dE5fG7hJ9kL0mN2pQ`;
const ANON_JWT = SERVICE_ROLE_JWT.replace(b64({ iss: "supabase", ref: "abcdefghijklmnop", role: "service_role", iat: 1700000000, exp: 2000000000 }), b64({ iss: "supabase", ref: "abcdefghijklmnop", role: "anon", iat: 1700000000, exp: 2000000000 }));

async function exposure(path: string, content: string): Promise<Finding[]> {
  const { findings } = await analyze([{ path, content, added: "all" }]);
  return findings.filter((f) => f.ruleId.startsWith("exposure-"));
}
const ids = (fs: Finding[]) => fs.map((f) => [f.ruleId, f.line]);

describe("server secrets exposed to the browser", () => {
  it(".env: secret values and secret names under public prefixes are flagged, redacted; anon/publishable keys are not", async () => {
    const env = [
      `NEXT_PUBLIC_STRIPE_SECRET_KEY=${STRIPE_SECRET}`,
      `VITE_SUPABASE_KEY=${SERVICE_ROLE_JWT}`,
      "REACT_APP_DATABASE_URL=postgres://app:hunter2pass@db.internal:5432/app",
      "EXPO_PUBLIC_OPENAI_API_KEY=",
      `NEXT_PUBLIC_SUPABASE_ANON_KEY=${ANON_JWT}`,
      "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_51HxQp2CjK8dLmN3oPqRsTu",
      "NEXT_PUBLIC_SUPABASE_URL=https://abcdefghijklmnop.supabase.co",
      `STRIPE_SECRET_KEY=${STRIPE_SECRET}`,
      "",
    ].join("\n");
    const found = await exposure(".env.local", env);
    expect(ids(found)).toEqual([
      ["exposure-public-env-secret", 1],
      ["exposure-public-env-secret", 2],
      ["exposure-public-env-secret", 3],
      ["exposure-public-env-secret", 4],
    ]);
    for (const f of found) expect(f.message).toContain("exposed to the browser");
    const text = JSON.stringify(found);
    expect(text).not.toContain(STRIPE_SECRET);
    expect(text).not.toContain(SERVICE_ROLE_JWT);
    expect(text).not.toContain("hunter2pass");
  });

  it("code: a secret-named public variable is flagged; public ones and server-only names are not", async () => {
    const code = [
      "const stripe = new Stripe(process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY);",
      "const ai = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_API_KEY });",
      "const url = process.env.NEXT_PUBLIC_SUPABASE_URL;",
      "const anon = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;",
      "",
    ].join("\n");
    expect(ids(await exposure("lib/clients.ts", code))).toEqual([
      ["exposure-public-env-secret", 1],
      ["exposure-public-env-secret", 2],
    ]);
    const svelte = "import { PUBLIC_SUPABASE_SERVICE_ROLE_KEY } from '$env/static/public';\n";
    expect(ids(await exposure("src/lib/db.ts", svelte))).toEqual([["exposure-public-env-secret", 1]]);
  });

  it("next.config env / vite define that inline a secret are flagged; public values are not", async () => {
    const next = ["module.exports = {", "  env: {", "    STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY,", "    APP_NAME: 'shop',", "  },", "  images: { domains: [process.env.CDN_HOST] },", "};", ""].join("\n");
    expect(ids(await exposure("next.config.js", next))).toEqual([["exposure-config-inlines-secret", 3]]);
    const vite = ["export default defineConfig({", "  define: {", "    'process.env.DATABASE_URL': JSON.stringify(process.env.DATABASE_URL),", "    __VERSION__: JSON.stringify('1.0'),", "  },", "  envPrefix: '',", "});", ""].join("\n");
    expect(ids(await exposure("vite.config.ts", vite))).toEqual([
      ["exposure-config-inlines-secret", 3],
      ["exposure-config-inlines-secret", 6],
    ]);
  });

  it("admin credentials in client code are flagged; the same code on the server is not", async () => {
    const admin = ["'use client';", "import { createClient } from '@supabase/supabase-js';", "const supabase = createClient(url, process.env.SUPABASE_SERVICE_ROLE_KEY!);", ""].join("\n");
    const found = await exposure("app/dashboard/page.tsx", admin);
    expect(ids(found)).toEqual([["exposure-client-admin-credential", 3]]);
    expect(found[0]!.message).toContain("exposed to the browser");
    // Server component (no "use client"), server action, API route: server code.
    expect(await exposure("app/dashboard/page.tsx", admin.replace("'use client';\n", ""))).toEqual([]);
    expect(await exposure("app/actions.ts", admin.replace("'use client'", "'use server'"))).toEqual([]);
    expect(await exposure("pages/api/admin.ts", admin.replace("'use client';\n", ""))).toEqual([]);
  });

  it("pages/, Vite src/ and React Native files are client code; getServerSideProps is not", async () => {
    const page = [
      "import admin from 'firebase-admin';",
      "export default function Page() { return null; }",
      "export async function getServerSideProps() {",
      "  const db = connect(process.env.DATABASE_URL);",
      "  return { props: {} };",
      "}",
      "",
    ].join("\n");
    expect(ids(await exposure("pages/index.tsx", page))).toEqual([["exposure-client-admin-credential", 1]]);
    const vite = "import serviceAccount from './serviceAccountKey.json';\nexport const App = () => null;\n";
    expect(ids(await exposure("src/App.tsx", vite))).toEqual([["exposure-client-admin-credential", 1]]);
    const native = "import { View } from 'react-native';\nconst key = process.env.STRIPE_SECRET_KEY;\n";
    expect(ids(await exposure("screens/Pay.tsx", native))).toEqual([["exposure-client-admin-credential", 2]]);
    const express = "import express from 'express';\nconst db = new Pool({ connectionString: process.env.DATABASE_URL });\n";
    expect(await exposure("src/server.ts", express)).toEqual([]);
  });

  it("Firestore / Realtime Database rules open to everyone are flagged; auth-scoped ones are not", async () => {
    const rules = [
      "rules_version = '2';",
      "service cloud.firestore {",
      "  match /databases/{database}/documents {",
      "    match /{document=**} {",
      "      allow read, write: if true;",
      "    }",
      "    match /users/{userId} {",
      "      allow read, write: if request.auth != null && request.auth.uid == userId;",
      "    }",
      "  }",
      "}",
      "",
    ].join("\n");
    const found = await exposure("firestore.rules", rules);
    expect(ids(found)).toEqual([["exposure-firebase-rules-open", 5]]);
    expect(found[0]!.category).toBe("authz");
    const rtdb = '{\n  "rules": {\n    ".read": true,\n    ".write": "auth != null"\n  }\n}\n';
    expect(ids(await exposure("database.rules.json", rtdb))).toEqual([["exposure-firebase-rules-open", 3]]);
  });

  it("Supabase migrations: a table without RLS and a using (true) policy are flagged; RLS in the same migration is not", async () => {
    const sql = [
      "create table public.profiles (id uuid primary key references auth.users, bio text);",
      "create table public.notes (id bigint primary key, owner uuid, body text);",
      "alter table public.notes enable row level security;",
      "create policy \"anyone can edit\" on public.notes for update using (true);",
      "create policy \"own notes\" on public.notes for select using (auth.uid() = owner);",
      "",
    ].join("\n");
    const found = await exposure("supabase/migrations/20240101000000_init.sql", sql);
    expect(ids(found)).toEqual([
      ["exposure-supabase-rls-missing", 1],
      ["exposure-supabase-policy-true", 4],
    ]);
    for (const f of found) expect(f.message).toContain("exposed to the browser");
    // A plain Postgres migration outside Supabase has no Data API: not flagged.
    expect(await exposure("db/migrations/001_init.sql", "create table users (id serial primary key);\n")).toEqual([]);
  });

  it("a secret the scanner finds in browser code or under a public prefix says it is exposed to the browser", async () => {
    const code = `'use client';\nconst stripe = new Stripe("${STRIPE_SECRET}");\n`;
    const { findings } = await analyze([{ path: "components/Pay.tsx", content: code, added: "all" }]);
    const secret = findings.find((f) => f.category === "secrets" && f.line === 2);
    expect(secret?.message).toContain("exposed to the browser");
    expect(JSON.stringify(findings)).not.toContain(STRIPE_SECRET);
    const server = await analyze([{ path: "app/api/pay/route.ts", content: code.replace("'use client';\n", "\n"), added: "all" }]);
    expect(server.findings.filter((f) => f.category === "secrets").map((f) => f.message).join(" ")).not.toContain("exposed to the browser");
  });

  it("reports only on added lines", async () => {
    const env = `NEXT_PUBLIC_STRIPE_SECRET_KEY=${STRIPE_SECRET}\nNEXT_PUBLIC_APP_NAME=shop\n`;
    const { findings } = await analyze([{ path: ".env", content: env, added: new Set([2]) }]);
    expect(findings).toEqual([]);
  });
});
