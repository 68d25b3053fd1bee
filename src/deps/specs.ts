// What a version spec says: an exact version, a bounded range, or something unsafe to build an
// application from (`*`, a dist-tag, an unbounded `>=`, a git/http/file source).
import semver from "semver";

export type SpecKind =
  /** One exact version. */
  | "exact"
  /** A range with an upper bound (`^1.2.0`, `~=1.4`, `>=1,<2`). */
  | "bounded"
  /** Any version at all: `*`, `x`, an empty spec, a bare requirement. */
  | "any"
  /** A moving npm dist-tag such as `latest` or `next`. */
  | "tag"
  /** A lower bound with no upper bound (`>=1.0`, `>2`). */
  | "unbounded"
  /** Fetched from git rather than the registry. */
  | "git"
  /** A tarball or wheel over http(s). */
  | "url"
  /** A local path or file: URL. */
  | "file"
  /** Workspace/link/portal references inside the repository: nothing to check. */
  | "local";

export interface SpecInfo {
  kind: SpecKind;
  /** The exact version, for `exact`. */
  version?: string;
  /** For `url`/`git`: the source uses plain http (no TLS). */
  insecure?: boolean;
}

const GIT_HOSTS = /^(github|gitlab|bitbucket|gist):/i;
const GIT_URL = /^git(\+[a-z]+)?:\/\//i;
/** npm's `user/repo` and `user/repo#ref` GitHub shorthand. */
const GITHUB_SHORTHAND = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(#.*)?$/;

/** An npm dependency spec, as package.json holds it (aliases already resolved by the caller). */
export function classifyNpmSpec(raw: string): SpecInfo {
  const spec = raw.trim();
  if (/^(workspace|link|portal|patch):/i.test(spec)) return { kind: "local" };
  if (/^file:/i.test(spec) || /^(\.{1,2}|~)?\//.test(spec)) return { kind: "file" };
  if (GIT_URL.test(spec) || GIT_HOSTS.test(spec) || /\.git(#.*)?$/i.test(spec)) {
    return { kind: "git", insecure: /^git:\/\//i.test(spec) || /^git\+http:\/\//i.test(spec) };
  }
  if (/^https?:\/\//i.test(spec)) return { kind: "url", insecure: /^http:\/\//i.test(spec) };
  if (spec === "" || spec === "*" || /^[xX]$/.test(spec)) return { kind: "any" };
  const exact = semver.valid(spec.replace(/^[=v]+/, ""));
  if (exact && /^=?v?\d/.test(spec)) return { kind: "exact", version: exact };
  if (semver.validRange(spec) !== null) {
    const range = new semver.Range(spec);
    let unbounded = false;
    for (const set of range.set) {
      const hasUpper = set.some((c) => c.operator === "<" || c.operator === "<=" || c.operator === "");
      const anyVersion = set.length === 1 && set[0]!.operator === "" && set[0]!.value === "";
      if (anyVersion) return { kind: "any" };
      if (!hasUpper) unbounded = true;
    }
    return { kind: unbounded ? "unbounded" : "bounded" };
  }
  if (GITHUB_SHORTHAND.test(spec)) return { kind: "git" };
  if (/^[A-Za-z][\w.-]*$/.test(spec)) return { kind: "tag" };
  return { kind: "bounded" };
}

/**
 * A PEP 440 specifier set (`==1.2.3`, `>=1.0,<2`, `~=1.4`, empty), as requirements files,
 * PEP 621, PDM, uv and setup.py hold it.
 */
export function classifyPep440(raw: string): SpecInfo {
  const spec = raw.trim().replace(/^\((.*)\)$/, "$1").trim();
  if (spec === "" || spec === "*") return { kind: "any" };
  const clauses = spec.split(",").map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 1) {
    const m = /^===?\s*([^\s*,]+)$/.exec(clauses[0]!);
    if (m) return { kind: "exact", version: m[1]! };
  }
  let lower = false;
  let upper = false;
  for (const clause of clauses) {
    const op = /^(~=|===|==|!=|<=|>=|<|>)/.exec(clause)?.[1];
    if (op === "<" || op === "<=" || op === "~=" || op === "==" || op === "===") upper = true;
    else if (op === ">" || op === ">=") lower = true;
  }
  if (upper) return { kind: "bounded" };
  return { kind: lower ? "unbounded" : "any" };
}

/**
 * A Poetry constraint: `^1.2`, `~1.2`, `1.2.3` (exact), `*`, `>=1,<2`, `1.2.*`, `>=1 || >=3`.
 * See https://python-poetry.org/docs/dependency-specification/.
 */
export function classifyPoetry(raw: string): SpecInfo {
  const spec = raw.trim();
  if (spec === "" || spec === "*") return { kind: "any" };
  if (/^\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?(\.dev\d+)?$/i.test(spec)) return { kind: "exact", version: spec };
  if (/^==\s*[^\s*,]+$/.test(spec)) return { kind: "exact", version: spec.replace(/^==\s*/, "") };
  const alternatives = spec.split("||").map((s) => s.trim());
  let unbounded = false;
  for (const alt of alternatives) {
    if (/^[\^~]|\.\*$/.test(alt)) continue;
    const info = classifyPep440(alt.replace(/\s+(?=[<>=!~])/g, ","));
    if (info.kind === "any" || info.kind === "unbounded") unbounded = true;
  }
  return { kind: unbounded ? "unbounded" : "bounded" };
}

/** A direct reference (`name @ url`, a requirements line that is a URL, a Poetry/uv git/url/path key). */
export function classifyPythonUrl(url: string): SpecInfo {
  const u = url.trim();
  if (/^git\+|^(git|hg|svn|bzr)\+?/i.test(u)) return { kind: "git", insecure: /^(git\+)?(git|http):\/\//i.test(u) };
  if (/^https?:\/\//i.test(u)) return { kind: "url", insecure: /^http:\/\//i.test(u) };
  return { kind: "file" };
}
