import type { ImageUpdaterSettings } from "../stacks/config";
import { IMAGE_UPDATER_WEBHOOK_TLS_SECRET } from "./pushWebhooks";

/** Registries Image Updater knows by host; any other host is reached at https://<host>. */
const KNOWN_REGISTRIES: Record<string, { name: string; apiUrl: string; defaultns?: string }> = {
    "ghcr.io": { name: "GitHub Container Registry", apiUrl: "https://ghcr.io" },
    "docker.io": { name: "Docker Hub", apiUrl: "https://registry-1.docker.io", defaultns: "library" },
};

/** The ingress registries reach the updater's webhook endpoint through. */
export interface WebhookIngress {
    /** Host of the ingress, e.g. image-updater.dev.example.com. */
    hostname: string;
    /** IngressClass, the same as Argo CD's ingress. */
    ingressClassName: string;
    /** TLS at the ingress (secret IMAGE_UPDATER_WEBHOOK_TLS_SECRET), optionally issued by cert-manager. */
    tls: { enabled: boolean; clusterIssuer?: string };
}

/** Inputs of the Image Updater chart values. */
export interface ImageUpdaterValuesArgs {
    settings: ImageUpdaterSettings;
    /** Registry host whose credentials are the pull secret (the GitHub PAT). */
    registry: string;
    /** `pullsecret:<namespace>/<name>` of the registry pull secret. */
    pullSecretRef: string;
    /** Serve registry webhooks through this ingress; default off (polling only). */
    webhook?: WebhookIngress;
}

/** `config.registries[]` of chart 1.x: ghcr.io and docker.io always, plus the configured registry. */
export function registriesConfig(args: ImageUpdaterValuesArgs): Record<string, unknown>[] {
    const hosts = [...new Set(["ghcr.io", "docker.io", args.registry])];
    return hosts.map((host) => {
        const known = KNOWN_REGISTRIES[host] ?? { name: host, apiUrl: `https://${host}` };
        return {
            name: known.name,
            api_url: known.apiUrl,
            prefix: host,
            ping: true,
            ...(known.defaultns ? { defaultns: known.defaultns } : {}),
            // Docker Hub stays the default for unqualified image names, as in the updater itself.
            ...(host === "docker.io" ? { default: true } : {}),
            ...(host === args.registry ? { credentials: args.pullSecretRef } : {}),
            limit: args.settings.registryRateLimit,
        };
    });
}

/** Values of the argocd-image-updater chart, 1.x keys (`config.*` are written verbatim to its ConfigMap). */
export function imageUpdaterValues(args: ImageUpdaterValuesArgs): Record<string, unknown> {
    return {
        config: {
            "log.level": args.settings.logLevel,
            "git.user": args.settings.gitCommitUser,
            "git.email": args.settings.gitCommitEmail,
            "git.commit-message-template": COMMIT_MESSAGE_TEMPLATE,
            registries: registriesConfig(args),
        },
        // The poll interval is a command-line flag in 1.x, not a ConfigMap key. So is the webhook
        // server: chart 1.2.4's values.yaml has no config."webhook.enable", and the `run` flag
        // works whatever the chart's ConfigMap template passes through.
        extraArgs: ["--interval", args.settings.interval, ...(args.webhook ? ["--enable-webhook"] : [])],
        metrics: { enabled: true },
        ...(args.webhook ? { ingress: webhookIngressValues(args.webhook) } : {}),
    };
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

/** One line per image, so the deploy repo's history reads as a release log. */
export const COMMIT_MESSAGE_TEMPLATE = [
    "build: automatic update of {{ .AppName }}",
    "",
    "{{ range .AppChanges -}}",
    "updates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'",
    "{{ end -}}",
].join("\n");
