// Python-side manifests: requirements/constraints files, pyproject.toml (PEP 621, PEP 735,
// Poetry, PDM, uv), Pipfile, setup.cfg and setup.py. Only entries on added lines are returned.
import { parse as parseToml } from "smol-toml";
import type { AddedLines } from "../../findings.js";
import { classifyPep440, classifyPoetry } from "../specs.js";
import type { DependencyRef, ParsedManifest } from "../types.js";
import { isAdded, LineIndex, spanOf } from "./lines.js";
import { parseRequirement } from "./pep508.js";

const PYPI_HOSTS = /^https?:\/\/(pypi\.org|pypi\.python\.org|files\.pythonhosted\.org)(\/|$)/i;

type Partial = Omit<DependencyRef, "path" | "line" | "column" | "endColumn" | "lineText" | "ecosystem" | "source">;

function withVersionIndex(ref: DependencyRef): DependencyRef {
  if (ref.version !== undefined) {
    const from = ref.lineText.toLowerCase().indexOf(ref.name.toLowerCase());
    const at = ref.lineText.indexOf(ref.version, Math.max(0, from + ref.name.length));
    if (at >= 0) ref.versionIndex = at;
  }
  return ref;
}

/** A PEP 508 string -> the dependency fields (no position). */
function fromPep508(text: string, section: string): Partial | undefined {
  const req = parseRequirement(text);
  if (!req) return undefined;
  if (req.url !== undefined) return { name: req.name, spec: req.url, section };
  const info = classifyPep440(req.specifier);
  const out: Partial = { name: req.name, spec: req.specifier, section };
  if (info.kind === "exact") out.version = info.version!;
  return out;
}

// ---- requirements.txt ----------------------------------------------------------------------

/** requirements*.txt / constraints*.txt (pip's format, continuation lines and options included). */
export function parseRequirementsTxt(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "PyPI", kind: "requirements.txt", dependencies: [], installScripts: [], applicationHint: true };
  const idx = new LineIndex(content);
  // A file that points pip at another index installs from there: the public one says nothing.
  const privateIndex = /^\s*(-i|--index-url|--extra-index-url)[\s=]+(\S+)/m.exec(content);
  const isPrivate = privateIndex !== null && !PYPI_HOSTS.test(privateIndex[2]!);
  for (let i = 0; i < idx.lines.length; i++) {
    const first = i + 1;
    let text = idx.lines[i]!;
    let touched = isAdded(added, first);
    while (/\\\s*$/.test(text) && i + 1 < idx.lines.length) {
      i++;
      text = text.replace(/\\\s*$/, " ") + idx.lines[i]!;
      touched ||= isAdded(added, i + 1);
    }
    if (!touched) continue;
    const body = text.replace(/(^|\s)#.*$/, "").trim();
    if (body === "" || /^-(r|c)\b|^--(requirement|constraint|index-url|extra-index-url|find-links|trusted-host|no-index|pre)\b|^-[if]\b/.test(body)) continue;
    const lineText = idx.text(first);
    const base = { ecosystem: "PyPI" as const, path, line: first, lineText, source: "manifest" as const };
    const editable = /^(-e|--editable)[\s=]+(\S+)/.exec(body);
    const target = editable ? editable[2]! : body.split(/\s+--/)[0]!.trim();
    if (editable || /^(git\+|hg\+|svn\+|bzr\+|https?:|file:|\.{0,2}\/)/i.test(target)) {
      const egg = /#.*egg=([A-Za-z0-9._-]+)/.exec(target)?.[1];
      if (/^(\.{0,2}\/|\.$)/.test(target) && !egg) continue; // a local project folder
      const name = egg ?? /\/([A-Za-z0-9._]+?)-\d[^/]*\.(whl|tar\.gz|zip)$/.exec(target)?.[1] ?? target;
      result.dependencies.push({ ...base, name, spec: target, ...spanOf(lineText, target.slice(0, 40)), section: "requirements" });
      continue;
    }
    const partial = fromPep508(target, "requirements");
    if (!partial) continue;
    const ref: DependencyRef = { ...base, ...partial, ...spanOf(lineText, partial.name) };
    if (isPrivate) ref.privateSource = true;
    result.dependencies.push(withVersionIndex(ref));
  }
  return result;
}

// ---- TOML-based manifests ------------------------------------------------------------------

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** Finds the line each TOML value came from: smol-toml keeps no positions, so search the text. */
class TomlLocator {
  private readonly used = new Set<string>();
  constructor(private readonly idx: LineIndex) {}

  private sectionStart(header: string | undefined): number {
    if (!header) return 0;
    const re = new RegExp(`^\\s*\\[{1,2}\\s*${header.replace(/[.]/g, "\\s*\\.\\s*").replace(/[-]/g, "\\-")}\\s*\\]{1,2}\\s*(#.*)?$`);
    const i = this.idx.lines.findIndex((l) => re.test(l));
    return i < 0 ? 0 : i;
  }

  /** The line of a quoted array element, searched after the section header. */
  string(value: string, header?: string): number | undefined {
    const quoted = [JSON.stringify(value), `'${value}'`];
    return this.find((l) => quoted.some((q) => l.includes(q)), header, `s:${value}`);
  }

  /** The line of `key = ...` (a table entry), searched after the section header. */
  key(key: string, header?: string): number | undefined {
    const k = key.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
    const re = new RegExp(`^\\s*(["']?)${k}\\1\\s*=`, "i");
    return this.find((l) => re.test(l), header, `k:${key}`);
  }

  /** Each (line, value) is claimed once, so repeated values map to successive lines and one line can hold many values. */
  private find(test: (line: string) => boolean, header: string | undefined, value: string): number | undefined {
    const lines = this.idx.lines;
    for (const start of [this.sectionStart(header), 0]) {
      for (let i = start; i < lines.length; i++) {
        const claim = `${i}\0${value}`;
        if (!this.used.has(claim) && test(lines[i]!)) {
          this.used.add(claim);
          return i + 1;
        }
      }
    }
    return undefined;
  }
}

class TomlCollector {
  readonly idx: LineIndex;
  readonly locate: TomlLocator;
  constructor(
    readonly result: ParsedManifest,
    content: string,
    private readonly added: AddedLines,
    private readonly privateNames: Set<string>,
  ) {
    this.idx = new LineIndex(content);
    this.locate = new TomlLocator(this.idx);
  }

  push(partial: Partial, line: number | undefined, needle: string, extra: { rangeExpected?: boolean } = {}): void {
    if (line === undefined || !isAdded(this.added, line)) return;
    const lineText = this.idx.text(line);
    const ref: DependencyRef = {
      ecosystem: "PyPI", path: this.result.path, line, lineText, source: "manifest", ...partial, ...spanOf(lineText, needle),
    };
    if (this.privateNames.has(ref.name.toLowerCase())) ref.privateSource = true;
    if (extra.rangeExpected) ref.rangeExpected = true;
    this.result.dependencies.push(withVersionIndex(ref));
  }

  /** An array of PEP 508 strings. */
  pep508List(list: unknown, section: string, header: string | undefined, extra: { rangeExpected?: boolean } = {}): void {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== "string") continue;
      const partial = fromPep508(item, section);
      if (partial) this.push(partial, this.locate.string(item, header), partial.name, extra);
    }
  }

  /** A Poetry or Pipfile table: `name = "spec"` or `name = { version = ..., git = ... }`. */
  specTable(table: unknown, section: string, header: string, flavour: "poetry" | "pipfile"): void {
    if (!isTable(table)) return;
    for (const [name, raw] of Object.entries(table)) {
      if (name.toLowerCase() === "python") continue;
      const line = this.locate.key(name, header);
      const entries = Array.isArray(raw) ? raw : [raw];
      const first = entries[0];
      let spec = "";
      let isPrivate = false;
      if (typeof first === "string") spec = first;
      else if (isTable(first)) {
        const source = first.git ?? first.url ?? first.path ?? first.file ?? first.hg ?? first.svn;
        if (typeof first.path === "string" || typeof first.file === "string" && !/^https?:/i.test(first.file)) {
          if (first.develop === true || typeof first.path === "string") continue; // a local project
        }
        if (typeof source === "string") spec = typeof first.git === "string" && !/^git\+/.test(source) ? `git+${source}` : source;
        else if (typeof first.version === "string") spec = first.version;
        isPrivate = typeof first.source === "string" || typeof first.index === "string";
      }
      const info = flavour === "poetry" ? classifyPoetry(spec) : classifyPep440(spec === "*" ? "" : spec);
      const partial: Partial = { name, spec, section };
      if (info.kind === "exact" && !/^(git|https?|file):|^git\+/i.test(spec)) partial.version = info.version!;
      if (isPrivate) partial.privateSource = true;
      this.push(partial, line, name);
    }
  }
}

function parseTomlSafely(content: string, label: string): { doc?: Table; error?: string } {
  try {
    return { doc: parseToml(content) as Table };
  } catch (error) {
    return { error: `${label}: invalid TOML: ${(error as Error).message.split("\n")[0]}` };
  }
}

export function parsePyproject(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "PyPI", kind: "pyproject.toml", dependencies: [], installScripts: [] };
  const { doc, error } = parseTomlSafely(content, "pyproject.toml");
  if (!doc) return { ...result, error: error! };
  const tool = isTable(doc.tool) ? doc.tool : {};
  const poetry = isTable(tool.poetry) ? tool.poetry : undefined;
  const uv = isTable(tool.uv) ? tool.uv : undefined;
  const pdm = isTable(tool.pdm) ? tool.pdm : undefined;

  // Names routed to a private index (uv sources with `index`, Poetry `source`) are not public packages.
  const privateNames = new Set<string>();
  if (uv && isTable(uv.sources)) {
    for (const [name, src] of Object.entries(uv.sources)) if (isTable(src) && typeof src.index === "string") privateNames.add(name.toLowerCase());
  }
  // Applications: Poetry's non-package mode, uv's `package = false`.
  if (poetry?.["package-mode"] === false || uv?.package === false) result.applicationHint = true;

  const c = new TomlCollector(result, content, added, privateNames);
  const project = isTable(doc.project) ? doc.project : undefined;
  if (project) {
    c.pep508List(project.dependencies, "project.dependencies", "project");
    if (isTable(project["optional-dependencies"])) {
      for (const [group, list] of Object.entries(project["optional-dependencies"])) {
        c.pep508List(list, `project.optional-dependencies.${group}`, "project.optional-dependencies");
      }
    }
  }
  if (isTable(doc["dependency-groups"])) {
    for (const [group, list] of Object.entries(doc["dependency-groups"])) c.pep508List(list, `dependency-groups.${group}`, "dependency-groups");
  }
  const build = isTable(doc["build-system"]) ? doc["build-system"] : undefined;
  if (build) c.pep508List(build.requires, "build-system.requires", "build-system", { rangeExpected: true });

  if (poetry) {
    c.specTable(poetry.dependencies, "tool.poetry.dependencies", "tool.poetry.dependencies", "poetry");
    c.specTable(poetry["dev-dependencies"], "tool.poetry.dev-dependencies", "tool.poetry.dev-dependencies", "poetry");
    if (isTable(poetry.group)) {
      for (const [group, body] of Object.entries(poetry.group)) {
        if (isTable(body)) c.specTable(body.dependencies, `tool.poetry.group.${group}.dependencies`, `tool.poetry.group.${group}.dependencies`, "poetry");
      }
    }
  }
  if (pdm && isTable(pdm["dev-dependencies"])) {
    for (const [group, list] of Object.entries(pdm["dev-dependencies"])) c.pep508List(list, `tool.pdm.dev-dependencies.${group}`, "tool.pdm.dev-dependencies");
  }
  if (uv) {
    for (const key of ["dev-dependencies", "constraint-dependencies", "override-dependencies"]) c.pep508List(uv[key], `tool.uv.${key}`, "tool.uv");
    if (isTable(uv.sources)) {
      // A source replaces the registry for that name: git and URL sources are checked as such.
      for (const [name, src] of Object.entries(uv.sources)) {
        if (!isTable(src)) continue;
        const url = typeof src.git === "string" ? (src.git.startsWith("git+") ? src.git : `git+${src.git}`) : typeof src.url === "string" ? src.url : undefined;
        if (url) c.push({ name, spec: url, section: "tool.uv.sources" }, c.locate.key(name, "tool.uv.sources"), name);
      }
    }
  }
  return result;
}

export function parsePipfile(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "PyPI", kind: "Pipfile", dependencies: [], installScripts: [], applicationHint: true };
  const { doc, error } = parseTomlSafely(content, "Pipfile");
  if (!doc) return { ...result, error: error! };
  const sources = Array.isArray(doc.source) ? doc.source.filter(isTable) : [];
  const publicSources = sources.filter((s) => typeof s.url === "string" && PYPI_HOSTS.test(s.url));
  const allPrivate = sources.length > 0 && publicSources.length === 0;
  const c = new TomlCollector(result, content, added, new Set());
  for (const [section, table] of Object.entries(doc)) {
    if (["source", "requires", "pipenv", "scripts"].includes(section) || !isTable(table)) continue;
    const before = result.dependencies.length;
    c.specTable(table, section, section, "pipfile");
    if (allPrivate) for (const ref of result.dependencies.slice(before)) ref.privateSource = true;
  }
  return result;
}

// ---- setup.cfg / setup.py ------------------------------------------------------------------

const SETUP_KEYS = ["install_requires", "extras_require", "tests_require", "setup_requires"];

export function parseSetupCfg(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "PyPI", kind: "setup.cfg", dependencies: [], installScripts: [] };
  const idx = new LineIndex(content);
  let section = "";
  let key: string | undefined;
  idx.lines.forEach((text, i) => {
    const line = i + 1;
    const header = /^\s*\[([^\]]+)\]/.exec(text);
    if (header) {
      section = header[1]!.trim();
      key = undefined;
      return;
    }
    const assignment = /^(\S[^=:]*?)\s*[=:]\s*(.*)$/.exec(text);
    let value: string | undefined;
    if (assignment && !/^\s/.test(text)) {
      const name = assignment[1]!.trim();
      const inOptions = section === "options" && SETUP_KEYS.includes(name);
      key = inOptions || section === "options.extras_require" ? `${section}.${name}` : undefined;
      value = key ? assignment[2] : undefined;
    } else if (key && /^\s+\S/.test(text)) value = text;
    else if (!/^\s*$/.test(text)) key = undefined;
    if (value === undefined || !key) return;
    const body = value.replace(/(^|\s)#.*$/, "").trim();
    if (body === "" || !isAdded(added, line)) return;
    const partial = fromPep508(body, key);
    if (!partial) return;
    result.dependencies.push(withVersionIndex({
      ecosystem: "PyPI", path, line, lineText: text, source: "manifest", ...partial, ...spanOf(text, partial.name),
    }));
  });
  return result;
}

/** setup.py: the string literals inside `install_requires=[...]` and the other requirement keywords. */
export function parseSetupPy(path: string, content: string, added: AddedLines): ParsedManifest {
  const result: ParsedManifest = { path, ecosystem: "PyPI", kind: "setup.py", dependencies: [], installScripts: [] };
  const idx = new LineIndex(content);
  const keyword = new RegExp(`\\b(${SETUP_KEYS.join("|")})\\s*=\\s*([\\[({])`, "g");
  for (let m = keyword.exec(content); m; m = keyword.exec(content)) {
    // The bracketed value: scan to its matching close, skipping string contents.
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (let i = end; i < content.length; i++) {
      const ch = content[i]!;
      if (ch === '"' || ch === "'") {
        const close = content.indexOf(ch, i + 1);
        i = close < 0 ? content.length : close;
        continue;
      }
      if (ch === "#") {
        const nl = content.indexOf("\n", i);
        i = nl < 0 ? content.length : nl;
        continue;
      }
      if ("[({".includes(ch)) depth++;
      else if ("])}".includes(ch) && --depth === 0) {
        end = i;
        break;
      }
    }
    const region = content.slice(m.index, end + 1);
    const strings = /(["'])((?:\\.|(?!\1)[^\\\n])*)\1(\s*:)?/g;
    for (let s = strings.exec(region); s; s = strings.exec(region)) {
      if (s[3]) continue; // a dict key of extras_require
      const offset = m.index + s.index;
      const line = idx.lineOf(offset);
      if (!isAdded(added, line)) continue;
      const partial = fromPep508(s[2]!, m[1]!);
      if (!partial) continue;
      const lineText = idx.text(line);
      result.dependencies.push(withVersionIndex({
        ecosystem: "PyPI", path, line, lineText, source: "manifest", ...partial, ...spanOf(lineText, partial.name),
      }));
    }
    keyword.lastIndex = end + 1;
  }
  return result;
}
