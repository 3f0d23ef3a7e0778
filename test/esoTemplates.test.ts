import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { renderStack } from "../scripts/render/renderStack";
import { executeGoTemplate } from "./support/goTemplate";
import { STACKS_TO_RENDER } from "./support/stacks";

/**
 * Every ESO template executed as ESO v2.9.0 does (Go text/template, Sprig, missingkey=error),
 * with values that would break anything pasting them: a template that names a key the
 * ExternalSecret does not fetch fails here rather than in the cluster, and a templated key
 * holds its value byte for byte (a GitHub App key keeps its newlines).
 */
const HOSTILE = `-----BEGIN KEY-----\n"q" \\ {{ .x }} %s <&> ✓\n-----END KEY-----\n`;

function externalSecretSpecs(manifests: Manifest[]): { name: string; spec: any }[] {
    return manifests.flatMap((m) => {
        const spec = m.kind === "ClusterExternalSecret" ? (m.body.spec as any).externalSecretSpec : m.kind === "ExternalSecret" ? m.body.spec : undefined;
        return spec ? [{ name: `${m.kind} ${m.namespace ?? ""}/${m.name}`, spec }] : [];
    });
}

for (const target of STACKS_TO_RENDER) {
    describe(`ESO templates of ${target.label}, executed`, () => {
        let specs: { name: string; spec: any }[];
        before(async () => {
            const render = await renderStack({ stack: target.stack, stackConfigDir: target.stackConfigDir });
            specs = externalSecretSpecs(kubernetesManifests(render.run.resources));
        });

        it("every templated key executes and holds exactly the value it names, or its literal text", () => {
            let templated = 0;
            for (const { name, spec } of specs) {
                const data = Object.fromEntries(spec.data.map((d: any) => [d.secretKey, `${d.secretKey}:${HOSTILE}`]));
                for (const [key, template] of Object.entries<string>(spec.target.template?.data ?? {})) {
                    if (key === ".dockerconfigjson") continue; // test/pullSecretKeys.test.ts checks its JSON
                    const output = executeGoTemplate(template, data);
                    const action = /^\{\{ \.(\w+) \}\}$/.exec(template);
                    if (action) {
                        templated++;
                        assert.equal(output, data[action[1]], `${name} ${key}`);
                    } else {
                        assert.equal(output, template, `${name} ${key}: literal text, no action`);
                    }
                }
            }
            assert.ok(templated > 0, "at least one templated key");
        });

        it("every fetched value is used by the template, or the Secret takes the data as is", () => {
            for (const { name, spec } of specs) {
                const templates = Object.values<string>(spec.target.template?.data ?? {});
                if (templates.length === 0) continue;
                for (const { secretKey } of spec.data) {
                    assert.ok(templates.some((t) => new RegExp(`\\.${secretKey}\\b`).test(t)), `${name}: ${secretKey} is fetched but no template reads it`);
                }
            }
        });
    });
}
