import type { Registry } from "../model/stackConfig";

/**
 * How image references map to registries, the way kubelet and Image Updater read them, and the
 * `.dockerconfigjson` keys each of them accepts for a registry.
 */

/** Docker Hub's canonical name in image references. */
export const DOCKER_HUB = "docker.io";

/** Names Docker Hub goes by in references and credentials. */
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, "index.docker.io", "registry-1.docker.io"]);

/** Docker Hub under any of its names becomes `docker.io`; other hosts are unchanged. */
export function canonicalHost(host: string): string {
    return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** A reference split as distribution/reference normalises it (kubelet and Image Updater use that package). */
export interface NormalizedImage {
    host: string;
    /** Repository path on the host; Docker Hub official images under `library/`. */
    path: string;
}

/**
 * `nginx` -> docker.io/library/nginx, `acme/api` -> docker.io/acme/api, `ghcr.io/acme/api` as is:
 * the first component names a host only if it has a '.' or a ':' or is `localhost`.
 */
export function normalizeImage(repository: string): NormalizedImage {
    const [first, ...rest] = repository.split("/");
    const isHost = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    if (isHost) {
        const host = canonicalHost(first);
        const path = rest.join("/");
        return { host, path: host === DOCKER_HUB && rest.length === 1 ? `library/${path}` : path };
    }
    return { host: DOCKER_HUB, path: rest.length === 0 ? `library/${first}` : repository };
}

/** `<host>/<path>` of a registry prefix, canonical. */
export function normalizePrefix(prefix: string): string {
    const [host, ...rest] = prefix.split("/");
    return [canonicalHost(host), ...rest].join("/");
}

/**
 * The registry an image pulls from: the longest configured prefix that covers it by whole path
 * segments (`ghcr.io/acme` covers `ghcr.io/acme/api`, not `ghcr.io/acmecorp/api`).
 */
export function resolveRegistry<R extends Pick<Registry, "prefix">>(repository: string, registries: readonly R[]): R | undefined {
    const image = normalizeImage(repository);
    const full = `${image.host}/${image.path}`;
    return registries
        .filter((r) => full === r.prefix || full.startsWith(`${r.prefix}/`))
        .sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/** Whether a registry is Docker Hub, or an account on it. */
export function isDockerHub(registry: Pick<Registry, "host">): boolean {
    return registry.host === DOCKER_HUB;
}

/** The path below the host a registry's account covers: "" for the whole host, whose prefix is the host itself. */
function pathBelowHost(registry: Pick<Registry, "host" | "prefix">): string {
    return registry.prefix.slice(registry.host.length + 1);
}

/**
 * `.dockerconfigjson` keys kubelet matches for a registry. Docker Hub as a whole under the key
 * docker login writes (kubelet's Docker Hub fallback); an account under a path with a trailing
 * '/', because kubelet compares paths as plain string prefixes.
 */
export function kubeletAuthKey(registry: Pick<Registry, "host" | "prefix">): string {
    const below = pathBelowHost(registry);
    if (isDockerHub(registry)) return below === "" ? "https://index.docker.io/v1/" : `${DOCKER_HUB}/${below}/`;
    return below === "" ? registry.host : `${registry.prefix}/`;
}

/** Image Updater's registry API endpoint: Docker Hub's is not its reference host. */
export function imageUpdaterApiUrl(registry: Pick<Registry, "host">): string {
    return isDockerHub(registry) ? "https://registry-1.docker.io" : `https://${registry.host}`;
}

/**
 * The key Image Updater accepts for a registry: it takes an `auths` key only if it starts with
 * the endpoint's API host (`registry-1.docker.io` for Docker Hub, which kubelet never matches).
 */
export function imageUpdaterAuthKey(registry: Pick<Registry, "host" | "prefix">): string {
    const below = pathBelowHost(registry);
    const apiHost = imageUpdaterApiUrl(registry).slice("https://".length);
    return below === "" ? apiHost : `${apiHost}/${below}/`;
}

/** Whether pulls from the registry need a secret at all. */
export function needsCredentials(registry: Pick<Registry, "credentials">): boolean {
    return registry.credentials.source !== "public";
}

/** DNS-label-safe token of a registry prefix, for object names: `registry.example.com:5000` -> `registry-example-com-5000`. */
export function registrySlug(registry: Pick<Registry, "prefix">): string {
    return registry.prefix
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
}
