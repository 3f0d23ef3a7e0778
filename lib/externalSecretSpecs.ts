import type * as pulumi from "@pulumi/pulumi";
import type { GitCredentials } from "../model/stackConfig";

/**
 * Specs of the External Secrets Operator objects (external-secrets.io/v1) that turn the
 * credentials in Vault into the Kubernetes secrets Image Updater, Argo CD and the services use.
 */

/** How a store logs in to Vault (KV v2, Kubernetes auth). */
export interface VaultStoreArgs {
    server: string;
    kvMount: string;
    authMount: string;
    role: string;
    /** The account the store presents; a SecretStore's must be in its own namespace. */
    serviceAccount: { name: string; namespace: string };
    audience: string;
}

/** `spec.provider` of a Vault store. */
export function vaultProvider(args: VaultStoreArgs): Record<string, unknown> {
    return {
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
    };
}

/**
 * `spec.conditions` of a ClusterSecretStore: ESO admits an ExternalSecret if ANY entry matches
 * its namespace (a label selector, or an exact namespace name), and every namespace if empty.
 */
export function storeConditions(namespaceLabel: { key: string; value: string }, namespaces: readonly string[]): Record<string, unknown>[] {
    return [{ namespaceSelector: { matchLabels: { [namespaceLabel.key]: namespaceLabel.value } } }, { namespaces: [...namespaces] }];
}

/** The store an ExternalSecret reads through, and how often. */
export interface SecretSource {
    storeKind: "ClusterSecretStore" | "SecretStore";
    store: string;
    refreshInterval: string;
}

/** One property of a KV secret as a template variable. */
export interface RemoteValue {
    /** Template variable (a Go identifier: templates read it as `.<name>`). */
    secretKey: string;
    /** Path under the KV mount (`remoteRef.key` has no `/data/`). */
    path: string;
    property: string;
}

function externalSecretSpec(source: SecretSource, target: Record<string, unknown>, values: readonly RemoteValue[]): Record<string, unknown> {
    return {
        refreshInterval: source.refreshInterval,
        secretStoreRef: { kind: source.storeKind, name: source.store },
        // With template.data and the default mergePolicy Replace, only the templated keys reach the Secret.
        target: { creationPolicy: "Owner", deletionPolicy: "Delete", ...target },
        data: values.map((v) => ({ secretKey: v.secretKey, remoteRef: { key: v.path, property: v.property } })),
    };
}

/** One registry account in a `.dockerconfigjson`. */
export interface DockerAccount {
    /** `auths` keys the account is filed under (the forms kubelet and Image Updater each match). */
    authKeys: readonly string[];
    /** KV secret with `username` and `password`. */
    path: string;
    /** Template variable prefix, unique per account, e.g. `registry0`. */
    id: string;
}

function accountValues(account: DockerAccount): RemoteValue[] {
    return [
        { secretKey: `${account.id}Username`, path: account.path, property: "username" },
        { secretKey: `${account.id}Password`, path: account.path, property: "password" },
    ];
}

/**
 * `.dockerconfigjson` as one `toJson` call over a dict: the values are never pasted into JSON
 * text, so any username or password (quotes, backslashes, newlines) stays valid JSON. Every
 * entry has `auth`, base64 of `user:pass`: Image Updater reads nothing else.
 */
export function dockerConfigJsonTemplate(accounts: readonly DockerAccount[]): string {
    const entries = accounts.flatMap((account) => {
        const user = `.${account.id}Username`;
        const pass = `.${account.id}Password`;
        const entry = `(dict "username" ${user} "password" ${pass} "auth" (printf "%s:%s" ${user} ${pass} | b64enc))`;
        return account.authKeys.map((key) => `${JSON.stringify(key)} ${entry}`);
    });
    return `{{ toJson (dict "auths" (dict ${entries.join(" ")})) }}`;
}

/** ExternalSecret `spec` of a registry pull secret (`kubernetes.io/dockerconfigjson`) for the given accounts. */
export function pullSecretSpec(source: SecretSource, secretName: string, accounts: readonly DockerAccount[]): Record<string, unknown> {
    return externalSecretSpec(
        source,
        { name: secretName, template: { type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": dockerConfigJsonTemplate(accounts) } } },
        accounts.flatMap(accountValues),
    );
}

/** The git credential's keys in Vault, which are also the keys Argo CD and Image Updater read. */
export const GIT_CREDENTIAL_KEYS = {
    githubApp: ["githubAppID", "githubAppInstallationID", "githubAppPrivateKey"],
    token: ["username", "password"],
} as const;

/** The git credential as written to Vault, under GIT_CREDENTIAL_KEYS. */
export function gitCredentialData(git: GitCredentials): Record<string, pulumi.Input<string>> {
    if (git.kind === "githubApp") {
        const [id, installation, key] = GIT_CREDENTIAL_KEYS.githubApp;
        return { [id]: git.appId, [installation]: git.installationId, [key]: git.privateKey };
    }
    const [username, password] = GIT_CREDENTIAL_KEYS.token;
    return { [username]: git.username, [password]: git.token };
}

/**
 * ExternalSecret `spec` of an Argo CD `repository` secret: one exact URL, scoped to one project,
 * so two environments' credentials for the same repo never tie. Image Updater reads the same
 * secret for its write-back (`git:secret:<namespace>/<name>` takes the same keys).
 */
export function repositorySecretSpec(
    source: SecretSource,
    secretName: string,
    repository: { url: string; project: string; path: string; kind: keyof typeof GIT_CREDENTIAL_KEYS },
): Record<string, unknown> {
    const keys = GIT_CREDENTIAL_KEYS[repository.kind];
    return externalSecretSpec(
        source,
        {
            name: secretName,
            template: {
                metadata: { labels: { "argocd.argoproj.io/secret-type": "repository" } },
                data: {
                    type: "git",
                    url: repository.url,
                    project: repository.project,
                    ...Object.fromEntries(keys.map((key) => [key, `{{ .${key} }}`])),
                },
            },
        },
        keys.map((key) => ({ secretKey: key, path: repository.path, property: key })),
    );
}

/** ExternalSecret `spec` of a secret carrying one token, e.g. argocd-notifications-secret with `github-token`. */
export function tokenSecretSpec(source: SecretSource, secretName: string, token: { secretKey: string; path: string }): Record<string, unknown> {
    return externalSecretSpec(source, { name: secretName }, [{ secretKey: token.secretKey, path: token.path, property: "token" }]);
}

/** ClusterExternalSecret `spec`: the pull secret in every namespace labelled for this environment. */
export function namespacePullSecretSpec(
    source: SecretSource,
    secretName: string,
    accounts: readonly DockerAccount[],
    namespaceLabel: { key: string; value: string },
): Record<string, unknown> {
    return {
        externalSecretName: secretName,
        namespaceSelectors: [{ matchLabels: { [namespaceLabel.key]: namespaceLabel.value } }],
        refreshTime: "1m",
        externalSecretSpec: pullSecretSpec(source, secretName, accounts),
    };
}
