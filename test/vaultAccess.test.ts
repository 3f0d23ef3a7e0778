import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readOnlyPolicy } from "../lib/vaultAccess";

describe("read-only Vault policy", () => {
    const expected =
        'path "kv/data/a/git" {\n  capabilities = ["read"]\n}\n' + "\n" + 'path "kv/data/a/registries/hub" {\n  capabilities = ["read"]\n}\n';

    it("reads each KV v2 secret's data path, one block per secret", () => {
        assert.equal(readOnlyPolicy("kv", ["a/git", "a/registries/hub"]), expected);
    });

    it("is the same text whatever the order and repetition of the paths, so reordering config changes no policy", () => {
        assert.equal(readOnlyPolicy("kv", ["a/registries/hub", "a/git", "a/registries/hub"]), expected);
    });
});
