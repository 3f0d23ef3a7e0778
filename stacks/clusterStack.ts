import type * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "../components/ArgoCd";
import type { StackConfig } from "./config";

/** What the stack exports; CI reads these with `pulumi stack output`. */
export interface ClusterStackOutputs {
    environment: string;
    argocdUrl: pulumi.Output<string>;
    /** Secret; undefined on a stack that does not install Argo CD. */
    argocdAdminPassword?: pulumi.Output<string>;
    ciAccount: string;
}

/** Composes the components of one environment from its validated config. */
export function clusterStack(config: StackConfig): ClusterStackOutputs {
    const argocd = new ArgoCd("argocd", {
        settings: config.argocd,
        deployRepo: config.deployRepo,
        destinationNamespaces: config.services.map((service) => service.appName),
    });

    return {
        environment: config.environment,
        argocdUrl: argocd.url,
        argocdAdminPassword: argocd.adminPassword,
        ciAccount: argocd.ciAccount,
    };
}
