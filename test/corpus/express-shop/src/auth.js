const jwt = require("jsonwebtoken");

function requireUser(req, res, next) {
  const header = req.headers.authorization || "";
  try {
    req.user = jwt.verify(header.replace("Bearer ", ""), process.env.JWT_SECRET, { algorithms: ["HS256"] });
    next();
  } catch {
    res.status(401).json({ error: "unauthorized" });
  }
}

module.exports = { requireUser };
