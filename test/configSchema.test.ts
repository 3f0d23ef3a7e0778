import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { mergeStackConfig, readProjectFile, readStackFile, type DeclaredKey } from "../scripts/render/stackConfigFiles";
import { PROJECT_DIR } from "../scripts/render/renderStack";
import { ConfigError, loadStackConfig } from "../stacks/config";
import { configKeys, type KeySpec } from "../stacks/config/keys";

const project = readProjectFile(PROJECT_DIR);
const keys = Object.entries(configKeys) as [string, KeySpec][];
const declared = Object.entries(project.config);
const qualified = (key: string) => `${project.name}:${key}`;

/** Every stack file: the committed ones in the root and the test fixtures, found by glob. */
const STACK_FILES = [
    ...readdirSync(PROJECT_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => path.join(PROJECT_DIR, f)),
    ...readdirSync(path.join(PROJECT_DIR, "test", "fixtures"), { recursive: true })
        .map(String)
        .filter((f) => /(^|\/)Pulumi\.[^/]+\.yaml$/.test(f))
        .map((f) => path.join(PROJECT_DIR, "test", "fixtures", f)),
].sort();

/** Comment lines of Pulumi.yaml: where keys Pulumi.yaml cannot type are documented. */
const projectComments = readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("#"))
    .join("\n");

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
}

/** Whether a stack-file value has the type a key's kind decodes. */
function hasKindType(spec: KeySpec, value: unknown): boolean {
    switch (spec.kind) {
        case "string":
            return typeof value === "string";
        case "boolean":
            return typeof value === "boolean";
        case "integer":
            return Number.isInteger(value);
        case "array":
            return Array.isArray(value);
        case "structured":
            return typeof value === "object" && value !== null;
    }
}

/** A value of the wrong type for a declared key, as it would sit in a stack file. */
/** A value the CLI rejects for the type; it reads scalars as text, so a string key only rejects structure. */
function wrongTypeFor(type: DeclaredKey["type"]): unknown {
    return { string: ["not", "a", "string"], boolean: "maybe", integer: "ten", array: "not-a-list" }[type];
}

function stackDir(config: Record<string, unknown>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "config-schema-"));
    writeFileSync(path.join(dir, "Pulumi.t.yaml"), stringify({ config }));
    return dir;
}

function configError(run: () => unknown): ConfigError {
    try {
        run();
    } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
    }
    assert.fail("expected a ConfigError");
}

/** The smallest valid stack file: the keys with neither a default nor `optional`, valued as in Pulumi.prd.yaml (stable-only, so no opt-in key is needed). */
function minimalStack(): Record<string, unknown> {
    const prd = readStackFile(PROJECT_DIR, "prd");
    const config: Record<string, unknown> = {};
    for (const [name, spec] of keys) {
        if (spec.optional || spec.secret || project.config[name]?.default !== undefined) continue;
        assert.ok(qualified(name) in prd, `Pulumi.prd.yaml sets the required key ${name}`);
        config[qualified(name)] = prd[qualified(name)];
    }
    // Optional in general, required by the default modes (ghcr.io with the pull token, a GitHub App for git).
    for (const name of ["githubUsername", "githubAppId", "githubAppInstallationId"]) config[qualified(name)] = prd[qualified(name)];
    return config;
}

describe("config contract: stacks/config/keys.ts and Pulumi.yaml declare the same keys", () => {
    for (const [name, spec] of keys) {
        it(`${name} (${spec.kind}${spec.secret ? ", secret" : ""})`, () => {
            const declaration = project.config[name];
            if (spec.kind === "structured") {
                assert.equal(declaration, undefined, `${name} is structured: Pulumi.yaml cannot type a list of maps, so it must not declare it`);
                assert.match(projectComments, new RegExp(`\`${name}\``), `${name} is documented in a Pulumi.yaml comment`);
                return;
            }
            assert.ok(declaration, `${name} is declared in Pulumi.yaml`);
            assert.equal(declaration.type, spec.kind, `${name}: Pulumi.yaml type vs keys.ts kind`);
            assert.equal(declaration.secret === true, spec.secret === true, `${name}: secret flag`);
            if (spec.optional) {
                // The CLI requires every declared key without a default; "" is how an optional key stays unset.
                assert.equal(declaration.default, "", `${name} is optional, so Pulumi.yaml defaults it to ""`);
            } else if (declaration.default !== undefined) {
                const result = spec.schema.safeParse(declaration.default);
                assert.ok(result.success, `${name}: Pulumi.yaml default ${JSON.stringify(declaration.default)} fails keys.ts: ${result.error?.message}`);
                assert.ok(!spec.secret, `${name}: a secret has no default`);
            }
        });
    }

    it("Pulumi.yaml declares no key the program does not read", () => {
        const extra = declared.map(([name]) => name).filter((name) => !(name in configKeys));
        assert.deepEqual(extra, [], "declared in Pulumi.yaml but not in stacks/config/keys.ts");
    });
});

describe("config contract: every stack file uses declared keys with their types, secrets only encrypted", () => {
    it("finds the committed stacks and the fixtures", () => {
        const names = STACK_FILES.map((f) => path.relative(PROJECT_DIR, f));
        for (const expected of ["Pulumi.dev.yaml", "Pulumi.prd.yaml", "test/fixtures/Pulumi.maximal.yaml"]) assert.ok(names.includes(expected), names.join(", "));
    });

    for (const file of STACK_FILES) {
        it(path.relative(PROJECT_DIR, file), () => {
            const values = readStackFile(path.dirname(file), path.basename(file).slice("Pulumi.".length, -".yaml".length));
            const problems: string[] = [];
            for (const [key, value] of Object.entries(values)) {
                // Other namespaces belong to providers (kubernetes:context, vault:address...).
                if (!key.startsWith(`${project.name}:`)) continue;
                const name = key.slice(project.name.length + 1);
                const spec = (configKeys as Record<string, KeySpec>)[name];
                if (!spec) {
                    problems.push(`${key}: not a key of stacks/config/keys.ts`);
                } else if (spec.secret) {
                    if (!isSecure(value)) problems.push(`${key}: declared secret, so only a secure: value may be committed`);
                } else if (!isSecure(value) && !hasKindType(spec, value)) {
                    problems.push(`${key}: ${JSON.stringify(value)} is not of kind ${spec.kind}`);
                }
            }
            // The CLI refuses to run a stack missing a declared key without default; secrets are set per stack, never committed.
            for (const [name, spec] of keys) {
                const declared = project.config[name];
                if (declared && declared.default === undefined && !spec.secret && !(`${project.name}:${name}` in values)) {
                    problems.push(`${project.name}:${name}: required by the CLI (no Pulumi.yaml default) but not set`);
                }
            }
            assert.deepEqual(problems, []);
        });
    }
});

describe("config contract: the render's merge agrees with Pulumi.yaml", () => {
    for (const [name, declaration] of declared.filter(([, d]) => !d.secret)) {
        it(`rejects a ${declaration.type} key given the wrong type: ${name}`, () => {
            const wrong = wrongTypeFor(declaration.type);
            const dir = stackDir({ ...minimalStack(), [qualified(name)]: wrong });
            const error = configError(() => mergeStackConfig(PROJECT_DIR, "t", {}, dir));
            const problem = error.problems.find((p) => p.key === qualified(name));
            assert.ok(problem, `no problem for ${name} in:\n${error.message}`);
            assert.match(problem.problem, new RegExp(`must be of type ${declaration.type}`));
        });
    }

    for (const [name] of declared.filter(([, d]) => d.secret)) {
        it(`the loader rejects the secret ${name} given in plaintext`, () => {
            const merged = mergeStackConfig(PROJECT_DIR, "t", {}, stackDir({ ...minimalStack(), [qualified(name)]: "plaintext-value" }));
            const error = configError(() => loadStackConfig(merged));
            const problem = error.problems.find((p) => p.key === qualified(name));
            assert.ok(problem, `no problem for ${name} in:\n${error.message}`);
            assert.match(problem.problem, /plaintext/);
            assert.ok(!error.message.includes("plaintext-value"), "the secret is not echoed");
        });
    }

    it("takes every default from Pulumi.yaml, and a stack value wins over it", () => {
        const defaulted = declared.filter(([, d]) => d.default !== undefined);
        assert.ok(defaulted.length > 0);
        const merged = mergeStackConfig(PROJECT_DIR, "t", {}, stackDir(minimalStack()));
        for (const [name, declaration] of defaulted) {
            // The render stands in for unset secrets (placeholders); the CLI would hand over "".
            if (declaration.secret || qualified(name) in minimalStack()) continue;
            const raw = typeof declaration.default === "string" ? declaration.default : JSON.stringify(declaration.default);
            assert.equal(merged.values[qualified(name)], raw, `${name} defaults to Pulumi.yaml's ${raw}`);
        }
        assert.doesNotThrow(() => loadStackConfig(merged), "the minimal stack with Pulumi.yaml defaults is valid");
        const [name, declaration] = defaulted.find(([, d]) => d.type === "string")!;
        const overridden = mergeStackConfig(PROJECT_DIR, "t", {}, stackDir({ ...minimalStack(), [qualified(name)]: `${String(declaration.default)}x` }));
        assert.equal(overridden.values[qualified(name)], `${String(declaration.default)}x`);
    });
});
