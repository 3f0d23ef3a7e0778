/**
 * Who may read which credential: one Vault policy, Kubernetes-auth role, service account and
 * ESO store per purpose and environment, so that each credential is readable only where it is
 * used and one environment's identities never read the other's paths.
 */

/** What a credential is for; each purpose has its own Vault identity and store. */
export type CredentialPurpose = "registry-pull" | "git" | "notifications";

/** The Vault and cluster names of one purpose's reader. */
export interface VaultIdentity {
    /** Vault policy and Kubernetes-auth role (cluster-wide in Vault, so project and environment are in the name). */
    vaultName: string;
    /** Service account (in the Argo CD namespace) the role admits and the store logs in as. */
    serviceAccount: string;
    /** The ESO store that reads with it. */
    store: string;
}

/** Every Vault policy and Kubernetes-auth role the stack of an environment writes starts with this. */
export function stackVaultNamePrefix(environment: string): string {
    return `cluster-stack-${environment}-`;
}

export function vaultIdentity(environment: string, purpose: CredentialPurpose): VaultIdentity {
    return {
        vaultName: `${stackVaultNamePrefix(environment)}${purpose}`,
        serviceAccount: `vault-${purpose}-${environment}`,
        store: `vault-${purpose}-${environment}`,
    };
}

/** The secrets the stack itself writes below its path prefix, one per credential. */
export const STACK_SECRETS = {
    /** `username`, `password`: the GitHub pull token (classic PAT, read:packages). */
    githubPull: "github-pull",
    /** `githubAppID`, `githubAppInstallationID`, `githubAppPrivateKey`, or `username`, `password`. */
    git: "git",
    /** `token`: the notifications service's token. */
    notifications: "notifications",
} as const;

/** `<prefix>/<name>` under the KV mount. */
export function stackSecretPath(pathPrefix: string, secret: (typeof STACK_SECRETS)[keyof typeof STACK_SECRETS]): string {
    return `${pathPrefix}/${secret}`;
}

/** KV v2 serves a secret's data under `<mount>/data/<path>`; ESO reads nothing else. */
export function kvDataPath(mount: string, secretPath: string): string {
    return `${mount}/data/${secretPath}`;
}

/** Read on exactly the given KV v2 secrets: no list, no metadata, no other path. */
export function readOnlyPolicy(mount: string, secretPaths: readonly string[]): string {
    return [...new Set(secretPaths)]
        .sort()
        .map((path) => `path "${kvDataPath(mount, path)}" {\n  capabilities = ["read"]\n}\n`)
        .join("\n");
}
