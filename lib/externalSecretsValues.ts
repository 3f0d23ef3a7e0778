import type { ExternalSecretsSettings } from "../model/stackConfig";

/**
 * Values of the external-secrets chart (keys as in its values.yaml for chart 2.9.0). The chart
 * ships its CRDs as templates with no keep option, so uninstalling it would delete the CRDs, every
 * ExternalSecret and store with them, and the Secrets they own. Helm's keep policy on every CRD
 * (`crds.annotations`) leaves them in place; a reinstall under the same release name and
 * namespace takes them over again.
 */
export function externalSecretsValues(settings: ExternalSecretsSettings): Record<string, unknown> {
    return {
        installCRDs: true,
        crds: { annotations: { "helm.sh/resource-policy": "keep" } },
        serviceAccount: { create: true, name: settings.serviceAccount },
    };
}
