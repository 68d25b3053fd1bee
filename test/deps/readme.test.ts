// The README's dependencies configuration example must stay valid configuration.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../../src/config/schema.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Dependencies"));
const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;

describe("README dependencies configuration", () => {
  it("parses, and names every key the schema has", () => {
    const config = parseConfig(parse(example));
    expect(config.dependencies.skip_scopes).toEqual(["@acme", "acme-"]);
    for (const key of Object.keys(config.dependencies)) expect(example, key).toContain(`${key}:`);
  });

  it("a bad value names the key", () => {
    expect(() => parseConfig({ dependencies: { osv: "sometimes" } })).toThrow(/dependencies\.osv/);
    expect(() => parseConfig({ dependencies: { min_age_days: -3 } })).toThrow(/dependencies\.min_age_days/);
    expect(() => parseConfig({ dependencies: { registries: { npm: "not a url" } } })).toThrow(/dependencies\.registries\.npm/);
    expect(() => parseConfig({ dependencies: { registry: {} } })).toThrow(/dependencies\.registry/);
  });
});
