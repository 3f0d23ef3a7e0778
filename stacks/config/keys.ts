import { z } from "zod";
import { admittedKindSchema, podSecuritySchema } from "./confinement";
import { cleanUrl, goDuration, singleLine, vaultPath } from "./formats";
import { registrySchema } from "./registries";
import { serviceSchema } from "./services";

/**
 * How a raw config string is decoded before its schema checks it. Pulumi hands a program every
 * value as a string: booleans and integers as their text, structured values as JSON.
 */
export type KeyKind = "string" | "boolean" | "integer" | "array" | "structured";

/** The contract of one config key of this project. */
export interface KeySpec {
    /** Decoding, and the Pulumi.yaml `type` it must be declared with (`structured`: none, see Pulumi.yaml). */
    kind: KeyKind;
    /** Checks the decoded value; its messages say what is wrong. */
    schema: z.ZodType;
    /** Example value shown in the fix of an error. */
    example: string;
    /** Declared `secret: true`: must be set with `pulumi config set --secret`. */
    secret?: boolean;
    /** May be unset: Pulumi.yaml defaults it to "" (the CLI requires keys without a default). */
    optional?: boolean;
}

const dnsLabel = z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending alphanumeric")
    .max(63, "must be at most 63 characters");

const hostname = z
    .string()
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, "must be a fully qualified DNS host name such as argocd.example.com (no scheme, no path)");

const HTTPS_GIT_URL = "an https git URL of the form https://<host>/<owner>/<repo>[.git]";
const httpsGitUrl = cleanUrl(["https"], HTTPS_GIT_URL).refine((url) => /^https:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+?(\.git)?$/.test(url), `must be ${HTTPS_GIT_URL}`);

const numericId = (what: string) => z.string().regex(/^[1-9][0-9]*$/, `must be the numeric ${what}`);

const gitlabInstanceUrl = cleanUrl(["https"], "the https URL of the GitLab instance, e.g. https://gitlab.com")
    .refine((url) => /^https:\/\/[^/\s?#]+(\/[^\s?#]*[^/\s?#])?$/.test(url), "must be the https URL of the GitLab instance, e.g. https://gitlab.com (no trailing '/', no /api/v4)")
    .refine((url) => !/\/api(\/|$)/.test(url), "must be the instance URL without /api/v4: the program appends the API path");

/** A token as GitHub and GitLab issue it: one line, so a trailing newline from a file is caught here, not at login. */
const token = z
    .string()
    .min(1, "must not be empty")
    .refine((value) => !/[\s\u0000-\u001f\u007f]/.test(value), "must be one token without spaces, control characters or a trailing newline (as `pulumi config set --secret <key> < file` keeps it)");

/**
 * Every key the program reads, by short name (without the `cluster-stack:` namespace).
 * Defaults are not here: they live in Pulumi.yaml, which the Pulumi CLI merges before the
 * program runs (and the offline render merges the same way).
 */
export const configKeys = {
    environment: { kind: "string", schema: dnsLabel.max(12, "must be at most 12 characters: it suffixes namespace and object names"), example: "dev" },
    installArgoCd: { kind: "boolean", schema: z.boolean(), example: "true" },
    installExternalSecrets: { kind: "boolean", schema: z.boolean(), example: "true" },
    argocdNamespace: { kind: "string", schema: dnsLabel, example: "argocd" },
    argocdHostname: { kind: "string", schema: hostname, example: "argocd.dev.example.com" },
    ingressClassName: { kind: "string", schema: dnsLabel, example: "nginx" },
    ingressTls: { kind: "boolean", schema: z.boolean(), example: "true" },
    allowInsecureTransport: { kind: "boolean", schema: z.boolean(), example: "false" },
    certManagerClusterIssuer: { kind: "string", schema: dnsLabel, example: "letsencrypt-prod", optional: true },
    ciAccount: { kind: "string", schema: dnsLabel, example: "ci-dev", optional: true },
    podSecurityEnforce: { kind: "string", schema: podSecuritySchema, example: "restricted" },
    projectAdmitKinds: {
        kind: "structured",
        optional: true,
        schema: z.array(admittedKindSchema),
        example: '[{"group":"monitoring.coreos.com","kind":"ServiceMonitor"}]',
    },
    deployRepoUrl: { kind: "string", schema: httpsGitUrl, example: "https://github.com/acme/deploy.git" },
    deployRepoRevision: { kind: "string", schema: singleLine, example: "main" },
    registries: {
        kind: "structured",
        optional: true,
        schema: z.array(registrySchema).min(1, "must list at least one registry (leave the key unset for ghcr.io with the GitHub pull token)"),
        example: '[{"host":"ghcr.io","credentials":"github"},{"host":"docker.io","credentials":"vault","vaultPath":"cluster-stack/dev/dockerhub"}]',
    },
    imageConstraint: { kind: "string", schema: singleLine, example: "~0" },
    allowPrereleases: { kind: "boolean", schema: z.boolean(), example: "false" },
    imageUpdaterInterval: { kind: "string", schema: goDuration(30_000, "30s"), example: "2m" },
    imageUpdaterLogLevel: {
        kind: "string",
        schema: z.enum(["trace", "debug", "info", "warn", "error"], { error: "must be one of trace, debug, info, warn, error" }),
        example: "info",
    },
    registryRateLimit: { kind: "integer", schema: z.number().int().min(1, "must be at least 1 request per second").max(1000), example: "20" },
    gitCommitUser: { kind: "string", schema: singleLine, example: "argocd-image-updater" },
    gitCommitEmail: { kind: "string", schema: z.email({ error: "must be an e-mail address" }), example: "noreply@argoproj.io" },
    writeBackMethod: { kind: "string", schema: z.enum(["git", "argocd"], { error: "must be git or argocd" }), example: "git" },
    writeBackBranch: { kind: "string", schema: singleLine, example: "main", optional: true },
    writeBackPullRequest: {
        kind: "string",
        schema: z.enum(["auto", "on", "off"], { error: "must be auto (on when allowPrereleases is false), on or off" }),
        example: "on",
    },
    githubUsername: {
        kind: "string",
        schema: z.string().regex(/^[A-Za-z0-9](-?[A-Za-z0-9])*$/, "must be a GitHub user name"),
        example: "octocat",
        optional: true,
    },
    githubPullToken: {
        kind: "string",
        secret: true,
        optional: true,
        schema: token,
        example: "<classic PAT with read:packages only>",
    },
    gitAuth: {
        kind: "string",
        schema: z.enum(["githubApp", "token", "sharedPat"], { error: "must be githubApp, token or sharedPat" }),
        example: "githubApp",
    },
    githubAppId: { kind: "string", schema: numericId("App ID (the GitHub App's settings page, About)"), example: "123456", optional: true },
    githubAppInstallationId: {
        kind: "string",
        schema: numericId("installation ID (the number at the end of the App installation's settings URL)"),
        example: "45678901",
        optional: true,
    },
    githubAppPrivateKey: {
        kind: "string",
        secret: true,
        optional: true,
        schema: z.string().min(1, "must not be empty"),
        example: "<PEM private key of the GitHub App>",
    },
    gitUsername: { kind: "string", schema: singleLine, example: "x-access-token", optional: true },
    gitToken: {
        kind: "string",
        secret: true,
        optional: true,
        schema: token,
        example: "<fine-grained PAT: deploy repo only, Contents read and write>",
    },
    githubPat: {
        kind: "string",
        secret: true,
        optional: true,
        schema: token,
        example: "<classic PAT with read:packages and repo>",
    },
    githubNotificationsToken: {
        kind: "string",
        secret: true,
        optional: true,
        schema: token,
        example: "<fine-grained PAT: deploy repo only, Commit statuses read and write>",
    },
    vaultAddress: {
        kind: "string",
        schema: cleanUrl(["https", "http"], "the Vault server URL, e.g. https://vault.example.com:8200 (no path)").refine(
            (url) => /^https?:\/\/[^/\s]+\/?$/.test(url),
            "must be the Vault server URL, e.g. https://vault.example.com:8200 (no path)",
        ),
        example: "https://vault.example.com",
    },
    vaultKvMount: { kind: "string", schema: vaultPath, example: "secret" },
    vaultPathPrefix: { kind: "string", schema: vaultPath, example: "cluster-stack/dev" },
    vaultManageKvMount: { kind: "boolean", schema: z.boolean(), example: "false" },
    vaultKubernetesAuthMount: { kind: "string", schema: vaultPath, example: "kubernetes" },
    vaultAuthAudience: { kind: "string", schema: singleLine, example: "vault" },
    externalSecretsNamespace: { kind: "string", schema: dnsLabel, example: "external-secrets" },
    externalSecretsServiceAccount: { kind: "string", schema: dnsLabel, example: "external-secrets" },
    secretRefreshInterval: { kind: "string", schema: goDuration(60_000, "1m"), example: "1h" },
    notifications: {
        kind: "string",
        schema: z.enum(["none", "github", "gitlab"], { error: "must be none, github or gitlab" }),
        example: "github",
    },
    notificationsGitlabUrl: { kind: "string", schema: gitlabInstanceUrl, example: "https://gitlab.com" },
    notificationsGitlabProjectId: {
        kind: "string",
        schema: z.string().regex(/^[1-9][0-9]*$/, "must be the numeric ID of a GitLab project (Settings > General), not its path"),
        example: "12345",
        optional: true,
    },
    gitlabToken: {
        kind: "string",
        secret: true,
        optional: true,
        schema: token,
        example: "<GitLab access token with the api scope>",
    },
    pushWebhooks: { kind: "boolean", schema: z.boolean(), example: "true" },
    imageUpdaterWebhookHostname: { kind: "string", schema: hostname, example: "image-updater.dev.example.com", optional: true },
    imageUpdaterWebhookRateLimit: {
        kind: "integer",
        schema: z.number().int().min(1, "must be at least 1 event per hour (0 would turn the limit off)").max(36000, "must be at most 36000 events per hour"),
        example: "120",
    },
    services: {
        kind: "structured",
        schema: z.array(serviceSchema).min(1, "must list at least one service"),
        example: '[{"name":"example-api","image":"ghcr.io/acme/example-api"}]',
    },
} satisfies Record<string, KeySpec>;

export type ConfigKeyName = keyof typeof configKeys;

/** The keys declared `secret: true`. */
export type SecretKeyName = { [K in ConfigKeyName]: (typeof configKeys)[K] extends { secret: true } ? K : never }[ConfigKeyName];

/** The decoded, schema-checked values, keyed by short name. */
export type ConfigValues = {
    [K in ConfigKeyName]: (typeof configKeys)[K] extends { optional: true }
        ? z.output<(typeof configKeys)[K]["schema"]> | undefined
        : z.output<(typeof configKeys)[K]["schema"]>;
};
