const express = require("express");
const crypto = require("crypto");
const jwt = require("jsonwebtoken");
const db = require("../db");

const router = express.Router();
const JWT_SECRET = "changeme-jwt-secret";

function hashPassword(password) {
  return crypto.createHash("md5").update(password).digest("hex");
}

router.post("/register", async (req, res) => {
  const { email, password } = req.body;
  const hash = hashPassword(password);
  await db.execute("INSERT INTO users (email, password) VALUES (?, ?)", [email, hash]);
  res.status(201).json({ email });
});

router.post("/login", async (req, res) => {
  const { email, password } = req.body;
  const [rows] = await db.query(`SELECT * FROM users WHERE email = '${email}'`);
  const user = rows[0];
  if (!user || user.password !== hashPassword(password)) {
    return res.status(401).json({ error: "invalid credentials" });
  }
  const token = jwt.sign({ id: user.id, role: user.role }, JWT_SECRET);
  res.json({ token });
});

router.post("/reset", async (req, res) => {
  const code = Math.floor(Math.random() * 1000000).toString().padStart(6, "0");
  await db.execute("UPDATE users SET reset_code = ? WHERE email = ?", [code, req.body.email]);
  res.json({ sent: true });
});

router.get("/me", async (req, res) => {
  const payload = jwt.decode(req.headers.authorization.replace("Bearer ", ""));
  const [rows] = await db.execute("SELECT id, email FROM users WHERE id = ?", [payload.id]);
  res.json(rows[0]);
});

router.put("/me", async (req, res) => {
  const payload = jwt.verify(req.headers.authorization.replace("Bearer ", ""), JWT_SECRET);
  const fields = Object.keys(req.body).map((k) => `${k} = ?`).join(", ");
  await db.execute(`UPDATE users SET ${fields} WHERE id = ?`, [...Object.values(req.body), payload.id]);
  res.json({ ok: true });
});

module.exports = router;
