// The shapes the dependency analyser passes between its parsers, its checks and its client.

export type Ecosystem = "npm" | "PyPI";

/** Where a dependency line came from: a manifest names a spec, a lockfile a resolved version. */
export type DependencySource = "manifest" | "lock";

/** One dependency named on an ADDED line of a manifest or lockfile. */
export interface DependencyRef {
  ecosystem: Ecosystem;
  /** The registry name (for an npm alias `npm:real@1`, the real name). */
  name: string;
  /** The spec as written ("^1.2.0", ">=2", "git+https://...", "" when none). */
  spec: string;
  /** The exact version this line pins or resolves, when it does. */
  version?: string;
  path: string;
  /** 1-based line and columns of the dependency on the new file. */
  line: number;
  column: number;
  endColumn: number;
  /** The whole line as it reads in the new file (for snippets and suggested changes). */
  lineText: string;
  /** 0-based index of `version` inside `lineText` when the line pins it (manifests only). */
  versionIndex?: number;
  source: DependencySource;
  /** e.g. "dependencies", "project.dependencies", "tool.poetry.group.dev.dependencies". */
  section: string;
  /** The manifest sends this name to a private index/registry: existence and age are not asked. */
  privateSource?: boolean;
  /** Lockfiles: the host the entry was resolved from, when it names one. */
  resolvedHost?: string;
  /** Build-time or peer requirements: ranges are the norm, so the spec check leaves them alone. */
  rangeExpected?: boolean;
}

/** An install-time script added to package.json (`preinstall`, `install`, `postinstall`...). */
export interface InstallScriptRef {
  path: string;
  hook: string;
  command: string;
  line: number;
  column: number;
  endColumn: number;
  lineText: string;
}

/** What one manifest or lockfile yields. */
export interface ParsedManifest {
  path: string;
  ecosystem: Ecosystem;
  kind: ManifestKind;
  dependencies: DependencyRef[];
  installScripts: InstallScriptRef[];
  /** What the manifest says about being an application (`private: true`, Poetry `package-mode = false`). */
  applicationHint?: boolean;
  /** A parse problem: the file is reported as skipped with this reason. */
  error?: string;
}

export type ManifestKind =
  | "package.json"
  | "package-lock.json"
  | "yarn.lock"
  | "pnpm-lock.yaml"
  | "requirements.txt"
  | "pyproject.toml"
  | "Pipfile"
  | "setup.cfg"
  | "setup.py";
