import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EXTERNAL_SECRETS_CHART } from "../lib/charts";
import {
    namespacePullSecretSpec,
    pullSecretSpec,
    repoCredsSpec,
    tokenSecretSpec,
    vaultStoreSpec,
    type CredentialsSource,
    type TokenMapping,
} from "../lib/externalSecretSpecs";
import { NOTIFICATIONS_SECRET_NAME } from "../lib/notificationValues";
import {
    PULL_SECRET_NAMESPACE_LABEL,
    SERVICE_PULL_SECRET_NAME,
    registryPullSecretName,
    repoCredsSecretName,
} from "../lib/naming";
import type { ExternalSecretsSettings, VaultSettings } from "../stacks/config";
import { pinnedRelease } from "./pinnedRelease";

/** Inputs of the ExternalSecrets component. */
export interface ExternalSecretsArgs {
    environment: string;
    /** Install (or not), namespace, controller service account, refresh interval. */
    settings: ExternalSecretsSettings;
    /** Vault address and KV/auth mounts. */
    vault: VaultSettings;
    /** Vault role ESO logs in as. */
    vaultRole: string;
    /** Registry the pull secrets authenticate to. */
    registry: string;
    /** `https://<host>/<owner>`: prefix the repo-creds cover. */
    repoOwnerUrl: string;
    /** Namespace of Argo CD, where the pull secret and the repo-creds go. */
    argocdNamespace: string;
    /** Must exist before ESO reads Vault (the secret, its policy and role) and before secrets land in Argo CD's namespace. */
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /** The token Argo CD notifications authenticate with, as a key of argocd-notifications-secret; default none (no such secret). */
    notificationsToken?: TokenMapping;
}

/**
 * External Secrets Operator (optionally installed here), a ClusterSecretStore for Vault and the
 * secrets built from the GitHub credentials: the registry pull secret and the repo-creds in
 * Argo CD's namespace, and a pull secret in every namespace labelled for this environment.
 */
export class ExternalSecrets extends pulumi.ComponentResource {
    /** Name of the pull secret in Argo CD's namespace. */
    readonly pullSecretName: string;
    /** Objects consumers must wait for: the Argo CD-namespace secrets, and the per-namespace pull secrets. */
    readonly argocdSecrets: pulumi.Resource[];
    readonly namespacePullSecrets: pulumi.Resource;
    /** argocd-notifications-secret, when notifications are on. */
    readonly notificationsSecret?: pulumi.Resource;

    constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:externalsecrets:ExternalSecrets", name, {}, opts);
        const { settings, environment } = args;
        this.pullSecretName = registryPullSecretName(environment);

        let release: k8s.helm.v3.Release | undefined;
        if (settings.install) {
            const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: settings.namespace } }, { parent: this });
            release = pinnedRelease(
                `${name}-release`,
                {
                    chart: EXTERNAL_SECRETS_CHART,
                    releaseName: "external-secrets",
                    namespace: namespace.metadata.name,
                    // The Vault role admits exactly this service account.
                    values: { installCRDs: true, serviceAccount: { create: true, name: settings.serviceAccount } },
                },
                { parent: this },
            );
        }
        const afterOperator = release ? [release] : [];

        const storeName = `vault-${environment}`;
        const store = new k8s.apiextensions.CustomResource(
            `${name}-store`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ClusterSecretStore",
                metadata: { name: storeName },
                spec: vaultStoreSpec({
                    server: args.vault.address,
                    kvMount: args.vault.kvMount,
                    authMount: args.vault.kubernetesAuthMount,
                    role: args.vaultRole,
                    serviceAccount: { name: settings.serviceAccount, namespace: settings.namespace },
                    audience: args.vault.audience,
                }),
            },
            { parent: this, dependsOn: [...afterOperator, ...args.dependsOn] },
        );

        const source: CredentialsSource = { store: storeName, secretPath: args.vault.secretPath, refreshInterval: settings.refreshInterval };
        const afterStore = { parent: this, dependsOn: [store] };
        const pullSecret = new k8s.apiextensions.CustomResource(
            `${name}-registry-pull`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: this.pullSecretName, namespace: args.argocdNamespace },
                spec: pullSecretSpec(source, this.pullSecretName, args.registry),
            },
            afterStore,
        );
        const repoCreds = new k8s.apiextensions.CustomResource(
            `${name}-repo-creds`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: repoCredsSecretName(environment), namespace: args.argocdNamespace },
                spec: repoCredsSpec(source, repoCredsSecretName(environment), args.repoOwnerUrl),
            },
            afterStore,
        );
        this.namespacePullSecrets = new k8s.apiextensions.CustomResource(
            `${name}-namespace-pull`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ClusterExternalSecret",
                metadata: { name: `${SERVICE_PULL_SECRET_NAME}-${environment}` },
                spec: namespacePullSecretSpec(source, SERVICE_PULL_SECRET_NAME, args.registry, {
                    key: PULL_SECRET_NAMESPACE_LABEL,
                    value: environment,
                }),
            },
            afterStore,
        );
        if (args.notificationsToken) {
            // The chart is told not to create this secret, so ESO can own it.
            this.notificationsSecret = new k8s.apiextensions.CustomResource(
                `${name}-notifications`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    metadata: { name: NOTIFICATIONS_SECRET_NAME, namespace: args.argocdNamespace },
                    spec: tokenSecretSpec(source, NOTIFICATIONS_SECRET_NAME, args.notificationsToken),
                },
                afterStore,
            );
        }
        this.argocdSecrets = [pullSecret, repoCreds];
        this.registerOutputs({});
    }
}
