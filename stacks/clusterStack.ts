import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { Applications, type ApplicationOutput } from "../components/Applications";
import { ArgoCd } from "../components/ArgoCd";
import { ExternalSecrets } from "../components/ExternalSecrets";
import { ImageUpdater } from "../components/ImageUpdater";
import { VaultCredentials } from "../components/VaultCredentials";
import { deployRepoSecretName } from "../lib/naming";
import { notificationsTokenKey } from "../lib/notificationValues";
import { pullAccounts as pullAccountsOf } from "../lib/pullSecrets";
import type { StackConfig } from "../model/stackConfig";
import { pushWebhookOutputs, type PushWebhookSecrets, type PushWebhookUrls } from "./webhookOutputs";

/** What the stack exports; CI reads these with `pulumi stack output`. */
export interface ClusterStackOutputs {
    environment: string;
    argocdUrl: pulumi.Output<string>;
    /** Secret; undefined on a stack that does not install Argo CD. */
    argocdAdminPassword?: pulumi.Output<string>;
    ciAccount: string;
    applications: pulumi.Output<ApplicationOutput[]>;
    /** Webhook URLs to configure in GHCR, Docker Hub and the deploy repo; undefined unless pushWebhooks. */
    pushWebhooks?: PushWebhookUrls;
    /** Their generated secrets, one Pulumi secret; undefined unless pushWebhooks. */
    pushWebhookSecrets?: pulumi.Output<PushWebhookSecrets>;
}

/** What `pulumi preview` and `up` say when a stack keeps the one-PAT setup. */
export const SHARED_PAT_WARNING =
    "gitAuth is sharedPat: one classic PAT pulls images, writes the deploy repo and posts statuses. It carries repo scope (write to every " +
    "private repo its owner reaches) and sits in the Argo CD namespace. Split it: a GitHub App for git, a read:packages-only pull token " +
    "(README, Credentials).";

/**
 * Composes the components of one environment from its validated config, in the order the
 * credentials flow: Vault -> ESO -> secrets in the cluster -> Image Updater and Applications.
 */
export function clusterStack(config: StackConfig): ClusterStackOutputs {
    // The token comes from VAULT_TOKEN in the environment; only the address is config.
    const vaultProvider = new vault.Provider("vault", { address: config.vault.address });

    const argocd = new ArgoCd("argocd", {
        settings: config.argocd,
        deployRepo: config.deployRepo,
        destinationNamespaces: config.services.map((service) => service.appName),
        environment: config.environment,
        notifications: config.notifications,
        gitWebhook: config.pushWebhooks !== undefined,
    });
    if (config.credentials.sharedPat) pulumi.log.warn(SHARED_PAT_WARNING);

    const pullAccounts = pullAccountsOf(config.environment, config.services, config.vault.pathPrefix);
    const credentials = new VaultCredentials(
        "credentials",
        {
            environment: config.environment,
            credentials: config.credentials,
            vault: config.vault,
            pullPaths: pullAccounts.map((a) => a.path),
            readerNamespace: config.argocd.namespace,
        },
        { providers: { vault: vaultProvider } },
    );

    const secrets = new ExternalSecrets("external-secrets", {
        environment: config.environment,
        settings: config.externalSecrets,
        vault: config.vault,
        argocdNamespace: config.argocd.namespace,
        pullAccounts,
        deployRepo: { url: config.deployRepo.url, project: config.argocd.projectName, git: config.credentials.git.kind },
        notificationsTokenKey: notificationsTokenKey(config.notifications),
        dependsOn: [...credentials.ready, ...(argocd.release ? [argocd.release] : [])],
    });

    // Image Updater is an Argo CD add-on: whichever stack installs Argo CD installs it too.
    const imageUpdater = config.argocd.install
        ? new ImageUpdater("image-updater", {
              values: {
                  settings: config.imageUpdater,
                  registries: config.registries,
                  pullAccounts,
                  argocdNamespace: config.argocd.namespace,
                  credsExpire: config.externalSecrets.refreshInterval,
                  webhook: config.pushWebhooks && {
                      hostname: config.pushWebhooks.imageUpdaterHostname,
                      ingressClassName: config.argocd.ingressClassName,
                      tls: config.argocd.tls,
                      rateLimitPerHour: config.pushWebhooks.rateLimitPerHour,
                  },
              },
              imageRegistryHosts: config.services.flatMap((service) => service.images.map((image) => image.registry.host)),
              dependsOn: [...(argocd.release ? [argocd.release] : []), ...secrets.argocdSecrets],
          })
        : undefined;
    const webhooks = imageUpdater?.webhooks && argocd.gitWebhook ? pushWebhookOutputs(imageUpdater.webhooks, argocd.gitWebhook) : undefined;

    const applications = new Applications("applications", {
        environment: config.environment,
        services: config.services,
        deployRepo: config.deployRepo,
        argocdNamespace: config.argocd.namespace,
        argocdUrl: argocd.url,
        projectName: config.argocd.projectName,
        updaterCredentials: { argocdNamespace: config.argocd.namespace, pullAccounts, gitSecret: deployRepoSecretName(config.environment) },
        pullSecret: secrets.namespacePullSecrets !== undefined,
        podSecurity: config.podSecurity,
        dependsOn: [
            argocd.project,
            ...secrets.argocdSecrets,
            ...(secrets.namespacePullSecrets ? [secrets.namespacePullSecrets] : []),
            ...(imageUpdater ? [imageUpdater.release] : []),
        ],
        protect: config.protectApplications,
    });

    return {
        environment: config.environment,
        argocdUrl: argocd.url,
        argocdAdminPassword: argocd.adminPassword,
        ciAccount: argocd.ciAccount,
        applications: applications.applications,
        pushWebhooks: webhooks?.urls,
        pushWebhookSecrets: webhooks?.secrets,
    };
}
