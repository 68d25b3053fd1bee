// Which dependency manifest (if any) a path is, from its file name alone.
import type { Ecosystem, ManifestKind } from "./types.js";

export interface ManifestType {
  kind: ManifestKind;
  ecosystem: Ecosystem;
  /** A lockfile (its presence marks the folder as an application). */
  lock: boolean;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function manifestType(path: string): ManifestType | undefined {
  const name = baseName(path);
  switch (name) {
    case "package.json":
      return { kind: "package.json", ecosystem: "npm", lock: false };
    case "package-lock.json":
    case "npm-shrinkwrap.json":
      return { kind: "package-lock.json", ecosystem: "npm", lock: true };
    case "yarn.lock":
      return { kind: "yarn.lock", ecosystem: "npm", lock: true };
    case "pnpm-lock.yaml":
      return { kind: "pnpm-lock.yaml", ecosystem: "npm", lock: true };
    case "pyproject.toml":
      return { kind: "pyproject.toml", ecosystem: "PyPI", lock: false };
    case "Pipfile":
      return { kind: "Pipfile", ecosystem: "PyPI", lock: false };
    case "setup.cfg":
      return { kind: "setup.cfg", ecosystem: "PyPI", lock: false };
    case "setup.py":
      return { kind: "setup.py", ecosystem: "PyPI", lock: false };
  }
  // requirements.txt, requirements-dev.txt, requirements/base.txt, constraints.txt, dev-requirements.in
  if (/^(.*[-_.])?(requirements|constraints)([-_.].*)?\.(txt|in)$/i.test(name)) {
    return { kind: "requirements.txt", ecosystem: "PyPI", lock: false };
  }
  if (/\.(txt|in)$/i.test(name) && /(^|\/)requirements\//i.test(path)) {
    return { kind: "requirements.txt", ecosystem: "PyPI", lock: false };
  }
  return undefined;
}

/** Lockfiles that are not parsed but still tell that their folder holds an application. */
const OTHER_LOCKFILES = new Set(["poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "bun.lockb", "bun.lock"]);

export function isLockfile(path: string): boolean {
  return manifestType(path)?.lock === true || OTHER_LOCKFILES.has(baseName(path));
}
