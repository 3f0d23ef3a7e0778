import type { ImageUpdaterSettings } from "../stacks/config";

/** Registries Image Updater knows by host; any other host is reached at https://<host>. */
const KNOWN_REGISTRIES: Record<string, { name: string; apiUrl: string; defaultns?: string }> = {
    "ghcr.io": { name: "GitHub Container Registry", apiUrl: "https://ghcr.io" },
    "docker.io": { name: "Docker Hub", apiUrl: "https://registry-1.docker.io", defaultns: "library" },
};

/** Inputs of the Image Updater chart values. */
export interface ImageUpdaterValuesArgs {
    settings: ImageUpdaterSettings;
    /** Registry host whose credentials are the pull secret (the GitHub PAT). */
    registry: string;
    /** `pullsecret:<namespace>/<name>` of the registry pull secret. */
    pullSecretRef: string;
}

/** `config.registries[]` of chart 1.x: ghcr.io and docker.io always, plus the configured registry. */
export function registriesConfig(args: ImageUpdaterValuesArgs): Record<string, unknown>[] {
    const hosts = [...new Set(["ghcr.io", "docker.io", args.registry])];
    return hosts.map((host) => {
        const known = KNOWN_REGISTRIES[host] ?? { name: host, apiUrl: `https://${host}` };
        return {
            name: known.name,
            api_url: known.apiUrl,
            prefix: host,
            ping: true,
            ...(known.defaultns ? { defaultns: known.defaultns } : {}),
            // Docker Hub stays the default for unqualified image names, as in the updater itself.
            ...(host === "docker.io" ? { default: true } : {}),
            ...(host === args.registry ? { credentials: args.pullSecretRef } : {}),
            limit: args.settings.registryRateLimit,
        };
    });
}

/** Values of the argocd-image-updater chart, 1.x keys (`config.*` are written verbatim to its ConfigMap). */
export function imageUpdaterValues(args: ImageUpdaterValuesArgs): Record<string, unknown> {
    return {
        config: {
            "log.level": args.settings.logLevel,
            "git.user": args.settings.gitCommitUser,
            "git.email": args.settings.gitCommitEmail,
            "git.commit-message-template": COMMIT_MESSAGE_TEMPLATE,
            registries: registriesConfig(args),
        },
        // The poll interval is a command-line flag in 1.x, not a ConfigMap key.
        extraArgs: ["--interval", args.settings.interval],
        metrics: { enabled: true },
    };
}

/** One line per image, so the deploy repo's history reads as a release log. */
export const COMMIT_MESSAGE_TEMPLATE = [
    "build: automatic update of {{ .AppName }}",
    "",
    "{{ range .AppChanges -}}",
    "updates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'",
    "{{ end -}}",
].join("\n");
