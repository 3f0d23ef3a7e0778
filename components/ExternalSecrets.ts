import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXTERNAL_SECRETS_CHART } from "../lib/charts";
import { externalSecretsValues } from "../lib/externalSecretsValues";
import {
    namespacePullSecretSpec,
    pullSecretSpec,
    repositorySecretSpec,
    storeConditions,
    tokenSecretSpec,
    vaultProvider,
    type SecretSource,
} from "../lib/externalSecretSpecs";
import { NOTIFICATIONS_SECRET_NAME } from "../lib/notificationValues";
import { PULL_SECRET_NAMESPACE_LABEL, SERVICE_PULL_SECRET_NAME, deployRepoSecretName, registryPullSecretName } from "../lib/naming";
import { imageUpdaterDockerAccount, serviceDockerAccounts, type RegistryPullAccount } from "../lib/pullSecrets";
import { STACK_SECRETS, stackSecretPath, vaultIdentity, type CredentialPurpose } from "../lib/vaultAccess";
import type { ExternalSecretsSettings, GitCredentials, VaultSettings } from "../model/stackConfig";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ExternalSecrets component. */
export interface ExternalSecretsArgs {
    environment: string;
    /** Install (or not), namespace, controller service account, refresh interval. */
    settings: ExternalSecretsSettings;
    /** Vault address, KV/auth mounts, path prefix, audience. */
    vault: VaultSettings;
    /** Namespace of Argo CD: the stores' service accounts, the git and notification secrets, Image Updater's pull secrets. */
    argocdNamespace: string;
    /** The registry accounts the environment pulls with; none: no pull secret anywhere. */
    pullAccounts: readonly RegistryPullAccount[];
    /** The deploy repo the repository secret is for, the project it is scoped to, and the credential kind in Vault. */
    deployRepo: { url: string; project: string; git: GitCredentials["kind"] };
    /** The token Argo CD notifications authenticate with, as this key of argocd-notifications-secret; default none. */
    notificationsTokenKey?: string;
    /** Must exist before ESO reads Vault (secrets, policies, roles) and before objects land in Argo CD's namespace. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * External Secrets Operator (optionally installed here) and, per purpose, a store that logs in to
 * Vault as its own service account: registry pulls through a ClusterSecretStore that serves only
 * this environment's labelled namespaces and Argo CD's; git and notification credentials through
 * SecretStores in Argo CD's namespace, which no other namespace can use.
 */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** The Argo CD-namespace secrets consumers wait for (repository, Image Updater pull secrets). */
    readonly argocdSecrets: pulumi.Resource[];
    /** The per-namespace pull secrets, when the environment has credentialed registries. */
    readonly namespacePullSecrets?: pulumi.Resource;
    /** argocd-notifications-secret, when notifications are on. */
    readonly notificationsSecret?: pulumi.Resource;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:externalsecrets:ExternalSecrets", name, {}, opts);
        const { settings, environment, argocdNamespace } = args;

        let release: k8s.helm.v3.Release | undefined;
        if (settings.install) {
            // Holds the operator every environment's secrets depend on: a config edit must not delete or rename it.
            const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: settings.namespace } }, { parent: this, protect: true });
            release = pinnedRelease(
                `${name}-release`,
                {
                    chart: EXTERNAL_SECRETS_CHART,
                    releaseName: "external-secrets",
                    namespace: namespace.metadata.name,
                    values: externalSecretsValues(settings),
                },
                { parent: this },
            );
        }
        const before = [...(release ? [release] : []), ...args.dependsOn];

        /** A service account for the purpose and a store logging in as it; a ClusterSecretStore when `conditions` are given. */
        const store = (purpose: CredentialPurpose, conditions?: Record<string, unknown>[]): SecretSource & { resource: pulumi.Resource } => {
            const identity = vaultIdentity(environment, purpose);
            const account = new k8s.core.v1.ServiceAccount(
                `${name}-${purpose}-account`,
                // No pod runs as it: ESO requests its tokens. Nothing to mount.
                { metadata: { name: identity.serviceAccount, namespace: argocdNamespace }, automountServiceAccountToken: false },
                { parent: this, dependsOn: before },
            );
            const provider = vaultProvider({
                server: args.vault.address,
                kvMount: args.vault.kvMount,
                authMount: args.vault.kubernetesAuthMount,
                role: identity.vaultName,
                serviceAccount: { name: identity.serviceAccount, namespace: argocdNamespace },
                audience: args.vault.audience,
            });
            const kind = conditions ? "ClusterSecretStore" : "SecretStore";
            const resource = new k8s.apiextensions.CustomResource(
                `${name}-${purpose}-store`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind,
                    metadata: conditions ? { name: identity.store } : { name: identity.store, namespace: argocdNamespace },
                    spec: conditions ? { conditions, provider } : { provider },
                },
                { parent: this, dependsOn: [...before, account] },
            );
            return { storeKind: kind, store: identity.store, refreshInterval: settings.refreshInterval, resource };
        };
        const externalSecret = (resourceName: string, secretName: string, spec: Record<string, unknown>, source: { resource: pulumi.Resource }) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${resourceName}`,
                { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: secretName, namespace: argocdNamespace }, spec },
                { parent: this, dependsOn: [source.resource] },
            );

        const git = store("git");
        const repository = externalSecret(
            "deploy-repo",
            deployRepoSecretName(environment),
            repositorySecretSpec(git, deployRepoSecretName(environment), {
                url: args.deployRepo.url,
                project: args.deployRepo.project,
                path: stackSecretPath(args.vault.pathPrefix, STACK_SECRETS.git),
                kind: args.deployRepo.git,
            }),
            git,
        );

        const updaterPullSecrets: pulumi.Resource[] = [];
        if (args.pullAccounts.length > 0) {
            const label = { key: PULL_SECRET_NAMESPACE_LABEL, value: environment };
            const pull = store("registry-pull", storeConditions(label, [argocdNamespace]));
            for (const account of args.pullAccounts) {
                updaterPullSecrets.push(
                    externalSecret(account.imageUpdaterSecret, account.imageUpdaterSecret, pullSecretSpec(pull, account.imageUpdaterSecret, [imageUpdaterDockerAccount(account)]), pull),
                );
            }
            this.namespacePullSecrets = new k8s.apiextensions.CustomResource(
                `${name}-namespace-pull`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ClusterExternalSecret",
                    metadata: { name: registryPullSecretName(environment) },
                    spec: namespacePullSecretSpec(pull, SERVICE_PULL_SECRET_NAME, serviceDockerAccounts(args.pullAccounts), label),
                },
                { parent: this, dependsOn: [pull.resource] },
            );
        }

        if (args.notificationsTokenKey) {
            const notifications = store("notifications");
            // The chart is told not to create this secret, so ESO can own it.
            this.notificationsSecret = externalSecret(
                "notifications",
                NOTIFICATIONS_SECRET_NAME,
                tokenSecretSpec(notifications, NOTIFICATIONS_SECRET_NAME, {
                    secretKey: args.notificationsTokenKey,
                    path: stackSecretPath(args.vault.pathPrefix, STACK_SECRETS.notifications),
                }),
                notifications,
            );
        }
        this.argocdSecrets = [repository, ...updaterPullSecrets];
        this.registerOutputs({});
    }
}
