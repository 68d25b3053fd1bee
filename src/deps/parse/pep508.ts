// PEP 508 requirement strings: `name[extras] specifiers ; marker` and `name @ url`.
// https://packaging.python.org/en/latest/specifications/dependency-specifiers/

export interface Requirement {
  name: string;
  extras: string;
  /** The specifier set (`>=1.0,<2`), empty when none. */
  specifier: string;
  /** A direct reference (`name @ https://...`). */
  url?: string;
  marker: string;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;

export function parseRequirement(text: string): Requirement | undefined {
  const m = NAME.exec(text);
  if (!m) return undefined;
  let rest = text.slice(m[0].length);
  const req: Requirement = { name: m[1]!, extras: m[2] ?? "", specifier: "", marker: "" };
  if (rest.startsWith("@")) {
    const url = /^@\s*(\S+)/.exec(rest)?.[1] ?? "";
    req.url = url;
    const semi = rest.indexOf(" ;");
    req.marker = semi >= 0 ? rest.slice(semi + 2).trim() : "";
    return req;
  }
  const semi = rest.indexOf(";");
  if (semi >= 0) {
    req.marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
  }
  rest = rest.trim().replace(/^\((.*)\)$/, "$1").trim();
  if (rest !== "" && !/^(~=|===|==|!=|<=|>=|<|>)/.test(rest)) return undefined;
  req.specifier = rest;
  return req;
}

/** PEP 503 normalised name: what PyPI and OSV key a project by. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
