import * as pulumi from "@pulumi/pulumi";
import type { RegistryWebhook } from "../components/ImageUpdater";
import { withSecretParameter } from "../lib/pushWebhooks";

/** Where to point each webhook; nothing secret, so `pulumi stack output` shows it. */
export interface PushWebhookUrls {
    /** GHCR (a GitHub webhook with the Packages event; secret = `ghcr`). */
    ghcr: string;
    /** Docker Hub, without its secret: append `&secret=<dockerHub>` (or use `dockerHubUrlWithSecret`). */
    dockerHub: string;
    /** Argo CD's endpoint for the deploy repo's push events (GitHub webhook, secret = `argocdGit`). */
    argocdGit: string;
}

/** The generated webhook secrets, to paste into GitHub and Docker Hub. */
export interface PushWebhookSecrets {
    ghcr: string;
    dockerHub: string;
    argocdGit: string;
    /** Docker Hub cannot sign payloads, so its secret is part of the URL it calls. */
    dockerHubUrlWithSecret: string;
}

/** The stack outputs of push webhooks: URLs in the clear, secrets as one Pulumi secret. */
export function pushWebhookOutputs(
    registries: Record<"ghcr" | "dockerHub", RegistryWebhook>,
    argocdGit: { url: string; secret: pulumi.Output<string> },
): { urls: PushWebhookUrls; secrets: pulumi.Output<PushWebhookSecrets> } {
    return {
        urls: { ghcr: registries.ghcr.url, dockerHub: registries.dockerHub.url, argocdGit: argocdGit.url },
        secrets: pulumi.secret(
            pulumi.all([registries.ghcr.secret, registries.dockerHub.secret, argocdGit.secret]).apply(([ghcr, dockerHub, git]) => ({
                ghcr,
                dockerHub,
                argocdGit: git,
                dockerHubUrlWithSecret: withSecretParameter(registries.dockerHub.url, dockerHub),
            })),
        ),
    };
}
