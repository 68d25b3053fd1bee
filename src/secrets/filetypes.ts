// File kinds the secrets scanner distinguishes: source code (where an unquoted value is an
// expression, not a literal), configuration-like text (where it is the value), lockfiles, binaries.

const CODE_EXTENSIONS = new Set([
  "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "py", "pyw", "go", "rb", "java", "kt", "kts", "scala", "cs", "php",
  "rs", "swift", "c", "cc", "cpp", "cxx", "h", "hpp", "m", "mm", "dart", "lua", "pl", "pm", "r", "groovy", "vue", "svelte",
  "ex", "exs", "erl", "clj", "fs", "fsx", "vb", "jl", "nim", "zig", "sol", "astro",
]);

const LOCKFILES = new Set([
  "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "poetry.lock", "pipfile.lock",
  "cargo.lock", "gemfile.lock", "composer.lock", "go.sum", "packages.lock.json", "podfile.lock", "pubspec.lock",
  "mix.lock", "flake.lock", "uv.lock", "pdm.lock", "gradle.lockfile", "package.resolved", "deno.lock", "conda-lock.yml",
]);

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

export function extensionOf(path: string): string {
  const b = baseName(path);
  const i = b.lastIndexOf(".");
  return i > 0 ? b.slice(i + 1).toLowerCase() : "";
}

export function isLockfile(path: string): boolean {
  return LOCKFILES.has(baseName(path).toLowerCase());
}

/** Source code: an unquoted right-hand side is an expression (a variable, a call), not a literal. */
export function isCodeFile(path: string): boolean {
  return CODE_EXTENSIONS.has(extensionOf(path));
}

export function isDocsFile(path: string): boolean {
  return /^(?:md|markdown|mdx|rst|adoc|txt|textile|org)$/.test(extensionOf(path));
}

export function isDockerfile(path: string): boolean {
  const b = baseName(path).toLowerCase();
  return b === "dockerfile" || b.startsWith("dockerfile.") || b.endsWith(".dockerfile") || b === "containerfile";
}

/**
 * True when the content is text worth scanning: not binary (NUL bytes, many control characters)
 * and not a minified or generated bundle (`.min.js`, source maps, huge single lines).
 * Lockfiles are text: scanSecrets reads them for provider tokens only (see scanSecrets).
 */
export function isProbablyText(path: string, content: string): boolean {
  const sample = content.length > 8192 ? content.slice(0, 8192) : content;
  if (sample.includes("\u0000")) return false;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.1) return false;
  const b = baseName(path).toLowerCase();
  if (/\.min\.(?:js|css|mjs)$/.test(b) || b.endsWith(".map")) return false;
  if (/\.(?:png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|bz2|xz|7z|jar|war|class|so|dylib|dll|exe|bin|wasm|woff2?|ttf|otf|eot|mp[34]|mov|avi|pyc|o|a)$/.test(b)) return false;
  // minified: few, very long lines
  if (content.length > 5000) {
    let lines = 1;
    for (let i = content.indexOf("\n"); i >= 0; i = content.indexOf("\n", i + 1)) lines++;
    if (content.length / lines > 1000 && extensionOf(path) !== "ipynb") return false;
  }
  return true;
}
