/**
 * Push-driven updates: the registries call Image Updater's webhook endpoint when an image is
 * pushed, and the deploy repo calls Argo CD's when the updater's write-back commit lands, so
 * neither waits for its poll interval. Names and URLs both sides must agree on live here.
 */

/**
 * Secret Image Updater chart 1.x reads the webhook secrets from (its Deployment maps
 * `webhook.<type>-secret` keys to the handlers' environment variables); the chart itself does
 * not create it.
 */
export const IMAGE_UPDATER_SECRET_NAME = "argocd-image-updater-secret";

/** TLS secret of the webhook ingress (a cert-manager issuer may fill it); not the updater's own argocd-image-updater-tls. */
export const IMAGE_UPDATER_WEBHOOK_TLS_SECRET = "argocd-image-updater-webhook-tls";

/** One handler of Image Updater v1.2.2's webhook server (cmd/common.go SetupWebhookServer registers all six). */
export interface WebhookHandlerSpec {
    /** Value of `?type=` that selects it. */
    type: string;
    /** Key in IMAGE_UPDATER_SECRET_NAME. */
    secretKey: string;
    /** Registry host whose images it reports; without one the handler only gets a lock secret. */
    registryHost?: string;
    /** How the registry presents the secret: `query` ones carry it in the URL they call. */
    presents: "signature" | "query" | "authorization";
    /** Environment variable the pod reads it from when chart 1.2.4 does not map the key itself. */
    unmappedEnv?: string;
}

/**
 * Every handler v1.2.2 serves. A handler without a secret accepts any caller (pkg/webhook:
 * "If secret is configured, validate"), so each one gets a generated secret, used or not.
 */
export const WEBHOOK_HANDLERS = {
    /** GHCR signs its payloads with the secret (X-Hub-Signature-256), like every GitHub webhook. */
    ghcr: { type: "ghcr.io", secretKey: "webhook.ghcr-secret", registryHost: "ghcr.io", presents: "signature" },
    /** Docker Hub cannot sign: the secret travels as the `secret` query parameter. */
    dockerHub: { type: "docker.io", secretKey: "webhook.docker-secret", registryHost: "docker.io", presents: "query" },
    /** Quay cannot sign either: `secret` query parameter. */
    quay: { type: "quay.io", secretKey: "webhook.quay-secret", registryHost: "quay.io", presents: "query" },
    harbor: { type: "harbor", secretKey: "webhook.harbor-secret", presents: "authorization" },
    aliyunAcr: { type: "aliyun-acr", secretKey: "webhook.aliyun-acr-secret", presents: "query" },
    cloudEvents: { type: "cloudevents", secretKey: "webhook.cloudevents-secret", presents: "query", unmappedEnv: "CLOUDEVENTS_WEBHOOK_SECRET" },
} as const satisfies Record<string, WebhookHandlerSpec>;
export type WebhookHandler = keyof typeof WEBHOOK_HANDLERS;

/** Handlers of the registries the stack's images come from: the ones whose URL and secret are handed out. */
export function handlersInUse(imageRegistryHosts: Iterable<string>): WebhookHandler[] {
    const hosts = new Set(imageRegistryHosts);
    return (Object.keys(WEBHOOK_HANDLERS) as WebhookHandler[]).filter((handler) => {
        const host = (WEBHOOK_HANDLERS[handler] as WebhookHandlerSpec).registryHost;
        return host !== undefined && hosts.has(host);
    });
}

/** Where a registry sends push events: `<scheme>://<host>/webhook?type=<type>`. */
export function registryWebhookUrl(baseUrl: string, handler: WebhookHandler): string {
    return `${baseUrl}/webhook?type=${WEBHOOK_HANDLERS[handler].type}`;
}

/** A query-secret registry's webhook URL (from registryWebhookUrl) with the secret in it, so itself a secret. */
export function withSecretParameter(webhookUrl: string, secret: string): string {
    return `${webhookUrl}&secret=${encodeURIComponent(secret)}`;
}

/** Argo CD's git webhook endpoint (the API server behind the Argo CD ingress). */
export function argoCdGitWebhookUrl(argocdUrl: string): string {
    return `${argocdUrl}/api/webhook`;
}

/**
 * Argo CD v3.4's `/api/webhook` accepts six providers (util/webhook: GitHub, GitLab, Bitbucket,
 * Bitbucket Server, Gogs, Azure DevOps) and checks each only when its secret is set; all are
 * set, so none accepts an anonymous caller. Keys are the argo-cd chart's `configs.secret.*`
 * (`azureDevops.username`/`.password` there).
 */
export const ARGO_CD_WEBHOOK_SECRET_KEYS = [
    "githubSecret",
    "gitlabSecret",
    "bitbucketServerSecret",
    // Bitbucket Cloud sends its webhook's own UUID; a random one matches no hook, which locks it.
    "bitbucketUUID",
    "gogsSecret",
    "azureDevopsUsername",
    "azureDevopsPassword",
] as const;
export type ArgoCdWebhookSecretKey = (typeof ARGO_CD_WEBHOOK_SECRET_KEYS)[number];

/** The provider secret a deploy repo's webhook is configured with: GitHub for github.com, GitLab otherwise. */
export function deployRepoWebhookSecretKey(deployRepoUrl: string): "githubSecret" | "gitlabSecret" {
    return new URL(deployRepoUrl).host === "github.com" ? "githubSecret" : "gitlabSecret";
}
