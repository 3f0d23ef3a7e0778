import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ARGOCD_WRITE_BACK_FIELDS, applicationSpec, serviceLabels } from "../lib/applicationSpec";
import { imageUpdaterSpec, type UpdaterCredentials } from "../lib/imageUpdaterSpec";
import { applicationUrl, imageUpdaterName } from "../lib/naming";
import type { DeployRepo, ServiceSettings } from "../model/stackConfig";

/** Inputs of the Applications component. */
export interface ApplicationsArgs {
    environment: string;
    /** Every service of the stack; each becomes the Application `<service>-<environment>`. */
    services: ServiceSettings[];
    deployRepo: DeployRepo;
    /** Namespace of Argo CD: Applications and the ImageUpdater resource live there. */
    argocdNamespace: string;
    /** URL of Argo CD, for the Applications' links. */
    argocdUrl: pulumi.Input<string>;
    /** The environment's AppProject. */
    projectName: string;
    /** The secrets the updater reads registries and the deploy repo with. */
    updaterCredentials: UpdaterCredentials;
    /** Whether service namespaces get a pull secret (some image needs credentials); its name goes into imagePullSecrets. */
    pullSecret: boolean;
    /** What must exist first: the AppProject, the CRDs' releases, the secrets the apps consume. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /** Protect the Applications (production): deleting or replacing one fails preview until `pulumi state unprotect`. */
    protect: boolean;
}

/** One Application as CI sees it in the stack outputs. */
export interface ApplicationOutput {
    name: string;
    namespace: string;
    url: string;
    imageConstraint: string;
}

/**
 * The environment's Argo CD Applications and the one ImageUpdater resource that tracks their
 * images under the environment's constraints.
 */
export class Applications extends pulumi.ComponentResource {
    /** Name, namespace, UI link and image constraint of every Application. */
    readonly applications: pulumi.Output<ApplicationOutput[]>;

    constructor(name: string, args: ApplicationsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:applications:Applications", name, {}, opts);
        const context = { environment: args.environment, projectName: args.projectName, deployRepo: args.deployRepo, pullSecret: args.pullSecret };

        for (const service of args.services) {
            const updatedLive = service.writeBack.method === "argocd";
            new k8s.apiextensions.CustomResource(
                `${name}-${service.appName}`,
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Application",
                    metadata: {
                        name: service.appName,
                        namespace: args.argocdNamespace,
                        labels: serviceLabels(service, args.environment),
                        // Deleting the Application also deletes what it deployed, which is why it may be protected.
                        finalizers: ["resources-finalizer.argocd.argoproj.io"],
                    },
                    spec: applicationSpec(service, context),
                },
                {
                    parent: this,
                    dependsOn: args.dependsOn,
                    protect: args.protect,
                    // With argocd write-back the updater owns these fields of the live object.
                    ignoreChanges: updatedLive ? [...ARGOCD_WRITE_BACK_FIELDS] : [],
                },
            );
        }

        new k8s.apiextensions.CustomResource(
            `${name}-image-updater`,
            {
                apiVersion: "argocd-image-updater.argoproj.io/v1alpha1",
                kind: "ImageUpdater",
                metadata: { name: imageUpdaterName(args.environment), namespace: args.argocdNamespace },
                spec: imageUpdaterSpec(args.services, args.deployRepo, args.updaterCredentials),
            },
            { parent: this, dependsOn: args.dependsOn },
        );

        this.applications = pulumi.output(args.argocdUrl).apply((url) =>
            args.services.map((service) => ({
                name: service.appName,
                namespace: args.argocdNamespace,
                url: applicationUrl(url, args.argocdNamespace, service.appName),
                imageConstraint: service.images[0].constraint,
            })),
        );
        this.registerOutputs({ applications: this.applications });
    }
}
