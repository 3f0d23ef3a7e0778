import type * as pulumi from "@pulumi/pulumi";

/**
 * The validated configuration of one stack: plain types that lib/ and components/ build on.
 * Only stacks/config produces it (from stack config); nothing here reads config itself.
 */

/** Image Updater 1.x update strategies (`latest` and `name` are the 0.x names of the last two). */
export const updateStrategies = ["semver", "digest", "newest-build", "alphabetical"] as const;
export type UpdateStrategy = (typeof updateStrategies)[number];

/** A Kubernetes kind as Argo CD's project lists write it: `group` is "" for the core API. */
export interface GroupKind {
    group: string;
    kind: string;
}

/** Pod Security Admission levels a service namespace may enforce (privileged is not offered). */
export const podSecurityLevels = ["baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof podSecurityLevels)[number];

/** Argo CD as this stack installs and exposes it. */
export interface ArgoCdSettings {
    /** Install the argo-cd chart from this stack (false: another stack on the cluster owns it). */
    install: boolean;
    /** Namespace of Argo CD and of every Application and ImageUpdater object. */
    namespace: string;
    /** Host name of the UI/API ingress. */
    hostname: string;
    /** `https://<hostname>` (or `http://` without TLS): the URL users and CI reach. */
    url: string;
    ingressClassName: string;
    /** TLS ends at the ingress (secret `argocd-server-tls`, which a cert-manager issuer may fill). */
    tls: { enabled: boolean; clusterIssuer?: string };
    /** Local account for CI (`apiKey` capability) that `argocd app wait` runs as; reaches this environment's project only. */
    ciAccount: string;
    /** The AppProject holding this environment's Applications. */
    projectName: string;
    /** Namespaced kinds the AppProject admits beyond its defaults (lib/appProject.ts). */
    admittedKinds: GroupKind[];
}

/** The git repository holding the services' Helm charts and values files. */
export interface DeployRepo {
    url: string;
    revision: string;
}

/** Where a registry's pull credentials come from. */
export type RegistryCredentials =
    /** Anonymous pulls. */
    | { source: "public" }
    /** The GitHub pull token (classic PAT, `read:packages`): only for GitHub's container registry. */
    | { source: "github" }
    /** A KV v2 secret with `username` and `password`, written by the operator, at this path under the stack's KV mount. */
    | { source: "vault"; path: string };

/** A container registry the services pull from, and the account used there. */
export interface Registry {
    /** `host[:port]`, Docker Hub spelled `docker.io`. */
    host: string;
    /** Image prefix the account covers: the host, or `host/path` for one of several accounts on a host. */
    prefix: string;
    credentials: RegistryCredentials;
    /** Requests per second Image Updater may send. */
    rateLimit: number;
}

/** One image of one service, with every Image Updater setting resolved. */
export interface ServiceImage {
    alias: string;
    /** As written in config (Docker Hub short names allowed). */
    repository: string;
    /** The configured registry the image resolves to (by host, then longest prefix). */
    registry: Registry;
    constraint: string;
    updateStrategy: UpdateStrategy;
    allowTags?: string;
    ignoreTags?: string[];
    /** Where the tag goes in the deploy repo: Helm value paths, or a kustomize image name. */
    target: { helm: { name: string; tag: string } } | { kustomize: { name: string } };
}

/** How Image Updater records an update: a git commit, or the live Application. */
export interface WriteBack {
    method: "git" | "argocd";
    branch?: string;
    target?: string;
    /** Open a pull request (GitHub) or merge request (GitLab) from a branch per update instead of pushing to `branch`. */
    pullRequest?: "github" | "gitlab";
}

/** One service in one environment: the Application `<name>-<environment>`. */
export interface ServiceSettings {
    name: string;
    /** How the chart directory is rendered: Helm (values files) or kustomize (an overlay per environment). */
    renderer: "helm" | "kustomize";
    /** Application name and destination namespace: `<name>-<environment>`. */
    appName: string;
    /** Directory in the deploy repo: the chart (Helm) or the environment's overlay (kustomize). */
    path: string;
    images: ServiceImage[];
    writeBack: WriteBack;
}

/** How Argo CD reads the deploy repo and Image Updater pushes to it. */
export type GitCredentials =
    /** A GitHub App installed on the deploy repo (recommended): no long-lived token at all. */
    | { kind: "githubApp"; appId: string; installationId: string; privateKey: pulumi.Output<string> }
    /** A token with write access to the deploy repo (fine-grained PAT, or a classic PAT when sharedPat). */
    | { kind: "token"; username: string; token: pulumi.Output<string> };

/** Every credential the stack keeps in Vault, split by purpose so each is readable only where it is used. */
export interface Credentials {
    /** The GitHub pull token (classic PAT, `read:packages`) and its owner; undefined when no registry uses it. */
    githubPull?: { username: string; token: pulumi.Output<string> };
    git: GitCredentials;
    /** Token of the notifications service (GitHub or GitLab); undefined without notifications. */
    notificationsToken?: pulumi.Output<string>;
    /** One classic PAT for pulls, git and notifications, as the source documents had it: opted in, warned about. */
    sharedPat: boolean;
}

/** Argo CD Image Updater settings shared by every service of the stack. */
export interface ImageUpdaterSettings {
    /** Poll interval (Go duration). */
    interval: string;
    logLevel: string;
    gitCommitUser: string;
    gitCommitEmail: string;
}

/** Where the credentials live in Vault and how the cluster logs in to read them. */
export interface VaultSettings {
    address: string;
    /** KV v2 mount, e.g. `secret`. */
    kvMount: string;
    /** Path under the mount this stack writes its secrets below, e.g. `cluster-stack/dev`. */
    pathPrefix: string;
    /** Create the mount from this stack. */
    manageKvMount: boolean;
    /** Kubernetes auth method path. */
    kubernetesAuthMount: string;
    /** Audience of the service-account tokens ESO presents. */
    audience: string;
}

/** The External Secrets Operator and how it syncs. */
export interface ExternalSecretsSettings {
    /** Install the chart from this stack. */
    install: boolean;
    namespace: string;
    serviceAccount: string;
    /** ESO refresh interval (Go duration). */
    refreshInterval: string;
}

/**
 * Where Argo CD's notifications controller reports deployed, sync-failed and degraded
 * Applications. Only the stack that installs Argo CD configures it: it owns argocd-notifications-cm.
 */
export type NotificationSettings =
    | { provider: "none" }
    /** Commit statuses on the deploy repo's commits, with the notifications token. */
    | { provider: "github" }
    /** Deployments of one GitLab project, with the notifications token. */
    | { provider: "gitlab"; gitlabUrl: string; projectId: string };

/** Push-driven updates: registries and the deploy repo call in instead of being polled. */
export interface PushWebhookSettings {
    /** Host of the ingress registries send image push events to (`/webhook`). */
    imageUpdaterHostname: string;
    /** Events Image Updater processes per hour. */
    rateLimitPerHour: number;
}

/** Everything the program needs, validated; built once per run by `loadStackConfig`. */
export interface StackConfig {
    stack: string;
    project: string;
    environment: string;
    argocd: ArgoCdSettings;
    deployRepo: DeployRepo;
    images: { constraint: string; allowPrereleases: boolean };
    /**
     * Protect every Application: removing a service (or renaming the Argo CD namespace) fails
     * preview until the Application is unprotected (README, Retiring a service). True on stacks
     * that take only stable releases (allowPrereleases false), i.e. production.
     */
    protectApplications: boolean;
    /** Every configured registry (used by a service or not). */
    registries: Registry[];
    /** Pod Security Admission level enforced in every service namespace. */
    podSecurity: PodSecurityLevel;
    imageUpdater: ImageUpdaterSettings;
    services: ServiceSettings[];
    credentials: Credentials;
    vault: VaultSettings;
    externalSecrets: ExternalSecretsSettings;
    notifications: NotificationSettings;
    /** Undefined when the stack polls (pushWebhooks false). */
    pushWebhooks?: PushWebhookSettings;
}
