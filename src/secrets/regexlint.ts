// A small lint for regex shapes that backtrack catastrophically: a group that contains an
// unbounded quantifier and is itself repeated without bound, e.g. (a+)+, (\w*x)*, (?:a|b+){2,}.

export interface RegexLintProblem {
  index: number;
  reason: string;
}

/** Returns the problems found in `source` (empty when the shape looks linear-safe). */
export function lintRegex(source: string): RegexLintProblem[] {
  const problems: RegexLintProblem[] = [];
  // stack of groups: whether the group body contains an unbounded quantifier
  const stack: { start: number; unbounded: boolean }[] = [{ start: 0, unbounded: false }];
  let i = 0;
  const n = source.length;
  /** Reads a quantifier at position p: returns [length, unbounded] or null. */
  const quantifierAt = (p: number): [number, boolean] | null => {
    const c = source[p];
    if (c === "+" || c === "*") return [source[p + 1] === "?" || source[p + 1] === "+" ? 2 : 1, true];
    if (c === "?") return [1, false];
    if (c === "{") {
      const m = /^\{(\d*)(,?)(\d*)\}\??/.exec(source.slice(p, p + 20));
      if (!m) return null;
      return [m[0].length, m[2] === "," && m[3] === ""];
    }
    return null;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === "\\") {
      i += 2;
      const q = quantifierAt(i);
      if (q) {
        if (q[1]) stack[stack.length - 1]!.unbounded = true;
        i += q[0];
      }
      continue;
    }
    if (c === "[") {
      // skip a character class
      i++;
      if (source[i] === "^") i++;
      if (source[i] === "]") i++;
      while (i < n && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
      i++;
      const q = quantifierAt(i);
      if (q) {
        if (q[1]) stack[stack.length - 1]!.unbounded = true;
        i += q[0];
      }
      continue;
    }
    if (c === "(") {
      stack.push({ start: i, unbounded: false });
      i++;
      continue;
    }
    if (c === ")") {
      const group = stack.length > 1 ? stack.pop()! : { start: 0, unbounded: false };
      i++;
      const q = quantifierAt(i);
      if (q) {
        if (q[1] && group.unbounded) problems.push({ index: group.start, reason: "nested unbounded quantifiers (e.g. (a+)+)" });
        if (q[1] || group.unbounded) stack[stack.length - 1]!.unbounded = true;
        i += q[0];
      } else if (group.unbounded) stack[stack.length - 1]!.unbounded = true;
      continue;
    }
    i++;
    const q = quantifierAt(i);
    if (q) {
      if (q[1]) stack[stack.length - 1]!.unbounded = true;
      i += q[0];
    }
  }
  return problems;
}
