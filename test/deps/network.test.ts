// Checks 1 (existence), 2 (new/obscure) and 4 (OSV vulnerabilities) against recorded-shape
// registry and OSV answers (nock), plus the client's retries, cache and degradation.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DependencyClient } from "../../src/deps/client.js";
import { analyzeDependencies } from "../../src/deps/index.js";
import { added, depsConfig, json } from "./helpers.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const OLD = "2015-01-01T00:00:00.000Z";

const npm = () => nock("https://registry.npmjs.org");
const downloads = () => nock("https://api.npmjs.org");
const pypi = () => nock("https://pypi.org");
const osv = () => nock("https://api.osv.dev");

function client(): DependencyClient {
  return new DependencyClient({ retryDelayMs: 0, timeoutMs: 2000, retries: 1 });
}

/** A full npm packument as the registry documents it (time.created, per-version times). */
function packument(name: string, created: string, versions = ["1.0.0"]) {
  return {
    _id: name,
    name,
    "dist-tags": { latest: versions.at(-1) },
    versions: Object.fromEntries(versions.map((v) => [v, { name, version: v }])),
    time: { created, modified: created, ...Object.fromEntries(versions.map((v) => [v, created])) },
  };
}

/** PyPI's JSON API project document. */
function pypiProject(name: string, uploaded: string) {
  return {
    info: { name, version: "1.0.0", summary: "" },
    releases: { "1.0.0": [{ filename: `${name}-1.0.0.tar.gz`, upload_time: uploaded.slice(0, 19), upload_time_iso_8601: uploaded }] },
    urls: [],
  };
}

function advisory(id: string, ecosystem: string, name: string, fixed: string | undefined, extra: Record<string, unknown> = {}) {
  const events: Array<Record<string, string>> = [{ introduced: "0" }];
  if (fixed) events.push({ fixed });
  return {
    id,
    modified: "2024-01-01T00:00:00Z",
    summary: `Problem in ${name}`,
    aliases: [`CVE-2024-${id.length}000`],
    affected: [{ package: { ecosystem, name }, ranges: [{ type: ecosystem === "npm" ? "SEMVER" : "ECOSYSTEM", events }] }],
    ...extra,
  };
}

beforeEach(() => nock.cleanAll());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, "every mocked request was made").toEqual([]);
});

describe("check 1: the package does not exist", () => {
  it("npm: a 404 is critical, a published package is not", async () => {
    npm().get("/hallucinated-helper-lib").reply(404, { error: "Not found" });
    npm().get("/real-helper-lib").reply(200, packument("real-helper-lib", OLD));
    downloads().get("/downloads/point/last-week/real-helper-lib").reply(200, { downloads: 5000, start: "", end: "", package: "real-helper-lib" });
    const pkg = json({ dependencies: { "hallucinated-helper-lib": "^1.0.0", "real-helper-lib": "^1.0.0" } });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig({ osv: false }), client: client(), now: NOW });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([["dependencies/nonexistent-package", "critical", 3]]);
    expect(r.findings[0]!.message).toContain("may be a hallucinated name that anyone can register");
  });

  it("PyPI: a 404 is critical (looked up by normalised name), an existing project is not", async () => {
    pypi().get("/pypi/fastapi-magic-auth/json").reply(404, { message: "Not Found" });
    pypi().get("/pypi/old-but-fine/json").reply(200, pypiProject("old_but_fine", OLD));
    const r = await analyzeDependencies([added("requirements.txt", "FastAPI_Magic.Auth==0.1.0\nold_but_fine==1.0.0\n")], {
      config: depsConfig({ osv: false }), client: client(), now: NOW,
    });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([["dependencies/nonexistent-package", "critical", 1]]);
  });

  it("an unpublished npm package counts as missing; a missing look-alike names the real package", async () => {
    npm().get("/gone-pkg").reply(200, { _id: "gone-pkg", name: "gone-pkg", time: { created: OLD, modified: OLD, unpublished: { time: OLD } } });
    npm().get("/expresss").reply(404, {});
    const r = await analyzeDependencies([added("package.json", json({ dependencies: { "gone-pkg": "1.0.0", expresss: "4.0.0" } }))], {
      config: depsConfig({ osv: false }), client: client(), now: NOW,
    });
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(["dependencies/nonexistent-package", "dependencies/unpublished-package"]);
    expect(r.findings.find((f) => f.ruleId === "dependencies/nonexistent-package")!.fix).toContain("`express`");
  });

  it("private scopes, private registries and popular names are never looked up", async () => {
    // No interceptor: a request would fail the run's "no unexpected request" expectations below.
    const files = [
      added("package.json", json({ dependencies: { "@acme/internal-ui": "1.0.0", react: "18.2.0" } })),
      added("requirements.txt", "--extra-index-url https://pypi.acme.internal/simple\nacme-billing==2.0\n"),
      added("package-lock.json", json({ lockfileVersion: 3, packages: { "node_modules/corp-tool": { version: "1.0.0", resolved: "https://npm.acme.internal/corp-tool-1.0.0.tgz" } } })),
    ];
    const c = client();
    const r = await analyzeDependencies(files, { config: depsConfig({ osv: false, skip_scopes: ["@acme"] }), client: c, now: NOW });
    expect(r.findings).toEqual([]);
    expect(c.stats.requests).toBe(0);
    expect(r.notes).toEqual(["not checked: known vulnerabilities (dependencies.osv is false)"]);
  });

  it("a configured registry mirror is asked instead of the public one", async () => {
    nock("https://npm-mirror.example.com").get("/some-lib").reply(404, {});
    const r = await analyzeDependencies([added("package.json", json({ dependencies: { "some-lib": "1.0.0" } }))], {
      config: depsConfig({ osv: false, registries: { npm: "https://npm-mirror.example.com/" } }), client: client(), now: NOW,
    });
    expect(r.findings.map((f) => f.ruleId)).toEqual(["dependencies/nonexistent-package"]);
  });
});

describe("check 2: new or obscure", () => {
  it("npm: first published 5 days ago is medium; few weekly downloads is medium; an old, used package is clean", async () => {
    npm().get("/brand-new-lib").reply(200, packument("brand-new-lib", "2026-11-26T10:00:00.000Z"));
    downloads().get("/downloads/point/last-week/brand-new-lib").reply(200, { downloads: 900, package: "brand-new-lib" });
    npm().get("/lonely-lib").reply(200, packument("lonely-lib", OLD));
    downloads().get("/downloads/point/last-week/lonely-lib").reply(200, { downloads: 3, package: "lonely-lib" });
    npm().get("/steady-lib").reply(200, packument("steady-lib", OLD));
    downloads().get("/downloads/point/last-week/steady-lib").reply(200, { downloads: 12000, package: "steady-lib" });
    const pkg = json({ dependencies: { "brand-new-lib": "^1.0.0", "lonely-lib": "^1.0.0", "steady-lib": "^1.0.0" } });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig({ osv: false }), client: client(), now: NOW });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.line]).sort()).toEqual([
      ["dependencies/new-package", "medium", 3],
      ["dependencies/obscure-package", "medium", 4],
    ]);
    expect(r.findings.find((f) => f.ruleId === "dependencies/new-package")!.message).toContain("4 days ago");
  });

  it("PyPI: the first upload decides; min_age_days is configurable", async () => {
    pypi().get("/pypi/fresh-thing/json").times(2).reply(200, pypiProject("fresh-thing", "2026-11-20T00:00:00Z"));
    const file = added("requirements.txt", "fresh-thing==1.0.0\n");
    const flagged = await analyzeDependencies([file], { config: depsConfig({ osv: false }), client: client(), now: NOW });
    expect(flagged.findings.map((f) => [f.ruleId, f.severity])).toEqual([["dependencies/new-package", "medium"]]);
    const relaxed = await analyzeDependencies([file], { config: depsConfig({ osv: false, min_age_days: 7 }), client: client(), now: NOW });
    expect(relaxed.findings).toEqual([]);
  });
});

describe("check 4: known vulnerabilities (OSV querybatch)", () => {
  it("npm: advisory ids, severity and first fixed version, with the fix as a suggested change on a pinned line", async () => {
    osv()
      .post("/v1/querybatch", (body) => {
        expect(body).toEqual({ queries: [{ package: { name: "lodash", ecosystem: "npm" }, version: "4.17.15" }, { package: { name: "react", ecosystem: "npm" }, version: "18.2.0" }] });
        return true;
      })
      .reply(200, { results: [{ vulns: [{ id: "GHSA-p6mc-m468-83gw", modified: "2024-01-01T00:00:00Z" }, { id: "GHSA-35jh-r3h4-6jhm", modified: "2024-01-01T00:00:00Z" }] }, {}] });
    osv().get("/v1/vulns/GHSA-p6mc-m468-83gw").reply(200, advisory("GHSA-p6mc-m468-83gw", "npm", "lodash", "4.17.19", { database_specific: { severity: "HIGH" } }));
    osv().get("/v1/vulns/GHSA-35jh-r3h4-6jhm").reply(200, advisory("GHSA-35jh-r3h4-6jhm", "npm", "lodash", "4.17.21", { severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }] }));
    const pkg = json({ dependencies: { lodash: "4.17.15", react: "18.2.0" } });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig(), client: client(), now: NOW });
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect([f.ruleId, f.severity, f.line]).toEqual(["dependencies/known-vulnerability", "critical", 3]);
    expect(f.message).toContain("GHSA-p6mc-m468-83gw");
    expect(f.message).toContain("high, fixed in 4.17.19");
    expect(f.message).toContain("critical, fixed in 4.17.21");
    expect(f.suggestion).toBe('    "lodash": "4.17.21",');
    expect(f.links).toContain("https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm");
  });

  it("PyPI: a pinned requirement gets the fix as a suggestion; aliased advisories count once", async () => {
    osv().post("/v1/querybatch").reply(200, { results: [{ vulns: [{ id: "GHSA-aaaa-bbbb-cccc" }, { id: "PYSEC-2023-1" }] }, { vulns: [] }] });
    osv().get("/v1/vulns/GHSA-aaaa-bbbb-cccc").reply(200, {
      ...advisory("GHSA-aaaa-bbbb-cccc", "PyPI", "django", "3.2.19"), aliases: ["PYSEC-2023-1", "CVE-2023-1111"], database_specific: { severity: "MODERATE" },
    });
    osv().get("/v1/vulns/PYSEC-2023-1").reply(200, { ...advisory("PYSEC-2023-1", "PyPI", "django", "3.2.19"), aliases: ["GHSA-aaaa-bbbb-cccc"] });
    const r = await analyzeDependencies([added("requirements.txt", "Django==3.2.0  # web\nflask==3.0.0\n")], { config: depsConfig(), client: client(), now: NOW });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.suggestion])).toEqual([["dependencies/known-vulnerability", "medium", "Django==3.2.19  # web"]]);
    expect(r.findings[0]!.message).toContain("GHSA-aaaa-bbbb-cccc (CVE-2023-1111)");
    expect(r.findings[0]!.message).not.toContain("PYSEC-2023-1:");
  });

  it("lockfile versions are queried too, with no suggestion (the lockfile is regenerated); clean versions give nothing", async () => {
    osv().post("/v1/querybatch").reply(200, { results: [{ vulns: [{ id: "GHSA-xxxx-yyyy-zzzz" }] }, {}] });
    osv().get("/v1/vulns/GHSA-xxxx-yyyy-zzzz").reply(200, advisory("GHSA-xxxx-yyyy-zzzz", "npm", "minimist", undefined, { database_specific: { severity: "LOW" } }));
    const lock = json({ lockfileVersion: 3, packages: { "node_modules/minimist": { version: "1.2.0" }, "node_modules/ms": { version: "2.1.3" } } });
    const r = await analyzeDependencies([added("package-lock.json", lock)], { config: depsConfig(), client: client(), now: NOW });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.suggestion])).toEqual([["dependencies/known-vulnerability", "low", undefined]]);
    expect(r.findings[0]!.message).toContain("no fixed version yet");
  });

  it("osv: false asks nothing", async () => {
    const c = client();
    const r = await analyzeDependencies([added("requirements.txt", "django==3.2.0\n")], { config: depsConfig({ osv: false }), client: c, now: NOW });
    expect(r.findings).toEqual([]);
    expect(c.stats.requests).toBe(0);
  });
});

describe("unreachable services", () => {
  it("a registry answering 503 and OSV refusing connections: notes, no failure, offline checks still run", async () => {
    npm().get("/some-unknown-lib").times(2).reply(503, "down");
    osv().post("/v1/querybatch").times(2).replyWithError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" });
    const pkg = json({ private: true, dependencies: { "some-unknown-lib": "1.0.0", express: "*" } });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig(), client: client(), now: NOW });
    expect(r.findings.map((f) => f.ruleId)).toEqual(["dependencies/unpinned"]);
    expect(r.notes).toEqual([
      "not checked: npm registry unreachable (HTTP 503)",
      expect.stringMatching(/^not checked: OSV unreachable \(/),
    ]);
  });

  it("PyPI timing out is reported as unreachable", async () => {
    pypi().get("/pypi/slow-lib/json").delay(500).reply(200, pypiProject("slow-lib", OLD));
    const c = new DependencyClient({ retryDelayMs: 0, timeoutMs: 50, retries: 0 });
    const r = await analyzeDependencies([added("requirements.txt", "slow-lib==1.0\n")], { config: depsConfig({ osv: false }), client: c, now: NOW });
    expect(r.findings).toEqual([]);
    expect(r.notes).toEqual(["not checked: known vulnerabilities (dependencies.osv is false)", "not checked: PyPI unreachable (no answer within 50 ms)"]);
  });
});

describe("the client", () => {
  it("retries a 503 and then uses the answer", async () => {
    npm().get("/flaky-lib").reply(503).get("/flaky-lib").reply(404, {});
    const c = client();
    const r = await c.npmPackage("flaky-lib");
    expect(r).toEqual({ status: "not-found" });
    expect(c.stats.requests).toBe(2);
  });

  it("caches answers for the TTL: a second review asks nothing", async () => {
    pypi().get("/pypi/cached-lib/json").once().reply(200, pypiProject("cached-lib", OLD));
    osv().post("/v1/querybatch").once().reply(200, { results: [{}] });
    const c = client();
    const file = added("requirements.txt", "cached-lib==1.0.0\n");
    await analyzeDependencies([file], { config: depsConfig(), client: c, now: NOW });
    const before = c.stats.requests;
    const again = await analyzeDependencies([file], { config: depsConfig(), client: c, now: NOW });
    expect(again.findings).toEqual([]);
    expect(c.stats.requests).toBe(before);
    expect(c.stats.cacheHits).toBe(2);
  });

  it("does not cache a failure", async () => {
    pypi().get("/pypi/back-soon/json").reply(500).get("/pypi/back-soon/json").reply(200, pypiProject("back-soon", OLD));
    const c = new DependencyClient({ retryDelayMs: 0, retries: 0 });
    expect((await c.pypiProject("back-soon")).status).toBe("unreachable");
    await new Promise((r) => setImmediate(r));
    expect((await c.pypiProject("back-soon")).status).toBe("ok");
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const fetchImpl: typeof fetch = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return new Response(JSON.stringify({ downloads: 1 }), { status: 200 });
    };
    const c = new DependencyClient({ concurrency: 3, fetch: fetchImpl });
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.npmWeeklyDownloads(`pkg-${i}`)));
    expect(peak).toBe(3);
    expect(c.stats.requests).toBe(12);
  });
});

describe("registry mirrors", () => {
  it("a lockfile entry resolved from the configured mirror is checked like a public one, other hosts stay private", async () => {
    nock("https://npm.mirror.example.com").get("/ghost-dependency").reply(404, {});
    const lock = json({
      lockfileVersion: 3,
      packages: {
        "node_modules/ghost-dependency": { version: "1.0.0", resolved: "https://npm.mirror.example.com/ghost-dependency/-/ghost-dependency-1.0.0.tgz" },
        "node_modules/corp-only": { version: "1.0.0", resolved: "https://npm.corp.example.com/corp-only/-/corp-only-1.0.0.tgz" },
      },
    });
    const r = await analyzeDependencies([added("package-lock.json", lock)], {
      config: depsConfig({ osv: false, registries: { npm: "https://npm.mirror.example.com" } }), client: client(), now: NOW,
    });
    expect(r.findings.map((f) => [f.ruleId, f.line])).toEqual([["dependencies/nonexistent-package", 5]]);
  });
});

describe("a service that fails", () => {
  it("is not asked again in the same run once it has failed", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `unlisted-lib-${i}`);
    // Only the first wave of lookups reaches the registry; nock would refuse the rest anyway,
    // so count what was sent.
    const c = new DependencyClient({ retries: 0, retryDelayMs: 0, concurrency: 8 });
    npm().get(/\/unlisted-lib-\d+/).times(30).reply(503);
    const r = await analyzeDependencies([added("package.json", json({ dependencies: Object.fromEntries(names.map((n) => [n, "1.0.0"])) }))], {
      config: depsConfig({ osv: false }), client: c, now: NOW,
    });
    expect(r.notes).toContain("not checked: npm registry unreachable (HTTP 503)");
    expect(c.stats.requests).toBeLessThanOrEqual(8);
    nock.cleanAll();
  });
});
