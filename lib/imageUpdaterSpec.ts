import type { DeployRepo, ServiceImage, ServiceSettings } from "../model/stackConfig";
import { imagePullSecretRef, type RegistryPullAccount } from "./pullSecrets";

/** Where the ImageUpdater resource takes its credentials from. */
export interface UpdaterCredentials {
    /** Namespace of Argo CD, where the updater reads secrets. */
    argocdNamespace: string;
    /** The environment's registry accounts, each in its own secret. */
    pullAccounts: readonly RegistryPullAccount[];
    /** Name of the deploy repo's repository secret (git credentials) in that namespace. */
    gitSecret: string;
}

/**
 * `repository[:constraint]` as Image Updater reads it: the semver range for `semver`, the one
 * mutable tag for `digest`, nothing for the strategies that pick among allowTags.
 */
export function imageName(image: ServiceImage): string {
    switch (image.updateStrategy) {
        case "semver":
        case "digest":
            return `${image.repository}:${image.constraint}`;
        default:
            return image.repository;
    }
}

// Fields left undefined are not sent: Pulumi leaves undefined inputs out of the resource.
function imageEntry(image: ServiceImage, credentials: UpdaterCredentials): Record<string, unknown> {
    return {
        alias: image.alias,
        imageName: imageName(image),
        commonUpdateSettings: {
            updateStrategy: image.updateStrategy,
            // Per image: the secret of this image's own registry account, never one registry's for another's images.
            pullSecret: imagePullSecretRef(image.registry, credentials.pullAccounts, credentials.argocdNamespace),
            allowTags: image.allowTags,
            ignoreTags: image.ignoreTags,
        },
        manifestTargets: image.target,
    };
}

function writeBackConfig(service: ServiceSettings, deployRepo: DeployRepo, credentials: UpdaterCredentials): Record<string, unknown> {
    if (service.writeBack.method === "argocd") return { method: "argocd" };
    const { branch, target, pullRequest } = service.writeBack;
    // In pull-request mode `branch` is the pull request's base; the head branch is Image Updater's own.
    const gitConfig: Record<string, unknown> = { repository: deployRepo.url, branch, writeBackTarget: target };
    // Image Updater >= 1.2 (CR only): the update lands as a pull request the promotion gate checks.
    if (pullRequest !== undefined) gitConfig.pullRequest = { [pullRequest]: {} };
    // This environment's own repository secret; plain `git` would look up Argo CD's credentials by URL.
    return { method: `git:secret:${credentials.argocdNamespace}/${credentials.gitSecret}`, gitConfig };
}

/** One applicationRef per Application, in service order. */
export function applicationRefs(services: readonly ServiceSettings[], deployRepo: DeployRepo, credentials: UpdaterCredentials): Record<string, unknown>[] {
    return services.map((service) => ({
        // An exact name: a glob such as example-api-* would reach the other environment's app.
        namePattern: service.appName,
        images: service.images.map((image) => imageEntry(image, credentials)),
        writeBackConfig: writeBackConfig(service, deployRepo, credentials),
    }));
}

/**
 * Largest serialized `spec` one ImageUpdater object gets. etcd refuses objects over 1.5 MiB and
 * the API server requests over 3 MiB; server-side apply's managedFields roughly double what is
 * stored, so a quarter of etcd's limit leaves room for both.
 */
export const MAX_SPEC_BYTES = 384 * 1024;

/**
 * The environment's applicationRefs split into ImageUpdater specs of at most `maxBytes` each, in
 * order: one object for a usual stack, more for thousands of services instead of one the API
 * server would refuse.
 */
export function imageUpdaterSpecs(refs: readonly Record<string, unknown>[], maxBytes = MAX_SPEC_BYTES): Record<string, unknown>[] {
    const shards: Record<string, unknown>[][] = [[]];
    let size = 0;
    for (const ref of refs) {
        const refBytes = Buffer.byteLength(JSON.stringify(ref)) + 1;
        if (refBytes > maxBytes) throw new Error(`the applicationRef of ${String(ref.namePattern)} alone is ${refBytes} bytes, over the ${maxBytes} an ImageUpdater spec may have`);
        // Never true for the first ref of a shard: it alone is at most maxBytes.
        if (size + refBytes > maxBytes) {
            shards.push([]);
            size = 0;
        }
        shards[shards.length - 1].push(ref);
        size += refBytes;
    }
    return shards.map((shard) => ({ applicationRefs: shard }));
}
