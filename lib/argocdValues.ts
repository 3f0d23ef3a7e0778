import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { ArgoCdSettings } from "../model/stackConfig";
import type { ArgoCdWebhookSecretKey } from "./pushWebhooks";

/**
 * Fixed on purpose: the chart reads an empty mtime as "now", which would change argocd-secret
 * on every render and leave `pulumi preview` with a permanent diff.
 */
export const ADMIN_PASSWORD_MTIME = "2025-01-01T00:00:00Z";

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
            cm: { "admin.enabled": true },
            // No default role and no chart-level policy: each stack adds its CI account's own
            // policy.ci-<env>.csv (components/ArgoCd.ts), so nobody gets more than that.
            rbac: { "policy.default": "", "policy.csv": "" },
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
 * The admin password hash and every git provider's webhook secret as a secret values file.
 * Kept out of `values` because one secret inside `values` makes Pulumi hide the whole map in
 * every preview.
 */
export function argoCdSecretValuesFile(
    adminPasswordBcrypt: pulumi.Output<string>,
    webhookSecrets: pulumi.Output<Record<ArgoCdWebhookSecretKey, string>>,
): pulumi.Output<pulumi.asset.Asset> {
    return pulumi.secret(
        pulumi.all([adminPasswordBcrypt, webhookSecrets]).apply(([hash, webhook]) => {
            const { azureDevopsUsername, azureDevopsPassword, ...providers } = webhook;
            const secret = { argocdServerAdminPassword: hash, ...providers, azureDevops: { username: azureDevopsUsername, password: azureDevopsPassword } };
            return new pulumi.asset.StringAsset(stringify({ configs: { secret } }));
        }),
    );
}
