import type { ImageUpdaterSettings, Registry } from "../model/stackConfig";
import { COMMIT_MESSAGE_TEMPLATE } from "./promotion";
import { imagePullSecretRef, type RegistryPullAccount } from "./pullSecrets";
import { imageUpdaterApiUrl, isDockerHub } from "./registries";
import { IMAGE_UPDATER_SECRET_NAME, IMAGE_UPDATER_WEBHOOK_TLS_SECRET, WEBHOOK_HANDLERS, type WebhookHandlerSpec } from "./pushWebhooks";

/** The ingress registries reach the updater's webhook endpoint through. */
export interface WebhookIngress {
    /** Host of the ingress, e.g. image-updater.dev.example.com. */
    hostname: string;
    /** IngressClass, the same as Argo CD's ingress. */
    ingressClassName: string;
    /** TLS at the ingress (secret IMAGE_UPDATER_WEBHOOK_TLS_SECRET), optionally issued by cert-manager. */
    tls: { enabled: boolean; clusterIssuer?: string };
    /** Webhook events processed per hour (`--webhook-ratelimit-allowed`; 0 would mean unlimited). */
    rateLimitPerHour: number;
}

/** Inputs of the Image Updater chart values. */
export interface ImageUpdaterValuesArgs {
    settings: ImageUpdaterSettings;
    /** Every registry of the stack: each gets a registries.conf entry with its rate limit. */
    registries: readonly Registry[];
    /** The accounts the stack's services pull with, each in its own secret in `argocdNamespace`. */
    pullAccounts: readonly RegistryPullAccount[];
    argocdNamespace: string;
    /** How long the updater may cache a registry's credentials before re-reading the secret (Go duration). */
    credsExpire: string;
    /** Serve registry webhooks through this ingress; default off (polling only). */
    webhook?: WebhookIngress;
}

/**
 * `config.registries[]` of chart 1.x (registries.conf, parsed strictly by v1.2.2: known keys only).
 * Every entry has an explicit `limit` (absent means unlimited). A path prefix ends in '/', because
 * the updater compares prefixes as plain strings. A Docker Hub entry replaces the built-in one, so
 * it repeats its API URL, `defaultns` and `default`.
 */
export function registriesConfig(args: Pick<ImageUpdaterValuesArgs, "registries" | "pullAccounts" | "argocdNamespace" | "credsExpire">): Record<string, unknown>[] {
    return args.registries.map((registry) => {
        const wholeHost = registry.prefix === registry.host;
        const dockerHub = isDockerHub(registry) && wholeHost;
        const credentials = imagePullSecretRef(registry, args.pullAccounts, args.argocdNamespace);
        return {
            name: dockerHub ? "Docker Hub" : registry.prefix,
            api_url: imageUpdaterApiUrl(registry),
            prefix: wholeHost ? registry.host : `${registry.prefix}/`,
            ...(dockerHub ? { defaultns: "library", default: true } : {}),
            ...(credentials ? { credentials, credsexpire: args.credsExpire } : {}),
            limit: registry.rateLimit,
        };
    });
}

/** Values of the argocd-image-updater chart, 1.x keys (`config.*` are written verbatim to its ConfigMap). */
export function imageUpdaterValues(args: ImageUpdaterValuesArgs): Record<string, unknown> {
    return {
        // Uninstalling the chart must not take the ImageUpdater CRD and every environment's ImageUpdater objects.
        // The chart's default, set here so that no chart upgrade changes it unnoticed.
        crds: { keep: true },
        config: {
            "log.level": args.settings.logLevel,
            "git.user": args.settings.gitCommitUser,
            "git.email": args.settings.gitCommitEmail,
            "git.commit-message-template": COMMIT_MESSAGE_TEMPLATE,
            registries: registriesConfig(args),
        },
        // The poll interval is a command-line flag in 1.x, not a ConfigMap key. So are the webhook
        // server's settings: chart 1.2.4's values.yaml has no config."webhook.enable", and the
        // `run` flags work whatever the chart's ConfigMap template passes through.
        extraArgs: ["--interval", args.settings.interval, ...(args.webhook ? webhookArgs(args.webhook) : [])],
        metrics: { enabled: true },
        ...(args.webhook ? { ingress: webhookIngressValues(args.webhook), extraEnv: unmappedWebhookSecretEnv() } : {}),
    };
}

/**
 * v1.2.2's webhook server speaks TLS 1.3 by default, with a self-signed certificate when none is
 * mounted (pkg/webhook/server.go Start); the chart's ingress sends plain HTTP to it, which that
 * listener refuses. TLS ends at the ingress instead, as for Argo CD's server (server.insecure).
 * The rate limit delays processing past that many events an hour, so a flood of fake push
 * events cannot turn into a flood of registry queries with the stack's credentials.
 */
function webhookArgs(webhook: WebhookIngress): string[] {
    return ["--enable-webhook", "--disable-tls", "--webhook-ratelimit-allowed", String(webhook.rateLimitPerHour)];
}

/** Handler secrets chart 1.2.4's Deployment does not map into the pod (CloudEvents'), as extraEnv. */
function unmappedWebhookSecretEnv(): Record<string, unknown>[] {
    return Object.values<WebhookHandlerSpec>(WEBHOOK_HANDLERS)
        .filter((handler) => handler.unmappedEnv !== undefined)
        .map((handler) => ({
            name: handler.unmappedEnv,
            valueFrom: { secretKeyRef: { name: IMAGE_UPDATER_SECRET_NAME, key: handler.secretKey } },
        }));
}

/** `ingress.*` of chart 1.x: `/webhook` on its own host, to the chart's Service in front of the webhook port. */
export function webhookIngressValues(ingress: WebhookIngress): Record<string, unknown> {
    return {
        enabled: true,
        ingressClassName: ingress.ingressClassName,
        hostname: ingress.hostname,
        path: "/webhook",
        annotations: ingress.tls.enabled && ingress.tls.clusterIssuer ? { "cert-manager.io/cluster-issuer": ingress.tls.clusterIssuer } : {},
        tls: ingress.tls.enabled ? [{ secretName: IMAGE_UPDATER_WEBHOOK_TLS_SECRET, hosts: [ingress.hostname] }] : [],
    };
}
