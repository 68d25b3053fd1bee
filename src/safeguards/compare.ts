// Removed safeguards: the old and the new version of one file are parsed, each safeguard rule's
// queries find the safeguards in both, and a scope (route, router, file, call) that still exists
// but holds fewer of them than before is a removal. Comparing counts per scope, not texts, keeps
// a safeguard that was moved within its scope, renamed, or replaced by an equivalent one quiet.
import Parser from "tree-sitter";
import type { LoadedRule } from "../engine/load-rules.js";
import { RuleLoadError } from "../engine/load-rules.js";
import { grammarLanguage, grammarsForRule, parserFor, type GrammarId } from "../engine/languages.js";
import type { SafeguardDefinition } from "../engine/rule-schema.js";
import { isLiteral } from "../engine/syntax.js";
import { mapLines } from "./line-map.js";
import { callKeysOf, enclosingScope, normalize, receiversOf, routesOf, scopeKeysOf, type RouteRef } from "./scope.js";

type Node = Parser.SyntaxNode;

export interface SafeguardRule {
  rule: LoadedRule;
  safeguard: SafeguardDefinition;
}

/** One safeguard found in one version of a file. */
interface Guard {
  rule: SafeguardRule;
  /** Identifies the protected scope; guards compare only within the same key. */
  key: string;
  /** What survival of the scope is checked against. */
  scopeKey: string;
  text: string;
  line: number;
  code: string;
  node: Node;
}

/** A safeguard present in the old file and gone from the new. */
export interface Removal {
  rule: LoadedRule;
  safeguard: SafeguardDefinition;
  /** The old line holding the safeguard, trimmed. */
  code: string;
  /** The safeguard itself as it was written (first line). */
  text: string;
  oldLine: number;
  /** The closest surviving line of the new file. */
  newLine: number;
  /** A route that moved out from under a router-level safeguard, if that is what happened. */
  movedRoute?: string;
}

const compiled = new Map<string, Parser.Query[]>();

function queriesFor(entry: SafeguardRule, grammar: GrammarId): Parser.Query[] {
  const cacheKey = `${entry.rule.file}\0${entry.rule.definition.id}\0${grammar}`;
  let queries = compiled.get(cacheKey);
  if (!queries) {
    queries = entry.safeguard.queries.map((text, i) => {
      try {
        return new Parser.Query(grammarLanguage(grammar), text);
      } catch (error) {
        throw new RuleLoadError(entry.rule.file, `safeguard.queries.${i}`, `does not compile for ${grammar}: ${(error as Error).message}`);
      }
    });
    compiled.set(cacheKey, queries);
  }
  return queries;
}

/** The safeguard rules that apply to a grammar. */
export function safeguardRulesFor(rules: readonly LoadedRule[], grammar: GrammarId): SafeguardRule[] {
  return rules
    .filter((r) => r.definition.safeguard && r.definition.languages.some((l) => grammarsForRule(l, r.definition.typescript).includes(grammar)))
    .map((rule) => ({ rule, safeguard: rule.definition.safeguard! }));
}

function meetsConstraints(safeguard: SafeguardDefinition, captures: Parser.QueryCapture[]): boolean {
  for (const [name, c] of Object.entries(safeguard.constraints ?? {})) {
    const node = captures.find((x) => x.name === name)?.node;
    if (!node) return false;
    if (c.literal !== undefined && isLiteral(node) !== c.literal) return false;
    if (c.regex && !new RegExp(c.regex).test(node.text)) return false;
    if (c["not-regex"] && new RegExp(c["not-regex"]).test(node.text)) return false;
  }
  return true;
}

function guardsOf(root: Node, lines: string[], grammar: GrammarId, entries: SafeguardRule[]): Guard[] {
  const guards: Guard[] = [];
  for (const entry of entries) {
    const seen = new Set<number>();
    for (const query of queriesFor(entry, grammar)) {
      for (const match of query.matches(root)) {
        if (!meetsConstraints(entry.safeguard, match.captures)) continue;
        const node = match.captures.find((c) => c.name === "safeguard")?.node ?? match.captures[0]?.node;
        if (!node || seen.has(node.id)) continue;
        seen.add(node.id);
        const named = match.captures.filter((c) => c.name.startsWith("scope")).map((c) => normalize(c.node.text));
        const extra = named.join("|");
        let scopeKey = extra;
        if (entry.safeguard.scope === "route") scopeKey = enclosingScope(node).key;
        else if (entry.safeguard.scope === "call") scopeKey = `${enclosingScope(node).key}|${extra}`;
        else if (entry.safeguard.scope === "file") scopeKey = "";
        // A route safeguard outside any route (a module-level Depends) is not route-level.
        if (entry.safeguard.scope === "route" && scopeKey === "") continue;
        const line = node.startPosition.row + 1;
        guards.push({
          rule: entry,
          key: `${entry.rule.definition.id}\0${scopeKey}\0${entry.safeguard.scope === "route" || entry.safeguard.scope === "file" ? extra : ""}`,
          scopeKey,
          text: normalize(node.text),
          line,
          code: (lines[line - 1] ?? "").trim().slice(0, 200),
          node,
        });
      }
    }
  }
  return guards;
}

function group(guards: Guard[]): Map<string, Guard[]> {
  const out = new Map<string, Guard[]>();
  for (const g of guards) out.set(g.key, [...(out.get(g.key) ?? []), g]);
  return out;
}

/** The old guards left over once every new guard of the same key has claimed an identical (else any) old one. */
function unmatched(oldGuards: Guard[], newGuards: Guard[]): Guard[] {
  const left = [...oldGuards];
  const rest: Guard[] = [];
  for (const g of newGuards) {
    const i = left.findIndex((o) => o.text === g.text);
    if (i >= 0) left.splice(i, 1);
    else rest.push(g);
  }
  // New guards with other text stand in for old ones (a rename or an equivalent), latest first.
  return left.slice(0, Math.max(0, left.length - rest.length));
}

const firstLine = (text: string) => text.split("\n")[0]!.trim();

const routeId = (r: RouteRef) => `${r.verb} ${r.path}`;

export interface CompareInput {
  path: string;
  base: string;
  content: string;
  grammar: GrammarId;
}

/** The safeguards the change removed, located in the new file. */
export function findRemovedSafeguards(input: CompareInput, rules: readonly LoadedRule[]): Removal[] {
  const entries = safeguardRulesFor(rules, input.grammar);
  if (entries.length === 0 || input.base === input.content) return [];
  const parser = parserFor(input.grammar);
  const oldTree = parser.parse(input.base);
  const newTree = parser.parse(input.content);
  const oldLines = input.base.split("\n");
  const oldGuards = guardsOf(oldTree.rootNode, oldLines, input.grammar, entries);
  if (oldGuards.length === 0) return [];
  const newGuards = guardsOf(newTree.rootNode, input.content.split("\n"), input.grammar, entries);
  const map = mapLines(input.base, input.content);

  let scopeKeys: Set<string> | undefined;
  let callKeys: Set<string> | undefined;
  let receivers: Set<string> | undefined;
  const survives = (g: Guard): boolean => {
    switch (g.rule.safeguard.scope) {
      case "file":
        return true;
      case "route":
        return (scopeKeys ??= scopeKeysOf(newTree.rootNode)).has(g.scopeKey);
      case "call":
        return (callKeys ??= callKeysOf(newTree.rootNode)).has(g.scopeKey);
      case "router":
        return (receivers ??= receiversOf(newTree.rootNode)).has(g.scopeKey);
    }
  };

  const newRoutes = routesOf(newTree.rootNode);
  const category = (g: Guard) => g.rule.rule.definition.category;
  // A route-level safeguard moved up to the router the route is registered on is still there.
  const routerGuarded = (receiver: string, cat: string) =>
    newGuards.some((g) => g.rule.safeguard.scope === "router" && category(g) === cat && g.scopeKey === receiver);
  const movedToRouter = (g: Guard): boolean => {
    if (g.rule.safeguard.scope !== "route") return false;
    const route = newRoutes.find((r) => routeId(r) === g.scopeKey);
    return !!route && routerGuarded(route.receiver, category(g));
  };

  const removals: Removal[] = [];
  const newByKey = group(newGuards);
  for (const [key, olds] of group(oldGuards)) {
    const news = newByKey.get(key) ?? [];
    if (news.length >= olds.length) continue;
    for (const g of unmatched(olds, news)) {
      if (!survives(g) || movedToRouter(g)) continue;
      removals.push({ rule: g.rule.rule, safeguard: g.rule.safeguard, code: g.code, text: firstLine(g.node.text), oldLine: g.line, newLine: map.newLineOf(g.line) });
    }
  }

  // Routes moved out from under a router-level safeguard: registered on a guarded router before,
  // on a router without that safeguard now.
  const oldRoutes = routesOf(oldTree.rootNode);
  for (const g of oldGuards) {
    if (g.rule.safeguard.scope !== "router") continue;
    for (const old of oldRoutes) {
      if (old.receiver !== g.scopeKey || old.node.startIndex < g.node.startIndex) continue;
      if (newRoutes.some((r) => r.receiver === old.receiver && routeId(r) === routeId(old))) continue;
      const moved = newRoutes.find((r) => routeId(r) === routeId(old));
      if (!moved || routerGuarded(moved.receiver, category(g))) continue;
      // Guarded on the route itself now?
      if (newGuards.some((n) => category(n) === category(g) && moved.node.startIndex <= n.node.startIndex && n.node.endIndex <= moved.node.endIndex)) continue;
      if (removals.some((r) => r.rule === g.rule.rule && r.oldLine === g.line)) continue;
      removals.push({
        rule: g.rule.rule,
        safeguard: g.rule.safeguard,
        code: g.code,
        text: firstLine(g.node.text),
        oldLine: g.line,
        newLine: moved.node.startPosition.row + 1,
        movedRoute: `${old.verb.toUpperCase()} ${old.path}`,
      });
    }
  }
  return removals.sort((a, b) => a.newLine - b.newLine || a.oldLine - b.oldLine);
}
