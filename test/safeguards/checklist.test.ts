// The checklist shows removed safeguards and browser-exposed secrets under the existing items,
// each with "removed" or "exposed to the browser" in what it says.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analyze.js";
import { DEFAULT_CONFIG } from "../../src/config/schema.js";
import { buildReport } from "../../src/github/report.js";
import { addedLines, lines } from "./helpers.js";

function changed(path: string, before: string, after: string) {
  return { path, content: after, base: before, added: addedLines(before, after) };
}

describe("checklist: removed safeguards and browser exposure", () => {
  it("files them under authz, csrf, rate-limit, tls, session, input-validation, secrets and security-config", async () => {
    const head = ["const app = express();"];
    const server = changed(
      "src/server.js",
      lines(...head, "app.use(helmet());", "app.use(csrf());", "app.post('/login', loginLimiter, login);", "app.get('/admin', requireAuth, admin);", "app.use(session({ cookie: { httpOnly: true } }));"),
      lines(...head, "app.post('/login', login);", "app.get('/admin', admin);", "app.use(session({ cookie: {} }));"),
    );
    const api = changed(
      "src/api.py",
      lines("def fetch(url):", "    return requests.get(url, verify=CA_BUNDLE)", "", "@app.post('/orders')", "def create(order: OrderCreate):", "    return save(order)"),
      lines("def fetch(url):", "    return requests.get(url)", "", "@app.post('/orders')", "def create(request: Request):", "    return save(request.json())"),
    );
    const env = { path: ".env", content: "NEXT_PUBLIC_DATABASE_URL=\n", added: "all" as const };
    const result = await analyze([server, api, env]);
    const report = buildReport(result, DEFAULT_CONFIG);
    const wanted = ["authz", "csrf", "rate-limit", "tls", "session", "input-validation", "secrets", "security-config"];
    for (const id of wanted) {
      const row = report.rows.find((r) => r.item.id === id)!;
      const said = row.findings.map((f) => f.message);
      expect(said.some((m) => /removed|exposed to the browser/.test(m)), `${id}: ${said.join(" | ")}`).toBe(true);
      expect(row.state, id).not.toBe("passed");
    }
  });
});
