// Removed safeguards in JavaScript/TypeScript: each flagged case has a quiet twin where the
// safeguard was moved, renamed or replaced by an equivalent.
import { describe, expect, it } from "vitest";
import { lines, removals } from "./helpers.js";

const expressHead = ["const express = require('express');", "const app = express();", "const router = express.Router();"];

describe("removed safeguards: JavaScript / TypeScript", () => {
  it("flags auth middleware removed from a route, on the surviving line, naming it and its old line", async () => {
    const before = lines(...expressHead, "app.get('/admin/users', requireAuth, listUsers);", "app.get('/health', health);");
    const after = lines(...expressHead, "app.get('/admin/users', listUsers);", "app.get('/health', health);");
    const found = await removals("src/server.js", before, after);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["js-removed-auth-route", 4]]);
    expect(found[0]!.message).toContain("removed authentication/authorization middleware `requireAuth`");
    expect(found[0]!.message).toContain("old line 4");
    expect(found[0]!.category).toBe("authz");
    expect(found[0]!.removed).toEqual({ line: 4, code: "app.get('/admin/users', requireAuth, listUsers);" });
  });

  it("stays quiet when the route-level middleware is renamed, or moved up to the router", async () => {
    const before = lines(...expressHead, "app.get('/admin/users', requireAuth, listUsers);");
    expect(await removals("src/server.js", before, lines(...expressHead, "app.get('/admin/users', ensureAuthenticated, listUsers);"))).toEqual([]);
    expect(await removals("src/server.js", before, lines(...expressHead, "app.use(requireAuth);", "app.get('/admin/users', listUsers);"))).toEqual([]);
    // the handler (last argument) is not middleware: replacing listRoles by an inline function is not a removal
    const roles = lines(...expressHead, "app.get('/roles', listRoles);");
    expect(await removals("src/server.js", roles, lines(...expressHead, "app.get('/roles', (req, res) => res.json(roles));"))).toEqual([]);
    // the route itself deleted: nothing left to protect
    expect(await removals("src/server.js", before, lines(...expressHead, "app.get('/health', health);"))).toEqual([]);
  });

  it("flags router.use(requireAuth) removed while the router keeps its routes (pure deletion)", async () => {
    const before = lines(...expressHead, "router.use(requireAuth);", "router.get('/orders', listOrders);", "module.exports = router;");
    const after = lines(...expressHead, "router.get('/orders', listOrders);", "module.exports = router;");
    const found = await removals("src/routes/orders.ts", before, after);
    expect(found.map((f) => [f.ruleId, f.line, f.removed?.line])).toEqual([["js-removed-auth-router", 4, 4]]);
    expect(found[0]!.message).toContain("`requireAuth` from `router.use(requireAuth);` (old line 4)");
  });

  it("flags app.use(authenticate) removed, but not when it becomes passport.authenticate('jwt')", async () => {
    const before = lines(...expressHead, "app.use(authenticate);", "app.get('/me', me);");
    expect((await removals("server.js", before, lines(...expressHead, "app.get('/me', me);"))).map((f) => f.ruleId)).toEqual(["js-removed-auth-router"]);
    expect(await removals("server.js", before, lines(...expressHead, "app.use(passport.authenticate('jwt', { session: false }));", "app.get('/me', me);"))).toEqual([]);
  });

  it("flags a route moved out from under the router's auth middleware", async () => {
    const before = lines(...expressHead, "router.use(requireAuth);", "router.delete('/users/:id', deleteUser);", "app.use('/api', router);");
    const after = lines(...expressHead, "router.use(requireAuth);", "app.delete('/users/:id', deleteUser);", "app.use('/api', router);");
    const found = await removals("server.js", before, after);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([["js-removed-auth-router", 5]]);
    expect(found[0]!.message).toContain("DELETE /users/:id moved out from under");
    // moved to another router that is guarded too: quiet
    const guarded = lines(...expressHead, "router.use(requireAuth);", "app.use(requireAuth);", "app.delete('/users/:id', deleteUser);");
    expect(await removals("server.js", before, guarded)).toEqual([]);
  });

  it("flags NestJS @UseGuards removed from a controller method, not when the guard is swapped for another", async () => {
    const before = lines(
      "@Controller('users')",
      "export class UsersController {",
      "  @UseGuards(AuthGuard('jwt'))",
      "  @Delete(':id')",
      "  remove(@Param('id') id: string) { return this.users.remove(id); }",
      "}",
    );
    const after = before.replace("  @UseGuards(AuthGuard('jwt'))\n", "");
    const found = await removals("src/users/users.controller.ts", before, after);
    expect(found.map((f) => [f.ruleId, f.line, f.removed?.line])).toEqual([["js-removed-auth-route", 3, 3]]);
    expect(await removals("src/users/users.controller.ts", before, before.replace("AuthGuard('jwt')", "JwtAuthGuard"))).toEqual([]);
  });

  it("flags csurf removed; lusca.csrf in its place is equivalent", async () => {
    const before = lines(...expressHead, "const csrf = require('csurf');", "app.use(csrf({ cookie: true }));", "app.post('/transfer', transfer);");
    const after = lines(...expressHead, "const csrf = require('csurf');", "app.post('/transfer', transfer);");
    const found = await removals("app.js", before, after);
    expect(found.map((f) => [f.ruleId, f.category])).toEqual([["js-removed-csrf", "csrf"]]);
    expect(found[0]!.message).toMatch(/removed CSRF protection .*old line 5/);
    expect(await removals("app.js", before, lines(...expressHead, "const lusca = require('lusca');", "app.use(lusca.csrf());", "app.post('/transfer', transfer);"))).toEqual([]);
  });

  it("flags helmet removed; quiet when helmet() is split into its individual middlewares", async () => {
    const before = lines(...expressHead, "app.use(helmet());", "app.listen(3000);");
    const found = await removals("server.ts", before, lines(...expressHead, "app.listen(3000);"));
    expect(found.map((f) => [f.ruleId, f.category])).toEqual([["js-removed-security-headers", "security-config"]]);
    const split = lines(...expressHead, "app.use(helmet.contentSecurityPolicy());", "app.use(helmet.hsts());", "app.listen(3000);");
    expect(await removals("server.ts", before, split)).toEqual([]);
  });

  it("flags CORS narrowed before and opened after; quiet when the allow-list only changes", async () => {
    const before = lines(...expressHead, "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));");
    const opened = lines(...expressHead, "app.use(cors());");
    expect((await removals("server.js", before, opened)).map((f) => f.ruleId)).toEqual(["js-removed-cors-restriction"]);
    const star = lines(...expressHead, "app.use(cors({ origin: '*' }));");
    expect((await removals("server.js", before, star)).map((f) => f.ruleId)).toEqual(["js-removed-cors-restriction"]);
    const changed = lines(...expressHead, "app.use(cors({ origin: process.env.ALLOWED_ORIGINS.split(','), credentials: true }));");
    expect(await removals("server.js", before, changed)).toEqual([]);
  });

  it("flags a rate limiter removed from the login route, not when it is renamed", async () => {
    const before = lines(...expressHead, "app.post('/auth/login', loginLimiter, login);");
    // The route-without-limiter rule already flags the new line: the removal is said on that finding.
    const found = await removals("server.js", before, lines(...expressHead, "app.post('/auth/login', login);"));
    expect(found.map((f) => [f.category, f.line])).toEqual([["rate-limit", 4]]);
    expect(found[0]!.message).toContain("It replaced a safe version: rate limiter `loginLimiter` (old line 4) was removed.");
    expect(await removals("server.js", before, lines(...expressHead, "app.post('/auth/login', authRateLimiter, login);"))).toEqual([]);
  });

  it("flags a limiter key changed from the account to the IP; quiet when the account key is only reformatted", async () => {
    const before = lines("const limiter = rateLimit({", "  windowMs: 60000,", "  keyGenerator: (req) => req.body.email,", "});");
    const toIp = before.replace("req.body.email", "req.ip");
    const found = await removals("limits.js", before, toIp);
    expect(found.map((f) => [f.ruleId, f.category])).toEqual([["js-removed-rate-limit-account-key", "rate-limit"]]);
    const same = before.replace("(req) => req.body.email", "(req) => String(req.body.email).toLowerCase()");
    expect(await removals("limits.js", before, same)).toEqual([]);
  });

  it("attaches 'replaced a safe version' to the TLS finding when rejectUnauthorized: true becomes false", async () => {
    const before = lines("const agent = new https.Agent({ rejectUnauthorized: true });");
    const after = lines("const agent = new https.Agent({ rejectUnauthorized: false });");
    const found = await removals("client.js", before, after);
    expect(found).toHaveLength(1);
    expect(found[0]!.ruleId).toBe("js-tls-verification-disabled");
    expect(found[0]!.message).toContain("It replaced a safe version");
    expect(await removals("client.js", before, lines("const agent = new https.Agent({ rejectUnauthorized: true, ca });"))).toEqual([]);
  });

  it("flags httpOnly / secure cookie flags removed, quiet when the options move to a shared object", async () => {
    const before = lines("app.use(session({", "  secret: process.env.SESSION_SECRET,", "  cookie: { httpOnly: true, secure: true, sameSite: 'lax' },", "}));");
    const after = before.replace("httpOnly: true, secure: true, ", "");
    const found = await removals("server.js", before, after);
    expect(found.map((f) => [f.ruleId, f.category, f.line])).toEqual([
      ["js-removed-cookie-flag", "session", 3],
      ["js-removed-cookie-flag", "session", 3],
    ]);
    const moved = lines("const cookie = { httpOnly: true, secure: true, sameSite: 'lax' };", "app.use(session({", "  secret: process.env.SESSION_SECRET,", "  cookie,", "}));");
    expect(await removals("server.js", before, moved)).toEqual([]);
  });

  it("flags JWT algorithms / expiresIn removed from verify / sign; quiet when the algorithm changes", async () => {
    const before = lines("const claims = jwt.verify(token, publicKey, { algorithms: ['RS256'] });", "const t = jwt.sign(payload, key, { expiresIn: '15m' });");
    const after = lines("const claims = jwt.verify(token, publicKey);", "const t = jwt.sign(payload, key);");
    const found = await removals("auth.ts", before, after);
    // The sign call without expiry is also what js-jwt-sign-without-expiry flags on the new line:
    // one flaw, one comment (that finding says it replaced a safe version).
    expect(found.map((f) => [f.ruleId, f.category]).sort()).toEqual([
      ["js-jwt-sign-without-expiry", "session"],
      ["js-removed-jwt-check", "session"],
    ]);
    const other = before.replace("RS256", "ES256").replace("15m", "1h");
    expect(await removals("auth.ts", before, other)).toEqual([]);
  });

  it("flags nunjucks autoescape turned off", async () => {
    const before = lines("nunjucks.configure('views', { autoescape: true, express: app });");
    const found = await removals("views.js", before, lines("nunjucks.configure('views', { autoescape: false, express: app });"));
    expect(found.map((f) => f.ruleId)).toEqual(["js-removed-autoescape"]);
    expect(await removals("views.js", before, lines("nunjucks.configure('templates', { autoescape: true, express: app });"))).toEqual([]);
  });

  it("flags zod validation removed from a route handler; quiet when zod is swapped for joi", async () => {
    const before = lines(
      ...expressHead,
      "app.post('/api/orders', async (req, res) => {",
      "  const order = OrderSchema.parse(req.body);",
      "  res.json(await createOrder(order));",
      "});",
    );
    const after = before.replace("OrderSchema.parse(req.body)", "req.body");
    const found = await removals("src/routes.ts", before, after);
    expect(found.map((f) => [f.ruleId, f.category, f.line])).toEqual([["js-removed-input-validation", "input-validation", 5]]);
    const joi = before.replace("OrderSchema.parse(req.body)", "await orderSchema.validateAsync(req.body)");
    expect(await removals("src/routes.ts", before, joi)).toEqual([]);
  });

  it("says a string-built query replaced a parameterized one, on the SQL finding itself", async () => {
    const before = lines("app.get('/user', async (req, res) => {", "  const rows = await db.query('SELECT * FROM users WHERE id = $1', [req.query.id]);", "  res.json(rows);", "});");
    const after = before.replace("'SELECT * FROM users WHERE id = $1', [req.query.id]", "`SELECT * FROM users WHERE id = ${req.query.id}`");
    const found = await removals("api.js", before, after);
    expect(found).toHaveLength(1);
    expect(found[0]!.category).toBe("sql-injection");
    expect(found[0]!.ruleId).not.toContain("removed");
    expect(found[0]!.message).toContain("It replaced a safe version: parameterized query");
    // still parameterized, different placeholder style: quiet
    const still = before.replace("$1', [req.query.id]", "?', [req.query.id]");
    expect(await removals("api.js", before, still)).toEqual([]);
  });
});
