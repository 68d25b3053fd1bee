// A deterministic directory walk for building bench corpora: entries in name order, folders
// skipped by name, and an early stop once enough has been collected.
import { readdirSync } from "node:fs";
import { join } from "node:path";

export interface WalkOptions {
  /** Folder names not to enter. */
  skipDirs: ReadonlySet<string>;
  /** Called for each regular file; return true to stop the whole walk. */
  onFile: (full: string, name: string) => boolean | void;
}

/** Walk `root` depth-first in name order; returns true when onFile asked to stop. */
export function walkSorted(root: string, options: WalkOptions): boolean {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return false;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      if (!options.skipDirs.has(entry.name) && walkSorted(full, options)) return true;
    } else if (entry.isFile() && options.onFile(full, entry.name)) {
      return true;
    }
  }
  return false;
}
