/**
 * Specs of the External Secrets Operator objects (external-secrets.io/v1) that turn the GitHub
 * credentials in Vault into the Kubernetes secrets Image Updater, Argo CD and the services use.
 */

/** Where ESO finds the credentials and how it logs in to Vault. */
export interface VaultStoreArgs {
    server: string;
    kvMount: string;
    authMount: string;
    role: string;
    serviceAccount: { name: string; namespace: string };
    audience: string;
}

/** `spec` of the ClusterSecretStore for Vault (KV v2, Kubernetes auth as ESO's service account). */
export function vaultStoreSpec(args: VaultStoreArgs): Record<string, unknown> {
    return {
        provider: {
            vault: {
                server: args.server,
                path: args.kvMount,
                version: "v2",
                auth: {
                    kubernetes: {
                        mountPath: args.authMount,
                        role: args.role,
                        serviceAccountRef: { ...args.serviceAccount, audiences: [args.audience] },
                    },
                },
            },
        },
    };
}

/** What every ExternalSecret of the stack shares. */
export interface CredentialsSource {
    /** ClusterSecretStore name. */
    store: string;
    /** Path under the KV mount (`remoteRef.key` has no `/data/`). */
    secretPath: string;
    refreshInterval: string;
}

function credentialData(source: CredentialsSource): Record<string, unknown>[] {
    return ["username", "pat"].map((property) => ({ secretKey: property, remoteRef: { key: source.secretPath, property } }));
}

function baseSpec(source: CredentialsSource, target: Record<string, unknown>): Record<string, unknown> {
    return {
        refreshInterval: source.refreshInterval,
        secretStoreRef: { kind: "ClusterSecretStore", name: source.store },
        target: { creationPolicy: "Owner", deletionPolicy: "Delete", ...target },
        data: credentialData(source),
    };
}

/** `.dockerconfigjson` for one registry; `auth` is base64 of `user:pat`, as docker login writes it. */
export function dockerConfigTemplate(registry: string): string {
    return `{"auths":{"${registry}":{"username":"{{ .username }}","password":"{{ .pat }}","auth":"{{ printf "%s:%s" .username .pat | b64enc }}"}}}`;
}

/** ExternalSecret `spec` of a registry pull secret (`kubernetes.io/dockerconfigjson`). */
export function pullSecretSpec(source: CredentialsSource, secretName: string, registry: string): Record<string, unknown> {
    return baseSpec(source, {
        name: secretName,
        template: {
            type: "kubernetes.io/dockerconfigjson",
            data: { ".dockerconfigjson": dockerConfigTemplate(registry) },
        },
    });
}

/** ExternalSecret `spec` of Argo CD repository credentials for every repo under `ownerUrl`. */
export function repoCredsSpec(source: CredentialsSource, secretName: string, ownerUrl: string): Record<string, unknown> {
    return baseSpec(source, {
        name: secretName,
        template: {
            metadata: { labels: { "argocd.argoproj.io/secret-type": "repo-creds" } },
            data: { type: "git", url: ownerUrl, username: "{{ .username }}", password: "{{ .pat }}" },
        },
    });
}

/** One property of the Vault secret as one key of the target secret. */
export interface TokenMapping {
    /** Key in the Kubernetes secret, e.g. `github-token`. */
    secretKey: string;
    /** Property of the Vault KV secret, e.g. `pat`. */
    property: string;
}

/**
 * ExternalSecret `spec` of a secret carrying a single token from the credentials in Vault, e.g.
 * argocd-notifications-secret with `github-token`: nothing else of the Vault secret lands there.
 */
export function tokenSecretSpec(source: CredentialsSource, secretName: string, token: TokenMapping): Record<string, unknown> {
    return {
        refreshInterval: source.refreshInterval,
        secretStoreRef: { kind: "ClusterSecretStore", name: source.store },
        target: { name: secretName, creationPolicy: "Owner", deletionPolicy: "Delete" },
        data: [{ secretKey: token.secretKey, remoteRef: { key: source.secretPath, property: token.property } }],
    };
}

/** ClusterExternalSecret `spec`: the pull secret in every namespace labelled for this environment. */
export function namespacePullSecretSpec(
    source: CredentialsSource,
    secretName: string,
    registry: string,
    namespaceLabel: { key: string; value: string },
): Record<string, unknown> {
    return {
        externalSecretName: secretName,
        namespaceSelectors: [{ matchLabels: { [namespaceLabel.key]: namespaceLabel.value } }],
        refreshTime: "1m",
        externalSecretSpec: pullSecretSpec(source, secretName, registry),
    };
}
