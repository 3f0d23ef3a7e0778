import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configKeys, type KeySpec } from "../stacks/config/keys";

/** The value Pulumi would hand the program after `pulumi config set <key> '<example>'`, decoded as the loader does. */
function decoded(spec: KeySpec): unknown {
    switch (spec.kind) {
        case "boolean":
            return spec.example === "true" ? true : spec.example === "false" ? false : spec.example;
        case "integer":
            return Number(spec.example);
        case "array":
        case "structured":
            return JSON.parse(spec.example);
        default:
            return spec.example;
    }
}

describe("the example each error's fix shows", () => {
    for (const [name, spec] of Object.entries(configKeys) as [string, KeySpec][]) {
        if (spec.secret) {
            it(`${name}: describes the secret to create, never a value to paste`, () => assert.match(spec.example, /^<[^<>]+>$/));
        } else {
            it(`${name}: ${JSON.stringify(spec.example)} is itself a valid value`, () => {
                const result = spec.schema.safeParse(decoded(spec));
                assert.ok(result.success, result.error?.issues.map((i) => i.message).join("; "));
            });
        }
    }
});
