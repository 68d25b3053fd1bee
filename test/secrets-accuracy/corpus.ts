// Assembles the labelled accuracy set: every provider format in two file kinds (plus a neutral
// bearer/header line for tokens used as bearer tokens), every family case, every look-alike in a
// few seeded variants. Deterministic.
import { CONTEXTS, NEUTRAL, type Placed } from "./contexts.js";
import { FAMILY_CASES } from "./families.js";
import { holdoutCases } from "./holdout.js";
import { LOOKALIKES } from "./lookalikes.js";
import { b64, b64url, Rng } from "./rng.js";
import { SERVICES } from "./services.js";

export interface Item extends Placed {
  id: string;
  service: string;
  family: string;
  positive: boolean;
  /** Positives: a low finding is what we want (test-mode keys). Look-alikes: a low finding is accepted. */
  low?: boolean;
}

const CONTEXT_NAMES = Object.keys(CONTEXTS);

function value(r: Rng, format: string): string {
  return r.fmt(
    format
      .replace("{discordId}", () => b64url(String(100000000000000000n + BigInt(r.u32()) * 1000000000n + BigInt(r.u32() % 1000000000))))
      .replace("{jwtPayload}", () => b64url(JSON.stringify({ tid: r.u32() % 99999999, aai: 11, uid: r.u32() % 9999999, iad: "2024-05-01T10:00:00.000Z", per: "me:write", actid: r.u32() % 999999, rgn: "use1" }))),
  );
}

export function buildCorpus(): Item[] {
  const items: Item[] = [];
  SERVICES.forEach((s, i) => {
    const r = new Rng(`svc:${s.service}`);
    const picks = [CONTEXT_NAMES[i % CONTEXT_NAMES.length]!, CONTEXT_NAMES[(i * 7 + 3) % CONTEXT_NAMES.length]!];
    for (const c of picks) {
      const v = value(r, s.format);
      items.push({ id: `${s.service}@${c}`, service: s.service, family: "provider", positive: true, ...(s.testMode ? { low: true } : {}), ...CONTEXTS[c]!(s.env, v) });
    }
    if (s.bearer) {
      const neutral = Object.keys(NEUTRAL)[i % 3]!;
      items.push({ id: `${s.service}@${neutral}`, service: s.service, family: "provider", positive: true, ...NEUTRAL[neutral]!(value(r, s.format)) });
    }
  });
  for (const f of FAMILY_CASES) {
    for (let k = 0; k < 2; k++) {
      const r = new Rng(`fam:${f.service}:${k}`);
      items.push({ id: `${f.service}#${k}`, service: f.service, family: f.family, positive: true, ...f.make(r) });
    }
  }
  for (const l of LOOKALIKES) {
    for (let k = 0; k < (l.make.length === 0 ? 1 : 3); k++) {
      const r = new Rng(`neg:${l.kind}:${k}`);
      items.push({ id: `${l.kind}#${k}`, service: l.kind, family: "look-alike", positive: false, ...(l.lowOk ? { low: true } : {}), ...l.make(r) });
    }
  }
  for (const h of holdoutCases()) {
    const r = new Rng(`holdout:${h.service}`);
    items.push({ id: `holdout:${h.service}`, service: h.service, family: h.positive ? "holdout" : "holdout-quiet", positive: h.positive, ...h.make(r) });
  }
  void b64;
  return items;
}
