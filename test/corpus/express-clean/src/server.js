// Notes API, written with the usual hardening: helmet, rate limits, parameterized SQL, argon2.
const express = require("express");
const helmet = require("helmet");
const rateLimit = require("express-rate-limit");
const session = require("express-session");
const argon2 = require("argon2");
const crypto = require("crypto");
const path = require("path");
const { execFile } = require("child_process");
const { Pool } = require("pg");
const { z } = require("zod");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.use(helmet());
app.use(express.json({ limit: "100kb" }));
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600_000 },
  }),
);

const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  keyGenerator: (req) => `${req.ip}:${String(req.body?.email ?? "").toLowerCase()}`,
});

function requireLogin(req, res, next) {
  if (!req.session.userId) return res.status(401).json({ error: "login required" });
  next();
}

const credentials = z.object({ email: z.string().email(), password: z.string().min(12).max(200) });

app.post("/login", loginLimiter, async (req, res) => {
  const parsed = credentials.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: "invalid input" });
  const { rows } = await pool.query("SELECT id, password_hash FROM users WHERE email = $1", [parsed.data.email]);
  const user = rows[0];
  if (!user || !(await argon2.verify(user.password_hash, parsed.data.password))) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  req.session.regenerate(() => {
    req.session.userId = user.id;
    res.json({ ok: true });
  });
});

app.post("/register", loginLimiter, async (req, res) => {
  const parsed = credentials.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: "invalid input" });
  const hash = await argon2.hash(parsed.data.password, { type: argon2.argon2id });
  await pool.query("INSERT INTO users (email, password_hash) VALUES ($1, $2)", [parsed.data.email, hash]);
  res.status(201).end();
});

app.get("/notes", requireLogin, async (req, res) => {
  const { rows } = await pool.query("SELECT id, title FROM notes WHERE owner_id = $1", [req.session.userId]);
  res.json(rows);
});

app.get("/notes/search", requireLogin, async (req, res) => {
  const term = String(req.query.q ?? "");
  const { rows } = await pool.query(
    "SELECT id, title FROM notes WHERE owner_id = $1 AND title ILIKE '%' || $2 || '%'",
    [req.session.userId, term],
  );
  res.json(rows);
});

app.delete("/notes/:id", requireLogin, async (req, res) => {
  await pool.query("DELETE FROM notes WHERE id = $1 AND owner_id = $2", [req.params.id, req.session.userId]);
  res.status(204).end();
});

const EXPORT_DIR = path.resolve(__dirname, "..", "exports");

app.get("/exports/:name", requireLogin, (req, res) => {
  const name = path.basename(req.params.name);
  res.sendFile(name, { root: EXPORT_DIR, dotfiles: "deny" });
});

app.post("/notes/:id/pdf", requireLogin, (req, res) => {
  const id = Number.parseInt(req.params.id, 10);
  if (!Number.isInteger(id)) return res.status(400).end();
  execFile("pandoc", ["-o", path.join(EXPORT_DIR, `${id}.pdf`), path.join(EXPORT_DIR, `${id}.md`)], (err) => {
    if (err) return res.status(500).json({ error: "export failed" });
    res.json({ file: `${id}.pdf` });
  });
});

app.post("/api-keys", requireLogin, async (req, res) => {
  const key = crypto.randomBytes(32).toString("base64url");
  const digest = crypto.createHash("sha256").update(key).digest("hex");
  await pool.query("INSERT INTO api_keys (owner_id, digest) VALUES ($1, $2)", [req.session.userId, digest]);
  res.status(201).json({ key });
});

const ALLOWED_RETURN = new Set(["/", "/notes", "/settings"]);

app.get("/return", (req, res) => {
  const target = String(req.query.to ?? "/");
  res.redirect(ALLOWED_RETURN.has(target) ? target : "/");
});

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: "internal error" });
});

app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1");
