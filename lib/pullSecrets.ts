import type { Registry, ServiceSettings } from "../model/stackConfig";
import type { DockerAccount } from "./externalSecretSpecs";
import { registryPullSecretName } from "./naming";
import { imageUpdaterAuthKey, kubeletAuthKey, needsCredentials, registrySlug } from "./registries";
import { STACK_SECRETS, stackSecretPath } from "./vaultAccess";

/** One registry account of an environment and the secret Image Updater reads it from. */
export interface RegistryPullAccount {
    registry: Registry;
    /** KV secret with `username` and `password`. */
    path: string;
    /**
     * Secret in the Argo CD namespace with only this account: Image Updater takes the first
     * `auths` key that starts with the registry's API host, so two accounts on one host in one
     * secret would be a coin toss.
     */
    imageUpdaterSecret: string;
}

/** The accounts one environment pulls with: every registry with credentials that a service image uses. */
export function pullAccounts(environment: string, services: readonly ServiceSettings[], pathPrefix: string): RegistryPullAccount[] {
    const used = new Map<string, Registry>();
    for (const image of services.flatMap((s) => s.images)) {
        if (needsCredentials(image.registry)) used.set(image.registry.prefix, image.registry);
    }
    const names = new Set<string>();
    return [...used.values()].map((registry, index) => {
        let name = `${registryPullSecretName(environment)}-${registrySlug(registry)}`;
        if (names.has(name)) name = `${name}-${index}`;
        names.add(name);
        const path = registry.credentials.source === "vault" ? registry.credentials.path : stackSecretPath(pathPrefix, STACK_SECRETS.githubPull);
        return { registry, path, imageUpdaterSecret: name };
    });
}

/** The accounts as entries of the service namespaces' pull secret: kubelet's key, and Image Updater's where it differs. */
export function serviceDockerAccounts(accounts: readonly RegistryPullAccount[]): DockerAccount[] {
    return accounts.map((a, index) => ({
        authKeys: [...new Set([kubeletAuthKey(a.registry), imageUpdaterAuthKey(a.registry)])],
        path: a.path,
        id: `registry${index}`,
    }));
}

/** One account as the only entry of Image Updater's secret for it. */
export function imageUpdaterDockerAccount(account: RegistryPullAccount): DockerAccount {
    return { authKeys: [imageUpdaterAuthKey(account.registry)], path: account.path, id: "registry" };
}

/** `pullsecret:<namespace>/<name>` of the account an image's registry uses, or undefined for a public registry. */
export function imagePullSecretRef(registry: Registry, accounts: readonly RegistryPullAccount[], argocdNamespace: string): string | undefined {
    const account = accounts.find((a) => a.registry.prefix === registry.prefix);
    return account ? `pullsecret:${argocdNamespace}/${account.imageUpdaterSecret}` : undefined;
}
