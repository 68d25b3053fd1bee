// The grammar registry: which tree-sitter grammar reads which file, and which rule family applies.
import { createRequire } from "node:module";
import Parser from "tree-sitter";

const require = createRequire(import.meta.url);

/** A grammar the engine can parse. */
export type GrammarId = "javascript" | "typescript" | "tsx" | "python";
/** The language a rule is written for: JavaScript rules also run on TypeScript and TSX. */
export type RuleLanguage = "javascript" | "typescript" | "python";

export const GRAMMAR_IDS: readonly GrammarId[] = ["javascript", "typescript", "tsx", "python"];

const EXTENSIONS: Record<string, GrammarId> = {
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".py": "python",
};

export function grammarForPath(path: string): GrammarId | undefined {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return undefined;
  const ext = path.slice(dot).toLowerCase();
  // Type declarations hold no executable code.
  if (ext === ".ts" && /\.d\.[mc]?ts$/i.test(path)) return undefined;
  return EXTENSIONS[ext];
}

/** The grammars a rule for `language` runs on. */
export function grammarsForRule(language: RuleLanguage, includeTypeScript: boolean): GrammarId[] {
  switch (language) {
    case "javascript":
      return includeTypeScript ? ["javascript", "typescript", "tsx"] : ["javascript"];
    case "typescript":
      return ["typescript", "tsx"];
    case "python":
      return ["python"];
  }
}

/** The family of a grammar: the comment syntax and the fixture conventions follow it. */
export function familyOf(grammar: GrammarId): "javascript" | "python" {
  return grammar === "python" ? "python" : "javascript";
}

type Language = Parser.Language;

const languages = new Map<GrammarId, Language>();

export function grammarLanguage(id: GrammarId): Language {
  let language = languages.get(id);
  if (!language) {
    switch (id) {
      case "javascript":
        language = require("tree-sitter-javascript") as Language;
        break;
      case "typescript":
        language = (require("tree-sitter-typescript") as { typescript: Language }).typescript;
        break;
      case "tsx":
        language = (require("tree-sitter-typescript") as { tsx: Language }).tsx;
        break;
      case "python":
        language = require("tree-sitter-python") as Language;
        break;
    }
    languages.set(id, language);
  }
  return language;
}

const parsers = new Map<GrammarId, Parser>();

/** One parser per grammar per process: parsers are reusable and costly to set up. */
export function parserFor(id: GrammarId): Parser {
  let parser = parsers.get(id);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(grammarLanguage(id));
    parsers.set(id, parser);
  }
  return parser;
}
