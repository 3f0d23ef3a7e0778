import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { renderStack } from "../scripts/render/renderStack";
import { goJoinPath, resolveWriteBackTarget, type WriteBackDestination } from "../lib/writeBackTarget";
import { STACKS_TO_RENDER } from "./support/stacks";

/** One rendered applicationRef with git write-back, and the Application it selects. */
interface GitWriteBack {
    application: Manifest;
    target: string | undefined;
    destination: WriteBackDestination;
}

/** Every git write-back a render declares, resolved against its Application as Image Updater would. */
function gitWriteBacks(manifests: readonly Manifest[]): GitWriteBack[] {
    return manifests
        .filter((m) => m.kind === "ImageUpdater")
        .flatMap((updater) =>
            ((updater.body.spec as any).applicationRefs as any[])
                .filter((ref) => String(ref.writeBackConfig.method).startsWith("git"))
                .map((ref) => {
                    // namePattern is an exact name; a glob would not find its Application here, and fail the test.
                    const application = manifests.find((m) => m.kind === "Application" && m.namespace === updater.namespace && m.name === ref.namePattern);
                    assert.ok(application, `an Application ${ref.namePattern} next to ImageUpdater ${updater.name}`);
                    const target: string | undefined = ref.writeBackConfig.gitConfig?.writeBackTarget;
                    const source = (application.body.spec as any).source;
                    const destination = resolveWriteBackTarget(target, {
                        name: application.name,
                        sourcePath: source.path,
                        namespace: application.namespace,
                        updaterNamespace: updater.namespace,
                    });
                    return { application, target, destination };
                }),
        );
}

/**
 * The files and directories that belong to this Application alone: its default override file,
 * and its environment's values file (Helm) or its overlay (kustomize).
 */
function ownDestinations(application: Manifest): Omit<WriteBackDestination, "target">[] {
    const spec = application.body.spec as any;
    const environment = (application.body.metadata as any).labels.env as string;
    const own: Omit<WriteBackDestination, "target">[] = [{ kind: "file", path: goJoinPath(".", spec.source.path, `.argocd-source-${application.name}.yaml`) }];
    if (spec.source.helm) {
        const envValues = `values-${environment}.yaml`;
        assert.ok(spec.source.helm.valueFiles.includes(envValues), `${application.name} reads ${envValues}`);
        own.push({ kind: "file", path: goJoinPath(".", spec.source.path, envValues) });
    } else {
        own.push({ kind: "kustomization", path: goJoinPath(".", spec.source.path) });
    }
    return own;
}

describe("rendered git write-back stays in its own environment's file", () => {
    for (const stack of STACKS_TO_RENDER) {
        describe(stack.label, () => {
            let writeBacks: GitWriteBack[];
            before(async () => {
                const render = await renderStack({ stack: stack.stack, stackConfigDir: stack.stackConfigDir });
                writeBacks = gitWriteBacks(kubernetesManifests(render.run.resources));
            });

            it("has git write-back to check", () => assert.ok(writeBacks.length > 0));

            it("every applicationRef writes its Application's env values file, overlay or default file", () => {
                for (const { application, target, destination } of writeBacks) {
                    const own = ownDestinations(application);
                    assert.ok(
                        own.some((o) => o.kind === destination.kind && o.path === destination.path),
                        `${application.name}: ${JSON.stringify(target)} writes ${destination.kind} ${destination.path}, not one of ${JSON.stringify(own)}`,
                    );
                }
            });
        });
    }

    it("the maximal fixture's kustomize service writes its own overlay's kustomization", async () => {
        const maximal = STACKS_TO_RENDER.find((s) => s.stack === "maximal")!;
        const render = await renderStack({ stack: maximal.stack, stackConfigDir: maximal.stackConfigDir });
        const batch = gitWriteBacks(kubernetesManifests(render.run.resources)).find((w) => w.application.name === "batch-maximal");
        assert.ok(batch, "batch-maximal has git write-back");
        assert.equal((batch.application.body.spec as any).source.path, "services/batch/overlays/maximal");
        assert.deepEqual(batch.destination, { kind: "kustomization", target: "services/batch/overlays/maximal", path: "services/batch/overlays/maximal" });
    });
});
