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
