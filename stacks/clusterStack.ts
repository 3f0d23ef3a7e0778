import type * as pulumi from "@pulumi/pulumi";
import { Applications, type ApplicationOutput } from "../components/Applications";
import { ArgoCd } from "../components/ArgoCd";
import { ImageUpdater } from "../components/ImageUpdater";
import { registryPullSecretName } from "../lib/naming";
import type { StackConfig } from "./config";

/** What the stack exports; CI reads these with `pulumi stack output`. */
export interface ClusterStackOutputs {
    environment: string;
    argocdUrl: pulumi.Output<string>;
    /** Secret; undefined on a stack that does not install Argo CD. */
    argocdAdminPassword?: pulumi.Output<string>;
    ciAccount: string;
    applications: pulumi.Output<ApplicationOutput[]>;
}

/** Composes the components of one environment from its validated config. */
export function clusterStack(config: StackConfig): ClusterStackOutputs {
    const argocd = new ArgoCd("argocd", {
        settings: config.argocd,
        deployRepo: config.deployRepo,
        destinationNamespaces: config.services.map((service) => service.appName),
    });
    const pullSecretRef = `pullsecret:${config.argocd.namespace}/${registryPullSecretName(config.environment)}`;

    // Image Updater is an Argo CD add-on: whichever stack installs Argo CD installs it too.
    const imageUpdater = config.argocd.install
        ? new ImageUpdater("image-updater", {
              settings: config.imageUpdater,
              namespace: config.argocd.namespace,
              registry: config.images.registry,
              pullSecretRef,
              argoCdRelease: argocd.release,
          })
        : undefined;

    const applications = new Applications("applications", {
        environment: config.environment,
        services: config.services,
        deployRepo: config.deployRepo,
        argocdNamespace: config.argocd.namespace,
        argocdUrl: argocd.url,
        projectName: config.argocd.projectName,
        pullSecretRef,
        dependsOn: [argocd.project, ...(imageUpdater ? [imageUpdater.release] : [])],
    });

    return {
        environment: config.environment,
        argocdUrl: argocd.url,
        argocdAdminPassword: argocd.adminPassword,
        ciAccount: argocd.ciAccount,
        applications: applications.applications,
    };
}
