// `vibeguard scan`: analyse the lines a git range added (--base) or whole files (--all), print
// text, JSON or SARIF, and exit 1 when a finding at or above the fail-on severity remains.
import { existsSync, readFileSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { ConfigError, DEFAULT_CONFIG, parseConfig, type VibeguardConfig } from "../config/schema.js";
import { DependencyClient } from "../deps/client.js";
import { engineFor, RuleLoadError } from "../engine/index.js";
import { SEVERITIES, atOrAbove, type Severity } from "../findings.js";
import { renderJson } from "../render/json.js";
import { renderSarif } from "../render/sarif.js";
import { renderText } from "../render/text.js";
import { analyzeInBatches } from "./batch.js";
import { collectAll, collectRange, collectStaged, UsageError, type Collected } from "./collect.js";
import { GitError, repoRoot } from "./git.js";

export const FORMATS = ["text", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export const DEFAULT_CONFIG_FILE = ".github/vibeguard.yml";

export const HELP = `Usage: vibeguard scan (--base <rev> [--head <rev>] | --staged | --all <path>...) [options]

Reviews code for security flaws and reports only on the lines a change added.

What to scan (one of):
  --base <rev>          Lines added since <rev> in the git repository around the current folder.
                        Without --head: the work tree (committed, staged and unstaged changes,
                        and untracked files that .gitignore does not ignore, as all added).
  --head <rev>          With --base: the lines added between <rev> and --base instead; files
                        are read from <rev>, the work tree is not looked at.
  --no-untracked        With --base and no --head: leave untracked files out.
  --staged [<path>...]  Lines the index adds over HEAD, files read from the index: what
                        \`git commit\` would record (for pre-commit hooks); paths limit it.
  --all <path>...       Every line of the given files, and of every file under the given folders
                        (.git is not entered; node_modules and virtualenvs are listed as skipped).

Options:
  --format <fmt>        text (default), json or sarif.
  --output <file>       Write the report to <file> instead of standard output.
  --fail-on <severity>  critical, high, medium or low: exit 1 when an unsuppressed finding at or
                        above it remains. Default: fail_on from the config file, else high.
  --config <file>       Configuration file. Default: .github/vibeguard.yml in the repository root
                        (with --base) or the current folder (with --all), if present.
  --rules <dir>         Use the rules in <dir> instead of the built-in rules.
  --offline             Dependency checks without the network: typosquats, unpinned specs and
                        install scripts only (no registry existence/age lookups, no OSV).
  --no-color            No colours in text output (colours are only used on a terminal anyway).
  -h, --help            Show this help.
  --version             Show the version.

Exit status: 0 nothing at or above --fail-on, 1 something at or above it, 2 usage or setup error.
`;

export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  /** Whether standard output is a terminal (colours). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

interface ScanOptions {
  base?: string;
  head?: string;
  all: boolean;
  staged: boolean;
  paths: string[];
  format: Format;
  output?: string;
  failOn?: Severity;
  config?: string;
  rules?: string;
  color: boolean;
  untracked: boolean;
  offline: boolean;
}

type Parsed = { kind: "help" } | { kind: "version" } | { kind: "scan"; options: ScanOptions };

function oneLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

export function parseCommandLine(argv: string[]): Parsed {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: "string" },
        head: { type: "string" },
        all: { type: "boolean" },
        staged: { type: "boolean" },
        format: { type: "string" },
        output: { type: "string" },
        "fail-on": { type: "string" },
        config: { type: "string" },
        rules: { type: "string" },
        "no-color": { type: "boolean" },
        "no-untracked": { type: "boolean" },
        offline: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    }));
  } catch (error) {
    throw new UsageError(oneLine((error as Error).message));
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };

  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError("missing command: vibeguard scan ... (see --help)");
  if (command !== "scan") throw new UsageError(`unknown command: ${command} (the only command is scan)`);

  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`bad --format ${format}: use text, json or sarif`);
  const failOn = values["fail-on"];
  if (failOn !== undefined && !(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`bad --fail-on ${failOn}: use critical, high, medium or low`);
  }
  for (const name of ["base", "head", "output", "config", "rules"] as const) {
    if (values[name] === "") throw new UsageError(`--${name} needs a value`);
  }

  const all = values.all ?? false;
  const staged = values.staged ?? false;
  if (all && values.base !== undefined) throw new UsageError("--all and --base cannot be used together");
  if (staged && (all || values.base !== undefined)) throw new UsageError("--staged cannot be used with --base or --all");
  if (staged && values.head !== undefined) throw new UsageError("--staged compares the index with HEAD: --head does not apply");
  if (staged && values["no-untracked"]) throw new UsageError("--no-untracked does not apply to --staged (untracked files are never staged)");
  if (!all && !staged && values.base === undefined) throw new UsageError("nothing to scan: give --base <rev>, --staged or --all <path>...");
  if (values.head !== undefined && values.base === undefined) throw new UsageError("--head needs --base");
  if (all && rest.length === 0) throw new UsageError("--all needs at least one file or folder");
  if (!all && rest.length > 0 && !staged) throw new UsageError(`unexpected argument: ${rest[0]} (paths go with --all)`);
  if (values["no-untracked"] && values.head !== undefined) throw new UsageError("--no-untracked applies only without --head");

  const options: ScanOptions = {
    all,
    staged,
    paths: rest,
    format: format as Format,
    color: !values["no-color"],
    untracked: !values["no-untracked"],
    offline: values.offline ?? false,
  };
  if (values.base !== undefined) options.base = values.base;
  if (values.head !== undefined) options.head = values.head;
  if (values.output !== undefined) options.output = values.output;
  if (failOn !== undefined) options.failOn = failOn as Severity;
  if (values.config !== undefined) options.config = values.config;
  if (values.rules !== undefined) options.rules = values.rules;
  return { kind: "scan", options };
}

/** Read and validate a config file; ConfigError names the file and the key. */
export function loadConfigFile(file: string, shown = file): VibeguardConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(shown, "", `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ConfigError(shown, "", `invalid YAML: ${oneLine((error as Error).message)}`);
  }
  return parseConfig(value, shown);
}

async function findConfig(options: ScanOptions, io: CliIO, root: string): Promise<VibeguardConfig> {
  if (options.config !== undefined) return loadConfigFile(resolve(io.cwd, options.config), options.config);
  const candidates = [join(root, DEFAULT_CONFIG_FILE)];
  if (options.all) {
    // --all outside the repository root: the repository's config still applies when there is one.
    try {
      candidates.push(join(await repoRoot(io.cwd), DEFAULT_CONFIG_FILE));
    } catch {
      /* not in a repository: only the current folder counts */
    }
  }
  for (const file of candidates) if (existsSync(file)) return loadConfigFile(file, file);
  return DEFAULT_CONFIG;
}

function useColor(options: ScanOptions, io: CliIO): boolean {
  if (!options.color || options.output !== undefined || !io.isTTY) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.env.TERM !== "dumb";
}

export async function main(argv: string[], overrides: Partial<CliIO> = {}): Promise<number> {
  const io: CliIO = {
    stdout: overrides.stdout ?? process.stdout,
    stderr: overrides.stderr ?? process.stderr,
    cwd: overrides.cwd ?? process.cwd(),
    isTTY: overrides.isTTY ?? (process.stdout.isTTY === true),
    env: overrides.env ?? process.env,
  };
  const fail = (message: string): number => {
    io.stderr.write(`vibeguard: ${message}\n`);
    return EXIT_USAGE;
  };

  try {
    const parsed = parseCommandLine(argv);
    if (parsed.kind === "help") {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    if (parsed.kind === "version") {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    const options = parsed.options;
    // Rules first: a bad rules folder is a setup error worth reporting before any git work.
    let rulesDir: string | undefined;
    if (options.rules !== undefined) {
      rulesDir = resolve(io.cwd, options.rules);
      if (!existsSync(rulesDir) || !statSync(rulesDir).isDirectory()) throw new UsageError(`--rules ${options.rules}: no such folder`);
    }
    const engine = engineFor(rulesDir);

    let collected: Collected;
    if (options.all) {
      collected = await collectAll({ cwd: io.cwd, paths: options.paths });
    } else if (options.staged) {
      collected = await collectStaged({ cwd: io.cwd, paths: options.paths });
    } else {
      const range: Parameters<typeof collectRange>[0] = { cwd: io.cwd, base: options.base!, untracked: options.untracked };
      if (options.head !== undefined) range.head = options.head;
      collected = await collectRange(range);
    }
    const config = await findConfig(options, io, collected.root);
    const failOn = options.failOn ?? config.fail_on;

    // Dependencies: the registries and OSV are asked unless --offline (one client per run, cached).
    const dependencyClient = options.offline ? undefined : new DependencyClient();
    const result = await analyzeInBatches(collected.files, { config, engine, ...(dependencyClient ? { dependencyClient } : {}) });
    // Files the CLI left out (binary, too large, dependency folders) come first, then the analysis's.
    result.skipped = [...collected.skipped, ...result.skipped];

    const version = packageVersion();
    let report: string;
    switch (options.format) {
      case "json":
        report = renderJson(result, { version, failOn });
        break;
      case "sarif":
        report = renderSarif(result, { version });
        break;
      case "text":
        report = renderText(result, { failOn, color: useColor(options, io) });
        break;
    }
    if (options.output !== undefined) {
      try {
        await writeFile(resolve(io.cwd, options.output), report);
      } catch (error) {
        return fail(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    } else {
      io.stdout.write(report);
    }

    const failing = result.findings.some((f) => !f.suppressed && atOrAbove(f.severity, failOn));
    return failing ? EXIT_FINDINGS : EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError || error instanceof GitError || error instanceof ConfigError || error instanceof RuleLoadError) {
      return fail(oneLine(error.message));
    }
    const e = error as Error;
    if (io.env.VIBEGUARD_DEBUG) io.stderr.write(`${e.stack ?? e.message}\n`);
    return fail(`internal error: ${oneLine(e.message ?? String(error))}`);
  }
}
