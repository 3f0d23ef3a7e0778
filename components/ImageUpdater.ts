import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { IMAGE_UPDATER_CHART } from "../lib/charts";
import { imageUpdaterValues, type ImageUpdaterValuesArgs } from "../lib/imageUpdaterValues";
import { IMAGE_UPDATER_SECRET_NAME, WEBHOOK_REGISTRIES, registryWebhookUrl, type WebhookRegistry } from "../lib/pushWebhooks";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ImageUpdater component. */
export interface ImageUpdaterArgs {
    /** Chart values: settings, registries and their credentials; `argocdNamespace` is where the updater runs and watches ImageUpdater resources. With `webhook`, registry push webhooks each get a generated secret. */
    values: ImageUpdaterValuesArgs;
    /** What must run first: Argo CD (its API and namespace) and the registry/git credentials. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** What a registry needs to push to the updater: the URL to call and the secret to sign or append. */
export interface RegistryWebhook {
    /** `<scheme>://<host>/webhook?type=<registry>`. */
    url: string;
    /** Generated; always a Pulumi secret. */
    secret: pulumi.Output<string>;
}

/**
 * Argo CD Image Updater 1.x, installed from its chart. Which images it tracks is not configured
 * here but by the ImageUpdater resources next to the Applications.
 */
export class ImageUpdater extends pulumi.ComponentResource {
    /** The Helm release, which also brings the ImageUpdater CRD. */
    readonly release: k8s.helm.v3.Release;
    /** Per registry, where to send push events and with which secret; undefined when webhooks are off. */
    readonly webhooks?: Record<WebhookRegistry, RegistryWebhook>;

    constructor(name: string, args: ImageUpdaterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:imageupdater:ImageUpdater", name, {}, opts);

        let webhookSecret: k8s.core.v1.Secret | undefined;
        const { webhook, argocdNamespace: namespace } = args.values;
        if (webhook) {
            const baseUrl = `${webhook.tls.enabled ? "https" : "http"}://${webhook.hostname}`;
            const registries = Object.keys(WEBHOOK_REGISTRIES) as WebhookRegistry[];
            // Alphanumeric only: Docker Hub's secret travels in the query string.
            const secrets = Object.fromEntries(
                registries.map((r) => [r, new random.RandomPassword(`${name}-${r}-webhook-secret`, { length: 40, special: false }, { parent: this }).result]),
            ) as Record<WebhookRegistry, pulumi.Output<string>>;
            this.webhooks = Object.fromEntries(registries.map((r) => [r, { url: registryWebhookUrl(baseUrl, r), secret: secrets[r] }])) as Record<
                WebhookRegistry,
                RegistryWebhook
            >;
            // The chart reads this secret into the pod's environment (optional refs) but never creates it,
            // and the pod reads its environment once: the secret must exist before the release.
            webhookSecret = new k8s.core.v1.Secret(
                `${name}-webhook-secrets`,
                {
                    metadata: { name: IMAGE_UPDATER_SECRET_NAME, namespace },
                    type: "Opaque",
                    stringData: Object.fromEntries(registries.map((r) => [WEBHOOK_REGISTRIES[r].secretKey, secrets[r]])),
                },
                { parent: this, dependsOn: args.dependsOn },
            );
        }

        this.release = pinnedRelease(
            `${name}-release`,
            {
                chart: IMAGE_UPDATER_CHART,
                releaseName: "argocd-image-updater",
                namespace,
                values: imageUpdaterValues(args.values),
            },
            { parent: this, dependsOn: [...args.dependsOn, ...(webhookSecret ? [webhookSecret] : [])] },
        );
        this.registerOutputs({ webhooks: this.webhooks });
    }
}
