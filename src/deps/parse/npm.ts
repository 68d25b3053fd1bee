// npm-side manifests: package.json (dependency sections, overrides, install scripts) and the
// lockfiles npm, Yarn and pnpm write. Only entries on added lines are returned.
import { findNodeAtLocation, parseTree, type Node, type ParseError } from "jsonc-parser";
import semver from "semver";
import type { AddedLines } from "../../findings.js";
import type { DependencyRef, InstallScriptRef, ParsedManifest } from "../types.js";
import { isAdded, LineIndex, spanOf } from "./lines.js";

export const NPM_DEPENDENCY_SECTIONS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;
/** Version overrides: npm's `overrides`, Yarn's `resolutions`, pnpm's `pnpm.overrides`. */
const OVERRIDE_SECTIONS: string[][] = [["overrides"], ["resolutions"], ["pnpm", "overrides"]];
/** Scripts npm runs on `npm install` of the package (and of the project itself). */
export const INSTALL_HOOKS = ["preinstall", "install", "postinstall", "prepare", "prepublish"] as const;

const PUBLIC_NPM_HOSTS = new Set(["registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"]);

/** `@scope/name@range` or `name@range` -> [name, range]. */
export function splitNameAt(descriptor: string): [string, string] {
  const at = descriptor.indexOf("@", descriptor.startsWith("@") ? 1 : 0);
  return at < 0 ? [descriptor, ""] : [descriptor.slice(0, at), descriptor.slice(at + 1)];
}

/** An npm alias `npm:real-name@range` -> the real name and range. */
export function resolveAlias(name: string, spec: string): { name: string; spec: string } {
  const m = /^npm:(.+)$/i.exec(spec.trim());
  if (!m) return { name, spec };
  // `npm:^1.2.0` (Yarn Berry's explicit protocol) is a range for the same name, not an alias.
  if (semver.validRange(m[1]!) !== null) return { name, spec: m[1]! };
  const [real, range] = splitNameAt(m[1]!);
  return { name: real, spec: range };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

function isPublicResolved(resolved: string | undefined): boolean {
  if (!resolved) return true;
  try {
    return PUBLIC_NPM_HOSTS.has(new URL(resolved).hostname);
  } catch {
    return false;
  }
}

function parseJson(content: string): { root: Node | undefined; error?: string } {
  const errors: ParseError[] = [];
  const root = parseTree(content, errors, { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== "object") return { root: undefined, error: "not a JSON object" };
  return errors.length > 0 ? { root: undefined, error: `JSON syntax error at offset ${errors[0]!.offset}` } : { root };
}

function properties(node: Node | undefined): Array<{ key: string; keyNode: Node; value: Node }> {
  if (!node || node.type !== "object") return [];
  const out: Array<{ key: string; keyNode: Node; value: Node }> = [];
  for (const prop of node.children ?? []) {
    const [keyNode, value] = prop.children ?? [];
    if (keyNode && value && typeof keyNode.value === "string") out.push({ key: keyNode.value, keyNode, value });
  }
  return out;
}

export function parsePackageJson(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "npm", kind: "package.json", dependencies: [], installScripts: [] };
  const { root, error } = parseJson(content);
  if (!root) return { ...result, error: `package.json: ${error}` };
  const idx = new LineIndex(content);
  const privateNode = findNodeAtLocation(root, ["private"]);
  if (privateNode?.value === true) result.applicationHint = true;

  const add = (name: string, spec: string, keyNode: Node, valueNode: Node, section: string, rangeExpected: boolean) => {
    const line = idx.lineOf(valueNode.offset);
    if (!isAdded(added, line) && !isAdded(added, idx.lineOf(keyNode.offset))) return;
    const lineText = idx.text(line);
    const real = resolveAlias(name, spec);
    const span = spanOf(lineText, JSON.stringify(name));
    const ref: DependencyRef = {
      ecosystem: "npm", name: real.name, spec: real.spec, path, line, ...span, lineText, source: "manifest", section,
    };
    const exact = semver.valid(real.spec.trim().replace(/^[=v]+/, ""));
    if (exact && /^=?v?\d/.test(real.spec.trim())) {
      ref.version = exact;
      const at = lineText.indexOf(exact, idx.columnOf(valueNode.offset) - 1);
      if (at >= 0 && real.spec === spec) ref.versionIndex = at;
    }
    if (rangeExpected) ref.rangeExpected = true;
    result.dependencies.push(ref);
  };

  for (const section of NPM_DEPENDENCY_SECTIONS) {
    for (const { key, keyNode, value } of properties(findNodeAtLocation(root, [section]))) {
      if (typeof value.value === "string") add(key, value.value, keyNode, value, section, section === "peerDependencies");
    }
  }
  // Overrides nest (`{"a": {"b": "1.0.0"}}`, `"a@1": "2"`, `"a/b"` in resolutions); each leaf names a package.
  const walkOverrides = (node: Node | undefined, section: string) => {
    for (const { key, keyNode, value } of properties(node)) {
      const name = key === "." ? undefined : splitNameAt(key.split("/**/").pop()!.replace(/^\*\*\//, ""))[0];
      if (value.type === "object") walkOverrides(value, section);
      else if (name && typeof value.value === "string" && !value.value.startsWith("$")) add(name, value.value, keyNode, value, section, false);
    }
  };
  for (const where of OVERRIDE_SECTIONS) walkOverrides(findNodeAtLocation(root, where), where.join("."));

  for (const { key, value } of properties(findNodeAtLocation(root, ["scripts"]))) {
    if (!(INSTALL_HOOKS as readonly string[]).includes(key) || typeof value.value !== "string") continue;
    const line = idx.lineOf(value.offset);
    if (!isAdded(added, line)) continue;
    const lineText = idx.text(line);
    const script: InstallScriptRef = { path, hook: key, command: value.value, line, ...spanOf(lineText, JSON.stringify(key)), lineText };
    result.installScripts.push(script);
  }
  return result;
}

/** package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 and 3. */
export function parsePackageLock(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "npm", kind: "package-lock.json", dependencies: [], installScripts: [] };
  const { root, error } = parseJson(content);
  if (!root) return { ...result, error: `${path.split("/").pop()}: ${error}` };
  const idx = new LineIndex(content);
  const seen = new Set<string>();

  const entry = (name: string, body: Node, section: string) => {
    if (body.type !== "object") return;
    const get = (key: string) => findNodeAtLocation(body, [key]);
    if (get("link")?.value === true) return;
    const versionNode = get("version");
    if (!versionNode || typeof versionNode.value !== "string") return;
    const version = semver.valid(versionNode.value);
    if (!version) return;
    const line = idx.lineOf(versionNode.offset);
    if (!isAdded(added, line)) return;
    const key = `${name}@${version}@${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    const lineText = idx.text(line);
    const resolved = get("resolved")?.value;
    const ref: DependencyRef = {
      ecosystem: "npm", name: typeof get("name")?.value === "string" ? (get("name")!.value as string) : name, spec: version, version,
      path, line, ...spanOf(lineText, version), lineText, source: "lock", section,
    };
    if (typeof resolved === "string") {
      const host = hostOf(resolved);
      if (host) ref.resolvedHost = host;
    }
    if (!isPublicResolved(typeof resolved === "string" ? resolved : undefined)) ref.privateSource = true;
    result.dependencies.push(ref);
  };

  const packages = findNodeAtLocation(root, ["packages"]);
  if (packages) {
    for (const { key, value } of properties(packages)) {
      const at = key.lastIndexOf("node_modules/");
      if (at < 0) continue; // the root project and workspace folders
      entry(key.slice(at + "node_modules/".length), value, "packages");
    }
    return result;
  }
  const walkV1 = (node: Node | undefined) => {
    for (const { key, value } of properties(node)) {
      entry(key, value, "dependencies");
      walkV1(findNodeAtLocation(value, ["dependencies"]));
    }
  };
  walkV1(findNodeAtLocation(root, ["dependencies"]));
  return result;
}

/** yarn.lock, classic (v1) and Berry (YAML-like) formats: each entry's `version` line. */
export function parseYarnLock(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "npm", kind: "yarn.lock", dependencies: [], installScripts: [] };
  const idx = new LineIndex(content);
  let current: { name: string; local: boolean } | undefined;
  let pending: DependencyRef | undefined;
  const flush = () => {
    if (pending) result.dependencies.push(pending);
    pending = undefined;
  };
  idx.lines.forEach((text, i) => {
    const line = i + 1;
    if (/^\S/.test(text) && !text.startsWith("#")) {
      flush();
      const first = text.replace(/:\s*$/, "").split(",")[0]!.trim().replace(/^"|"$/g, "");
      if (first === "__metadata") {
        current = undefined;
        return;
      }
      const [name, range] = splitNameAt(first);
      // Berry descriptors carry a protocol: npm: is the registry; workspace:, patch:, link:... are not.
      const protocol = /^([a-z]+):/.exec(range)?.[1];
      const real = protocol === "npm" ? resolveAlias(name, range) : { name, spec: range };
      current = { name: real.name, local: protocol !== undefined && protocol !== "npm" };
      return;
    }
    if (!current || current.local) return;
    const version = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(text)?.[1];
    if (version !== undefined) {
      const valid = semver.valid(version);
      if (!valid || !isAdded(added, line)) return;
      pending = {
        ecosystem: "npm", name: current.name, spec: valid, version: valid, path, line, ...spanOf(text, version), lineText: text,
        source: "lock", section: "yarn.lock",
      };
      return;
    }
    const resolved = /^\s+resolved:?\s+"?([^"\s]+)"?/.exec(text)?.[1];
    if (resolved && pending) {
      const host = hostOf(resolved.split("#")[0]);
      if (host) pending.resolvedHost = host;
      if (!isPublicResolved(resolved.split("#")[0])) pending.privateSource = true;
    }
  });
  flush();
  return result;
}

/**
 * pnpm-lock.yaml: the keys of the `packages:` map. v5 `/name/1.0.0`, v6 `/name@1.0.0(peer@2)`,
 * v9 `name@1.0.0` (quoted when scoped).
 */
export function parsePnpmLock(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "npm", kind: "pnpm-lock.yaml", dependencies: [], installScripts: [] };
  const idx = new LineIndex(content);
  let inPackages = false;
  let pending: DependencyRef | undefined;
  const flush = () => {
    if (pending) result.dependencies.push(pending);
    pending = undefined;
  };
  idx.lines.forEach((text, i) => {
    const line = i + 1;
    if (/^\S/.test(text)) {
      flush();
      inPackages = /^packages:\s*$/.test(text);
      return;
    }
    if (!inPackages) return;
    const key = /^ {2}(['"]?)(\/?[^\s'"]+?)\1:\s*$/.exec(text)?.[2];
    if (key !== undefined) {
      flush();
      const bare = key.replace(/^\//, "").replace(/\(.*$/, "").replace(/_.*$/, "");
      let name: string;
      let version: string;
      const v5 = /^(@[^/]+\/[^/]+|[^@/][^/]*)\/(\d[^/]*)$/.exec(bare);
      if (v5) [name, version] = [v5[1]!, v5[2]!];
      else [name, version] = splitNameAt(bare);
      const valid = semver.valid(version);
      if (!valid || !name || !isAdded(added, line)) return;
      pending = {
        ecosystem: "npm", name, spec: valid, version: valid, path, line, ...spanOf(text, key), lineText: text,
        source: "lock", section: "packages",
      };
      return;
    }
    const tarball = /^\s+resolution:\s*\{.*tarball:\s*([^,}\s]+)/.exec(text)?.[1];
    if (tarball && pending) {
      const host = hostOf(tarball);
      if (host) pending.resolvedHost = host;
      if (!isPublicResolved(tarball)) pending.privateSource = true;
    }
  });
  flush();
  return result;
}
