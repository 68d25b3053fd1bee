const express = require("express");
const path = require("path");
const fs = require("fs");
const multer = require("multer");

const router = express.Router();
const UPLOAD_DIR = path.join(__dirname, "..", "..", "uploads");
const upload = multer({ dest: UPLOAD_DIR });

router.get("/:name", (req, res) => {
  res.sendFile(path.join(UPLOAD_DIR, req.params.name));
});

router.get("/raw/view", (req, res) => {
  const content = fs.readFileSync(UPLOAD_DIR + "/" + req.query.file, "utf8");
  res.type("text/plain").send(content);
});

router.post("/", upload.single("file"), (req, res) => {
  res.json({ stored: req.file.filename });
});

module.exports = router;
