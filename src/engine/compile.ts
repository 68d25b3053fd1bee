// Compiles every rule's queries once per process, per grammar: candidates (patterns and taint
// sinks) and taint endpoints as keyword-gated query groups, relations one by one.
import Parser from "tree-sitter";
import type { Literal } from "./gates.js";
import { combineChecks, GatedQuery, matchContext, withoutComments, type QuerySlot } from "./gated-query.js";
import { grammarLanguage, grammarsForRule, type GrammarId } from "./languages.js";
import { RuleLoadError, type LoadedRule, type LoadedRules } from "./load-rules.js";
import { compileCodePattern, PatternSyntaxError, type MatchCheck } from "./pattern/index.js";
import type { CaptureConstraints, RelationEntry, RuleDefinition, TaintDefinition } from "./rule-schema.js";
import { isLiteral } from "./syntax.js";

type Node = Parser.SyntaxNode;
type Capture = Parser.QueryCapture;

export type RelationKind = "inside" | "not-inside" | "has" | "not-has";
export type TaintRole = "source" | "sink" | "sanitizer" | "propagator";

/** What a pattern of the merged query stands for; one query text can serve several roles. */
export type Role =
  | { kind: "pattern"; rule: number; pattern: number }
  | { kind: "relation"; relation: RelationKind; rule: number; pattern: number; index: number }
  | { kind: "taint"; role: TaintRole; rule: number };

/** A capture constraint with its regexes compiled. */
export interface CompiledConstraint {
  regex?: RegExp;
  notRegex?: RegExp;
  literal?: boolean;
  constant?: boolean;
  constantRegex?: RegExp;
}

export interface CompiledRule {
  definition: RuleDefinition;
  file: string;
  /** Constraint regexes compiled once, by pattern index then capture name. */
  constraintRegexes: Array<Map<string, CompiledConstraint>>;
}

export interface GrammarProgram {
  grammar: GrammarId;
  /** Pattern rules' main queries and taint sinks: the candidates. */
  main: GatedQuery<Role> | undefined;
  /** Taint sources, sanitizers and propagators; run only on files with a sink candidate. */
  taint: GatedQuery<Role> | undefined;
  /** Relation queries (inside, has, ...), by relationKey, compiled one by one: they run on a node or range. */
  relations: Map<string, RelationQuery>;
}

/** What a relation entry is, as a key: its query text, or its code pattern. */
export function relationKey(entry: RelationEntry): string {
  if (typeof entry === "string") return entry;
  return "query" in entry ? entry.query : `pattern\0${entry.pattern}`;
}

/** One relation's query and the check its matches must pass, compiled on first use. */
export class RelationQuery {
  private query: Parser.Query | undefined;
  constructor(
    private readonly grammar: GrammarId,
    /** undefined: a pattern that cannot occur in this grammar's files; it never matches. */
    private readonly text: string | undefined,
    private readonly check: MatchCheck | undefined,
    private readonly origin: { file: string; field: string },
  ) {}

  compile(): Parser.Query | undefined {
    if (this.text === undefined) return undefined;
    if (!this.query) {
      try {
        this.query = new Parser.Query(grammarLanguage(this.grammar), this.text);
      } catch (error) {
        throw new RuleLoadError(this.origin.file, this.origin.field, `invalid query for ${this.grammar}: ${(error as Error).message}`);
      }
    }
    return this.query;
  }

  /** Captures of every match under `node` (or, with `range`, touching those positions) that passes the check. */
  matches(root: Node, node: Node, range?: { startPosition: Parser.Point; endPosition: Parser.Point }): Capture[][] {
    const query = this.compile();
    if (!query) return [];
    const matches = range ? query.matches(node, range) : query.matches(node);
    if (!this.check) return matches.map((m) => m.captures);
    const context = matchContext(root, this.grammar);
    const out: Capture[][] = [];
    for (const m of matches) {
      const captures = this.check(m.captures, context);
      if (captures) out.push(captures);
    }
    return out;
  }
}

export interface CompiledRuleSet {
  rules: CompiledRule[];
  /** Per grammar, compiled on first use unless compiled eagerly (see CompileOptions.lazy). */
  programs: GrammarPrograms;
  /** Indices of the rules that run on each grammar, known without compiling anything. */
  rulesByGrammar: Map<GrammarId, number[]>;
}

/** Taint entries with library includes expanded to their queries. */
function expandTaint(
  definition: RuleDefinition,
  file: string,
  libraries: LoadedRules["taintLibraries"],
  language: string,
): Array<{ role: TaintRole; entry: QueryEntry; field: string }> {
  const taint = definition.taint as TaintDefinition;
  const out: Array<{ role: TaintRole; entry: QueryEntry; field: string }> = [];
  const sections: Array<[TaintRole, keyof TaintDefinition]> = [
    ["source", "sources"],
    ["sink", "sinks"],
    ["sanitizer", "sanitizers"],
    ["propagator", "propagators"],
  ];
  for (const [role, key] of sections) {
    (taint[key] ?? []).forEach((entry, i) => {
      const field = `taint.${key}.${i}`;
      if ("query" in entry) {
        out.push({ role, entry, field: `${field}.query` });
        return;
      }
      if ("pattern" in entry) {
        out.push({ role, entry, field: `${field}.pattern` });
        return;
      }
      const library = libraries.get(language)?.library;
      const set = library?.sets[entry.include];
      if (!set) throw new RuleLoadError(file, `${field}.include`, `no taint set "${entry.include}" for ${language}`);
      set.forEach((q, j) => out.push({ role, entry: q, field: `${field} (${entry.include}.${j})` }));
    });
  }
  return out;
}

/** A query in either form, with constraints on its captures (taint entries). */
type QueryEntry = ({ query: string } | { pattern: string }) & { constraints?: CaptureConstraints };

/** A taint entry's capture constraints as a check on its matches (the pattern rules' own run in scan). */
function constraintCheck(constraints: CaptureConstraints | undefined, file: string, field: string): MatchCheck | undefined {
  if (!constraints || Object.keys(constraints).length === 0) return undefined;
  const compiled = Object.entries(constraints).map(([name, c]) => {
    const compile = (source: string | undefined, key: string) => {
      if (source === undefined) return undefined;
      try {
        return new RegExp(source);
      } catch (error) {
        throw new RuleLoadError(file, `${field}.constraints.${name}.${key}`, (error as Error).message);
      }
    };
    return { name, literal: c.literal, regex: compile(c.regex, "regex"), notRegex: compile(c["not-regex"], "not-regex") };
  });
  return (captures) => {
    for (const c of compiled) {
      const node = captures.find((capture) => capture.name === c.name)?.node;
      if (!node) return undefined;
      if (c.literal !== undefined && isLiteral(node) !== c.literal) return undefined;
      if (c.regex && !c.regex.test(node.text)) return undefined;
      if (c.notRegex && c.notRegex.test(node.text)) return undefined;
    }
    return captures;
  };
}

interface Slot {
  text: string;
  roles: Role[];
  /** For error messages: which rule file and field the text came from. */
  origin: { file: string; field: string };
  /** A code pattern's gates and structural check. */
  gates?: Literal[][];
  check?: MatchCheck;
  rootTypes?: string[];
  /** A code pattern that cannot occur in this grammar's files (JSX in TypeScript). */
  never?: boolean;
}

function parsesAs(pattern: string, grammar: GrammarId, role: TaintRole | undefined): boolean {
  try {
    compileCodePattern(pattern, grammar, role);
    return true;
  } catch {
    return false;
  }
}

export interface CompileOptions {
  /** Keyword gating (default on); off runs every pattern on every whole file, as a baseline. */
  gating?: boolean;
  /**
   * Compile a grammar's queries when a file of that grammar is first scanned (default: now).
   * Compiling is about half a second per grammar; a CLI run on JavaScript needs no Python.
   * Errors in a rule then surface at first use, so use it only for rules validated elsewhere.
   */
  lazy?: boolean;
}

/** The compiled programs, by grammar, each built once. */
export class GrammarPrograms {
  private readonly built = new Map<GrammarId, GrammarProgram>();
  constructor(private readonly builders: Map<GrammarId, () => GrammarProgram>) {}

  get(grammar: GrammarId): GrammarProgram | undefined {
    let program = this.built.get(grammar);
    if (!program) {
      const build = this.builders.get(grammar);
      if (!build) return undefined;
      program = build();
      this.built.set(grammar, program);
    }
    return program;
  }

  /** Every grammar's program, compiling what is not compiled yet. */
  values(): GrammarProgram[] {
    return [...this.builders.keys()].map((grammar) => this.get(grammar)!);
  }
}

export function compileRules(loaded: LoadedRules, options: CompileOptions = {}): CompiledRuleSet {
  const rules: CompiledRule[] = [];
  const slotsByGrammar = new Map<GrammarId, { main: Map<string, Slot>; taint: Map<string, Slot>; relations: Map<string, Slot> }>();
  const rulesByGrammar = new Map<GrammarId, number[]>();

  loaded.rules.forEach((loadedRule: LoadedRule, ruleIndex) => {
    const { definition, file } = loadedRule;
    rules.push({ definition, file, constraintRegexes: compileConstraints(definition, file) });
    const grammars = new Set(definition.languages.flatMap((l) => grammarsForRule(l, definition.typescript)));
    for (const grammar of grammars) {
      const groups = slotsByGrammar.get(grammar) ?? { main: new Map(), taint: new Map(), relations: new Map() };
      slotsByGrammar.set(grammar, groups);
      rulesByGrammar.set(grammar, [...(rulesByGrammar.get(grammar) ?? []), ruleIndex]);
      const add = (slots: Map<string, Slot>, entry: QueryEntry, role: Role, field: string, constrained?: CaptureConstraints) => {
        const taintRole = role.kind === "taint" ? role.role : undefined;
        const constraints = entry.constraints && Object.keys(entry.constraints).length > 0 ? `\0${JSON.stringify(entry.constraints)}` : "";
        const key = ("query" in entry ? entry.query : `pattern\0${taintRole ?? ""}\0${entry.pattern}`) + constraints;
        let slot = slots.get(key);
        if (!slot) {
          slot = { text: "", roles: [], origin: { file, field } };
          if ("query" in entry) slot.text = entry.query;
          else {
            // Code patterns compile at load time, for every grammar the rule runs on.
            try {
              const compiled = compileCodePattern(entry.pattern, grammar, taintRole);
              Object.assign(slot, { text: compiled.query, gates: compiled.gates, check: compiled.check, rootTypes: compiled.rootTypes });
              // A constraint on a metavariable the pattern does not have would silently never hold.
              const bound = new Set([...compiled.metavariables, ...compiled.metavariables.map((m) => m.toLowerCase()), "match"]);
              for (const name of Object.keys({ ...constrained, ...entry.constraints })) {
                if (!bound.has(name)) {
                  const where = field.replace(/\.pattern$/, "");
                  throw new RuleLoadError(file, `${where}.constraints.${name}`, `the pattern has no metavariable $${name}: ${entry.pattern.trim()}`);
                }
              }
            } catch (error) {
              if (!(error instanceof PatternSyntaxError)) throw error;
              // JSX is TSX, not TypeScript: a JSX pattern of a JavaScript rule cannot match in a .ts file.
              if (grammar === "typescript" && parsesAs(entry.pattern, "tsx", taintRole)) slot.never = true;
              else throw new RuleLoadError(file, field, `${error.message}: ${entry.pattern.trim()}`);
            }
          }
          slot.check = combineChecks(slot.check, constraintCheck(entry.constraints, file, field.replace(/\.(query|pattern)$/, "")));
          slots.set(key, slot);
        }
        slot.roles.push(role);
      };
      const asEntry = (entry: RelationEntry): QueryEntry => (typeof entry === "string" ? { query: entry } : entry);
      definition.patterns?.forEach((pattern, p) => {
        const main: QueryEntry = pattern.pattern !== undefined ? { pattern: pattern.pattern } : { query: pattern.query! };
        add(groups.main, main, { kind: "pattern", rule: ruleIndex, pattern: p }, `patterns.${p}.${"pattern" in main ? "pattern" : "query"}`, pattern.constraints);
        for (const relation of ["inside", "not-inside", "has", "not-has"] as const) {
          pattern[relation]?.forEach((entry, index) =>
            relationSlot(groups.relations, asEntry(entry), { kind: "relation", relation, rule: ruleIndex, pattern: p, index }, `patterns.${p}.${relation}.${index}`),
          );
        }
      });
      // Relations are keyed by relationKey, so scan finds them from the rule's entries.
      function relationSlot(slots: Map<string, Slot>, entry: QueryEntry, role: Role, field: string) {
        const key = relationKey(entry);
        const before = slots.get(key);
        if (before) {
          before.roles.push(role);
          return;
        }
        const scratch = new Map<string, Slot>();
        add(scratch, entry, role, field);
        slots.set(key, [...scratch.values()][0]!);
      }
      if (definition.taint) {
        const language = grammar === "python" ? "python" : "javascript";
        for (const { role, entry, field } of expandTaint(definition, file, loaded.taintLibraries, language)) {
          add(role === "sink" ? groups.main : groups.taint, entry, { kind: "taint", role, rule: ruleIndex }, field);
        }
      }
    }
  });

  const builders = new Map<GrammarId, () => GrammarProgram>();
  for (const [grammar, groups] of slotsByGrammar) {
    builders.set(grammar, () => {
      const relations = new Map<string, RelationQuery>();
      for (const [key, slot] of groups.relations) {
        const check = combineChecks(slot.check, slot.rootTypes || /\bcomment\b/.test(slot.text) ? undefined : withoutComments);
        relations.set(key, new RelationQuery(grammar, slot.never ? undefined : slot.text, check, slot.origin));
      }
      const program: GrammarProgram = {
        grammar,
        main: buildGated(grammar, [...groups.main.values()].filter((slot) => !slot.never), rules, options),
        taint: buildGated(grammar, [...groups.taint.values()].filter((slot) => !slot.never), rules, options),
        relations,
      };
      // Eager: every query compiles now, so a rule's error shows before any scan.
      if (!options.lazy) compileProgram(program);
      return program;
    });
  }
  const programs = new GrammarPrograms(builders);
  if (!options.lazy) programs.values();
  return { rules, programs, rulesByGrammar };
}

/** Compile every query of a program now (see CompileOptions.lazy). */
export function compileProgram(program: GrammarProgram): void {
  for (const _ of compileProgramSteps(program));
}

/** compileProgram one query group (or relation) per step. */
export function* compileProgramSteps(program: GrammarProgram): Generator<void> {
  if (program.main) yield* program.main.compileSteps();
  if (program.taint) yield* program.taint.compileSteps();
  for (const relation of program.relations.values()) {
    relation.compile();
    yield;
  }
}

/** Capture-constraint regexes of a pattern role, usable as keyword gates. */
function constraintGates(rules: CompiledRule[]) {
  return (role: Role): Array<{ capture: string; regex: string }> => {
    if (role.kind !== "pattern") return [];
    const constraints = rules[role.rule]?.definition.patterns?.[role.pattern]?.constraints ?? {};
    return Object.entries(constraints).flatMap(([capture, c]) => (c.regex ? [{ capture, regex: c.regex }] : []));
  };
}

function buildGated(grammar: GrammarId, slots: Slot[], rules: CompiledRule[], options: CompileOptions): GatedQuery<Role> | undefined {
  const gates = constraintGates(rules);
  // Errors are RuleLoadErrors naming the rule file and field (QueryCompileError).
  return GatedQuery.build<Role>(
    grammar,
    slots.map((slot): QuerySlot<Role> => ({ ...slot, constraintGates: gates })),
    options,
  );
}

function compileConstraints(definition: RuleDefinition, file: string): CompiledRule["constraintRegexes"] {
  return (definition.patterns ?? []).map((pattern, p) => {
    const out = new Map<string, CompiledConstraint>();
    for (const [capture, constraint] of Object.entries(pattern.constraints ?? {})) {
      const compile = (source: string | undefined, key: string) => {
        if (source === undefined) return undefined;
        try {
          return new RegExp(source);
        } catch (error) {
          throw new RuleLoadError(file, `patterns.${p}.constraints.${capture}.${key}`, (error as Error).message);
        }
      };
      out.set(capture, {
        regex: compile(constraint.regex, "regex"),
        notRegex: compile(constraint["not-regex"], "not-regex"),
        literal: constraint.literal,
        constant: constraint.constant,
        constantRegex: compile(constraint["constant-regex"], "constant-regex"),
      });
    }
    return out;
  });
}
