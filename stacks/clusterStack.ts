import type * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { Applications, type ApplicationOutput } from "../components/Applications";
import { ArgoCd } from "../components/ArgoCd";
import { ExternalSecrets } from "../components/ExternalSecrets";
import { GithubCredentials } from "../components/GithubCredentials";
import { ImageUpdater } from "../components/ImageUpdater";
import { notificationsToken } from "../lib/notificationValues";
import type { StackConfig } from "./config";
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
        notifications: config.notifications,
        gitWebhook: config.pushWebhooks !== undefined,
    });
    const gitlab = config.notifications.provider === "gitlab" ? config.notifications : undefined;

    const credentials = new GithubCredentials(
        "github-credentials",
        {
            environment: config.environment,
            credentials: config.github,
            vault: config.vault,
            reader: { serviceAccount: config.externalSecrets.serviceAccount, namespace: config.externalSecrets.namespace },
            gitlabToken: gitlab?.token,
        },
        { providers: { vault: vaultProvider } },
    );

    const secrets = new ExternalSecrets("external-secrets", {
        environment: config.environment,
        settings: config.externalSecrets,
        vault: config.vault,
        vaultRole: credentials.roleName,
        registry: config.images.registry,
        repoOwnerUrl: config.deployRepo.ownerUrl,
        argocdNamespace: config.argocd.namespace,
        dependsOn: [...credentials.ready, ...(argocd.release ? [argocd.release] : [])],
        notificationsToken: notificationsToken(config.notifications),
    });
    const pullSecretRef = `pullsecret:${config.argocd.namespace}/${secrets.pullSecretName}`;

    // Image Updater is an Argo CD add-on: whichever stack installs Argo CD installs it too.
    const imageUpdater = config.argocd.install
        ? new ImageUpdater("image-updater", {
              settings: config.imageUpdater,
              namespace: config.argocd.namespace,
              registry: config.images.registry,
              pullSecretRef,
              dependsOn: [...(argocd.release ? [argocd.release] : []), ...secrets.argocdSecrets],
              webhook: config.pushWebhooks && {
                  hostname: config.pushWebhooks.imageUpdaterHostname,
                  ingressClassName: config.argocd.ingressClassName,
                  tls: config.argocd.tls,
              },
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
        pullSecretRef,
        dependsOn: [argocd.project, ...secrets.argocdSecrets, secrets.namespacePullSecrets, ...(imageUpdater ? [imageUpdater.release] : [])],
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
