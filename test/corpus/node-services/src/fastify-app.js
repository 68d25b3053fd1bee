const fastify = require("fastify")({ logger: true });
const serialize = require("node-serialize");
const vm = require("vm");
const https = require("https");
const { Sequelize, QueryTypes } = require("sequelize");

const sequelize = new Sequelize(process.env.DATABASE_URL);
const insecureAgent = new https.Agent({ rejectUnauthorized: false });

fastify.post("/restore", async (request) => {
  const state = serialize.unserialize(request.body.state);
  return { restored: Object.keys(state).length };
});

fastify.post("/calc", async (request) => {
  const context = vm.createContext({});
  return { value: vm.runInContext(request.body.expression, context) };
});

fastify.get("/products", async (request) => {
  const { category } = request.query;
  return sequelize.query(`SELECT * FROM products WHERE category = '${category}'`, { type: QueryTypes.SELECT });
});

fastify.get("/products/safe", async (request) => {
  return sequelize.query("SELECT * FROM products WHERE category = :category", {
    replacements: { category: request.query.category },
    type: QueryTypes.SELECT,
  });
});

fastify.get("/partner-status", async () => {
  const res = await fetch("https://partner.example.net/status", { agent: insecureAgent });
  return res.json();
});

fastify.listen({ port: 3001 });
