import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IMAGE_UPDATER_CHART } from "../lib/charts";
import { imageUpdaterValues } from "../lib/imageUpdaterValues";
import type { ImageUpdaterSettings } from "../stacks/config";

/** Inputs of the ImageUpdater component. */
export interface ImageUpdaterArgs {
    /** Poll interval, log level, registry rate limit, commit author. */
    settings: ImageUpdaterSettings;
    /** Namespace of Argo CD, where the updater runs and watches ImageUpdater resources. */
    namespace: string;
    /** Registry host the pull secret authenticates to (e.g. ghcr.io). */
    registry: string;
    /** `pullsecret:<namespace>/<name>` of the registry credentials. */
    pullSecretRef: string;
    /** What must run first: Argo CD (its API and namespace) and the registry/git credentials. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * Argo CD Image Updater 1.x, installed from its chart. Which images it tracks is not configured
 * here but by the ImageUpdater resources next to the Applications.
 */
export class ImageUpdater extends pulumi.ComponentResource {
    /** The Helm release, which also brings the ImageUpdater CRD. */
    readonly release: k8s.helm.v3.Release;

    constructor(name: string, args: ImageUpdaterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:imageupdater:ImageUpdater", name, {}, opts);
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: "argocd-image-updater",
                namespace: args.namespace,
                chart: IMAGE_UPDATER_CHART.chart,
                version: IMAGE_UPDATER_CHART.version,
                repositoryOpts: { repo: IMAGE_UPDATER_CHART.repository },
                createNamespace: false,
                maxHistory: 10,
                values: imageUpdaterValues({ settings: args.settings, registry: args.registry, pullSecretRef: args.pullSecretRef }),
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.registerOutputs({});
    }
}
