import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { RELEASE_TIMEOUT_SECONDS } from "../components/pinnedRelease";
import { reveal } from "../scripts/render/manifests";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { loadStackConfig } from "../stacks/config";
import { STACKS_WITH_SHARED_CLUSTER as STACKS } from "./support/stacks";

function releases(render: Render): RecordedResource[] {
    return render.run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
}

describe("platform Helm releases fail safe", () => {
    const renders = new Map<string, Render>();
    before(async () => {
        for (const s of STACKS) renders.set(s.label, await renderStack({ stack: s.stack, stackConfigDir: s.stackConfigDir }));
    });

    for (const s of STACKS) {
        it(`${s.label}: every release is atomic, cleans up on failure and has an explicit timeout`, () => {
            const render = renders.get(s.label)!;
            const config = loadStackConfig(render.config);
            const expected = (config.argocd.install ? 2 : 0) + (config.externalSecrets.install ? 1 : 0);
            assert.equal(releases(render).length, expected, "one release per chart the stack installs");
            for (const release of releases(render)) {
                const { atomic, cleanupOnFail, timeout } = release.inputs;
                assert.deepEqual({ atomic, cleanupOnFail, timeout }, { atomic: true, cleanupOnFail: true, timeout: RELEASE_TIMEOUT_SECONDS }, String(release.inputs.chart));
            }
        });

        it(`${s.label}: every chart comes from an https repository, at an exact version`, () => {
            for (const release of releases(renders.get(s.label)!)) {
                const { chart, version, repositoryOpts } = release.inputs as { chart: string; version: string; repositoryOpts: { repo: string } };
                assert.match(repositoryOpts.repo, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/|$)/, chart);
                assert.match(version, /^\d+\.\d+\.\d+$/, chart);
            }
        });

        it(`${s.label}: the ESO chart creates the controller's service account under the configured name`, () => {
            const eso = releases(renders.get(s.label)!).find((r) => r.inputs.chart === "external-secrets");
            const config = loadStackConfig(renders.get(s.label)!.config);
            assert.equal(eso !== undefined, config.externalSecrets.install, "an ESO release exactly when the stack installs ESO");
            if (eso) assert.deepEqual((reveal(eso.inputs.values) as any).serviceAccount, { create: true, name: config.externalSecrets.serviceAccount });
        });

        it(`${s.label}: uninstalling a chart keeps its CRDs, and so every environment's objects of those kinds`, () => {
            const byChart = new Map(releases(renders.get(s.label)!).map((r) => [String(r.inputs.chart), reveal(r.inputs.values) as any]));
            if (byChart.has("argo-cd")) assert.equal(byChart.get("argo-cd").crds.keep, true);
            if (byChart.has("argocd-image-updater")) assert.equal(byChart.get("argocd-image-updater").crds.keep, true);
            const eso = byChart.get("external-secrets");
            if (eso) {
                assert.equal(eso.installCRDs, true);
                assert.deepEqual(eso.crds.annotations, { "helm.sh/resource-policy": "keep" });
            }
        });
    }
});
