import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ARGOCD_WRITE_BACK_FIELDS, applicationSpec, serviceLabels, serviceNamespaceLabels } from "../lib/applicationSpec";
import { applicationRefs, imageUpdaterSpecs, type UpdaterCredentials } from "../lib/imageUpdaterSpec";
import { applicationUrl, imageUpdaterName } from "../lib/naming";
import type { DeployRepo, PodSecurityLevel, ServiceSettings } from "../model/stackConfig";

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
    /** Pod Security Admission level enforced in every service namespace. */
    podSecurity: PodSecurityLevel;
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
 * The environment's service namespaces, its Argo CD Applications and the ImageUpdater resource
 * (one, or shards of it for thousands of services) that tracks their images under the
 * environment's constraints.
 */
export class Applications extends pulumi.ComponentResource {
    /** Name, namespace, UI link and image constraint of every Application. */
    readonly applications: pulumi.Output<ApplicationOutput[]>;

    constructor(name: string, args: ApplicationsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:applications:Applications", name, {}, opts);
        const context = { environment: args.environment, projectName: args.projectName, deployRepo: args.deployRepo, pullSecret: args.pullSecret };

        for (const service of args.services) {
            const updatedLive = service.writeBack.method === "argocd";
            const namespace = new k8s.core.v1.Namespace(
                `${name}-${service.appName}-namespace`,
                { metadata: { name: service.appName, labels: serviceNamespaceLabels(service, { ...context, podSecurity: args.podSecurity }) } },
                // Removing a service must not delete its volumes with the namespace (README, Retiring a service).
                { parent: this, retainOnDelete: true },
            );
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
                    dependsOn: [...args.dependsOn, namespace],
                    protect: args.protect,
                    // With argocd write-back the updater owns these fields of the live object.
                    ignoreChanges: updatedLive ? [...ARGOCD_WRITE_BACK_FIELDS] : [],
                },
            );
        }

        imageUpdaterSpecs(applicationRefs(args.services, args.deployRepo, args.updaterCredentials)).forEach((spec, shard) => {
            new k8s.apiextensions.CustomResource(
                shard === 0 ? `${name}-image-updater` : `${name}-image-updater-${shard + 1}`,
                {
                    apiVersion: "argocd-image-updater.argoproj.io/v1alpha1",
                    kind: "ImageUpdater",
                    metadata: { name: imageUpdaterName(args.environment, shard), namespace: args.argocdNamespace },
                    spec,
                },
                { parent: this, dependsOn: args.dependsOn },
            );
        });

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
