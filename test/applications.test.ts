import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ARGOCD_WRITE_BACK_FIELDS } from "../lib/applicationSpec";
import { IMAGE_UPDATER_CHART } from "../lib/charts";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";

function manifests(render: Render, kind: string): Manifest[] {
    return kubernetesManifests(render.run.resources).filter((m) => m.kind === kind);
}

describe("Image Updater and Applications (dev and prd under mocks)", () => {
    const renders: Record<string, Render> = {};
    before(async () => {
        renders.dev = await renderStack({ stack: "dev" });
        renders.prd = await renderStack({ stack: "prd" });
    });

    it("installs the pinned image updater chart with 1.x value keys, after Argo CD", () => {
        const release = renders.dev.run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "argocd-image-updater")!;
        assert.equal(release.inputs.version, IMAGE_UPDATER_CHART.version);
        assert.equal(release.inputs.version, "1.2.4");
        assert.equal(release.inputs.namespace, "argocd");
        const values = release.inputs.values as any;
        assert.equal(values.config["log.level"], "info");
        assert.equal(values.config.logLevel, undefined, "no chart-0.x key");
        assert.equal(values.config["git.user"], "argocd-image-updater");
        assert.equal(values.config["git.email"], "noreply@argoproj.io");
        assert.match(values.config["git.commit-message-template"], /{{ .AppName }}/);
        assert.deepEqual(values.extraArgs, ["--interval", "2m"]);
        assert.equal(values.metrics.enabled, true);
        // The default registries: ghcr.io alone, with the pull token's own secret, re-read every refresh interval.
        assert.deepEqual(values.config.registries, [
            {
                name: "ghcr.io",
                api_url: "https://ghcr.io",
                prefix: "ghcr.io",
                credentials: "pullsecret:argocd/registry-credentials-dev-ghcr-io",
                credsexpire: "1h",
                limit: 20,
            },
        ]);
        const argoCd = renders.dev.run.resources.find((r) => r.inputs.chart === "argo-cd")!;
        assert.ok(release.dependsOn.includes(argoCd.urn));
    });

    for (const [stack, constraint] of [["dev", "~0-0"], ["prd", "~0"]] as const) {
        it(`${stack}: one ImageUpdater resource tracking example-api under ${constraint}`, () => {
            const updaters = manifests(renders[stack], "ImageUpdater");
            assert.equal(updaters.length, 1);
            const [updater] = updaters;
            assert.equal(updater.apiVersion, "argocd-image-updater.argoproj.io/v1alpha1");
            assert.equal(updater.namespace, "argocd");
            assert.equal(updater.name, `services-${stack}`);
            const spec = updater.body.spec as any;
            assert.equal(spec.commonUpdateSettings, undefined, "no spec-wide pull secret: each image names its registry's");
            assert.deepEqual(spec.applicationRefs, [
                {
                    namePattern: `example-api-${stack}`,
                    images: [
                        {
                            alias: "app",
                            imageName: `ghcr.io/example-org/example-api:${constraint}`,
                            commonUpdateSettings: { updateStrategy: "semver", pullSecret: `pullsecret:argocd/registry-credentials-${stack}-ghcr-io` },
                            manifestTargets: { helm: { name: "image.repository", tag: "image.tag" } },
                        },
                    ],
                    writeBackConfig: {
                        method: `git:secret:argocd/deploy-repo-${stack}`,
                        gitConfig:
                            stack === "prd"
                                ? { repository: "https://github.com/example-org/deploy.git", branch: "main", pullRequest: { github: {} } }
                                : { repository: "https://github.com/example-org/deploy.git", branch: "main" },
                    },
                },
            ]);
            const release = renders[stack].run.resources.find((r) => r.inputs.chart === "argocd-image-updater")!;
            assert.ok(updater.resource.dependsOn.includes(release.urn), "the CRD comes with the chart");
        });

        it(`${stack}: Application example-api-${stack} with both values files, automated sync and namespace labels`, () => {
            const [app] = manifests(renders[stack], "Application");
            assert.equal(app.name, `example-api-${stack}`);
            assert.equal(app.namespace, "argocd");
            const spec = app.body.spec as any;
            assert.equal(spec.project, `services-${stack}`);
            assert.deepEqual(spec.source, {
                repoURL: "https://github.com/example-org/deploy.git",
                targetRevision: "main",
                path: "services/example-api",
                helm: { valueFiles: ["values.yaml", `values-${stack}.yaml`], valuesObject: { imagePullSecrets: [{ name: "registry-credentials" }] } },
            });
            assert.deepEqual(spec.destination, { server: "https://kubernetes.default.svc", namespace: `example-api-${stack}` });
            assert.deepEqual(spec.syncPolicy, { automated: { prune: true, selfHeal: true } }, "no CreateNamespace, no managedNamespaceMetadata");
            const namespace = manifests(renders[stack], "Namespace").find((n) => n.name === `example-api-${stack}`)!;
            assert.deepEqual((namespace.body.metadata as any).labels, {
                app: "example-api",
                env: stack,
                "cluster-stack/registry-pull": stack,
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/audit": "restricted",
            });
            const project = manifests(renders[stack], "AppProject")[0];
            assert.ok(app.resource.dependsOn.includes(project.resource.urn), "the project exists first");
            assert.ok(app.resource.dependsOn.includes(namespace.resource.urn), "its namespace exists first");
            assert.deepEqual(app.resource.ignoreChanges, [], "git write-back: Pulumi owns the whole Application");
        });

        it(`${stack}: exports each Application's name, namespace, URL and constraint`, () => {
            assert.deepEqual(renders[stack].run.outputs.applications, {
                value: [
                    {
                        name: `example-api-${stack}`,
                        namespace: "argocd",
                        url: `https://argocd.${stack}.example.com/applications/argocd/example-api-${stack}`,
                        imageConstraint: constraint,
                    },
                ],
                secret: false,
            });
        });
    }
});

describe("Image Updater settings per service", () => {
    let render: Render;
    before(async () => {
        render = await renderStack({
            stack: "dev",
            adjust: (c) =>
                withOverrides(c, {
                    registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "public" }],
                    services: [
                        { name: "web", image: "ghcr.io/acme/web", ignoreTags: ["latest", "*-debug"], writeBack: { method: "argocd" } },
                        { name: "canary", image: "ghcr.io/acme/canary", updateStrategy: "digest", imageConstraint: "dev-canary" },
                        {
                            name: "worker",
                            images: [
                                { alias: "main", repository: "ghcr.io/acme/worker", allowTags: "regexp:^sha-[0-9a-f]+$", ignoreTags: ["sha-0000000"], updateStrategy: "newest-build", kustomize: { name: "worker" } },
                                { alias: "sidecar", repository: "docker.io/acme/proxy", constraint: "~1.2", kustomize: { name: "proxy" } },
                            ],
                        },
                    ],
                }),
        });
    });

    it("argocd write-back: Pulumi ignores exactly the fields the updater writes", () => {
        const web = manifests(render, "Application").find((m) => m.name === "web-dev")!;
        assert.deepEqual(web.resource.ignoreChanges, [...ARGOCD_WRITE_BACK_FIELDS]);
        assert.deepEqual(web.resource.ignoreChanges, ["spec.source.helm.parameters", "spec.source.kustomize.images"]);
        const canary = manifests(render, "Application").find((m) => m.name === "canary-dev")!;
        assert.deepEqual(canary.resource.ignoreChanges, []);
    });

    it("writes each strategy's image name and settings", () => {
        const spec = manifests(render, "ImageUpdater")[0].body.spec as any;
        const [web, canary, worker] = spec.applicationRefs;
        assert.deepEqual(web.writeBackConfig, { method: "argocd" });
        assert.deepEqual(web.images[0].commonUpdateSettings, { updateStrategy: "semver", ignoreTags: ["latest", "*-debug"], pullSecret: "pullsecret:argocd/registry-credentials-dev-ghcr-io" });
        assert.equal(canary.images[0].imageName, "ghcr.io/acme/canary:dev-canary");
        assert.equal(canary.images[0].commonUpdateSettings.updateStrategy, "digest");
        assert.deepEqual(
            worker.images.map((i: any) => [i.alias, i.imageName, i.commonUpdateSettings, i.manifestTargets]),
            [
                [
                    "main",
                    "ghcr.io/acme/worker",
                    { updateStrategy: "newest-build", allowTags: "regexp:^sha-[0-9a-f]+$", ignoreTags: ["sha-0000000"], pullSecret: "pullsecret:argocd/registry-credentials-dev-ghcr-io" },
                    { kustomize: { name: "worker" } },
                ],
                // Docker Hub is public here: no pull secret, rather than the ghcr.io one.
                ["sidecar", "docker.io/acme/proxy:~1.2", { updateStrategy: "semver" }, { kustomize: { name: "proxy" } }],
            ],
        );
    });

    it("renders a service with a kustomize image from its environment overlay, without Helm values", () => {
        const worker = manifests(render, "Application").find((m) => m.name === "worker-dev")!;
        const source = (worker.body.spec as any).source;
        assert.equal(source.path, "services/worker/overlays/dev");
        assert.equal(source.helm, undefined);
    });

    it("lists every Application in the outputs", () => {
        const apps = render.run.outputs.applications.value as { name: string; imageConstraint: string }[];
        assert.deepEqual(apps.map((a) => [a.name, a.imageConstraint]), [["web-dev", "~0-0"], ["canary-dev", "dev-canary"], ["worker-dev", "~0-0"]]);
    });
});
