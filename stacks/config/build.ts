import * as pulumi from "@pulumi/pulumi";
import { defaultCiAccount } from "../../lib/ciAccount";
import { resolveRegistry } from "../../lib/registries";
import type { Credentials, GitCredentials, NotificationSettings, Registry, ServiceImage, ServiceSettings, StackConfig, WriteBack } from "../../model/stackConfig";
import type { ConfigValues, SecretKeyName } from "./keys";
import { canonicalRegistries } from "./registries";
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
    const registries = buildRegistries(values);
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
            ciAccount: values.ciAccount ?? defaultCiAccount(environment),
            projectName: `services-${environment}`,
            admittedKinds: values.projectAdmitKinds ?? [],
        },
        deployRepo: { url: values.deployRepoUrl, revision: values.deployRepoRevision },
        images: { constraint: values.imageConstraint, allowPrereleases: values.allowPrereleases },
        // A stack that takes only stable releases serves users: deleting an Application there deletes
        // its workloads and volumes, which must take a deliberate step, not a config edit.
        protectApplications: !values.allowPrereleases,
        registries,
        podSecurity: values.podSecurityEnforce,
        imageUpdater: {
            interval: values.imageUpdaterInterval,
            logLevel: values.imageUpdaterLogLevel,
            gitCommitUser: values.gitCommitUser,
            gitCommitEmail: values.gitCommitEmail,
        },
        services: values.services.map((s) => buildService(s, values, registries)),
        credentials: buildCredentials(values, registries),
        vault: {
            address: values.vaultAddress,
            kvMount: values.vaultKvMount,
            pathPrefix: values.vaultPathPrefix,
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
        pushWebhooks: values.pushWebhooks
            ? { imageUpdaterHostname: required(values, "imageUpdaterWebhookHostname"), rateLimitPerHour: values.imageUpdaterWebhookRateLimit }
            : undefined,
    };
}

function buildNotifications(values: ConfigValues): NotificationSettings {
    if (values.notifications !== "gitlab") return { provider: values.notifications };
    return {
        provider: "gitlab",
        gitlabUrl: values.notificationsGitlabUrl,
        projectId: required(values, "notificationsGitlabProjectId"),
    };
}

function buildRegistries(values: ConfigValues): Registry[] {
    return canonicalRegistries(values).map((r) => ({
        host: r.host,
        prefix: r.prefix,
        credentials:
            r.credentialSource === "vault" ? { source: "vault", path: checked(r.vaultPath, "registries[].vaultPath") } : { source: r.credentialSource },
        rateLimit: r.rateLimit ?? values.registryRateLimit,
    }));
}

/** Each purpose's credential, from the mode the stack chose; sharedPat puts the one PAT everywhere. */
function buildCredentials(values: ConfigValues, registries: readonly Registry[]): Credentials {
    const sharedPat = values.gitAuth === "sharedPat";
    const secret = (key: SecretKeyName) => pulumi.secret(required(values, key));
    const pat = () => secret("githubPat");
    const pullsFromGithub = registries.some((r) => r.credentials.source === "github");
    let git: GitCredentials;
    if (values.gitAuth === "githubApp") {
        git = {
            kind: "githubApp",
            appId: required(values, "githubAppId"),
            installationId: required(values, "githubAppInstallationId"),
            privateKey: secret("githubAppPrivateKey"),
        };
    } else if (values.gitAuth === "token") {
        git = { kind: "token", username: values.gitUsername ?? values.githubUsername ?? "x-access-token", token: secret("gitToken") };
    } else {
        git = { kind: "token", username: required(values, "githubUsername"), token: pat() };
    }
    const notificationsToken =
        values.notifications === "github"
            ? sharedPat
                ? pat()
                : secret("githubNotificationsToken")
            : values.notifications === "gitlab"
              ? secret("gitlabToken")
              : undefined;
    return {
        githubPull: pullsFromGithub
            ? { username: required(values, "githubUsername"), token: sharedPat ? pat() : secret("githubPullToken") }
            : undefined,
        git,
        notificationsToken,
        sharedPat,
    };
}

/** A value the cross-key rules already required; reaching undefined here is a bug in the rules. */
function checked<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`${what} passed the config rules unset; checkRules must require it`);
    return value;
}

/** The value of an optional key the cross-key rules required for this stack. */
function required<K extends keyof ConfigValues>(values: ConfigValues, key: K): NonNullable<ConfigValues[K]> {
    return checked(values[key], key) as NonNullable<ConfigValues[K]>;
}

/** Helm unless the service's images name kustomize targets. */
export function serviceRenderer(service: RawService): ServiceSettings["renderer"] {
    return serviceImages(service).some((image) => "kustomize" in image.target) ? "kustomize" : "helm";
}

/** The Application's source path: the configured one, else the chart (Helm) or the environment's overlay (kustomize). */
export function servicePath(service: RawService, environment: string): string {
    return service.path ?? (serviceRenderer(service) === "helm" ? `services/${service.name}` : `services/${service.name}/overlays/${environment}`);
}

function buildService(service: RawService, values: ConfigValues, registries: readonly Registry[]): ServiceSettings {
    const images = serviceImages(service);
    return {
        name: service.name,
        renderer: serviceRenderer(service),
        appName: appName(service.name, values.environment),
        path: servicePath(service, values.environment),
        images: images.map((image) => ({
            ...image,
            registry: checked(resolveRegistry(image.repository, registries), `the registry of ${image.repository}`),
            constraint: image.constraint ?? service.imageConstraint ?? values.imageConstraint,
        })),
        writeBack: resolveWriteBack(service, values),
    };
}

/** The service's write-back, else the stack's; git commits go to writeBackBranch, else the tracked revision. */
function resolveWriteBack(service: RawService, values: ConfigValues): WriteBack {
    const writeBack = service.writeBack ?? { method: values.writeBackMethod };
    if (writeBack.method === "argocd") return { method: "argocd" };
    const branch = writeBack.branch ?? values.writeBackBranch ?? values.deployRepoRevision;
    return { ...writeBack, branch, ...(pullRequests(values) ? { pullRequest: pullRequestProvider(values.deployRepoUrl) } : {}) };
}

/** Whether git write-back opens pull requests: `auto` turns them on for a stack that takes stable releases only. */
export function pullRequests(values: Pick<ConfigValues, "writeBackPullRequest" | "allowPrereleases">): boolean {
    return values.writeBackPullRequest === "on" || (values.writeBackPullRequest === "auto" && !values.allowPrereleases);
}

/** GitHub's API for a deploy repo on github.com, GitLab's for any other host. */
export function pullRequestProvider(deployRepoUrl: string): "github" | "gitlab" {
    return new URL(deployRepoUrl).host === "github.com" ? "github" : "gitlab";
}

type UnresolvedImage = Omit<ServiceImage, "constraint" | "registry"> & { constraint?: string };

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
