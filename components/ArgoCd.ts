import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ArgoCdSettings, DeployRepo, NotificationSettings } from "../model/stackConfig";
import { appProjectSpec } from "../lib/appProject";
import { ARGO_CD_CHART } from "../lib/charts";
import { ciAccountKey, ciPolicy, ciPolicyKey } from "../lib/ciAccount";
import { argoCdSecretValuesFile, argoCdValues } from "../lib/argocdValues";
import { notificationValues } from "../lib/notificationValues";
import { ARGO_CD_WEBHOOK_SECRET_KEYS, argoCdGitWebhookUrl, deployRepoWebhookSecretKey, type ArgoCdWebhookSecretKey } from "../lib/pushWebhooks";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ArgoCd component. */
export interface ArgoCdArgs {
    /** Install, ingress, CI account and project settings of this environment. */
    settings: ArgoCdSettings;
    /** The only source repository the services' AppProject accepts. */
    deployRepo: DeployRepo;
    /** Namespaces the AppProject may deploy to: one per service, `<service>-<environment>`, created by the stack. */
    destinationNamespaces: string[];
    /** Environment name: keys the CI account's policy so that stacks sharing Argo CD never write the same key. */
    environment: string;
    /** Where the notifications controller reports; `{ provider: "none" }` leaves the chart's defaults. Needs `settings.install`. */
    notifications: NotificationSettings;
    /** Hand out the deploy repo's push webhook (URL and its provider's secret); default false (Argo CD polls). Needs `settings.install`. */
    gitWebhook?: boolean;
}

/**
 * Argo CD for one environment: the chart (unless another stack on the cluster installs it),
 * a generated admin password, the environment's CI account, and the AppProject that confines
 * this environment's Applications to the deploy repo, their own namespaces and the kinds that
 * cannot escalate.
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** URL of the UI and API. */
    readonly url: pulumi.Output<string>;
    /** Namespace holding Argo CD, the AppProject and the Applications. */
    readonly namespace: string;
    /** Name of the AppProject the Applications belong to. */
    readonly projectName: string;
    /** Local account CI logs in as (this environment's project only); its token comes from `argocd account generate-token`. */
    readonly ciAccount: string;
    /** Admin password (secret); undefined when this stack does not install Argo CD. */
    readonly adminPassword?: pulumi.Output<string>;
    /** The Helm release, for resources whose CRDs or controllers it brings; undefined when not installed. */
    readonly release?: k8s.helm.v3.Release;
    /** The AppProject, which Applications must not precede. */
    readonly project: k8s.apiextensions.CustomResource;
    /** The deploy repo's webhook endpoint and its provider's secret (secret); undefined unless `gitWebhook`. */
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
            // Every provider's secret, webhooks on or off: /api/webhook is served through the
            // ingress either way, and a provider without one accepts anybody's refresh requests.
            const webhookSecrets = Object.fromEntries(
                ARGO_CD_WEBHOOK_SECRET_KEYS.map((key) => [key, new random.RandomPassword(`${name}-webhook-${key}`, { length: 40, special: false }, { parent: this }).result]),
            ) as Record<ArgoCdWebhookSecretKey, pulumi.Output<string>>;
            if (args.gitWebhook) {
                this.gitWebhook = { url: argoCdGitWebhookUrl(settings.url), secret: webhookSecrets[deployRepoWebhookSecretKey(args.deployRepo.url)] };
            }
            this.release = pinnedRelease(
                `${name}-release`,
                {
                    chart: ARGO_CD_CHART,
                    releaseName: "argocd",
                    namespace: namespace.metadata.name,
                    values: { ...argoCdValues(settings), ...notificationValues(args.notifications, settings.url) },
                    valueYamlFiles: [argoCdSecretValuesFile(adminPassword.bcryptHash, pulumi.all(webhookSecrets) as pulumi.Output<Record<ArgoCdWebhookSecretKey, string>>)],
                },
                { parent: this },
            );
        }

        const afterRelease = { parent: this, dependsOn: this.release ? [this.release] : [] };
        this.project = new k8s.apiextensions.CustomResource(
            `${name}-project`,
            {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: settings.projectName, namespace: settings.namespace },
                spec: appProjectSpec(
                    { deployRepoUrl: args.deployRepo.url, destinationNamespaces: args.destinationNamespaces, admittedKinds: settings.admittedKinds },
                    `Services of one environment, deployed from ${args.deployRepo.url}`,
                ),
            },
            afterRelease,
        );

        // Server-side apply patches of keys only this stack writes; Helm's upgrades keep them.
        new k8s.core.v1.ConfigMapPatch(
            `${name}-ci-account`,
            { metadata: { name: "argocd-cm", namespace: settings.namespace }, data: { [ciAccountKey(settings.ciAccount)]: "apiKey" } },
            afterRelease,
        );
        new k8s.core.v1.ConfigMapPatch(
            `${name}-ci-policy`,
            {
                metadata: { name: "argocd-rbac-cm", namespace: settings.namespace },
                data: { [ciPolicyKey(args.environment)]: ciPolicy(settings.ciAccount, args.environment, settings.projectName) },
            },
            afterRelease,
        );

        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}
