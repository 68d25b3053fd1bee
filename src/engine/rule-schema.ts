// The rule file format (one YAML file per rule under rules/<language>/), validated with zod.
// See README "Writing rules" for the prose version.
import { z } from "zod";
import { CHECKLIST_IDS } from "../checklist.js";
import { SEVERITIES } from "../findings.js";

/** A tree-sitter query, as text. Compiled once per grammar per process. */
const query = z.string().min(1, "must be a non-empty tree-sitter query");

/** A code pattern: code of the rule's language with metavariables ($X, $...ARGS, $$$, ...); see README "Code patterns". */
const codePattern = z.string().min(1, "must be a non-empty code pattern");
/** A relation's query: a tree-sitter query (plain text or { query }) or { pattern } in code syntax. */
const relationEntry = z.union([query, z.strictObject({ query }), z.strictObject({ pattern: codePattern })]);
const relationEntries = z.union([relationEntry, z.array(relationEntry).min(1)]).transform((q) => (Array.isArray(q) ? q : [q]));
export type RelationEntry = z.infer<typeof relationEntry>;
/** One or more raw tree-sitter queries (safeguard declarations). */
const queries = z.union([query, z.array(query).min(1)]).transform((q) => (Array.isArray(q) ? q : [q]));

/** A condition on one capture's node. */
export const captureConstraintSchema = z
  .strictObject({
    /**
     * true: the capture is a plain literal in place (a string without interpolation, a number, a
     * boolean or null). false: the capture is NOT a constant — neither a literal nor a variable
     * whose every assignment is one, nor a string built only from them (see `constant`).
     */
    literal: z.boolean().optional(),
    /** The capture's value is (or is not) a constant: a literal, a variable only ever assigned constants, or a string built from them. */
    constant: z.boolean().optional(),
    /** The capture is a constant and each literal it can take matches this regex (an `http://` URL held in a variable). */
    "constant-regex": z.string().optional(),
    /** The capture's text matches (or does not match) this regex. */
    regex: z.string().optional(),
    "not-regex": z.string().optional(),
  })
  .refine((c) => Object.keys(c).length > 0, "needs at least one of literal, constant, constant-regex, regex, not-regex");

/** Constraints by capture name or metavariable ($X, X and @X are one name). */
const captureConstraints = z
  .record(z.string(), captureConstraintSchema)
  .transform((c) => Object.fromEntries(Object.entries(c).map(([name, constraint]) => [name.replace(/^[$@]/, ""), constraint])));
export type CaptureConstraints = z.infer<typeof captureConstraints>;

/** One matching pattern: the main query plus relational conditions (ast-grep style). */
export const patternSchema = z
  .strictObject({
    /** The main query. The node captured as @match is reported (else the pattern's first capture). */
    query: query.optional(),
    /** ... or the main pattern in code syntax; the whole matched code is reported. */
    pattern: codePattern.optional(),
    /** The reported node must lie inside a node captured by one of these queries (their @match, else first capture). */
    inside: relationEntries.optional(),
    /** ... and must not lie inside any node these queries capture. */
    "not-inside": relationEntries.optional(),
    /** The reported node must contain a node these queries capture. */
    has: relationEntries.optional(),
    /** ... and must not contain any node these queries capture. */
    "not-has": relationEntries.optional(),
    /** Conditions on captures of the main query, by capture name (without @) or metavariable ($X or X). */
    constraints: captureConstraints.optional(),
  })
  .superRefine((pattern, ctx) => {
    if (!pattern.query === !pattern.pattern) ctx.addIssue({ code: "custom", path: ["query"], message: "a pattern needs exactly one of `query` or `pattern`" });
  });

/** A taint endpoint: a query plus, for sinks, which capture must not carry tainted data. */
const taintQuery = z.union([
  z.strictObject({ query, constraints: captureConstraints.optional() }),
  z.strictObject({ pattern: codePattern, constraints: captureConstraints.optional() }),
]);
const taintLibraryRef = z.strictObject({ include: z.string().min(1) });
const taintEntries = z.array(z.union([taintQuery, taintLibraryRef])).min(1);

export const taintSchema = z.strictObject({
  /** Where untrusted data comes from. Each query captures the tainted expression as @source. */
  sources: taintEntries,
  /** Where it must not arrive. Each query captures the dangerous argument as @sink and may capture @match (reported). */
  sinks: taintEntries,
  /** Calls that make data safe. Each query captures the call as @sanitizer; its result is clean. */
  sanitizers: taintEntries.optional(),
  /** Calls that pass taint from an argument or receiver to their result. Each captures the call as @propagator. */
  propagators: taintEntries.optional(),
});

/**
 * Removed-safeguard mode: what counts as the safeguard (queries capturing it as @safeguard) and
 * what it protects. The old and new version of a changed file are compared (src/safeguards/):
 * a scope that still exists but holds fewer of these safeguards than before is a finding.
 */
export const safeguardSchema = z.strictObject({
  /** What the safeguard is, as the message names it, e.g. "authentication middleware". */
  name: z.string().min(3),
  /**
   * What it protects. route: the enclosing route handler (route registration, decorated or named
   * function, class); router: the app/router captured as @scope (and the routes registered on it);
   * file: the whole file; call: the call whose callee is captured as @scope, within its function.
   */
  scope: z.enum(["route", "router", "file", "call"]),
  /** Queries capturing the safeguard as @safeguard; captures named scope* identify the scope. */
  queries,
  /** Conditions on captures, by capture name (without @). */
  constraints: z.record(z.string(), captureConstraintSchema).optional(),
  /**
   * Report only by adding "replaced a safe version" to a finding another rule makes on the
   * surviving line (e.g. a parameterized query rewritten into a string-built one).
   */
  "attach-only": z.boolean().default(false),
});

const replacementSchema = z.strictObject({
  /** Capture whose text is replaced (default: match). */
  capture: z.string().default("match"),
  /** Replacement text; `$name` inserts the text of capture @name. */
  template: z.string(),
});

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:[-/][a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, -)"),
    title: z.string().min(5),
    message: z.string().min(10),
    severity: z.enum(SEVERITIES),
    /** The checklist item this rule reports under. */
    category: z.enum(CHECKLIST_IDS),
    cwe: z.string().regex(/^CWE-\d+$/, "must look like CWE-89"),
    languages: z.array(z.enum(["javascript", "typescript", "python"])).min(1),
    /** JavaScript rules also run on TypeScript and TSX unless this is false. */
    typescript: z.boolean().default(true),
    /** How to fix it, shown with the finding. */
    fix: z.string().min(10),
    /** A safe replacement, offered as a suggested change. */
    replacement: replacementSchema.optional(),
    /** Pattern mode: any of these patterns matching is a finding. */
    patterns: z.array(patternSchema).min(1).optional(),
    /** Taint mode: data from a source reaching a sink without a sanitizer. */
    taint: taintSchema.optional(),
    /** Removed-safeguard mode: a safeguard present in the old version of the file and gone in the new. */
    safeguard: safeguardSchema.optional(),
    references: z.array(z.url()).optional(),
  })
  .superRefine((rule, ctx) => {
    if ([rule.patterns, rule.taint, rule.safeguard].filter(Boolean).length !== 1) {
      ctx.addIssue({ code: "custom", path: ["patterns"], message: "a rule needs exactly one of `patterns`, `taint` or `safeguard`" });
    }
  });

export type RuleDefinition = z.infer<typeof ruleSchema>;
export type PatternDefinition = z.infer<typeof patternSchema>;
export type CaptureConstraint = z.infer<typeof captureConstraintSchema>;
export type TaintDefinition = z.infer<typeof taintSchema>;
export type SafeguardDefinition = z.infer<typeof safeguardSchema>;

/** A shared library of taint endpoints per language (rules/<language>/taint-library.yml). */
export const taintLibrarySchema = z.strictObject({
  language: z.enum(["javascript", "typescript", "python"]),
  sets: z.record(z.string(), z.array(taintQuery).min(1)),
});
export type TaintLibrary = z.infer<typeof taintLibrarySchema>;
