import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { PROJECT_DIR, renderStack, type Render } from "../scripts/render/renderStack";
import { loadStackConfig, type StackConfig } from "../stacks/config";
import { withOverrides } from "./support/config";
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
        case "kubernetes:argoproj.io/v1alpha1:Application":
            return `Application ${inputs.metadata?.name}`;
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

/** The platform, and on a production-like stack (stable releases only) every Application: deleting one deletes its workloads. */
function expectedProtected(config: StackConfig): string[] {
    const applications = config.images.allowPrereleases ? [] : config.services.map((service) => `Application ${service.appName}`);
    return [...platform(config), ...applications].sort();
}

describe("protect: a config edit or destroy cannot delete the platform or production workloads", () => {
    const renders = new Map<string, Render>();
    before(async () => {
        for (const s of STACKS) renders.set(s.label, await renderStack({ stack: s.stack, stackConfigDir: s.stackConfigDir }));
    });

    for (const s of STACKS) {
        it(`${s.label}: exactly the platform the stack owns, and a production stack's Applications, are protected`, () => {
            const render = renders.get(s.label)!;
            const config = loadStackConfig(render.config);
            const protectedOnes = render.run.resources.filter((r) => r.protect).map(identity);
            assert.deepEqual(protectedOnes.sort(), expectedProtected(config));
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

    it("prd's Applications are protected, dev's are not; both keep the cascade finalizer for a deliberate retirement", () => {
        const applications = (label: string) => renders.get(label)!.run.resources.filter((r) => identity(r).startsWith("Application "));
        for (const [label, protect] of [
            ["Pulumi.dev.yaml", false],
            ["Pulumi.prd.yaml", true],
            ["test/fixtures/shared-cluster/Pulumi.dev.yaml", false],
            ["test/fixtures/shared-cluster/Pulumi.prd.yaml", true],
        ] as const) {
            const found = applications(label);
            assert.ok(found.length > 0, `${label} has Applications`);
            for (const app of found) {
                assert.equal(app.protect, protect, `${label} ${identity(app)}`);
                const metadata = app.inputs.metadata as { finalizers?: string[] };
                assert.deepEqual(metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
            }
        }
    });

    it("the README's runbook lists the URN of every protected resource, as a pattern", () => {
        const readme = readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        for (const render of renders.values()) {
            const config = loadStackConfig(render.config);
            for (const resource of render.run.resources.filter((r) => r.protect)) {
                let pattern = resource.urn.replace(`urn:pulumi:${config.stack}::`, "urn:pulumi:<stack>::");
                for (const service of config.services) pattern = pattern.replace(`::applications-${service.appName}`, "::applications-<service>-<env>");
                assert.ok(readme.includes(pattern), `README lacks ${pattern}`);
            }
        }
    });

    it("a dev stack that turns pre-releases off is protected like prd", async () => {
        const render = await renderStack({ stack: "dev", adjust: (config) => withOverrides(config, { imageConstraint: "~0", allowPrereleases: "false" }) });
        const protectedApps = render.run.resources.filter((r) => r.protect && identity(r).startsWith("Application ")).map(identity);
        assert.deepEqual(protectedApps, ["Application example-api-dev"]);
    });
});
