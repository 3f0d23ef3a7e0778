import { z } from "zod";
import { canonicalHost, normalizePrefix } from "../../lib/registries";
import { vaultPath } from "./formats";

/**
 * `host[:port]` as image references spell it: a first path component with a '.' or a ':', or
 * `localhost` (anything else is a Docker Hub namespace, as kubelet and Image Updater read it).
 */
const registryHost = z
    .string()
    .regex(
        /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)(:[0-9]{1,5})?$/,
        "must be a registry host such as ghcr.io, docker.io or registry.example.com:5000 (no scheme, no path)",
    );

/** Where a registry's credentials come from. */
export const registryCredentialSources = ["public", "github", "vault"] as const;

/** One registry of the stack's `registries` list. */
export const registrySchema = z
    .object({
        host: registryHost,
        prefix: z
            .string()
            .regex(/^[^/\s]+(\/[a-z0-9._-]+)+$/, "must be <host>/<path>, e.g. ghcr.io/acme, without a trailing '/'")
            .optional(),
        credentials: z.enum(registryCredentialSources, { error: "must be public, github (the GitHub pull token, ghcr.io only) or vault (with vaultPath)" }).optional(),
        vaultPath: vaultPath.optional(),
        rateLimit: z.number().int().min(1, "must be at least 1 request per second").max(1000, "must be at most 1000").optional(),
    })
    .strict();

export type RawRegistry = z.output<typeof registrySchema>;

/** Today's behaviour when `registries` is unset: ghcr.io with the GitHub pull token. */
export const DEFAULT_REGISTRIES: RawRegistry[] = [{ host: "ghcr.io", credentials: "github" }];

/** The one registry the GitHub pull token is for: GHCR accepts classic PATs, no other registry should see one. */
export const GITHUB_REGISTRY = "ghcr.io";

/** A registry entry with its host and prefix canonical, as images are matched against it. */
export interface CanonicalRegistry extends RawRegistry {
    prefix: string;
    credentialSource: "public" | "github" | "vault";
}

/** The stack's registries (the default when unset), canonical; credentials default to github on ghcr.io. */
export function canonicalRegistries(values: { registries?: RawRegistry[] }): CanonicalRegistry[] {
    return (values.registries ?? DEFAULT_REGISTRIES).map((r) => {
        const host = canonicalHost(r.host);
        return {
            ...r,
            host,
            prefix: normalizePrefix(r.prefix ?? host),
            credentialSource: r.credentials ?? (host === GITHUB_REGISTRY ? "github" : "public"),
        };
    });
}

/** Whether any registry of the stack pulls with the GitHub pull token. */
export function usesGithubPullToken(values: { registries?: RawRegistry[] }): boolean {
    return canonicalRegistries(values).some((r) => r.credentialSource === "github");
}

