// Refreshes data/deps/popular-npm.txt and data/deps/popular-pypi.txt, the lists of the most
// downloaded package names the typosquat check compares new dependencies with.
//
//   tsx scripts/refresh-popular-packages.ts --npm-tsv <file> --pypi-tsv <file> [--count 4000]
//       From package tables with a header row: npm's needs `name` and `downloads_a_month`,
//       PyPI's `name` and `rank_among_15000_most_downloaded` (or `downloads_a_month`).
//   tsx scripts/refresh-popular-packages.ts --from-api [--count 4000]
//       On a networked machine: re-ranks the names already in the lists (plus any given with
//       --candidates <file>, one name a line) by last month's downloads from the npm downloads
//       API (api.npmjs.org, 128 names a request) and pypistats.org's `recent` endpoint.
// Both write the top --count names as typosquat targets (popular-*.txt) and the next --known
// names (known-*.txt): established packages that are themselves never flagged.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const OUT = { npm: new URL("../data/deps/popular-npm.txt", import.meta.url), pypi: new URL("../data/deps/popular-pypi.txt", import.meta.url) };
/** The names ranked after the popular ones: established packages that are never called typosquats themselves. */
const KNOWN = { npm: new URL("../data/deps/known-npm.txt", import.meta.url), pypi: new URL("../data/deps/known-pypi.txt", import.meta.url) };

interface Ranked {
  name: string;
  score: number;
}

function readTsv(file: string): Array<Record<string, string>> {
  const [header, ...rows] = readFileSync(file, "utf8").split("\n");
  const columns = header!.split("\t");
  return rows.filter(Boolean).map((row) => {
    const cells = row.split("\t");
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ""]));
  });
}

/** Names npm would accept today (old capitalised names still exist but are not typosquat targets). */
const NPM_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const PYPI_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

function fromNpmTsv(file: string): Ranked[] {
  return readTsv(file)
    .filter((r) => NPM_NAME.test(r.name ?? "") && Number(r.downloads_a_month) > 0)
    .map((r) => ({ name: r.name!, score: Number(r.downloads_a_month) }));
}

function fromPypiTsv(file: string): Ranked[] {
  return readTsv(file)
    .filter((r) => PYPI_NAME.test(r.name ?? ""))
    .map((r) => {
      const rank = Number(r.rank_among_15000_most_downloaded);
      const downloads = Number(r.downloads_a_month);
      return { name: r.name!.toLowerCase().replace(/[-_.]+/g, "-"), score: rank > 0 ? 1e12 - rank : downloads > 0 ? downloads : -1 };
    })
    .filter((r) => r.score > 0);
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { "user-agent": "vibeguard-refresh-popular" } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

async function npmFromApi(names: string[]): Promise<Ranked[]> {
  const out: Ranked[] = [];
  const unscoped = names.filter((n) => !n.startsWith("@"));
  // The bulk endpoint takes up to 128 unscoped names; scoped ones are asked one at a time.
  for (let i = 0; i < unscoped.length; i += 128) {
    const batch = unscoped.slice(i, i + 128);
    const body = (await getJson(`https://api.npmjs.org/downloads/point/last-month/${batch.join(",")}`)) as Record<string, { downloads?: number } | null>;
    for (const name of batch) out.push({ name, score: body[name]?.downloads ?? 0 });
  }
  for (const name of names.filter((n) => n.startsWith("@"))) {
    const body = (await getJson(`https://api.npmjs.org/downloads/point/last-month/${name}`)) as { downloads?: number };
    out.push({ name, score: body.downloads ?? 0 });
  }
  return out;
}

async function pypiFromApi(names: string[]): Promise<Ranked[]> {
  const out: Ranked[] = [];
  for (const name of names) {
    const body = (await getJson(`https://pypistats.org/api/packages/${encodeURIComponent(name)}/recent`)) as { data?: { last_month?: number } };
    out.push({ name, score: body.data?.last_month ?? 0 });
    await new Promise((r) => setTimeout(r, 200)); // pypistats asks clients to go easy
  }
  return out;
}

function top(ranked: Ranked[], count: number): string[] {
  const best = new Map<string, number>();
  for (const r of ranked) best.set(r.name, Math.max(best.get(r.name) ?? -Infinity, r.score));
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([name]) => name);
}

function write(url: URL, names: string[], source: string, what = "Most downloaded package names, most popular first"): void {
  const header = `# ${what} (${names.length}); source: ${source}.\n# Regenerate with scripts/refresh-popular-packages.ts; do not edit by hand.\n`;
  writeFileSync(url, header + names.join("\n") + "\n");
  console.log(`${url.pathname}: ${names.length} names`);
}

function currentList(url: URL): string[] {
  try {
    return readFileSync(url, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "npm-tsv": { type: "string" },
      "pypi-tsv": { type: "string" },
      "from-api": { type: "boolean" },
      candidates: { type: "string" },
      count: { type: "string", default: "4000" },
      known: { type: "string", default: "25000" },
    },
  });
  const count = Number(values.count);
  const known = Number(values.known);
  const both = (ecosystem: "npm" | "pypi", ranked: Ranked[], source: string) => {
    const names = top(ranked, count + known);
    write(OUT[ecosystem], names.slice(0, count), source);
    write(KNOWN[ecosystem], names.slice(count), source, "Established package names ranked after the popular list");
  };
  if (values["from-api"]) {
    const extra = values.candidates ? readFileSync(values.candidates, "utf8").split("\n").filter(Boolean) : [];
    const npmNames = [...new Set([...currentList(OUT.npm), ...currentList(KNOWN.npm), ...extra.filter((n) => NPM_NAME.test(n))])];
    const pypiNames = [...new Set([...currentList(OUT.pypi), ...currentList(KNOWN.pypi), ...extra.filter((n) => PYPI_NAME.test(n))])];
    both("npm", await npmFromApi(npmNames), "api.npmjs.org downloads, last month");
    both("pypi", await pypiFromApi(pypiNames), "pypistats.org, last month");
    return;
  }
  if (!values["npm-tsv"] && !values["pypi-tsv"]) throw new Error("give --npm-tsv and/or --pypi-tsv, or --from-api");
  if (values["npm-tsv"]) both("npm", fromNpmTsv(values["npm-tsv"]), "npm package table, downloads a month");
  if (values["pypi-tsv"]) both("pypi", fromPypiTsv(values["pypi-tsv"]), "PyPI package table, download rank");
}

main().catch((error: unknown) => {
  console.error(`refresh-popular-packages: ${(error as Error).message}`);
  process.exit(1);
});
