import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configKeys } from "../stacks/config/keys";
import { schemaProblems } from "./support/schemaProblems";

type Key = keyof typeof configKeys;
const problems = (key: Key, value: unknown) => schemaProblems(configKeys[key].schema, value);

/** Per key: values that load, and values refused with the message that says why. */
const CASES: { key: Key; accepted: unknown[]; refused: [unknown, RegExp][] }[] = [
    {
        key: "argocdNamespace",
        accepted: ["argocd", "a", "gitops-2", "a".repeat(63)],
        refused: [["Argocd", /DNS-1123 label/], ["-argocd", /DNS-1123 label/], ["argocd-", /DNS-1123 label/], ["argo_cd", /DNS-1123 label/], ["a".repeat(64), /at most 63/]],
    },
    { key: "environment", accepted: ["dev", "a".repeat(12)], refused: [["a".repeat(13), /at most 12 characters/], ["Dev", /DNS-1123/]] },
    {
        key: "argocdHostname",
        accepted: ["argocd.example.com", "a-1.b.example", "a.example.com"],
        refused: [["argocd", /fully qualified DNS host name/], ["https://argocd.example.com", /fully qualified/], ["argocd.example.com/x", /fully qualified/], ["-a.example.com", /fully qualified/], ["a.example.com-", /fully qualified/]],
    },
    {
        key: "deployRepoUrl",
        accepted: ["https://github.com/acme/deploy.git", "https://gitlab.example.com/group/deploy"],
        refused: [
            ["https://github.com/acme", /https git URL/],
            ["https://github.com/acme/deploy/extra", /https git URL/],
            ["http://github.com/acme/deploy.git", /https/],
            [" https://github.com/acme/deploy.git", /https git URL/],
        ],
    },
    {
        key: "githubAppId",
        accepted: ["1", "123456"],
        refused: [["0123", /numeric App ID/], ["abc", /numeric App ID/], ["12 34", /numeric App ID/]],
    },
    { key: "githubAppInstallationId", accepted: ["45678901"], refused: [["x45678901", /numeric installation ID/]] },
    { key: "githubUsername", accepted: ["octocat", "release-bot", "a1-b2"], refused: [["-octocat", /GitHub user name/], ["octo--cat", /GitHub user name/], ["octocat-", /GitHub user name/], ["octo cat", /GitHub user name/]] },
    {
        key: "githubPullToken",
        accepted: ["ghp_abc123"],
        refused: [["", /must not be empty/], ["ghp_abc123\n", /one token without spaces/], ["ghp abc", /one token/], ["ghp\u0000", /one token/]],
    },
    {
        key: "notificationsGitlabUrl",
        accepted: ["https://gitlab.com", "https://git.example.com/gitlab"],
        refused: [
            ["https://gitlab.com/", /no trailing/],
            ["https://gitlab.com/api/v4", /without \/api\/v4/],
            ["https://git.example.com/api", /without \/api\/v4/],
            ["http://gitlab.com", /https/],
            [" https://gitlab.com", /https URL of the GitLab instance/],
        ],
    },
    {
        key: "notificationsGitlabProjectId",
        accepted: ["12345"],
        refused: [["group/project", /numeric ID of a GitLab project/], ["0", /numeric ID/], ["012345", /numeric ID/], ["project-12345", /numeric ID/], ["12345-project", /numeric ID/]],
    },
    {
        key: "vaultAddress",
        accepted: ["https://vault.example.com:8200", "http://vault.vault.svc:8200", "https://vault.example.com/"],
        refused: [["https://vault.example.com/v1", /no path/], ["vault.example.com", /Vault server URL/], [" https://vault.example.com", /Vault server URL/]],
    },
    { key: "registryRateLimit", accepted: [1, 1000], refused: [[0, /at least 1 request per second/], [1001, /./], [1.5, /./]] },
    { key: "imageUpdaterWebhookRateLimit", accepted: [1, 36000], refused: [[0, /0 would turn the limit off/], [36001, /at most 36000 events per hour/]] },
    { key: "imageUpdaterLogLevel", accepted: ["trace", "debug", "info", "warn", "error"], refused: [["verbose", /one of trace, debug, info, warn, error/]] },
    { key: "writeBackMethod", accepted: ["git", "argocd"], refused: [["commit", /^must be git or argocd$/]] },
    { key: "gitCommitEmail", accepted: ["release-bot@example.com"], refused: [["release-bot", /e-mail address/]] },
    { key: "writeBackPullRequest", accepted: ["auto", "on", "off"], refused: [["yes", /auto \(on when allowPrereleases is false\), on or off/]] },
    { key: "gitAuth", accepted: ["githubApp", "token", "sharedPat"], refused: [["pat", /githubApp, token or sharedPat/]] },
    { key: "notifications", accepted: ["none", "github", "gitlab"], refused: [["slack", /none, github or gitlab/]] },
    { key: "githubAppPrivateKey", accepted: ["-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n"], refused: [["", /must not be empty/]] },
    { key: "services", accepted: [[{ name: "api", image: "ghcr.io/acme/api" }]], refused: [[[], /at least one service/]] },
    { key: "registries", accepted: [[{ host: "ghcr.io" }]], refused: [[[], /at least one registry/]] },
];

describe("config key schemas: what each key accepts, and why it refuses the rest", () => {
    for (const c of CASES) {
        it(c.key, () => {
            for (const value of c.accepted) assert.deepEqual(problems(c.key, value), [], `${c.key} = ${JSON.stringify(value)}`);
            for (const [value, why] of c.refused) {
                const messages = problems(c.key, value);
                assert.ok(messages.length > 0 && messages.every((m) => why.test(m)), `${c.key} = ${JSON.stringify(value)}: ${JSON.stringify(messages)} should match ${why}`);
            }
        });
    }
});
