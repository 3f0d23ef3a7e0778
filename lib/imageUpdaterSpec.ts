import type { DeployRepo, ServiceImage, ServiceSettings } from "../stacks/config";

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

function imageEntry(image: ServiceImage): Record<string, unknown> {
    const settings: Record<string, unknown> = { updateStrategy: image.updateStrategy };
    if (image.allowTags !== undefined) settings.allowTags = image.allowTags;
    if (image.ignoreTags !== undefined) settings.ignoreTags = image.ignoreTags;
    return {
        alias: image.alias,
        imageName: imageName(image),
        commonUpdateSettings: settings,
        manifestTargets: image.target,
    };
}

function writeBackConfig(service: ServiceSettings, deployRepo: DeployRepo): Record<string, unknown> {
    if (service.writeBack.method === "argocd") return { method: "argocd" };
    const gitConfig: Record<string, unknown> = { repository: deployRepo.url, branch: service.writeBack.branch };
    if (service.writeBack.target !== undefined) gitConfig.writeBackTarget = service.writeBack.target;
    // Plain `git` reuses Argo CD's repository credentials (the repo-creds secret) for the push.
    return { method: "git", gitConfig };
}

/** `spec` of the ImageUpdater resource of one environment: one applicationRef per Application. */
export function imageUpdaterSpec(services: readonly ServiceSettings[], deployRepo: DeployRepo, pullSecretRef: string): Record<string, unknown> {
    return {
        commonUpdateSettings: { pullSecret: pullSecretRef },
        applicationRefs: services.map((service) => ({
            // An exact name: a glob such as example-api-* would reach the other environment's app.
            namePattern: service.appName,
            images: service.images.map(imageEntry),
            writeBackConfig: writeBackConfig(service, deployRepo),
        })),
    };
}
