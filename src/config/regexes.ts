// The regexes a repository's configuration brings (secrets.allow_regexes and
// secrets.extra_patterns[].regex) run on every scanned line in a process shared by every
// installation, so a pattern that backtracks catastrophically would stall everyone. Each one must
// compile and pass the same linear-time shape check the built-in patterns pass, plus two shapes
// that check does not look for: backreferences (no linear-time engine supports them) and a
// repeated alternation whose branches can start alike, e.g. (a|ab)* or (\w|\d)+.
import { lintRegex } from "../secrets/regexlint.js";
import type { VibeguardConfig } from "./schema.js";

export interface RegexProblem {
  /** Dotted key of the offending value, e.g. `secrets.allow_regexes.0`. */
  key: string;
  message: string;
}

/** Longest pattern accepted: a long pattern is a cost on every line too. */
export const MAX_CONFIG_REGEX_LENGTH = 1000;

/** What a branch can start with: a literal character, or "any" for classes, escapes and dots. */
function branchStarts(branch: string): string {
  const c = branch[0];
  if (c === undefined) return "";
  if (c === "\\") {
    const next = branch[1] ?? "";
    return /[dDwWsSpPuxcbB0-9]/.test(next) ? "any" : next;
  }
  if (c === "[" || c === "." || c === "(") return "any";
  return c;
}

/** Top-level alternatives of a group body (no split inside nested groups or classes). */
function topLevelBranches(body: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      branches.push(body.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(body.slice(start));
  return branches;
}

/** Problems beyond lintRegex: backreferences and ambiguous repeated alternations. */
function extraShapeProblems(source: string): string[] {
  const problems: string[] = [];
  if (/(^|[^\\])(\\\\)*\\([1-9]|k<)/.test(source)) problems.push("backreferences cannot be matched in linear time");
  // Every group that is repeated without bound: (body)+, (body)*, (body){n,}
  const stack: number[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") stack.push(i);
    else if (c === ")" && stack.length > 0) {
      const open = stack.pop()!;
      const after = source.slice(i + 1, i + 12);
      if (!/^([+*]|\{\d*,\})/.test(after)) continue;
      let body = source.slice(open + 1, i);
      body = body.replace(/^\?(:|<?[=!]|<[A-Za-z_][A-Za-z0-9_]*>)/, "");
      const branches = topLevelBranches(body);
      if (branches.length < 2) continue;
      const starts = branches.map(branchStarts);
      const ambiguous = starts.some((s, k) => s === "any" || s === "" || starts.indexOf(s) !== k);
      if (ambiguous) problems.push(`a repeated alternation whose branches can match the same text (at ${open})`);
    }
  }
  return problems;
}

/** Problems with one pattern, as sentences; empty when it is safe to run. */
export function regexProblems(source: string, flags = ""): string[] {
  if (source.length > MAX_CONFIG_REGEX_LENGTH) return [`longer than ${MAX_CONFIG_REGEX_LENGTH} characters`];
  try {
    new RegExp(source, flags);
  } catch (error) {
    return [`not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`];
  }
  const problems = lintRegex(source).map((p) => `${p.reason} at ${p.index}, which can take exponential time`);
  problems.push(...extraShapeProblems(source));
  return problems;
}

/** The first unsafe or invalid regex in a parsed configuration, naming its key. */
export function checkConfigRegexes(config: VibeguardConfig): RegexProblem | undefined {
  const { allow_regexes, extra_patterns } = config.secrets;
  for (const [i, source] of allow_regexes.entries()) {
    const [problem] = regexProblems(source);
    if (problem) return { key: `secrets.allow_regexes.${i}`, message: `${problem}. Write it so no part can match the same text two ways.` };
  }
  for (const [i, pattern] of extra_patterns.entries()) {
    const [problem] = regexProblems(pattern.regex, "gd");
    if (problem) return { key: `secrets.extra_patterns.${i}.regex`, message: `${problem}. Write it so no part can match the same text two ways.` };
  }
  return undefined;
}
