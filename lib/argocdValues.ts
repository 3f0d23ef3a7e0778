import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { ArgoCdSettings } from "../model/stackConfig";

/**
 * Fixed on purpose: the chart reads an empty mtime as "now", which would change argocd-secret
 * on every render and leave `pulumi preview` with a permanent diff.
 */
export const ADMIN_PASSWORD_MTIME = "2025-01-01T00:00:00Z";

/** RBAC role of the CI account: exactly what `argocd app wait` and a manual sync need. */
export const CI_ROLE = "role:ci";

/**
 * Argo CD RBAC for the CI account. Projects are matched as `services-*` so that on a shared
 * cluster the one installing stack grants CI the projects of every environment.
 */
export function ciPolicy(account: string): string {
    return [
        `p, ${CI_ROLE}, applications, get, services-*/*, allow`,
        `p, ${CI_ROLE}, applications, sync, services-*/*, allow`,
        `p, ${CI_ROLE}, projects, get, services-*, allow`,
        `g, ${account}, ${CI_ROLE}`,
    ].join("\n");
}

/** Values of the argo-cd chart (keys as in its values.yaml for chart 10.x); nothing secret. */
export function argoCdValues(settings: ArgoCdSettings): Record<string, unknown> {
    return {
        // Uninstalling the chart must not take its CRDs, and with them every environment's Applications and AppProjects.
        // The chart's default, set here so that no chart upgrade changes it unnoticed.
        crds: { keep: true },
        global: { domain: settings.hostname },
        configs: {
            // TLS, when on, ends at the ingress; argocd-server serves plain HTTP behind it.
            params: { "server.insecure": true },
            cm: { [`accounts.${settings.ciAccount}`]: "apiKey", "admin.enabled": true },
            rbac: { "policy.default": "", "policy.csv": ciPolicy(settings.ciAccount) },
            secret: { argocdServerAdminPasswordMtime: ADMIN_PASSWORD_MTIME },
        },
        server: {
            ingress: {
                enabled: true,
                ingressClassName: settings.ingressClassName,
                tls: settings.tls.enabled,
                annotations: settings.tls.clusterIssuer ? { "cert-manager.io/cluster-issuer": settings.tls.clusterIssuer } : {},
            },
        },
    };
}

/**
 * The admin password hash, and the git webhook secret when there is one, as a secret values
 * file. Kept out of `values` because one secret inside `values` makes Pulumi hide the whole map
 * in every preview.
 */
export function argoCdSecretValuesFile(
    adminPasswordBcrypt: pulumi.Output<string>,
    githubWebhookSecret?: pulumi.Output<string>,
): pulumi.Output<pulumi.asset.Asset> {
    return pulumi.secret(
        pulumi.all([adminPasswordBcrypt, githubWebhookSecret]).apply(([hash, webhookSecret]) => {
            const secret = { argocdServerAdminPassword: hash, ...(webhookSecret === undefined ? {} : { githubSecret: webhookSecret }) };
            return new pulumi.asset.StringAsset(stringify({ configs: { secret } }));
        }),
    );
}
