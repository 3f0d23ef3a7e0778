import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadStackConfig } from "../stacks/config";
import type { StackConfig } from "../model/stackConfig";
import { stackConfig, type Overrides } from "./support/config";

/** A real-looking value for every secret key the project declares. */
const SECRETS = {
    githubPullToken: "ghp_pull",
    githubAppPrivateKey: "-----BEGIN KEY-----\nx\n-----END KEY-----",
    gitToken: "github_pat_x",
    githubPat: "ghp_shared",
    githubNotificationsToken: "github_pat_n",
};
type SecretKey = keyof typeof SECRETS;

/**
 * Credential and registry configs that must load: the other half of
 * test/credentialsBadInput.test.ts, so a rule that starts refusing good config fails here. Each
 * is given only the secrets its mode `needs`, the others unset: a mode must not demand a
 * credential it never uses.
 */
const accepted: { name: string; stack: "dev" | "prd"; overrides: Overrides; needs: SecretKey[]; check: (config: StackConfig) => void }[] = [
    {
        name: "ghcr.io with the default (github) credentials, a prefixed vault account on it, Docker Hub from vault, quay.io public",
        stack: "dev",
        overrides: {
            registries: [
                { host: "ghcr.io" },
                { host: "ghcr.io", prefix: "ghcr.io/partner-org", credentials: "vault", vaultPath: "cluster-stack/dev/partner" },
                { host: "docker.io", credentials: "vault", vaultPath: "cluster-stack/dev/dockerhub" },
                { host: "quay.io", credentials: "public" },
            ],
            services: [{ name: "example-api", images: [
                { alias: "api", repository: "ghcr.io/example-org/example-api" },
                { alias: "connector", repository: "ghcr.io/partner-org/connector", helm: { name: "connector.repository", tag: "connector.tag" } },
                { alias: "proxy", repository: "nginx", helm: { name: "proxy.repository", tag: "proxy.tag" } },
                { alias: "exporter", repository: "quay.io/prometheus/node-exporter", helm: { name: "exporter.repository", tag: "exporter.tag" } },
            ] }],
        },
        needs: ["githubPullToken", "githubAppPrivateKey"],
        check: (config) =>
            assert.deepEqual(
                config.registries.map((r) => [r.prefix, r.credentials.source]),
                [["ghcr.io", "github"], ["ghcr.io/partner-org", "vault"], ["docker.io", "vault"], ["quay.io", "public"]],
            ),
    },
    {
        name: "public registries only: no GitHub pull token needed",
        stack: "prd",
        overrides: { registries: [{ host: "docker.io", credentials: "public" }], services: [{ name: "proxy", image: "nginx" }], githubUsername: undefined },
        needs: ["githubAppPrivateKey"],
        check: (config) => assert.equal(config.credentials.githubPull, undefined),
    },
    {
        name: "sharedPat: the one PAT, no pull token, App or notifications token of its own",
        stack: "dev",
        overrides: { gitAuth: "sharedPat", notifications: "github", githubAppId: undefined, githubAppInstallationId: undefined },
        needs: ["githubPat"],
        check: (config) => {
            assert.equal(config.credentials.sharedPat, true);
            assert.equal(config.credentials.git.kind, "token");
            assert.ok(config.credentials.githubPull && config.credentials.notificationsToken);
        },
    },
    {
        name: "a git token instead of the App, and GitHub notifications with their own token",
        stack: "prd",
        overrides: { gitAuth: "token", gitUsername: "x-access-token", githubAppId: undefined, githubAppInstallationId: undefined, notifications: "github" },
        needs: ["githubPullToken", "gitToken", "githubNotificationsToken"],
        check: (config) => {
            assert.deepEqual(config.credentials.git.kind === "token" && config.credentials.git.username, "x-access-token");
            assert.ok(config.credentials.notificationsToken);
        },
    },
    {
        name: "the default GitHub App",
        stack: "dev",
        overrides: {},
        needs: ["githubPullToken", "githubAppPrivateKey"],
        check: (config) => assert.deepEqual(config.credentials.git.kind === "githubApp" && [config.credentials.git.appId, config.credentials.git.installationId], ["123456", "45678901"]),
    },
];

describe("credential and registry configs that load", () => {
    for (const a of accepted) {
        it(a.name, () => {
            const unneeded = Object.fromEntries(Object.keys(SECRETS).filter((key) => !a.needs.includes(key as SecretKey)).map((key) => [key, undefined]));
            const secrets = Object.fromEntries(a.needs.map((key) => [key, SECRETS[key]]));
            a.check(loadStackConfig(stackConfig(a.stack, { ...unneeded, ...a.overrides }, secrets)));
        });
    }
});
