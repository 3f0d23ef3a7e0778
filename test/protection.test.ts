import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { loadStackConfig, type StackConfig } from "../stacks/config";
import { STACKS_WITH_SHARED_CLUSTER as STACKS } from "./support/stacks";

/** A resource by what it is in the cluster or in Vault, so a failure names the object. */
function identity(resource: RecordedResource): string {
    const inputs = resource.inputs as { metadata?: { name?: string }; chart?: string; path?: string };
    switch (resource.type) {
        case "kubernetes:core/v1:Namespace":
            return `Namespace ${inputs.metadata?.name}`;
        case "kubernetes:helm.sh/v3:Release":
            return `Helm release ${inputs.chart}`;
        case "vault:index/mount:Mount":
            return `Vault mount ${inputs.path}`;
        default:
            return `${resource.type} ${resource.name}`;
    }
}

/** What holds data or serves every environment on the cluster, for the parts this stack owns. */
function platform(config: StackConfig): string[] {
    return [
        ...(config.argocd.install ? [`Namespace ${config.argocd.namespace}`, "Helm release argo-cd", "Helm release argocd-image-updater"] : []),
        ...(config.externalSecrets.install ? [`Namespace ${config.externalSecrets.namespace}`, "Helm release external-secrets"] : []),
        ...(config.vault.manageKvMount ? [`Vault mount ${config.vault.kvMount}`] : []),
    ];
}

describe("protect: a config edit or destroy cannot delete the platform", () => {
    const renders = new Map<string, Render>();
    before(async () => {
        for (const s of STACKS) renders.set(s.label, await renderStack({ stack: s.stack, stackConfigDir: s.stackConfigDir }));
    });

    for (const s of STACKS) {
        it(`${s.label}: exactly the platform the stack owns is protected`, () => {
            const render = renders.get(s.label)!;
            const config = loadStackConfig(render.config);
            const protectedOnes = render.run.resources.filter((r) => r.protect).map(identity);
            assert.deepEqual(protectedOnes.sort(), platform(config).sort());
        });

        it(`${s.label}: resources.json says protect for each of them, and false for the rest`, () => {
            const render = renders.get(s.label)!;
            const written = JSON.parse(render.files.get("resources.json")!) as { urn: string; protect: unknown }[];
            const expected = new Map(render.run.resources.map((r) => [r.urn, r.protect]));
            assert.equal(written.length, expected.size);
            for (const entry of written) assert.equal(entry.protect, expected.get(entry.urn), entry.urn);
        });
    }

    it("the stacks cover every kind of platform resource, and one stack that owns none", () => {
        const all = [...renders.values()].map((r) => platform(loadStackConfig(r.config)));
        for (const kind of ["Namespace ", "Helm release ", "Vault mount "]) {
            assert.ok(all.some((owned) => owned.some((id) => id.startsWith(kind))), `some stack has a ${kind.trim()}`);
        }
        assert.ok(all.some((owned) => owned.length === 0), "the shared cluster's prd owns no platform");
    });
});
