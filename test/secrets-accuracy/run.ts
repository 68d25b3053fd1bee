// `npm run accuracy:secrets`: the secrets scanner against the labelled set in this folder.
//   recall         positives with a finding on the line the secret starts on
//   false positive look-alikes with any finding (or, where `low` is accepted, one above low)
//   services       services all of whose positives are found
// Options: --misses (list missed positives and flagged look-alikes), --json
import { scanSecrets } from "../../src/secrets/index.js";
import type { Finding } from "../../src/findings.js";
import { buildCorpus, type Item } from "./corpus.js";

const args = new Set(process.argv.slice(2));
const items = buildCorpus();

interface Outcome {
  item: Item;
  findings: Finding[];
  ok: boolean;
  note?: string;
}

const outcomes: Outcome[] = items.map((item) => {
  const findings = scanSecrets({ path: item.path, content: item.content, added: "all" });
  if (item.positive) {
    const here = findings.filter((f) => f.line === item.line);
    const ok = here.length > 0;
    const note = ok && item.low && here.every((f) => f.severity !== "low") ? "expected low severity" : undefined;
    return { item, findings, ok: ok && !note, ...(note ? { note } : {}) };
  }
  const bad = findings.filter((f) => !(item.low && f.severity === "low"));
  return { item, findings, ok: bad.length === 0 };
});

const pos = outcomes.filter((o) => o.item.positive);
const neg = outcomes.filter((o) => !o.item.positive);
const found = pos.filter((o) => o.ok).length;
const flagged = neg.filter((o) => !o.ok).length;
const services = new Map<string, boolean>();
for (const o of pos) services.set(o.item.service, (services.get(o.item.service) ?? true) && o.ok);
const covered = [...services.values()].filter(Boolean).length;
const providerServices = new Map<string, boolean>();
for (const o of pos.filter((x) => x.item.family === "provider")) providerServices.set(o.item.service, (providerServices.get(o.item.service) ?? true) && o.ok);
const providerCovered = [...providerServices.values()].filter(Boolean).length;

const byFamily = new Map<string, { n: number; ok: number }>();
for (const o of outcomes) {
  const f = byFamily.get(o.item.family) ?? { n: 0, ok: 0 };
  f.n++;
  if (o.ok) f.ok++;
  byFamily.set(o.item.family, f);
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(1)}%`;
if (args.has("--json")) {
  console.log(JSON.stringify({ positives: pos.length, found, recall: found / pos.length, lookAlikes: neg.length, flagged, falsePositiveRate: flagged / neg.length, services: services.size, servicesCovered: covered, providerFormats: providerServices.size, providerFormatsCovered: providerCovered }));
} else {
  console.log(`secrets accuracy (test/secrets-accuracy, ${items.length} labelled files)`);
  console.log(`  recall:               ${found}/${pos.length} = ${pct(found, pos.length)}`);
  console.log(`  false-positive rate:  ${flagged}/${neg.length} look-alikes flagged = ${pct(flagged, neg.length)}`);
  console.log(`  services covered:     ${covered}/${services.size} (every sample of the service found; ${providerCovered}/${providerServices.size} provider formats, the rest credential shapes)`);
  for (const [fam, f] of [...byFamily].sort()) console.log(`    ${fam.padEnd(18)} ${f.ok}/${f.n} ${fam === "look-alike" ? "quiet" : "found"}`);
}
if (args.has("--misses")) {
  for (const o of pos.filter((x) => !x.ok)) {
    const lines = o.item.content.split("\n");
    console.log(`MISS ${o.item.id} ${o.item.path}:${o.item.line} ${o.note ?? ""} | ${lines[o.item.line - 1]!.slice(0, 160)}${o.findings.length ? `  [other findings: ${o.findings.map((f) => `${f.ruleId}@${f.line}`).join(", ")}]` : ""}`);
  }
  for (const o of neg.filter((x) => !x.ok)) console.log(`FP   ${o.item.id} ${o.item.path}: ${o.findings.map((f) => `${f.ruleId}/${f.severity}@${f.line} ${f.message.slice(0, 80)}`).join(" | ")}`);
}
