import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { IMAGE_UPDATER_CHART } from "../lib/charts";
import { imageUpdaterValues, type ImageUpdaterValuesArgs } from "../lib/imageUpdaterValues";
import { IMAGE_UPDATER_SECRET_NAME, WEBHOOK_HANDLERS, handlersInUse, registryWebhookUrl, type WebhookHandler } from "../lib/pushWebhooks";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ImageUpdater component. */
export interface ImageUpdaterArgs {
    /** Chart values: settings, registries and their credentials; `argocdNamespace` is where the updater runs and watches ImageUpdater resources. With `webhook`, every webhook handler gets a generated secret. */
    values: ImageUpdaterValuesArgs;
    /** Registry hosts of the services' images: their webhook handlers' URLs and secrets are handed out. */
    imageRegistryHosts: readonly string[];
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
    /** Per handler of a registry the images come from, where to send push events and with which secret; undefined when webhooks are off. */
    readonly webhooks?: Partial<Record<WebhookHandler, RegistryWebhook>>;

    constructor(name: string, args: ImageUpdaterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:imageupdater:ImageUpdater", name, {}, opts);

        let webhookSecret: k8s.core.v1.Secret | undefined;
        const { webhook, argocdNamespace: namespace } = args.values;
        if (webhook) {
            const baseUrl = `${webhook.tls.enabled ? "https" : "http"}://${webhook.hostname}`;
            const handlers = Object.keys(WEBHOOK_HANDLERS) as WebhookHandler[];
            // Alphanumeric only: Docker Hub's, Quay's and others' secrets travel in the query string.
            const secrets = Object.fromEntries(
                handlers.map((h) => [h, new random.RandomPassword(`${name}-${h}-webhook-secret`, { length: 40, special: false }, { parent: this }).result]),
            ) as Record<WebhookHandler, pulumi.Output<string>>;
            // Only the handlers of registries in use are handed out; the others keep a secret nobody knows.
            this.webhooks = Object.fromEntries(handlersInUse(args.imageRegistryHosts).map((h) => [h, { url: registryWebhookUrl(baseUrl, h), secret: secrets[h] }]));
            // The chart reads this secret into the pod's environment (optional refs) but never creates it,
            // and the pod reads its environment once: the secret must exist before the release.
            webhookSecret = new k8s.core.v1.Secret(
                `${name}-webhook-secrets`,
                {
                    metadata: { name: IMAGE_UPDATER_SECRET_NAME, namespace },
                    type: "Opaque",
                    stringData: Object.fromEntries(handlers.map((h) => [WEBHOOK_HANDLERS[h].secretKey, secrets[h]])),
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
