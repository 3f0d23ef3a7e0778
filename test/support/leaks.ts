import assert from "node:assert/strict";
import { isWrappedSecret } from "../../scripts/render/mockRuntime";
import type { Render } from "../../scripts/render/renderStack";

/** Paths in a value where one of the secrets shows up outside a Pulumi secret wrapper. */
export function plaintextPaths(value: unknown, secrets: readonly string[], path = ""): string[] {
    if (isWrappedSecret(value)) return [];
    if (typeof value === "string") return secrets.some((s) => value.includes(s)) ? [path] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => plaintextPaths(v, secrets, `${path}[${i}]`));
    if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => plaintextPaths(v, secrets, `${path}.${k}`));
    return [];
}

/** No secret in plaintext in any resource input, any non-secret output, or any rendered file. */
export function assertNoPlaintextSecrets(render: Render, secrets: readonly string[]): void {
    for (const resource of render.run.resources) {
        assert.deepEqual(plaintextPaths(resource.inputs, secrets), [], `${resource.type} ${resource.name}`);
    }
    for (const [name, output] of Object.entries(render.run.outputs)) {
        assert.ok(output.secret || plaintextPaths(output.value, secrets).length === 0, `output ${name}`);
    }
    for (const [file, content] of render.files) {
        for (const secret of secrets) assert.ok(!content.includes(secret), `${file} carries a secret in plaintext`);
    }
}
