// Check 3: a new dependency whose name is one slip away from a popular package's name
// (a changed, missing, doubled or swapped character, `-`/`_`/`.` confusion, a dropped scope)
// and that is not itself popular.
import { isEstablished, popularList, registryKey } from "./popular.js";
import type { Ecosystem } from "./types.js";

export type SquatKind = "one-edit" | "swapped" | "doubled" | "missing" | "separator" | "scope-dropped";

export interface SquatMatch {
  /** The popular package the name imitates. */
  target: string;
  kind: SquatKind;
}

/** Shorter popular names are one edit away from too many honest names to be worth flagging. */
const MIN_TARGET_LENGTH = 5;

/** How `a` differs from `b` when they are exactly one edit apart (Damerau), else undefined. */
export function oneEdit(a: string, b: string): Exclude<SquatKind, "separator" | "scope-dropped"> | undefined {
  const la = a.length;
  const lb = b.length;
  if (a === b || Math.abs(la - lb) > 1) return undefined;
  // Trim the common prefix and suffix; what is left of each is the edit.
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let ja = la - 1;
  let jb = lb - 1;
  while (ja >= i && jb >= i && a.charCodeAt(ja) === b.charCodeAt(jb)) {
    ja--;
    jb--;
  }
  const da = ja - i + 1;
  const db = jb - i + 1;
  if (la === lb) {
    if (da === 1) return "one-edit";
    if (da === 2 && a[i] === b[i + 1] && a[i + 1] === b[i]) return "swapped";
    return undefined;
  }
  if (la > lb) {
    if (da !== 1 || db !== 0) return undefined;
    return a[i] === a[i - 1] || a[i] === a[i + 1] ? "doubled" : "one-edit";
  }
  return db === 1 && da === 0 ? "missing" : undefined;
}

const separators = (name: string) => name.replace(/[-_.]/g, "");

interface Target {
  name: string;
  scope: string;
  bareLength: number;
}

interface Index {
  byLength: Map<number, Target[]>;
  bySeparatorless: Map<string, string>;
  /** `scope-name`, `scopename`, `scope_name`, `scope.name` -> `@scope/name` */
  byDroppedScope: Map<string, string>;
}

const indexes = new Map<Ecosystem, Index>();

function indexFor(ecosystem: Ecosystem): Index {
  let index = indexes.get(ecosystem);
  if (index) return index;
  index = { byLength: new Map(), bySeparatorless: new Map(), byDroppedScope: new Map() };
  for (const name of popularList(ecosystem).names) {
    const bucket = index.byLength.get(name.length) ?? [];
    bucket.push({ name, scope: scopeOf(name), bareLength: bare(name).length });
    index.byLength.set(name.length, bucket);
    if (ecosystem === "npm") {
      const key = separators(name);
      if (!index.bySeparatorless.has(key)) index.bySeparatorless.set(key, name);
      const scoped = /^@([^/]+)\/(.+)$/.exec(name);
      if (scoped && scoped[1] !== "types") {
        for (const sep of ["-", "", "_", "."]) {
          const dropped = `${scoped[1]}${sep}${scoped[2]}`;
          if (!index.byDroppedScope.has(dropped)) index.byDroppedScope.set(dropped, name);
        }
      }
    }
  }
  indexes.set(ecosystem, index);
  return index;
}

/** `cli-table` / `cli-table3`, `agent-v5` / `agent-v6`: a numbered sibling, not an imitation. */
function versionSuffixOnly(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/\d+$/, "");
  return strip(a) === strip(b) && (/\d$/.test(a) || /\d$/.test(b));
}

function scopeOf(name: string): string {
  return /^@[^/]+\//.exec(name)?.[0] ?? "";
}

function bare(name: string): string {
  return name.replace(/^@[^/]+\//, "");
}

export function findTyposquat(ecosystem: Ecosystem, rawName: string): SquatMatch | undefined {
  const name = registryKey(ecosystem, rawName);
  if (isEstablished(ecosystem, name)) return undefined;
  const index = indexFor(ecosystem);
  if (ecosystem === "npm") {
    const scopeTarget = index.byDroppedScope.get(name);
    if (scopeTarget) return { target: scopeTarget, kind: "scope-dropped" };
    const sepTarget = index.bySeparatorless.get(separators(name));
    if (sepTarget && sepTarget !== name && bare(sepTarget).length >= 3) return { target: sepTarget, kind: "separator" };
  }
  const { rank } = popularList(ecosystem);
  const nameScope = scopeOf(name);
  let best: SquatMatch | undefined;
  let bestRank = Infinity;
  for (const length of [name.length - 1, name.length, name.length + 1]) {
    for (const target of index.byLength.get(length) ?? []) {
      const candidate = target.name;
      // Inside one scope only the bare name counts (`@types/ws` and `@types/wx` are both honest).
      const sameScope = target.scope !== "" && target.scope === nameScope;
      if ((sameScope ? target.bareLength : candidate.length) < MIN_TARGET_LENGTH) continue;
      const kind = oneEdit(name, candidate);
      if (!kind || versionSuffixOnly(name, candidate)) continue;
      const r = rank.get(candidate)!;
      if (r < bestRank) {
        best = { target: candidate, kind };
        bestRank = r;
      }
    }
  }
  return best;
}
