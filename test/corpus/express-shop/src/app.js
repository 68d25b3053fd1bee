// Small shop API: products, orders, accounts. Generated with an assistant, lightly edited.
const express = require("express");
const session = require("express-session");
const cors = require("cors");
const path = require("path");
const accounts = require("./routes/accounts");
const orders = require("./routes/orders");
const files = require("./routes/files");

const app = express();

app.use(cors({ origin: true, credentials: true }));
app.use(express.json());
app.use(express.urlencoded({ extended: true }));

app.use(
  session({
    secret: "shop-secret-2024",
    resave: false,
    saveUninitialized: true,
    cookie: { httpOnly: false, secure: false },
  }),
);

app.use("/api/accounts", accounts);
app.use("/api/orders", orders);
app.use("/files", files);

app.get("/search", (req, res) => {
  const q = req.query.q || "";
  res.send(`<h1>Results for ${q}</h1><div id="results"></div>`);
});

app.get("/go", (req, res) => {
  res.redirect(req.query.next);
});

app.get("/healthz", (req, res) => {
  res.json({ ok: true });
});

app.use((err, req, res, next) => {
  res.status(500).json({ error: err.message, stack: err.stack });
});

app.listen(process.env.PORT || 3000);
