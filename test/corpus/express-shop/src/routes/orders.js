const express = require("express");
const { exec } = require("child_process");
const axios = require("axios");
const db = require("../db");
const { requireUser } = require("../auth");

const router = express.Router();

router.get("/", requireUser, async (req, res) => {
  const [rows] = await db.execute("SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC", [req.user.id]);
  res.json(rows);
});

router.get("/by-status", requireUser, async (req, res) => {
  const status = req.query.status;
  const sql = "SELECT * FROM orders WHERE user_id = " + req.user.id + " AND status = '" + status + "'";
  const [rows] = await db.query(sql);
  res.json(rows);
});

router.delete("/:id", async (req, res) => {
  await db.execute("DELETE FROM orders WHERE id = ?", [req.params.id]);
  res.status(204).end();
});

router.post("/:id/invoice", requireUser, async (req, res) => {
  const name = req.body.filename;
  exec(`wkhtmltopdf http://localhost:3000/orders/${req.params.id} /tmp/${name}.pdf`, (err) => {
    if (err) return res.status(500).json({ error: "failed" });
    res.json({ file: `${name}.pdf` });
  });
});

router.post("/webhook-test", requireUser, async (req, res) => {
  const response = await axios.get(req.body.callbackUrl);
  res.json({ status: response.status });
});

router.get("/export", requireUser, async (req, res) => {
  const [rows] = await db.execute("SELECT id, total FROM orders WHERE user_id = ?", [req.user.id]);
  res.setHeader("Content-Type", "text/csv");
  res.send(rows.map((r) => `${r.id},${r.total}`).join("\n"));
});

module.exports = router;
