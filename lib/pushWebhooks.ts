/**
 * Push-driven updates: the registries call Image Updater's webhook endpoint when an image is
 * pushed, and the deploy repo calls Argo CD's when the updater's write-back commit lands, so
 * neither waits for its poll interval. Names and URLs both sides must agree on live here.
 */

/**
 * Secret Image Updater chart 1.x reads the webhook secrets from (its Deployment maps
 * `webhook.<registry>-secret` keys to GHCR_WEBHOOK_SECRET, DOCKER_WEBHOOK_SECRET, ...); the chart
 * itself does not create it.
 */
export const IMAGE_UPDATER_SECRET_NAME = "argocd-image-updater-secret";

/** TLS secret of the webhook ingress (a cert-manager issuer may fill it); not the updater's own argocd-image-updater-tls. */
export const IMAGE_UPDATER_WEBHOOK_TLS_SECRET = "argocd-image-updater-webhook-tls";

/** Registries that push to the updater, with the `type` query value and the secret key it validates with. */
export const WEBHOOK_REGISTRIES = {
    /** GHCR signs its payloads with the secret (X-Hub-Signature-256), like every GitHub webhook. */
    ghcr: { type: "ghcr.io", secretKey: "webhook.ghcr-secret" },
    /** Docker Hub cannot sign: the secret travels as the `secret` query parameter. */
    dockerHub: { type: "docker.io", secretKey: "webhook.docker-secret" },
} as const;
export type WebhookRegistry = keyof typeof WEBHOOK_REGISTRIES;

/** Where registries send push events: `<scheme>://<host>/webhook?type=<registry>`. */
export function registryWebhookUrl(baseUrl: string, registry: WebhookRegistry): string {
    return `${baseUrl}/webhook?type=${WEBHOOK_REGISTRIES[registry].type}`;
}

/** Docker Hub's webhook URL (from registryWebhookUrl) with the secret in it, so itself a secret. */
export function withSecretParameter(webhookUrl: string, secret: string): string {
    return `${webhookUrl}&secret=${encodeURIComponent(secret)}`;
}

/** Argo CD's git webhook endpoint (the API server behind the Argo CD ingress). */
export function argoCdGitWebhookUrl(argocdUrl: string): string {
    return `${argocdUrl}/api/webhook`;
}
