import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { PROJECT_DIR, renderStack, type Render } from "../scripts/render/renderStack";
import { loadStackConfig } from "../stacks/config";

const FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "shared-cluster");
const STACKS = ["dev", "prd"] as const;

/** `argoproj.io/v1alpha1` -> `argoproj.io`: two versions of one group/kind/name are one object. */
function group(apiVersion: string): string {
    return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "core";
}

/** What a resource claims: a whole object, or (server-side apply patches) only the data keys it sets. */
function manifestIdentities(m: Manifest): string[] {
    if (m.kind === "Release") return [`Helm release ${m.namespace ?? "(provider default namespace)"}/${m.name}`];
    const object = `${m.kind}.${group(m.apiVersion)} ${m.namespace ?? "(cluster or provider default)"}/${m.name}`;
    if (!m.resource.type.endsWith("Patch")) return [object];
    return Object.keys((m.body.data ?? {}) as Record<string, string>).map((key) => `${object} key ${key}`);
}

/**
 * Objects in the Vault both stacks write to, by what Vault identifies them with: two stacks
 * claiming the same one would overwrite each other on every `pulumi up`.
 */
const VAULT_IDENTITY: Record<string, (inputs: Record<string, unknown>) => string> = {
    "vault:index/mount:Mount": (i) => `Vault mount ${String(i.path)}`,
    "vault:kv/secretV2:SecretV2": (i) => `Vault KV secret ${String(i.mount)}/${String(i.name)}`,
    "vault:index/policy:Policy": (i) => `Vault policy ${String(i.name)}`,
    "vault:kubernetes/authBackendRole:AuthBackendRole": (i) => `Vault role ${String(i.backend)}/${String(i.roleName)}`,
};

function identities(render: Render): string[] {
    const kubernetes = kubernetesManifests(render.run.resources).flatMap(manifestIdentities);
    const vault = render.run.resources
        .filter((r: RecordedResource) => r.custom && r.type in VAULT_IDENTITY)
        .map((r) => VAULT_IDENTITY[r.type](reveal(r.inputs) as Record<string, unknown>));
    return [...kubernetes, ...vault];
}

describe("two stacks on one cluster (test/fixtures/shared-cluster)", () => {
    const renders = new Map<string, Render>();
    before(async () => {
        for (const stack of STACKS) renders.set(stack, await renderStack({ stack, stackConfigDir: FIXTURES }));
    });

    it("each stack declares every object once", () => {
        for (const stack of STACKS) {
            const ids = identities(renders.get(stack)!);
            const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
            assert.deepEqual(twice, [], `${stack} declares these twice`);
        }
    });

    it("no object is claimed by both stacks", () => {
        const dev = new Set(identities(renders.get("dev")!));
        const prd = identities(renders.get("prd")!);
        assert.ok(dev.size > 0 && prd.length > 0);
        const shared = prd.filter((id) => dev.has(id));
        assert.deepEqual(shared, [], `both stacks would manage (and fight over):\n  ${shared.join("\n  ")}`);
    });

    it("the platform is installed by dev only", () => {
        const charts = (stack: string) =>
            renders
                .get(stack)!
                .run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
                .map((r) => String(r.inputs.chart))
                .sort();
        assert.deepEqual(charts("dev"), ["argo-cd", "argocd-image-updater", "external-secrets"]);
        assert.deepEqual(charts("prd"), []);
    });

    for (const stack of STACKS) {
        it(`${stack} still has its own AppProject and an Application per service in it`, () => {
            const render = renders.get(stack)!;
            const config = loadStackConfig(render.config);
            const manifests = kubernetesManifests(render.run.resources);
            const projects = manifests.filter((m) => m.kind === "AppProject").map((m) => m.name);
            assert.deepEqual(projects, [`services-${stack}`]);
            const applications = manifests.filter((m) => m.kind === "Application");
            assert.deepEqual(applications.map((m) => m.name).sort(), config.services.map((s) => s.appName).sort());
            for (const application of applications) {
                assert.equal((application.body.spec as { project?: string }).project, `services-${stack}`, `${application.name} belongs to its own project`);
                assert.equal(application.namespace, config.argocd.namespace);
            }
        });
    }
});
