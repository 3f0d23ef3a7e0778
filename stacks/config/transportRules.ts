import type { ConfigProblem } from "./errors";
import type { ConfigValues } from "./keys";

/**
 * A stack that takes stable releases only (prd-like) does not speak plain HTTP to Vault (the
 * token and every credential cross that hop) or serve Argo CD without TLS (its admin password
 * and CI tokens would), unless it says so with allowInsecureTransport.
 */
export function checkTransportRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    if (values.allowPrereleases || values.allowInsecureTransport) return [];
    const problems: ConfigProblem[] = [];
    const override = `or, for a lab cluster, pulumi config set allowInsecureTransport true -s ${stack}`;
    if (new URL(values.vaultAddress).protocol === "http:") {
        problems.push({
            key: `${prefix}vaultAddress`,
            value: values.vaultAddress,
            problem: "is plain http on a stack that takes stable releases only: the Vault token and every credential would cross the network in clear",
            fix: `pulumi config set vaultAddress ${values.vaultAddress.replace(/^http:/, "https:")} -s ${stack}, ${override}`,
        });
    }
    if (!values.ingressTls) {
        problems.push({
            key: `${prefix}ingressTls`,
            value: false,
            problem: "is off on a stack that takes stable releases only: Argo CD's logins, admin password and CI tokens would cross the network in clear",
            fix: `pulumi config set ingressTls true -s ${stack} (with certManagerClusterIssuer or a certificate in argocd-server-tls), ${override}`,
        });
    }
    return problems;
}
