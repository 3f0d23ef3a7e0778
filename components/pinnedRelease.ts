import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PinnedChart } from "../lib/charts";

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
            values: args.values,
            ...(args.valueYamlFiles ? { valueYamlFiles: args.valueYamlFiles } : {}),
        },
        { ...opts, protect: true },
    );
}
