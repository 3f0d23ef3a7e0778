import type * as pulumi from "@pulumi/pulumi";
import type { UpdateStrategy } from "./services";

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
    /** Local account for CI (`apiKey` capability) that `argocd app wait` runs as. */
    ciAccount: string;
    /** The AppProject holding this environment's Applications. */
    projectName: string;
}

/** The git repository holding the services' Helm charts and values files. */
export interface DeployRepo {
    url: string;
    revision: string;
    /** `https://<host>/<owner>`: the prefix Argo CD repo-creds match. */
    ownerUrl: string;
}

/** One image of one service, with every Image Updater setting resolved. */
export interface ServiceImage {
    alias: string;
    repository: string;
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

/** The GitHub identity whose PAT pulls images and pushes write-back commits. */
export interface GithubCredentials {
    username: string;
    /** Always a Pulumi secret. */
    pat: pulumi.Output<string>;
}

/** Argo CD Image Updater settings shared by every service of the stack. */
export interface ImageUpdaterSettings {
    /** Poll interval (Go duration). */
    interval: string;
    logLevel: string;
    /** Requests per second per registry. */
    registryRateLimit: number;
    gitCommitUser: string;
    gitCommitEmail: string;
}

/** Where the GitHub credentials live in Vault and who may read them. */
export interface VaultSettings {
    address: string;
    /** KV v2 mount, e.g. `secret`. */
    kvMount: string;
    /** Path under the mount, e.g. `cluster-stack/dev/github`. */
    secretPath: string;
    /** Create the mount from this stack. */
    manageKvMount: boolean;
    /** Kubernetes auth method path. */
    kubernetesAuthMount: string;
    /** Audience ESO's service-account tokens carry. */
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
    /** Commit statuses on the deploy repo's commits, authenticated with the GitHub PAT. */
    | { provider: "github" }
    /** Deployments of one GitLab project, authenticated with a GitLab token (secret). */
    | { provider: "gitlab"; gitlabUrl: string; projectId: string; token: pulumi.Output<string> };

/** Push-driven updates: registries and the deploy repo call in instead of being polled. */
export interface PushWebhookSettings {
    /** Host of the ingress registries send image push events to (`/webhook`). */
    imageUpdaterHostname: string;
}

/** Everything the program needs, validated; built once per run by `loadStackConfig`. */
export interface StackConfig {
    stack: string;
    project: string;
    environment: string;
    argocd: ArgoCdSettings;
    deployRepo: DeployRepo;
    images: { registry: string; constraint: string; allowPrereleases: boolean };
    imageUpdater: ImageUpdaterSettings;
    services: ServiceSettings[];
    github: GithubCredentials;
    vault: VaultSettings;
    externalSecrets: ExternalSecretsSettings;
    notifications: NotificationSettings;
    /** Undefined when the stack polls (pushWebhooks false). */
    pushWebhooks?: PushWebhookSettings;
}
