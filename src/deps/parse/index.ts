// One entry point for every manifest and lockfile the dependency analyser reads.
import type { SourceFile } from "../../analysis/types.js";
import { manifestType } from "../detect.js";
import type { ParsedManifest } from "../types.js";
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./npm.js";
import { parsePipfile, parsePyproject, parseRequirementsTxt, parseSetupCfg, parseSetupPy } from "./python.js";

export function parseManifest(file: SourceFile): ParsedManifest | undefined {
  const type = manifestType(file.path);
  if (!type) return undefined;
  const { path, content, added } = file;
  switch (type.kind) {
    case "package.json":
      return parsePackageJson(path, content, added);
    case "package-lock.json":
      return parsePackageLock(path, content, added);
    case "yarn.lock":
      return parseYarnLock(path, content, added);
    case "pnpm-lock.yaml":
      return parsePnpmLock(path, content, added);
    case "requirements.txt":
      return parseRequirementsTxt(path, content, added);
    case "pyproject.toml":
      return parsePyproject(path, content, added);
    case "Pipfile":
      return parsePipfile(path, content, added);
    case "setup.cfg":
      return parseSetupCfg(path, content, added);
    case "setup.py":
      return parseSetupPy(path, content, added);
  }
}
