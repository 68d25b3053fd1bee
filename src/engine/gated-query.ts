// A set of query patterns, grouped by the keywords they require and run only where those
// keywords occur. Text predicates run in JavaScript after the native match and each raw match
// costs a round trip, so the speed comes from never running a pattern on lines it cannot match.
import Parser from "tree-sitter";
import { KeywordAutomaton } from "../text/keyword-automaton.js";
import { CANONICAL_PREDICATE, extractEnginePredicates, gatesOfPattern, splitPatterns, type EnginePredicate, type Literal } from "./gates.js";
import { grammarLanguage, type GrammarId } from "./languages.js";
import { RuleLoadError } from "./load-rules.js";
import { namesOf, type NameTable } from "./names/index.js";
import type { MatchCheck, MatchContext } from "./pattern/index.js";

type Node = Parser.SyntaxNode;

/** One query text from a rule, and what its matches stand for. */
export interface QuerySlot<R> {
  text: string;
  roles: R[];
  /** Where the text came from, for error messages. */
  origin: { file: string; field: string };
  /** Literal sets from the rules' capture constraints, per role; see gatesOfPattern. */
  constraintGates?: (role: R) => Array<{ capture: string; regex: string }>;
  /** Gates known from elsewhere (a compiled code pattern), instead of deriving them from the text. */
  gates?: Literal[][];
  /** Decides on each native match in JavaScript (a code pattern's structural match). */
  check?: MatchCheck;
  /**
   * A code pattern: the node types its matches have. Such patterns share one childless query per
   * node type (see run), instead of a native query per group: tree-sitter's cost of building a
   * query is mostly per query, and the check does the structural matching anyway.
   */
  rootTypes?: string[];
}

/** Captures a match stands for, after its pattern's check. */
type Captures = Parser.QueryCapture[];

/** Patterns with the same requirements, compiled together on first use. */
interface PatternGroup<R> {
  /** Keyword sets (as automaton indices) the patterns require: some keyword of each. Empty: ungated. */
  requires: number[][];
  source: string;
  roles: R[][];
  /** Per pattern: the check its matches must pass (code patterns, engine predicates, comments). */
  checks: Array<MatchCheck | undefined>;
  /** Per pattern: its text and origin, to name the rule when the group does not compile. */
  patterns: Array<{ source: string; origin: { file: string; field: string } }>;
  /** Code patterns only (a typed group): per pattern, the node types its candidates have. */
  types?: string[][];
  query?: Parser.Query;
}

export interface LineIndex {
  rowOf(offset: number): number;
}

/** A query that does not compile: a rule load error naming the rule file and field, also when found at first use. */
export class QueryCompileError extends RuleLoadError {
  constructor(
    readonly origin: { file: string; field: string },
    detail: string,
  ) {
    super(origin.file, origin.field, detail);
  }
}

/**
 * Rows closer than this are queried as one range. A query call costs a descent from the root,
 * about as much as walking a handful of rows, so nearer hits share a call and farther ones do
 * not: never cap the number of ranges, or a large file's ranges widen into full passes.
 */
const ROW_MERGE_GAP = 6;

/** Sorted rows to [first, last] ranges, merging rows closer than `gap`. */
export function mergeRows(rows: number[], gap: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const row of rows) {
    const last = ranges[ranges.length - 1];
    if (last && row <= last[1] + gap) last[1] = Math.max(last[1], row);
    else ranges.push([row, row]);
  }
  return ranges;
}

export class GatedQuery<R> {
  private constructor(
    private readonly grammar: GrammarId,
    private readonly language: Parser.Language,
    private readonly groups: PatternGroup<R>[],
    private readonly keywords: KeywordAutomaton | undefined,
    /** Per automaton keyword, the exact spellings and boundaries a hit must have. */
    private readonly variants: Literal[][],
    /** Origins of patterns with no gate: each file gets a full pass for them. */
    readonly ungated: string[],
  ) {}

  /**
   * Groups the slots' patterns by the keywords they require. Nothing native is compiled here:
   * a group compiles on first use (or in compileAll), and its patterns one by one only when the
   * group does not compile, to name the rule at fault.
   */
  static build<R>(grammar: GrammarId, slots: QuerySlot<R>[], options: { gating?: boolean } = {}): GatedQuery<R> | undefined {
    if (slots.length === 0) return undefined;
    const language = grammarLanguage(grammar);
    const keywordIndex = new Map<string, number>();
    const variants: Literal[][] = [];
    const groups = new Map<string, PatternGroup<R>>();
    const ungated: string[] = [];
    const requirementsIndex = (sets: Literal[][]): number[][] =>
      sets.map((set) => [
          ...new Set(
            set.map((original) => {
              const key = original.text.toLowerCase();
              if (!keywordIndex.has(key)) {
                keywordIndex.set(key, keywordIndex.size);
                variants.push([]);
              }
              const index = keywordIndex.get(key)!;
              const known = variants[index]!;
              // A boundary only tells something next to an identifier character: "()" may follow "f".
              const literal: Literal = {
                text: original.text,
                left: original.left && isIdentifierChar(original.text.charCodeAt(0)),
                right: original.right && isIdentifierChar(original.text.charCodeAt(original.text.length - 1)),
                canonical: original.canonical,
              };
              const same = known.find((v) => v.text === literal.text && v.canonical === literal.canonical);
              // The loosest boundaries win when two patterns share a literal.
              if (!same) known.push(literal);
              else {
                same.left &&= literal.left;
                same.right &&= literal.right;
              }
              return index;
            }),
          ),
        ].sort((a, b) => a - b));
    for (const slot of slots) {
      if (slot.rootTypes) {
        const sets = options.gating === false ? [] : (slot.gates ?? []);
        if (sets.length === 0 && options.gating !== false) ungated.push(`${slot.origin.file}: ${slot.origin.field}`);
        const requires = requirementsIndex(sets);
        const key = `typed:${JSON.stringify(requires.map((r) => r.join(",")).sort())}`;
        const group = groups.get(key) ?? { requires, source: "", roles: [], checks: [], patterns: [], types: [] };
        group.roles.push(slot.roles);
        group.checks.push(slot.check);
        group.patterns.push({ source: slot.text, origin: slot.origin });
        group.types!.push(slot.rootTypes);
        groups.set(key, group);
        continue;
      }
      const { text, predicates } = extractEnginePredicates(slot.text);
      const ranges = splitPatterns(text);
      if (ranges.length === 0) throw new QueryCompileError(slot.origin, `invalid query for ${grammar}: no pattern in it`);
      for (const { start, end } of ranges) {
        const source = text.slice(start, end);
        const own = predicates.filter((p) => p.pos >= start && p.pos < end);
        // Without gating (a test baseline), every pattern runs on the whole file.
        const sets = options.gating === false ? [] : (slot.gates ?? requirementsOf(slot.text.slice(start, end), slot));
        if (sets.length === 0 && options.gating !== false) ungated.push(`${slot.origin.file}: ${slot.origin.field}`);
        const requires = requirementsIndex(sets);
        const key = JSON.stringify(requires.map((r) => r.join(",")).sort());
        const group = groups.get(key) ?? { requires, source: "", roles: [], checks: [], patterns: [] };
        group.source += source.trim() + "\n";
        group.roles.push(slot.roles);
        group.checks.push(combineChecks(slot.check, canonicalCheck(own), /\bcomment\b/.test(source) ? undefined : withoutComments));
        group.patterns.push({ source: source.trim(), origin: slot.origin });
        groups.set(key, group);
      }
    }
    const automaton = keywordIndex.size > 0 ? automatonOf([...keywordIndex.keys()]) : undefined;
    return new GatedQuery(grammar, language, [...groups.values()], automaton, variants, ungated);
  }

  private compiled(group: PatternGroup<R>): Parser.Query {
    if (group.query) return group.query;
    let query: Parser.Query;
    try {
      query = new Parser.Query(this.language, group.source);
    } catch (error) {
      // Name the rule: the first pattern that does not compile on its own.
      for (const pattern of group.patterns) {
        try {
          new Parser.Query(this.language, pattern.source);
        } catch (own) {
          throw new QueryCompileError(pattern.origin, `invalid query for ${this.grammar}: ${(own as Error).message}`);
        }
      }
      throw new QueryCompileError(group.patterns[0]!.origin, `invalid query for ${this.grammar}: ${(error as Error).message}`);
    }
    const count = (query as unknown as { predicates: unknown[] }).predicates.length;
    if (count !== group.roles.length) {
      throw new QueryCompileError(group.patterns[0]!.origin, `invalid query for ${this.grammar}: expected ${group.roles.length} patterns, tree-sitter read ${count}`);
    }
    group.query = query;
    return query;
  }

  /** Compile every group now (start-up, or to validate rules), instead of on first use. */
  compileAll(): void {
    for (const _ of this.compileSteps());
  }

  /** compileAll one group per step, so a caller can let its event loop turn in between. */
  *compileSteps(): Generator<void> {
    for (const group of this.groups) {
      if (group.types) for (const types of group.types) for (const type of types) this.typeQuery(type, group.patterns[0]!.origin);
      else this.compiled(group);
      yield;
    }
  }

  /** One childless query per node type, shared by every code pattern whose matches have that type. */
  private readonly typeQueries = new Map<string, Parser.Query>();

  private typeQuery(type: string, origin: { file: string; field: string }): Parser.Query {
    let query = this.typeQueries.get(type);
    if (!query) {
      try {
        query = new Parser.Query(this.language, `(${type}) @match`);
      } catch (error) {
        throw new QueryCompileError(origin, `invalid query for ${this.grammar}: ${(error as Error).message}`);
      }
      this.typeQueries.set(type, query);
    }
    return query;
  }

  /**
   * Code patterns: the rows where each pattern's gates hit, unioned per node type; one pass of
   * that type's query per merged range; each node checked against the patterns of its type
   * whose gates hit. A node outside a pattern's own rows may be checked too: the check matches
   * the whole pattern, so that costs time, never a wrong match.
   */
  private runTyped(
    groups: PatternGroup<R>[],
    root: Node,
    text: string,
    lines: LineIndex,
    context: MatchContext,
    within: [number, number] | undefined,
    wanted: ((role: R) => boolean) | undefined,
    out: Array<{ roles: R[]; captures: Captures }>,
  ): void {
    const byType = new Map<string, { rows: number[]; whole: boolean; patterns: Array<{ group: PatternGroup<R>; index: number; rows?: number[] }> }>();
    for (const group of groups) {
      let hitRows: number[] | undefined;
      if (group.requires.length > 0) {
        const rows = this.keywordRows(text, lines, context);
        const rarest = this.rarestSet(group, rows);
        if (!rarest) continue;
        hitRows = rarest.length === 1 ? rows[rarest[0]!]! : rarest.flatMap((k) => rows[k]!).sort((a, b) => a - b);
        if (within) hitRows = hitRows.filter((row) => row >= within[0] && row <= within[1]);
        if (hitRows.length === 0) continue;
      }
      group.types!.forEach((types, index) => {
        if (wanted && !group.roles[index]!.some(wanted)) return;
        for (const type of types) {
          const entry = byType.get(type) ?? { rows: [], whole: false, patterns: [] };
          if (hitRows) entry.rows.push(...hitRows);
          else entry.whole = true;
          entry.patterns.push({ group, index, rows: hitRows });
          byType.set(type, entry);
        }
      });
    }
    for (const [type, entry] of byType) {
      const query = this.typeQuery(type, entry.patterns[0]!.group.patterns[entry.patterns[0]!.index]!.origin);
      const ranges: Array<[number, number] | undefined> = entry.whole
        ? [within]
        : mergeRows([...new Set(entry.rows)].sort((a, b) => a - b), ROW_MERGE_GAP);
      const seen = ranges.length > 1 ? new Set<number>() : undefined;
      for (const range of ranges) {
        const matches = range
          ? query.matches(root, { startPosition: { row: range[0], column: 0 }, endPosition: { row: range[1] + 1, column: 0 } })
          : query.matches(root);
        for (const match of matches) {
          const node = match.captures[0]!.node;
          if (seen) {
            const id = node.id;
            if (seen.has(id)) continue;
            seen.add(id);
          }
          const captures = [{ name: "match", node }];
          let first = -1;
          let last = -1;
          for (const { group, index, rows } of entry.patterns) {
            // Every match contains its pattern's literals, so it touches a row where they hit.
            if (rows) {
              if (first < 0) {
                first = node.startPosition.row;
                last = node.endPosition.row;
              }
              if (!touches(rows, first, last)) continue;
            }
            const checked = group.checks[index]!(captures, context);
            if (checked) out.push({ roles: group.roles[index]!, captures: checked });
          }
        }
      }
    }
  }

  /** Keyword hit rows of the last text scanned, reused while the same file is analysed. */
  private hitCache: { text: string; rows: number[][] } | undefined;

  private keywordRows(text: string, lines: LineIndex, context: MatchContext): number[][] {
    if (this.hitCache?.text === text) return this.hitCache.rows;
    const rowsByKeyword: number[][] = this.keywords ? this.keywords.keywords.map(() => []) : [];
    if (this.keywords) {
      const hits = this.keywords.scan(text);
      for (let i = 0; i < hits.count; i++) {
        const keyword = hits.keywords[i]!;
        const start = hits.starts[i]!;
        if (this.variants[keyword]!.some((v) => matchesAt(text, start, v))) rowsByKeyword[keyword]!.push(lines.rowOf(start));
      }
      this.addAliasRows(text, lines, context, rowsByKeyword);
    }
    this.hitCache = { text, rows: rowsByKeyword };
    return rowsByKeyword;
  }

  /**
   * A canonical name's last segment may be missing where the file spells it by an alias
   * (`const { exec: run } = require("child_process")`; `run(cmd)`): the alias's rows count too.
   */
  private addAliasRows(text: string, lines: LineIndex, context: MatchContext, rowsByKeyword: number[][]): void {
    let names: NameTable | undefined;
    this.variants.forEach((variants, keyword) => {
      for (const variant of variants) {
        if (!variant.canonical) continue;
        const module = variant.canonical.slice(0, variant.canonical.indexOf("."));
        // An alias needs an import naming the module in the file.
        if (!text.includes(module)) continue;
        names ??= context.names();
        for (const alias of names.aliasesOf(variant.canonical)) {
          const pattern = new RegExp(`(?<![\\w$])${alias.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
          const rows = rowsByKeyword[keyword]!;
          for (let m = pattern.exec(text); m; m = pattern.exec(text)) rows.push(lines.rowOf(m.index));
          rows.sort((a, b) => a - b);
        }
      }
    });
  }

  /**
   * Every match of every pattern, each with the roles of its pattern; `within` (0-based rows,
   * inclusive) limits the search to matches that touch those rows.
   */
  run(
    root: Node,
    text: string,
    lines: LineIndex,
    within?: [number, number],
    wanted?: (role: R) => boolean,
  ): Array<{ roles: R[]; captures: Captures }> {
    const out: Array<{ roles: R[]; captures: Captures }> = [];
    const context = matchContext(root, this.grammar);
    const typed: PatternGroup<R>[] = [];
    for (const group of this.groups) {
      if (wanted && !group.roles.some((roles) => roles.some(wanted))) continue;
      if (group.types) {
        typed.push(group);
        continue;
      }
      if (group.requires.length === 0) {
        const matches = within
          ? this.compiled(group).matches(root, { startPosition: { row: within[0], column: 0 }, endPosition: { row: within[1] + 1, column: 0 } })
          : this.compiled(group).matches(root);
        this.collect(group, matches, out, undefined, context);
        continue;
      }
      const rows = this.keywordRows(text, lines, context);
      const rarest = this.rarestSet(group, rows);
      if (!rarest) continue;
      let hitRows = rarest.length === 1 ? rows[rarest[0]!]! : rarest.flatMap((k) => rows[k]!).sort((a, b) => a - b);
      if (within) hitRows = hitRows.filter((row) => row >= within[0] && row <= within[1]);
      if (hitRows.length === 0) continue;
      const ranges = mergeRows(hitRows, ROW_MERGE_GAP);
      const query = this.compiled(group);
      const seen = ranges.length > 1 ? new Set<string>() : undefined;
      for (const [first, last] of ranges) {
        const matches = query.matches(root, { startPosition: { row: first, column: 0 }, endPosition: { row: last + 1, column: 0 } });
        this.collect(group, matches, out, seen, context);
      }
    }
    if (typed.length > 0) this.runTyped(typed, root, text, lines, context, within, wanted, out);
    return out;
  }

  /** The required keyword set with the fewest hits, or undefined when some set has none. */
  private rarestSet(group: PatternGroup<R>, rows: number[][]): number[] | undefined {
    let rarest: number[] | undefined;
    let rarestCount = Infinity;
    for (const set of group.requires) {
      let count = 0;
      for (const k of set) count += rows[k]!.length;
      if (count === 0) return undefined;
      if (count < rarestCount) {
        rarest = set;
        rarestCount = count;
      }
    }
    return rarest;
  }

  /** Could some pattern with a wanted role match this text at all? Keyword presence only. */
  mayMatch(text: string, lines: LineIndex, wanted: (role: R) => boolean, root: Node): boolean {
    const context = matchContext(root, this.grammar);
    return this.groups.some(
      (group) =>
        group.roles.some((roles) => roles.some(wanted)) && (group.requires.length === 0 || this.rarestSet(group, this.keywordRows(text, lines, context)) !== undefined),
    );
  }

  private collect(group: PatternGroup<R>, matches: Parser.QueryMatch[], out: Array<{ roles: R[]; captures: Captures }>, seen: Set<string> | undefined, context: MatchContext): void {
    for (const match of matches) {
      if (seen) {
        // A match spanning two ranges is returned by both.
        let key = `${match.pattern}`;
        for (const c of match.captures) key += `:${c.node.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const check = group.checks[match.pattern];
      const captures = check ? check(match.captures, context) : match.captures;
      if (captures) out.push({ roles: group.roles[match.pattern]!, captures });
    }
  }
}

/** Does the sorted list hold a row in [first, last]? */
function touches(rows: number[], first: number, last: number): boolean {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]! < first) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo]! <= last;
}

const automata = new Map<string, KeywordAutomaton>();

/** JavaScript rules' keywords are the same for JavaScript, TypeScript and TSX: one automaton. */
function automatonOf(keywords: string[]): KeywordAutomaton {
  const key = keywords.join("\0");
  let automaton = automata.get(key);
  if (!automaton) {
    automaton = new KeywordAutomaton(keywords);
    automata.set(key, automaton);
  }
  return automaton;
}

/** The file facts a check may need, computed on first use. */
export function matchContext(root: Node, grammar: GrammarId): MatchContext {
  return { grammar, names: () => namesOf(root, grammar) };
}

/** Checks in order; each sees the previous one's captures. */
export function combineChecks(...checks: Array<MatchCheck | undefined>): MatchCheck | undefined {
  const present = checks.filter((c): c is MatchCheck => c !== undefined);
  if (present.length <= 1) return present[0];
  return (captures, context) => {
    let current: Captures | undefined = captures;
    for (const check of present) {
      current = check(current, context);
      if (!current) return undefined;
    }
    return current;
  };
}

/**
 * A wildcard anchored as "the first argument" also matches a comment there (comments are named
 * nodes): such a match is never the one the rule meant. Queries that name `comment` keep them.
 */
export const withoutComments: MatchCheck = (captures) => {
  for (const c of captures) if (c.node.type === "comment") return undefined;
  return captures;
};

/** `(#canonical? @fn "child_process.exec")`: the capture refers to one of the names (see names/). */
function canonicalCheck(predicates: EnginePredicate[]): MatchCheck | undefined {
  const own = predicates.filter((p) => p.name === CANONICAL_PREDICATE);
  if (own.length === 0) return undefined;
  return (captures, context) => {
    for (const predicate of own) {
      const node = captures.find((c) => c.name === predicate.capture)?.node;
      if (!node) return undefined;
      const text = node.text;
      if (predicate.args.includes(text)) continue;
      const names = context.names().canonicalNamesOf(node);
      if (!predicate.args.some((name) => names.includes(name))) return undefined;
    }
    return captures;
  };
}

const isIdentifierChar = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127;

/** The automaton is case-insensitive; predicates are not, and whole-word literals need boundaries. */
function matchesAt(text: string, start: number, literal: Literal): boolean {
  if (!text.startsWith(literal.text, start)) return false;
  if (literal.left && start > 0 && isIdentifierChar(text.charCodeAt(start - 1))) return false;
  const end = start + literal.text.length;
  if (literal.right && end < text.length && isIdentifierChar(text.charCodeAt(end))) return false;
  return true;
}

/** A pattern's requirements: its own predicates, else its rules' constraints (every role must yield one). */
function requirementsOf<R>(source: string, slot: QuerySlot<R>): Literal[][] {
  const own = gatesOfPattern(source);
  if (own.length > 0 || !slot.constraintGates) return own;
  const union: Literal[] = [];
  for (const role of slot.roles) {
    const regexes = slot.constraintGates(role);
    const sets = regexes.length > 0 ? gatesOfPattern(source, regexes) : [];
    if (sets.length === 0) return [];
    // Of a role's sets, the first is as good as any: all of them are required for that role.
    union.push(...sets[0]!);
  }
  return union.length > 0 ? [union] : [];
}
