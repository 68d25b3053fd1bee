// The official SARIF 2.1.0 JSON schema as an Ajv validator, offline (shipped by @microsoft/jest-sarif).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { expect } from "vitest";

const require = createRequire(import.meta.url);

/**
 * The schema @microsoft/jest-sarif ships is draft-04, which Ajv 8 does not implement. The only
 * draft-04 construct it uses is the top-level `id` (no boolean exclusiveMinimum/Maximum), so it
 * is validated as draft-07 (Ajv's default build) with `id` renamed `$id`.
 */
export function sarifValidator() {
  const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as Record<string, unknown>;
  expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
  const text = JSON.stringify(schema);
  expect(text).not.toMatch(/"exclusive(Minimum|Maximum)":\s*(true|false)/);
  const { $schema: _draft, id, ...rest } = schema;
  // unicodeRegExp: false because one pattern in the schema (language) is only valid without the u flag.
  const ajv = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false, unicodeRegExp: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile({ $id: id as string, ...rest });
}

