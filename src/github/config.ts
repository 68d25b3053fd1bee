// Repository configuration through Probot's context.config: `.github/vibeguard.yml` on the
// default branch, falling back to the organisation's `.github` repository (and `_extends`).
// A file that does not parse or validate is a ConfigError; GitHub failures propagate.
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
    return { ok: true, config: parseConfig(raw ?? {}, CONFIG_PATH) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, error };
    throw error;
  }
}
