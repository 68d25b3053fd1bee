// Repository configuration through Probot's context.config: `.github/vibeguard.yml` on the
// default branch, falling back to the organisation's `.github` repository (and `_extends`).
// A file that does not parse or validate is a ConfigError; GitHub failures propagate.
import { checkConfigRegexes } from "../config/regexes.js";
import { ConfigError, parseConfig, type VibeguardConfig } from "../config/schema.js";

export const CONFIG_FILE = "vibeguard.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export type ConfigResult = { ok: true; config: VibeguardConfig } | { ok: false; error: ConfigError };

/** The Probot plugin's own errors: invalid YAML, a directory at the path, a bad `_extends`. */
function pluginProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^\[@probot\/octokit-plugin-config\] (.*)$/s.exec(error.message);
  if (!match) return undefined;
  // The plugin names the API URL it read; keep the reason, not the URL.
  const reason = match[1]!.replace(/https?:\/\/\S+/g, "the file").trim();
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) {
    // YAML errors name the line and column; keep the first line only (no file content).
    const first = cause.message.split("\n")[0]!;
    const where = /at line (\d+), column (\d+)/.exec(cause.message);
    return `${reason}${where ? ` at line ${where[1]}, column ${where[2]}` : ""}: ${first.replace(/ at line \d+, column \d+:?$/, "")}`;
  }
  return reason;
}

export async function loadConfig(read: (file: string) => Promise<unknown>): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await read(CONFIG_FILE);
  } catch (error) {
    // A reader that validates itself (the GitHub Action's, src/github/standalone.ts) names its own file.
    if (error instanceof ConfigError) return { ok: false, error };
    const problem = pluginProblem(error);
    if (problem === undefined) throw error;
    return { ok: false, error: new ConfigError(CONFIG_PATH, "", problem) };
  }
  try {
    const config = parseConfig(raw ?? {}, CONFIG_PATH);
    // Repository regexes run in the shared process: refuse any that could backtrack without bound.
    const unsafe = checkConfigRegexes(config);
    if (unsafe) return { ok: false, error: new ConfigError(CONFIG_PATH, unsafe.key, unsafe.message) };
    return { ok: true, config };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error };
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merge like Probot's context.config: objects key by key, arrays concatenated, later wins. */
function mergeConfigs(configs: unknown[]): unknown {
  return configs.reduce<unknown>((acc, next) => {
    if (isPlainObject(acc) && isPlainObject(next)) {
      const out: Record<string, unknown> = { ...acc };
      for (const [k, v] of Object.entries(next)) out[k] = k in out ? mergeConfigs([out[k], v]) : v;
      return out;
    }
    if (Array.isArray(acc) && Array.isArray(next)) return [...acc, ...next];
    return next;
  }, {});
}

interface ConfigPluginClient {
  config: {
    get(params: { owner: string; repo: string; path: string; defaults?: (configs: object[]) => object }): Promise<{
      config: unknown;
      files: { config: unknown }[];
    }>;
  };
}

/**
 * context.config for code that runs outside a webhook handler (a re-queued job): the same
 * lookup through the Octokit config plugin, null when no file exists.
 */
export function configReader(gh: unknown, repo: { owner: string; repo: string }): (file: string) => Promise<unknown> {
  return async (file) => {
    const { config, files } = await (gh as ConfigPluginClient).config.get({
      ...repo,
      path: `.github/${file}`,
      defaults: (configs) => mergeConfigs(configs) as object,
    });
    return files.some((f) => f.config !== null) ? config : null;
  };
}
