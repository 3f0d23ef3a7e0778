import * as pulumi from "@pulumi/pulumi";
import type { RegistryWebhook } from "../components/ImageUpdater";
import { WEBHOOK_HANDLERS, withSecretParameter, type WebhookHandler } from "../lib/pushWebhooks";

/**
 * Where to point each webhook; nothing secret, so `pulumi stack output` shows it. One entry per
 * handler of a registry the stack's images come from (ghcr, dockerHub, quay), and `argocdGit`.
 */
export type PushWebhookUrls = Partial<Record<WebhookHandler, string>> & {
    /** Argo CD's endpoint for the deploy repo's push events (secret = `argocdGit`). */
    argocdGit: string;
};

/**
 * The generated webhook secrets, to paste into the registries and the deploy repo. Registries
 * that cannot sign carry the secret in the URL they call: `<handler>UrlWithSecret`.
 */
export type PushWebhookSecrets = Record<string, string>;

/** The stack outputs of push webhooks: URLs in the clear, secrets as one Pulumi secret. */
export function pushWebhookOutputs(
    registries: Partial<Record<WebhookHandler, RegistryWebhook>>,
    argocdGit: { url: string; secret: pulumi.Output<string> },
): { urls: PushWebhookUrls; secrets: pulumi.Output<PushWebhookSecrets> } {
    const handlers = Object.entries(registries) as [WebhookHandler, RegistryWebhook][];
    const secrets = pulumi.all(handlers.map(([, webhook]) => webhook.secret));
    return {
        urls: { ...Object.fromEntries(handlers.map(([handler, webhook]) => [handler, webhook.url])), argocdGit: argocdGit.url },
        secrets: pulumi.secret(
            pulumi.all([argocdGit.secret, secrets]).apply(([git, values]): PushWebhookSecrets => {
                const entries = handlers.flatMap(([handler, webhook], i): [string, string][] =>
                    WEBHOOK_HANDLERS[handler].presents === "query"
                        ? [
                              [handler, values[i]],
                              [`${handler}UrlWithSecret`, withSecretParameter(webhook.url, values[i])],
                          ]
                        : [[handler, values[i]]],
                );
                return { ...Object.fromEntries(entries), argocdGit: git };
            }),
        ),
    };
}
