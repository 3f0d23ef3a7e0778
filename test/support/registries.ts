import type { Registry, RegistryCredentials, ServiceSettings } from "../../model/stackConfig";

/** A registry of the typed config: the whole host, or one account under `prefix`. */
export function registry(host: string, credentials: RegistryCredentials, prefix = host): Registry {
    return { host, prefix, credentials, rateLimit: 7 };
}

/** Services whose images pull from these registries, one service per list: all pullAccounts reads of them. */
export function servicesPullingFrom(...registries: Registry[][]): ServiceSettings[] {
    return registries.map((images) => ({ images: images.map((r) => ({ registry: r })) }) as unknown as ServiceSettings);
}
