// The registry and OSV client: what the dependency checks ask the npm registry, the npm
// downloads API, PyPI's JSON API and OSV, with each answer validated by zod. Response shapes:
//   npm:  https://github.com/npm/registry/blob/main/docs/responses/package-metadata.md
//         (`time.created`, `time.unpublished`); downloads: GET /downloads/point/last-week/<name>
//   PyPI: https://docs.pypi.org/api/json/ (GET /pypi/<name>/json; `releases` upload times)
//   OSV:  https://google.github.io/osv.dev/post-v1-querybatch/ (ids only, in query order) and
//         GET /v1/vulns/<id> (the OSV schema: affected[].ranges[].events, severity, database_specific)
import { z } from "zod";
import { CachedHttp, type HttpOptions, type HttpStats, type Lookup } from "./http.js";
import type { Ecosystem } from "./types.js";

export const DEFAULT_ENDPOINTS = {
  npm: "https://registry.npmjs.org",
  npmDownloads: "https://api.npmjs.org",
  pypi: "https://pypi.org",
  osv: "https://api.osv.dev",
} as const;

export type Endpoints = { [K in keyof typeof DEFAULT_ENDPOINTS]: string };

/** Services named in "not checked: <service> unreachable". */
export const SERVICE_NAMES = { npm: "npm registry", npmDownloads: "npm downloads API", pypi: "PyPI", osv: "OSV" } as const;
export type Service = keyof typeof SERVICE_NAMES;

export interface PackageInfo {
  /** When the first version was published, when the registry says. */
  created?: Date;
  /** The package existed but every version was unpublished. */
  unpublished?: boolean;
}

const npmPackument = z.looseObject({
  name: z.string().optional(),
  time: z.record(z.string(), z.unknown()).optional(),
  versions: z.record(z.string(), z.unknown()).optional(),
});

const npmDownloads = z.looseObject({ downloads: z.number() });

const pypiProject = z.looseObject({
  info: z.looseObject({ name: z.string() }),
  releases: z.record(z.string(), z.array(z.looseObject({ upload_time_iso_8601: z.string().optional(), upload_time: z.string().optional() }))).optional(),
});

const osvBatch = z.looseObject({
  results: z.array(
    z.looseObject({
      vulns: z.array(z.looseObject({ id: z.string(), modified: z.string().optional() })).optional(),
      next_page_token: z.string().optional(),
    }),
  ),
});

const osvEvent = z.looseObject({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

export const osvVulnSchema = z.looseObject({
  id: z.string(),
  summary: z.string().optional(),
  details: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  withdrawn: z.string().optional(),
  severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).optional(),
  affected: z
    .array(
      z.looseObject({
        package: z.looseObject({ ecosystem: z.string(), name: z.string() }).optional(),
        ranges: z.array(z.looseObject({ type: z.string(), events: z.array(osvEvent) })).optional(),
        versions: z.array(z.string()).optional(),
        severity: z.array(z.looseObject({ type: z.string(), score: z.string() })).optional(),
        database_specific: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvVuln = z.infer<typeof osvVulnSchema>;

export interface OsvQuery {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

/** querybatch takes at most 1000 queries. */
const OSV_BATCH = 1000;
/** Pages followed for one query with very many advisories. */
const OSV_MAX_PAGES = 5;

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function npmPath(name: string): string {
  return name.startsWith("@") ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

export class DependencyClient {
  private readonly http: CachedHttp;
  readonly endpoints: Endpoints;

  constructor(options: HttpOptions & { endpoints?: Partial<Endpoints> } = {}) {
    this.http = new CachedHttp(options);
    this.endpoints = { ...DEFAULT_ENDPOINTS, ...options.endpoints };
  }

  get stats(): HttpStats {
    return this.http.stats;
  }

  npmPackage(name: string, registry = this.endpoints.npm): Promise<Lookup<PackageInfo>> {
    return this.http.json(`${trimSlash(registry)}/${npmPath(name)}`, (body) => {
      const doc = npmPackument.parse(body);
      const time = doc.time ?? {};
      const info: PackageInfo = {};
      if (typeof time.created === "string") info.created = new Date(time.created);
      if (time.unpublished !== undefined && Object.keys(doc.versions ?? {}).length === 0) info.unpublished = true;
      return info;
    });
  }

  /** Downloads in the last week (npm only: PyPI's JSON API no longer reports downloads). */
  npmWeeklyDownloads(name: string): Promise<Lookup<number>> {
    return this.http.json(`${trimSlash(this.endpoints.npmDownloads)}/downloads/point/last-week/${name}`, (body) => npmDownloads.parse(body).downloads);
  }

  pypiProject(name: string, index = this.endpoints.pypi): Promise<Lookup<PackageInfo>> {
    return this.http.json(`${trimSlash(index)}/pypi/${encodeURIComponent(name)}/json`, (body) => {
      const doc = pypiProject.parse(body);
      let first: number | undefined;
      for (const files of Object.values(doc.releases ?? {})) {
        for (const file of files) {
          const when = Date.parse(file.upload_time_iso_8601 ?? (file.upload_time ? `${file.upload_time}Z` : ""));
          if (Number.isFinite(when) && (first === undefined || when < first)) first = when;
        }
      }
      return first === undefined ? {} : { created: new Date(first) };
    });
  }

  /** Advisory ids affecting each query's exact version, in query order. */
  async osvQueryBatch(queries: OsvQuery[]): Promise<Lookup<string[][]>> {
    const out: string[][] = queries.map(() => []);
    for (let start = 0; start < queries.length; start += OSV_BATCH) {
      let pending = queries.slice(start, start + OSV_BATCH).map((q, i) => ({ index: start + i, q, token: undefined as string | undefined }));
      for (let page = 0; pending.length > 0 && page < OSV_MAX_PAGES; page++) {
        const body = {
          queries: pending.map(({ q, token }) => ({ package: { name: q.name, ecosystem: q.ecosystem }, version: q.version, ...(token ? { page_token: token } : {}) })),
        };
        const key = `osv:querybatch:${JSON.stringify(body)}`;
        const result = await this.http.json(`${trimSlash(this.endpoints.osv)}/v1/querybatch`, (b) => osvBatch.parse(b), { body, key });
        if (result.status !== "ok") return result.status === "not-found" ? { status: "unreachable", reason: "HTTP 404" } : result;
        if (result.value.results.length !== pending.length) return { status: "unreachable", reason: "querybatch answered a different number of queries" };
        const next: typeof pending = [];
        result.value.results.forEach((r, i) => {
          const item = pending[i]!;
          out[item.index]!.push(...(r.vulns ?? []).map((v) => v.id));
          if (r.next_page_token) next.push({ ...item, token: r.next_page_token });
        });
        pending = next;
      }
    }
    return { status: "ok", value: out.map((ids) => [...new Set(ids)]) };
  }

  osvVuln(id: string): Promise<Lookup<OsvVuln>> {
    return this.http.json(`${trimSlash(this.endpoints.osv)}/v1/vulns/${encodeURIComponent(id)}`, (body) => osvVulnSchema.parse(body));
  }
}
