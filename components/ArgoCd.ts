import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ArgoCdSettings, DeployRepo, NotificationSettings } from "../model/stackConfig";
import { ARGO_CD_CHART } from "../lib/charts";
import { argoCdSecretValuesFile, argoCdValues } from "../lib/argocdValues";
import { notificationValues } from "../lib/notificationValues";
import { argoCdGitWebhookUrl } from "../lib/pushWebhooks";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ArgoCd component. */
export interface ArgoCdArgs {
    /** Install, ingress, CI account and project settings of this environment. */
    settings: ArgoCdSettings;
    /** The only source repository the services' AppProject accepts. */
    deployRepo: DeployRepo;
    /** Namespaces the AppProject may deploy to: one per service, `<service>-<environment>`. */
    destinationNamespaces: string[];
    /** Where the notifications controller reports; `{ provider: "none" }` leaves the chart's defaults. Needs `settings.install`. */
    notifications: NotificationSettings;
    /** Accept GitHub push webhooks, validated with a generated secret; default false (Argo CD polls). Needs `settings.install`. */
    gitWebhook?: boolean;
}

/**
 * Argo CD for one environment: the chart (unless another stack on the cluster installs it),
 * a generated admin password, a CI account, and the AppProject that confines this
 * environment's Applications to the deploy repo and their own namespaces.
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** URL of the UI and API. */
    readonly url: pulumi.Output<string>;
    /** Namespace holding Argo CD, the AppProject and the Applications. */
    readonly namespace: string;
    /** Name of the AppProject the Applications belong to. */
    readonly projectName: string;
    /** Local account CI logs in as; its token is generated with `argocd account generate-token`. */
    readonly ciAccount: string;
    /** Admin password (secret); undefined when this stack does not install Argo CD. */
    readonly adminPassword?: pulumi.Output<string>;
    /** The Helm release, for resources whose CRDs or controllers it brings; undefined when not installed. */
    readonly release?: k8s.helm.v3.Release;
    /** The AppProject, which Applications must not precede. */
    readonly project: k8s.apiextensions.CustomResource;
    /** GitHub webhook endpoint and its secret (secret); undefined unless `gitWebhook`. */
    readonly gitWebhook?: { url: string; secret: pulumi.Output<string> };

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:argocd:ArgoCd", name, {}, opts);
        const { settings } = args;
        this.namespace = settings.namespace;
        this.projectName = settings.projectName;
        this.ciAccount = settings.ciAccount;
        this.url = pulumi.output(settings.url);

        if (settings.install) {
            const namespace = new k8s.core.v1.Namespace(
                `${name}-namespace`,
                { metadata: { name: settings.namespace } },
                // Holds Argo CD and every environment's Applications: a config edit must not delete or rename it.
                { parent: this, protect: true },
            );
            const adminPassword = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, { parent: this });
            this.adminPassword = adminPassword.result;
            if (args.gitWebhook) {
                const secret = new random.RandomPassword(`${name}-git-webhook-secret`, { length: 40, special: false }, { parent: this });
                this.gitWebhook = { url: argoCdGitWebhookUrl(settings.url), secret: secret.result };
            }
            this.release = pinnedRelease(
                `${name}-release`,
                {
                    chart: ARGO_CD_CHART,
                    releaseName: "argocd",
                    namespace: namespace.metadata.name,
                    values: { ...argoCdValues(settings), ...notificationValues(args.notifications, settings.url) },
                    valueYamlFiles: [argoCdSecretValuesFile(adminPassword.bcryptHash, this.gitWebhook?.secret)],
                },
                { parent: this },
            );
        }

        this.project = new k8s.apiextensions.CustomResource(
            `${name}-project`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: settings.projectName, namespace: settings.namespace },
                spec: {
                    description: `Services of one environment, deployed from ${args.deployRepo.url}`,
                    sourceRepos: [args.deployRepo.url],
                    destinations: args.destinationNamespaces.map((namespace) => ({
                        server: "https://kubernetes.default.svc",
                        namespace,
                    })),
                    // CreateNamespace=true makes Argo CD create each destination namespace itself.
                    clusterResourceWhitelist: [{ group: "", kind: "Namespace" }],
                    namespaceResourceWhitelist: [{ group: "*", kind: "*" }],
                },
            },
            { parent: this, dependsOn: this.release ? [this.release] : [] },
        );

        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}
