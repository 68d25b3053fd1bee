// Koa + Fastify services behind the gateway. Helpers are shared between handlers.
const Koa = require("koa");
const Router = require("@koa/router");
const cp = require("child_process");
const { readFile } = require("fs/promises");
const nodePath = require("path");
const got = require("got");
const { MongoClient } = require("mongodb");

const app = new Koa();
const router = new Router();
const mongo = new MongoClient(process.env.MONGO_URL);

function runTool(args) {
  return cp.execSync("convert " + args, { encoding: "utf8" });
}

function buildPath(base, name) {
  return nodePath.join(base, name);
}

router.post("/thumbs", async (ctx) => {
  const { size, file } = ctx.request.body;
  runTool(`${file} -resize ${size} out.png`);
  ctx.body = { ok: true };
});

router.get("/docs/:name", async (ctx) => {
  ctx.body = await readFile(buildPath("/srv/docs", ctx.params.name), "utf8");
});

router.get("/proxy", async (ctx) => {
  const target = ctx.query.target;
  const res = await got(target, { timeout: { request: 5000 } });
  ctx.body = res.body;
});

router.post("/users/find", async (ctx) => {
  const users = mongo.db("app").collection("users");
  ctx.body = await users.find({ username: ctx.request.body.username }).toArray();
});

router.post("/users/where", async (ctx) => {
  const users = mongo.db("app").collection("users");
  ctx.body = await users.find({ $where: `this.team == '${ctx.request.body.team}'` }).toArray();
});

router.get("/version", async (ctx) => {
  ctx.body = cp.execSync("git rev-parse HEAD", { encoding: "utf8" }).trim();
});

app.use(router.routes());
app.listen(8080);
