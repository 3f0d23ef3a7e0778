import * as pulumi from "@pulumi/pulumi";
import type { ConfigValues } from "./keys";
import type { NotificationSettings, ServiceImage, ServiceSettings, StackConfig, WriteBack } from "./model";
import type { RawService } from "./services";

/** Helm value paths the deploy repo's charts use for the image (the common chart layout). */
export const DEFAULT_HELM_IMAGE_PATHS = { name: "image.repository", tag: "image.tag" } as const;

/** Alias of the single image a service declares with the `image` shorthand. */
export const DEFAULT_IMAGE_ALIAS = "app";

/** `<service>-<environment>`: Application name and destination namespace. */
export function appName(service: string, environment: string): string {
    return `${service}-${environment}`;
}

/** Assembles the typed config from values that already passed every check. */
export function buildStackConfig(stack: string, project: string, values: ConfigValues): StackConfig {
    const environment = values.environment;
    const scheme = values.ingressTls ? "https" : "http";
    return {
        stack,
        project,
        environment,
        argocd: {
            install: values.installArgoCd,
            namespace: values.argocdNamespace,
            hostname: values.argocdHostname,
            url: `${scheme}://${values.argocdHostname}`,
            ingressClassName: values.ingressClassName,
            tls: { enabled: values.ingressTls, clusterIssuer: values.certManagerClusterIssuer },
            ciAccount: values.ciAccount,
            projectName: `services-${environment}`,
        },
        deployRepo: {
            url: values.deployRepoUrl,
            revision: values.deployRepoRevision,
            ownerUrl: ownerUrl(values.deployRepoUrl),
        },
        images: {
            registry: values.registry,
            constraint: values.imageConstraint,
            allowPrereleases: values.allowPrereleases,
        },
        imageUpdater: {
            interval: values.imageUpdaterInterval,
            logLevel: values.imageUpdaterLogLevel,
            registryRateLimit: values.registryRateLimit,
            gitCommitUser: values.gitCommitUser,
            gitCommitEmail: values.gitCommitEmail,
        },
        services: values.services.map((s) => buildService(s, values)),
        github: { username: values.githubUsername, pat: pulumi.secret(values.githubPat) },
        vault: {
            address: values.vaultAddress,
            kvMount: values.vaultKvMount,
            secretPath: values.vaultSecretPath,
            manageKvMount: values.vaultManageKvMount,
            kubernetesAuthMount: values.vaultKubernetesAuthMount,
            audience: values.vaultAuthAudience,
        },
        externalSecrets: {
            install: values.installExternalSecrets,
            namespace: values.externalSecretsNamespace,
            serviceAccount: values.externalSecretsServiceAccount,
            refreshInterval: values.secretRefreshInterval,
        },
        notifications: buildNotifications(values),
        pushWebhooks: values.pushWebhooks ? { imageUpdaterHostname: checked(values.imageUpdaterWebhookHostname, "imageUpdaterWebhookHostname") } : undefined,
    };
}

function buildNotifications(values: ConfigValues): NotificationSettings {
    if (values.notifications !== "gitlab") return { provider: values.notifications };
    return {
        provider: "gitlab",
        gitlabUrl: values.notificationsGitlabUrl,
        projectId: checked(values.notificationsGitlabProjectId, "notificationsGitlabProjectId"),
        token: pulumi.secret(checked(values.gitlabToken, "gitlabToken")),
    };
}

/** A value the cross-key rules already required; reaching undefined here is a bug in the rules. */
function checked<T>(value: T | undefined, key: string): T {
    if (value === undefined) throw new Error(`${key} passed the config rules unset; checkRules must require it`);
    return value;
}

function buildService(service: RawService, values: ConfigValues): ServiceSettings {
    const images = serviceImages(service);
    const renderer = images.some((image) => "kustomize" in image.target) ? "kustomize" : "helm";
    return {
        name: service.name,
        renderer,
        appName: appName(service.name, values.environment),
        path: service.path ?? (renderer === "helm" ? `services/${service.name}` : `services/${service.name}/overlays/${values.environment}`),
        images: images.map((image) => ({
            ...image,
            constraint: image.constraint ?? service.imageConstraint ?? values.imageConstraint,
        })),
        writeBack: resolveWriteBack(service, values),
    };
}

/** The service's write-back, else the stack's; git commits go to writeBackBranch, else the tracked revision. */
function resolveWriteBack(service: RawService, values: ConfigValues): WriteBack {
    const writeBack = service.writeBack ?? { method: values.writeBackMethod };
    if (writeBack.method === "argocd") return { method: "argocd" };
    return { ...writeBack, branch: writeBack.branch ?? values.writeBackBranch ?? values.deployRepoRevision };
}

type UnresolvedImage = Omit<ServiceImage, "constraint"> & { constraint?: string };

/** The images of a service with strategy and matchers cascaded from the service (image wins). */
export function serviceImages(service: RawService): UnresolvedImage[] {
    const declared = service.images ?? [{ alias: DEFAULT_IMAGE_ALIAS, repository: service.image ?? "" }];
    return declared.map((image) => {
        const explicit = image as Partial<NonNullable<RawService["images"]>[number]>;
        return {
            alias: image.alias,
            repository: image.repository,
            constraint: explicit.constraint,
            updateStrategy: explicit.updateStrategy ?? service.updateStrategy ?? "semver",
            allowTags: explicit.allowTags ?? service.allowTags,
            ignoreTags: explicit.ignoreTags ?? service.ignoreTags,
            target: explicit.kustomize ? { kustomize: explicit.kustomize } : { helm: explicit.helm ?? { ...DEFAULT_HELM_IMAGE_PATHS } },
        };
    });
}

/** `https://github.com/acme/deploy.git` -> `https://github.com/acme`. */
function ownerUrl(repoUrl: string): string {
    const url = new URL(repoUrl);
    const owner = url.pathname.split("/").filter(Boolean)[0];
    return `${url.protocol}//${url.host}/${owner}`;
}
