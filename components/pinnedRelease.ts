import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PinnedChart } from "../lib/charts";

/**
 * How long Helm waits for a release's workloads to become ready before `atomic` rolls it back.
 * Ten minutes, not Helm's five: a first install pulls every image onto cold nodes, and ESO's
 * webhook is ready only once its cert-controller has issued the certificate, so five minutes can
 * roll back a healthy install; a longer wait only delays the rollback of a broken upgrade.
 */
export const RELEASE_TIMEOUT_SECONDS = 600;

/** A Helm release of a pinned chart into a namespace someone else creates. */
export interface PinnedReleaseArgs {
    /** Chart, version and repository (lib/charts.ts). */
    chart: PinnedChart;
    /** Helm release name; prefixes the chart's object names. */
    releaseName: string;
    /** Namespace, created elsewhere so that Pulumi owns it rather than Helm. */
    namespace: pulumi.Input<string>;
    values: pulumi.Input<Record<string, unknown>>;
    /** Values files merged before `values`; used for secrets, so `values` stays readable. */
    valueYamlFiles?: pulumi.Input<pulumi.asset.Asset>[];
}

/**
 * One `helm.v3.Release` with the settings every release of this program shares. Every release is
 * platform (Argo CD, Image Updater, ESO) serving each environment on the cluster, so each is
 * protected: removing it from the program fails preview until it is unprotected (README, Retiring
 * a service / destroying a stack).
 */
export function pinnedRelease(resourceName: string, args: PinnedReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
        resourceName,
        {
            name: args.releaseName,
            namespace: args.namespace,
            chart: args.chart.chart,
            version: args.chart.version,
            repositoryOpts: { repo: args.chart.repository },
            createNamespace: false,
            // Enough history to roll back a few upgrades without growing release secrets forever.
            maxHistory: 10,
            // A failed install or upgrade is rolled back, and what it created removed, instead of
            // leaving the platform half-upgraded for both environments.
            atomic: true,
            cleanupOnFail: true,
            timeout: RELEASE_TIMEOUT_SECONDS,
            values: args.values,
            ...(args.valueYamlFiles ? { valueYamlFiles: args.valueYamlFiles } : {}),
        },
        { ...opts, protect: true },
    );
}
