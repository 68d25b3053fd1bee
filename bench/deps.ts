// `npm run bench:deps`: the dependency analyser on a 300-dependency package.json and a
// 300-line requirements.txt, against a local stand-in for the npm registry, the npm downloads
// API, PyPI and OSV (same response shapes, a fixed delay per request to stand for the network).
// Prints, per manifest: the offline pass, a cold pass (every lookup made) and a warm pass
// (the client's TTL cache answers), with the HTTP requests each made.
//
//   npm run bench:deps                    # 300 dependencies, 25 ms per request
//   npm run bench:deps -- --deps 1000 --latency-ms 50
//
// Benchmarks are not tests: vitest never runs this file.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import type { SourceFile } from "../src/analysis/types.js";
import { DEFAULT_CONFIG } from "../src/config/schema.js";
import { DependencyClient } from "../src/deps/client.js";
import { analyzeDependencies } from "../src/deps/index.js";
import { popularList } from "../src/deps/popular.js";

const { values } = parseArgs({ options: { deps: { type: "string", default: "300" }, "latency-ms": { type: "string", default: "25" } } });
const DEPS = Number(values.deps);
const LATENCY = Number(values["latency-ms"]);
const OLD = "2016-01-01T00:00:00.000Z";

function send(res: ServerResponse, status: number, body: unknown): void {
  setTimeout(() => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }, LATENCY);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const path = decodeURIComponent(url.pathname);
  if (req.method === "POST" && path === "/v1/querybatch") {
    const body = (await readBody(req)) as { queries: Array<{ package: { name: string } }> };
    // Every tenth package has one advisory.
    return send(res, 200, { results: body.queries.map((q, i) => (i % 10 === 0 ? { vulns: [{ id: `GHSA-bench-${q.package.name}` }] } : {})) });
  }
  if (path.startsWith("/v1/vulns/")) {
    const id = path.slice("/v1/vulns/".length);
    const name = id.slice("GHSA-bench-".length);
    const ecosystem = /^[a-z0-9-]+$/.test(name) && !name.startsWith("py-") ? "npm" : "PyPI";
    return send(res, 200, {
      id, summary: "bench advisory", database_specific: { severity: "HIGH" },
      affected: [{ package: { ecosystem, name }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "99.0.0" }] }] }],
    });
  }
  if (path.startsWith("/downloads/point/last-week/")) return send(res, 200, { downloads: 10_000 });
  if (path.startsWith("/pypi/")) {
    const name = path.split("/")[2]!;
    return send(res, 200, { info: { name }, releases: { "1.0.0": [{ upload_time_iso_8601: OLD }] } });
  }
  const name = path.slice(1);
  return send(res, 200, { name, versions: { "1.0.0": {} }, time: { created: OLD, modified: OLD } });
}

function packageJson(n: number): SourceFile {
  const popular = popularList("npm").names;
  const deps: Record<string, string> = {};
  // Two thirds popular names (no registry lookup needed), one third unknown to the list.
  for (let i = 0; Object.keys(deps).length < n; i++) {
    if (i % 3 === 2) deps[`bench-internal-helper-${i}`] = "1.0.0";
    else deps[popular[i]!] = `1.${i % 20}.0`;
  }
  return { path: "package.json", content: JSON.stringify({ private: true, dependencies: deps }, null, 2), added: "all" };
}

function requirements(n: number): SourceFile {
  const popular = popularList("PyPI").names;
  const lines: string[] = [];
  for (let i = 0; lines.length < n; i++) lines.push(i % 3 === 2 ? `py-bench-helper-${i}==1.0.0` : `${popular[i]}==1.${i % 20}.0`);
  return { path: "requirements.txt", content: `${lines.join("\n")}\n`, added: "all" };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

async function main(): Promise<void> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = { ...DEFAULT_CONFIG.dependencies };
  try {
    for (const file of [packageJson(DEPS), requirements(DEPS)]) {
      const client = new DependencyClient({ endpoints: { npm: base, npmDownloads: base, pypi: base, osv: base } });
      const [offline, offlineMs] = await timed(() => analyzeDependencies([file], { config }));
      const [cold, coldMs] = await timed(() => analyzeDependencies([file], { config, client }));
      const coldRequests = client.stats.requests;
      const [warm, warmMs] = await timed(() => analyzeDependencies([file], { config, client }));
      const warmRequests = client.stats.requests - coldRequests;
      if (warm.findings.length !== cold.findings.length || cold.notes.length > 0) throw new Error(`inconsistent runs: ${cold.notes.join("; ")}`);
      console.log(
        `deps ${file.path} (${DEPS} dependencies, ${LATENCY} ms/request): offline ${offlineMs.toFixed(1)} ms (${offline.findings.length} findings); ` +
          `cold ${coldMs.toFixed(0)} ms, ${coldRequests} requests (${cold.findings.length} findings); ` +
          `warm cache ${warmMs.toFixed(1)} ms, ${warmRequests} requests, ${client.stats.cacheHits} cache hits`,
      );
    }
  } finally {
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
