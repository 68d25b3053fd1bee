// Reads annotated fixture files: a comment `expect: <rule-id>` means the next code line must be
// flagged by that rule, `safe: <rule-id>` means it must not be (several ids may be comma-separated).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface Annotation {
  kind: "expect" | "safe";
  ruleId: string;
  /** 1-based line of the code the annotation is about. */
  line: number;
  /** 1-based line of the annotation comment itself. */
  commentLine: number;
}

export interface Fixture {
  path: string;
  content: string;
  annotations: Annotation[];
}

const ANNOTATION = /^\s*(?:\/\/|#|\/\*|\{\s*\/\*|<!--)\s*(expect|safe)\s*:\s*([a-z0-9/,\s-]+?)\s*(?:\*\/\s*\}?|-->)?\s*$/;
const COMMENT_ONLY = /^\s*(?:\/\/|#|\/\*|\*|\{\s*\/\*|<!--)/;

export function parseFixture(path: string, content: string): Fixture {
  const lines = content.split("\n");
  const annotations: Annotation[] = [];
  lines.forEach((text, i) => {
    const match = ANNOTATION.exec(text);
    if (!match) return;
    let target = i + 1;
    while (target < lines.length && (lines[target]!.trim() === "" || COMMENT_ONLY.test(lines[target]!))) target++;
    if (target >= lines.length) throw new Error(`${path}:${i + 1}: annotation with no code line after it`);
    for (const ruleId of match[2]!.split(/[\s,]+/).filter(Boolean)) {
      annotations.push({ kind: match[1] as "expect" | "safe", ruleId, line: target + 1, commentLine: i + 1 });
    }
  });
  return { path, content, annotations };
}

export function loadFixtures(dir: string, root = dir): Fixture[] {
  const out: Fixture[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...loadFixtures(full, root));
    else out.push(parseFixture(relative(root, full), readFileSync(full, "utf8")));
  }
  return out;
}
