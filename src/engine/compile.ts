// Compiles every rule's queries once per process, per grammar: candidates (patterns and taint
// sinks) and taint endpoints as keyword-gated query groups, relations one by one.
import Parser from "tree-sitter";
import { GatedQuery, QueryCompileError, type QuerySlot } from "./gated-query.js";
import { grammarLanguage, grammarsForRule, type GrammarId } from "./languages.js";
import { RuleLoadError, type LoadedRule, type LoadedRules } from "./load-rules.js";
import type { RuleDefinition, TaintDefinition } from "./rule-schema.js";

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
  /** Relation queries (inside, has, ...), compiled one by one: they run on a node or range. */
  relations: Map<string, Parser.Query>;
}

export interface CompiledRuleSet {
  rules: CompiledRule[];
  /** Per grammar, compiled on first use unless compiled eagerly (see CompileOptions.lazy). */
  programs: GrammarPrograms;
  /** Indices of the rules that run on each grammar, known without compiling anything. */
  rulesByGrammar: Map<GrammarId, number[]>;
}

type Language = Parser.Language;

function compileQuery(language: Language, source: string): Parser.Query {
  return new Parser.Query(language, source);
}

/** Taint entries with library includes expanded to their queries. */
function expandTaint(
  definition: RuleDefinition,
  file: string,
  libraries: LoadedRules["taintLibraries"],
  language: string,
): Array<{ role: TaintRole; query: string; field: string }> {
  const taint = definition.taint as TaintDefinition;
  const out: Array<{ role: TaintRole; query: string; field: string }> = [];
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
        out.push({ role, query: entry.query, field: `${field}.query` });
        return;
      }
      const library = libraries.get(language)?.library;
      const set = library?.sets[entry.include];
      if (!set) throw new RuleLoadError(file, `${field}.include`, `no taint set "${entry.include}" for ${language}`);
      set.forEach((q, j) => out.push({ role, query: q.query, field: `${field} (${entry.include}.${j})` }));
    });
  }
  return out;
}

interface Slot {
  text: string;
  roles: Role[];
  /** For error messages: which rule file and field the text came from. */
  origin: { file: string; field: string };
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
      const add = (slots: Map<string, Slot>, text: string, role: Role, field: string) => {
        const slot = slots.get(text) ?? { text, roles: [], origin: { file, field } };
        slot.roles.push(role);
        slots.set(text, slot);
      };
      definition.patterns?.forEach((pattern, p) => {
        add(groups.main, pattern.query, { kind: "pattern", rule: ruleIndex, pattern: p }, `patterns.${p}.query`);
        for (const relation of ["inside", "not-inside", "has", "not-has"] as const) {
          pattern[relation]?.forEach((text, index) =>
            add(groups.relations, text, { kind: "relation", relation, rule: ruleIndex, pattern: p, index }, `patterns.${p}.${relation}`),
          );
        }
      });
      if (definition.taint) {
        const language = grammar === "python" ? "python" : "javascript";
        for (const entry of expandTaint(definition, file, loaded.taintLibraries, language)) {
          add(entry.role === "sink" ? groups.main : groups.taint, entry.query, { kind: "taint", role: entry.role, rule: ruleIndex }, entry.field);
        }
      }
    }
  });

  const builders = new Map<GrammarId, () => GrammarProgram>();
  for (const [grammar, groups] of slotsByGrammar) {
    builders.set(grammar, () => {
      const language = grammarLanguage(grammar);
      const relations = new Map<string, Parser.Query>();
      for (const slot of groups.relations.values()) relations.set(slot.text, compileSlot(language, grammar, slot));
      return {
        grammar,
        main: buildGated(grammar, [...groups.main.values()], rules, options),
        taint: buildGated(grammar, [...groups.taint.values()], rules, options),
        relations,
      };
    });
  }
  const programs = new GrammarPrograms(builders);
  if (!options.lazy) programs.values();
  return { rules, programs, rulesByGrammar };
}

function compileSlot(language: Language, grammar: GrammarId, slot: Slot): Parser.Query {
  try {
    return compileQuery(language, slot.text);
  } catch (error) {
    throw new RuleLoadError(slot.origin.file, slot.origin.field, `invalid query for ${grammar}: ${(error as Error).message}`);
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
  try {
    return GatedQuery.build<Role>(
      grammar,
      slots.map((slot): QuerySlot<Role> => ({ ...slot, constraintGates: gates })),
      options,
    );
  } catch (error) {
    if (error instanceof QueryCompileError) throw new RuleLoadError(error.origin.file, error.origin.field, error.message);
    throw error;
  }
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
