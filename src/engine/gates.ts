// Keyword gates: the literal text a query pattern cannot match without. A pattern with
// (#eq? @fn "eval") cannot match in a file that has no "eval", so the engine runs the merged
// query only on the lines where some gate keyword occurs. Text predicates run in JavaScript
// after the native match, so skipping lines that cannot match is where the speed comes from.


interface Token {
  kind: "open" | "close" | "quant" | "capture" | "string" | "predicate" | "other";
  text: string;
  pos: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ";") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < source.length && source[j] !== '"') j += source[j] === "\\" ? 2 : 1;
      tokens.push({ kind: "string", text: source.slice(i + 1, j), pos: i });
      i = j + 1;
    } else if (c === "(" && source[i + 1] === "#") {
      let j = i + 2;
      while (j < source.length && /[\w?!-]/.test(source[j]!)) j++;
      tokens.push({ kind: "predicate", text: source.slice(i + 2, j), pos: i });
      i = j;
    } else if (c === "(" || c === "[") {
      tokens.push({ kind: "open", text: c, pos: i++ });
    } else if (c === ")" || c === "]") {
      tokens.push({ kind: "close", text: c, pos: i++ });
    } else if (c === "?" || c === "*" || c === "+") {
      tokens.push({ kind: "quant", text: c, pos: i++ });
    } else if (c === "@") {
      let j = i + 1;
      while (j < source.length && /[\w.-]/.test(source[j]!)) j++;
      tokens.push({ kind: "capture", text: source.slice(i + 1, j), pos: i });
      i = j;
    } else {
      let j = i + 1;
      while (j < source.length && !/[\s()[\]"@?*+;]/.test(source[j]!)) j++;
      tokens.push({ kind: "other", text: source.slice(i, j), pos: i });
      i = j;
    }
  }
  return tokens;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch));
}

/** Literal strings one of which every match of `regex` contains; undefined when none can be derived. */
export function literalsOfRegex(regex: string): string[] | undefined {
  if (/\(\?(?!:)/.test(regex) || /\\[1-9]/.test(regex)) return undefined; // lookarounds, flags, back-references
  const parsed = parseAlternatives(regex, 0);
  if (parsed.end !== regex.length) return undefined;
  return requiredLiterals(parsed.alternatives);
}

type Atom = { kind: "char"; text: string } | { kind: "group"; alternatives: Atom[][] } | { kind: "other" };
interface QuantifiedAtom {
  atom: Atom;
  optional: boolean;
  /** The atom may repeat, so it cannot join a literal run with its neighbours. */
  repeats: boolean;
}

function parseAlternatives(re: string, start: number): { alternatives: QuantifiedAtom[][]; end: number } {
  const alternatives: QuantifiedAtom[][] = [[]];
  let i = start;
  while (i < re.length && re[i] !== ")") {
    const ch = re[i]!;
    let atom: Atom;
    if (ch === "|") {
      alternatives.push([]);
      i++;
      continue;
    } else if (ch === "\\") {
      const next = re[i + 1] ?? "";
      atom = /[A-Za-z0-9]/.test(next) ? { kind: "other" } : { kind: "char", text: next };
      i += 2;
    } else if (ch === "[") {
      let j = i + 1;
      if (re[j] === "]") j++;
      while (j < re.length && re[j] !== "]") j += re[j] === "\\" ? 2 : 1;
      atom = { kind: "other" };
      i = j + 1;
    } else if (ch === "(") {
      let j = i + 1;
      if (re.startsWith("?:", j)) j += 2;
      const inner = parseAlternatives(re, j);
      atom = { kind: "group", alternatives: inner.alternatives.map((alt) => alt.map((q) => (q.optional || q.repeats ? { kind: "other" as const } : q.atom))) };
      i = inner.end + 1;
    } else if (ch === "^" || ch === "$") {
      i++;
      continue;
    } else if (ch === ".") {
      atom = { kind: "other" };
      i++;
    } else {
      atom = { kind: "char", text: ch };
      i++;
    }
    let optional = false;
    let repeats = false;
    const q = re[i];
    if (q === "?" || q === "*") {
      optional = true;
      repeats = q === "*";
      i++;
    } else if (q === "+") {
      repeats = true;
      i++;
    } else if (q === "{") {
      const close = re.indexOf("}", i);
      const min = Number.parseInt(re.slice(i + 1, close), 10);
      optional = !(min > 0);
      repeats = true;
      i = close + 1;
    }
    if (re[i] === "?" && (optional || repeats)) i++; // lazy quantifier
    alternatives[alternatives.length - 1]!.push({ atom, optional, repeats });
  }
  return { alternatives, end: i };
}

/** The best set of literals, one of which every match contains. */
function requiredLiterals(alternatives: QuantifiedAtom[][]): string[] | undefined {
  const perAlternative: string[][] = [];
  for (const sequence of alternatives) {
    const candidates: string[][] = [];
    let run = "";
    const flush = () => {
      if (run.length >= 2) candidates.push([run]);
      run = "";
    };
    for (const { atom, optional, repeats } of sequence) {
      if (optional) {
        flush();
        continue;
      }
      if (atom.kind === "char") {
        run += atom.text;
        if (repeats) flush();
      } else if (atom.kind === "group") {
        // A group of pure-literal alternatives joins the run when it has one alternative.
        const literal = atom.alternatives.map((alt) => (alt.every((a) => a.kind === "char") ? alt.map((a) => (a as { text: string }).text).join("") : undefined));
        if (literal.length === 1 && literal[0] !== undefined && !repeats) {
          run += literal[0];
          continue;
        }
        flush();
        const inner = requiredLiterals(atom.alternatives.map((alt) => alt.map((a) => ({ atom: a, optional: false, repeats: false }))));
        if (inner) candidates.push(inner);
      } else {
        flush();
      }
    }
    flush();
    const best = bestOf(candidates);
    if (!best) return undefined;
    perAlternative.push(best);
  }
  const all = perAlternative.flat();
  return all.length > 0 ? [...new Set(all)] : undefined;
}

function strength(literals: string[]): number {
  return Math.min(...literals.map((l) => l.length)) - literals.length / 100;
}

function bestOf(candidates: string[][]): string[] | undefined {
  let best: string[] | undefined;
  for (const c of candidates) if (c.every((l) => l.length >= 2) && (!best || strength(c) > strength(best))) best = c;
  return best;
}

/** Names of captures that are present in every match of the pattern: not optional, and in every branch of an alternation. */
function requiredCaptures(tokens: Token[]): Set<string> {
  let i = 0;
  const skipPredicate = () => {
    let depth = 1;
    i++;
    while (i < tokens.length && depth > 0) {
      const t = tokens[i++]!;
      if (t.kind === "open" || t.kind === "predicate") depth++;
      else if (t.kind === "close") depth--;
    }
  };
  // One element: a group or a bare token, then its quantifier and captures.
  const element = (): Set<string> | undefined => {
    const t = tokens[i];
    if (!t || t.kind === "close") return undefined;
    let required: Set<string>;
    if (t.kind === "predicate") {
      skipPredicate();
      return new Set();
    }
    if (t.kind === "open") {
      i++;
      const type = tokens[i];
      const nodeType = t.text === "(" && type?.kind === "other" && !type.text.endsWith(":") ? type.text : undefined;
      if (t.text === "[") {
        let common: Set<string> | undefined;
        for (let branch = element(); branch; branch = element()) {
          common = common ? new Set([...common].filter((c) => branch.has(c))) : branch;
        }
        required = common ?? new Set();
      } else {
        required = sequence();
        // Node types count as pseudo-captures, so keyword nodes such as (import) can gate.
        if (nodeType) required.add(`type:${nodeType}`);
      }
      i++; // the closing token
    } else {
      i++;
      required = new Set();
      if (t.kind === "other" && t.text.endsWith(":")) return element() ?? new Set(); // a field name: its value follows
    }
    let optional = false;
    if (tokens[i]?.kind === "quant") optional = tokens[i++]!.text !== "+";
    while (tokens[i]?.kind === "capture") required.add(tokens[i++]!.text);
    return optional ? new Set() : required;
  };
  const sequence = (): Set<string> => {
    const out = new Set<string>();
    for (let e = element(); e; e = element()) for (const c of e) out.add(c);
    return out;
  };
  return sequence();
}

/** Node types whose text is always one keyword (in any of the grammars). */
const KEYWORD_NODES: Record<string, string[]> = {
  import: ["import"],
  debugger_statement: ["debugger"],
  with_statement: ["with"],
  global_statement: ["global"],
  nonlocal_statement: ["nonlocal"],
  lambda: ["lambda"],
  yield: ["yield"],
  await: ["await"],
  await_expression: ["await"],
  new_expression: ["new"],
  this: ["this"],
  super: ["super"],
  // JavaScript and Python spell these differently; the node type is the same.
  false: ["false", "False"],
  true: ["true", "True"],
  null: ["null"],
  none: ["None"],
};

/**
 * A literal a match must contain. `left`/`right`: the literal is a whole capture's start/end, so
 * the text around it in the file cannot continue an identifier there (`get` is not in `target`).
 */
export interface Literal {
  text: string;
  left: boolean;
  right: boolean;
  /**
   * The literal is the last segment of this canonical name (`exec` of `child_process.exec`): a
   * file may spell the name by a local alias instead (`run`), found per file (see names/).
   */
  canonical?: string;
}

/** Boundaries of the literals of a simple anchored regex: ^lit, ^(a|b), ^(a|b)$ and the like. */
function regexLiterals(regex: string): Literal[] | undefined {
  const texts = literalsOfRegex(regex);
  if (!texts) return undefined;
  const simple = /^\^(?:\((?:\?:)?([^()[\]]*)\)|([^()[\]|]*))(\$?)$/.exec(regex);
  const plain = (alt: string) => !/[.*+?{}^$\\[\]()]/.test(alt);
  const alternatives = simple ? (simple[1] ?? simple[2] ?? "").split("|") : [];
  const whole = simple !== null && alternatives.every(plain);
  return texts.map((text) => ({ text, left: whole, right: whole && simple![3] === "$" }));
}

const word = (texts: string[]): Literal[] => texts.map((text) => ({ text, left: true, right: true }));

/**
 * The literal sets one query pattern requires: a match needs some literal of EVERY set.
 * Empty when nothing can be derived (the pattern is ungated).
 */
export function gatesOfPattern(source: string, constraintRegexes: Array<{ capture: string; regex: string }> = []): Literal[][] {
  // The same rule texts are gated once per grammar (JavaScript, TypeScript, TSX): derive once.
  const key = constraintRegexes.length > 0 ? `${source}\0${JSON.stringify(constraintRegexes)}` : source;
  let sets = derived.get(key);
  if (!sets) {
    sets = deriveGates(source, constraintRegexes);
    derived.set(key, sets);
  }
  return sets.map((set) => set.map((literal) => ({ ...literal })));
}

const derived = new Map<string, Literal[][]>();

function deriveGates(source: string, constraintRegexes: Array<{ capture: string; regex: string }>): Literal[][] {
  const tokens = tokenize(source);
  const required = requiredCaptures(tokens);
  const sets: Literal[][] = [];
  const consider = (literals: Literal[] | undefined) => {
    if (!literals || literals.length === 0 || literals.some((l) => l.text.length < 2 || /[^\x20-\x7e]/.test(l.text))) return;
    sets.push(literals);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "predicate") continue;
    const capture = tokens[i + 1];
    const args: string[] = [];
    for (let j = i + 2; j < tokens.length && tokens[j]!.kind === "string"; j++) args.push(unescape(tokens[j]!.text));
    if (capture?.kind !== "capture" || args.length === 0) continue;
    if (t.text === "eq?") {
      // #eq? passes vacuously when its capture is absent, so only a required capture gates.
      if (required.has(capture.text) && args.length === 1) consider(word(args));
    } else if (t.text === "any-of?") {
      consider(word(args));
    } else if (t.text === "match?") {
      consider(regexLiterals(args[0]!));
    } else if (t.text === CANONICAL_PREDICATE) {
      consider(args.map((name) => ({ text: name.slice(name.lastIndexOf(".") + 1), left: true, right: true, canonical: name.includes(".") ? name : undefined })));
    }
  }
  for (const name of required) {
    const keywords = KEYWORD_NODES[name.slice("type:".length)];
    if (name.startsWith("type:") && keywords) consider(word(keywords));
  }
  // A rule's capture constraints must hold too, and a constrained capture must be present.
  for (const { capture, regex } of constraintRegexes) {
    if (tokens.some((t) => t.kind === "capture" && t.text === capture)) consider(regexLiterals(regex));
  }
  return sets;
}

/** `(#canonical? @capture "module.path" ...)`: the capture refers to one of these canonical names. */
export const CANONICAL_PREDICATE = "canonical?";

export interface EnginePredicate {
  /** Offset of the predicate in the query text. */
  pos: number;
  name: string;
  capture: string;
  args: string[];
}

/**
 * Predicates the engine evaluates itself (node-tree-sitter rejects unknown ones), blanked out of
 * the query text with spaces so every other offset stays the same.
 */
export function extractEnginePredicates(source: string): { text: string; predicates: EnginePredicate[] } {
  if (!source.includes(`#${CANONICAL_PREDICATE}`)) return { text: source, predicates: [] };
  const tokens = tokenize(source);
  const predicates: EnginePredicate[] = [];
  let text = source;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "predicate" || t.text !== CANONICAL_PREDICATE) continue;
    const capture = tokens[i + 1]?.kind === "capture" ? tokens[i + 1]!.text : "";
    const args: string[] = [];
    let j = i + 2;
    for (; j < tokens.length && tokens[j]!.kind === "string"; j++) args.push(unescape(tokens[j]!.text));
    const close = tokens[j];
    if (close?.kind !== "close") continue;
    predicates.push({ pos: t.pos, name: CANONICAL_PREDICATE, capture, args });
    const end = close.pos + 1;
    text = text.slice(0, t.pos) + text.slice(t.pos, end).replace(/[^\n]/g, " ") + text.slice(end);
  }
  return { text, predicates };
}

/**
 * The top-level patterns of a query text, as [start, end) offsets: a pattern is an element at
 * depth 0 (a node, an alternation, a string or a wildcard) with its quantifier and captures.
 */
export function splitPatterns(source: string): Array<{ start: number; end: number }> {
  let ranges = splits.get(source);
  if (!ranges) {
    ranges = split(source);
    splits.set(source, ranges);
  }
  return ranges;
}

const splits = new Map<string, Array<{ start: number; end: number }>>();

function split(source: string): Array<{ start: number; end: number }> {
  const tokens = tokenize(source);
  const starts: number[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (depth === 0 && (t.kind === "open" || t.kind === "string" || t.kind === "other")) starts.push(t.pos);
    if (t.kind === "open" || t.kind === "predicate") depth++;
    else if (t.kind === "close") depth--;
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? source.length }));
}
