import { describe, it } from "node:test";
import { withOverrides, type Overrides } from "./support/config";
import { assertRejected, type Rejection } from "./support/rejection";

/** One bad credentials or registries config and what its error must say. */
interface BadCredentials extends Rejection {
    name: string;
    stack: "dev" | "prd";
    overrides: Overrides;
}

const service = (image: string) => [{ name: "example-api", image }];
const APP_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END RSA PRIVATE KEY-----";

const cases: BadCredentials[] = [
    // Registries
    {
        name: "an image on a registry that is not configured",
        stack: "dev",
        overrides: { services: service("quay.io/acme/api") },
        key: "services[0].image",
        shown: '"quay.io/acme/api"',
        problem: /service example-api pulls from quay\.io, which is not in registries \(ghcr\.io\)/,
        fix: /registries\[1\]\.host' quay\.io -s dev.*public or vault/,
    },
    {
        name: "a Docker Hub short name without a docker.io registry",
        stack: "prd",
        overrides: { services: [{ name: "proxy", images: [{ alias: "nginx", repository: "nginx" }] }] },
        key: "services[0].images[0].repository",
        shown: '"nginx"',
        problem: /pulls from docker\.io, which is not in registries/,
        fix: /registries\[1\]\.host' docker\.io -s prd/,
    },
    {
        name: "the same registry twice",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "ghcr.io", credentials: "public" }] },
        key: "registries[1].host",
        shown: '"ghcr.io"',
        problem: /covers the same images as registries\[0\]/,
        fix: /^in Pulumi\.dev\.yaml, merge the two entries, or give one a prefix such as ghcr\.io\/<owner>$/,
    },
    {
        name: "Docker Hub twice under two of its names",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "public" }, { host: "index.docker.io", credentials: "public" }] },
        key: "registries[2].host",
        shown: '"index.docker.io"',
        problem: /same images as registries\[1\] \(docker\.io\)/,
        fix: /merge/,
    },
    {
        name: "vault credentials without a Vault path",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "vault" }] },
        key: "registries[1].vaultPath",
        shown: "(not set)",
        problem: /required with credentials: vault/,
        fix: /vault kv put secret\/cluster-stack\/dev\/<name> username=\.\.\. password=\.\.\./,
    },
    {
        name: "vault credentials without a Vault path, on an internationalised host with a port",
        stack: "prd",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "xn--bcher-kva.example:5000", credentials: "vault" }] },
        key: "registries[1].vaultPath",
        shown: "(not set)",
        problem: /required with credentials: vault/,
        // The suggested secret name squeezes each run of other characters into one '-'.
        fix: /^in Pulumi\.prd\.yaml, set vaultPath: cluster-stack\/prd\/xn-bcher-kva-example-5000 and store the account there/,
    },
    {
        name: "an image on none of several registries: the message lists them all",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "public" }], services: service("quay.io/acme/api") },
        key: "services[0].image",
        shown: '"quay.io/acme/api"',
        problem: /^service example-api pulls from quay\.io, which is not in registries \(ghcr\.io, docker\.io\)$/,
        fix: /registries\[2\]\.host' quay\.io -s dev/,
    },
    {
        name: "ghcr.io pulls with the GitHub pull token, which is not set",
        stack: "dev",
        overrides: { githubPullToken: undefined },
        key: "githubPullToken",
        shown: "(not set)",
        problem: /^is required because a registry pulls with the GitHub pull token$/,
        fix: /^create a classic PAT with only read:packages, then: pulumi config set --secret githubPullToken <token> -s dev$/,
        alone: true,
    },
    {
        name: "a GitHub App without its App ID",
        stack: "prd",
        overrides: { githubAppId: undefined },
        key: "githubAppId",
        shown: "(not set)",
        problem: /^is required with gitAuth githubApp$/,
        fix: /^pulumi config set githubAppId <App ID> -s prd \(or keep one PAT for now: pulumi config set gitAuth sharedPat -s prd\)$/,
        alone: true,
    },
    {
        name: "a Vault path with a leading slash",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "vault", vaultPath: "/cluster-stack/dev/dockerhub" }] },
        key: "registries[1].vaultPath",
        shown: '"/cluster-stack/dev/dockerhub"',
        problem: /without leading or trailing/,
        fix: /Pulumi\.dev\.yaml/,
    },
    {
        name: "a Vault path on a registry that is not vault",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io", credentials: "public", vaultPath: "cluster-stack/dev/ghcr" }] },
        key: "registries[0].vaultPath",
        shown: '"cluster-stack/dev/ghcr"',
        problem: /only applies with credentials: vault, but credentials is public/,
        fix: /set credentials: vault or drop vaultPath/,
    },
    {
        name: "the GitHub pull token offered to Docker Hub",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "github" }] },
        key: "registries[1].credentials",
        shown: '"github"',
        problem: /docker\.io would receive it with every pull/,
        fix: /credentials: vault with vaultPath/,
    },
    {
        name: "a private registry that does not say where its credentials are",
        stack: "prd",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "registry.example.com:5000" }] },
        key: "registries[1].credentials",
        shown: "(not set)",
        problem: /is required for registry\.example\.com:5000/,
        fix: /credentials: public, or credentials: vault with vaultPath/,
    },
    {
        name: "a registry host with a scheme",
        stack: "dev",
        overrides: { registries: [{ host: "https://ghcr.io" }] },
        key: "registries[0].host",
        shown: '"https://ghcr.io"',
        problem: /registry host such as ghcr\.io/,
        fix: /Pulumi\.dev\.yaml/,
    },
    {
        name: "a prefix on another host",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io" }, { host: "ghcr.io", prefix: "docker.io/acme", credentials: "public" }] },
        key: "registries[1].prefix",
        shown: '"docker.io/acme"',
        problem: /must start with the registry's host ghcr\.io\//,
        fix: /ghcr\.io\/<path>/,
    },
    {
        name: "an unknown registry field",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io", username: "bot" }] },
        key: "registries[0]",
        shown: "username",
        problem: /username/,
        fix: /Pulumi\.dev\.yaml/,
    },
    {
        name: "a registry rate limit of zero",
        stack: "dev",
        overrides: { registries: [{ host: "ghcr.io", rateLimit: 0 }] },
        key: "registries[0].rateLimit",
        shown: "0",
        problem: /at least 1/,
        fix: /Pulumi\.dev\.yaml/,
    },
    {
        name: "the retired registry key",
        stack: "dev",
        overrides: { registry: "docker.io" },
        key: "registry",
        shown: '"docker.io"',
        problem: /no longer read/,
        fix: /pulumi config rm registry -s dev; list registries instead/,
    },
    {
        name: "the retired vaultSecretPath key",
        stack: "prd",
        overrides: { vaultSecretPath: "cluster-stack/prd/github" },
        key: "vaultSecretPath",
        shown: '"cluster-stack/prd/github"',
        problem: /no longer read/,
        fix: /pulumi config set vaultPathPrefix <its parent, e\.g\. cluster-stack\/prd>/,
    },
    // GitHub access by purpose
    {
        name: "a GitHub App ID that is not numeric",
        stack: "dev",
        overrides: { githubAppId: "my-deploy-app" },
        key: "githubAppId",
        shown: '"my-deploy-app"',
        problem: /numeric App ID/,
        fix: /pulumi config set githubAppId '123456' -s dev/,
    },
    {
        name: "an installation ID that is an installation URL",
        stack: "dev",
        overrides: { githubAppInstallationId: "https://github.com/settings/installations/45678901" },
        key: "githubAppInstallationId",
        shown: '"https://github.com/settings/installations/45678901"',
        problem: /numeric installation ID/,
        fix: /pulumi config set githubAppInstallationId '45678901' -s dev/,
    },
    {
        name: "a GitHub App without its installation ID",
        stack: "prd",
        overrides: { githubAppInstallationId: undefined },
        key: "githubAppInstallationId",
        shown: "(not set)",
        problem: /Image Updater cannot look it up/,
        fix: /pulumi config set githubAppInstallationId/,
    },
    {
        name: "a GitHub App without its private key",
        stack: "dev",
        overrides: { githubAppPrivateKey: undefined },
        key: "githubAppPrivateKey",
        shown: "(not set)",
        problem: /required with gitAuth githubApp/,
        fix: /pulumi config set --secret githubAppPrivateKey -s dev < app-private-key\.pem/,
    },
    {
        name: "a GitHub App for a deploy repo on GitLab",
        stack: "dev",
        overrides: { deployRepoUrl: "https://gitlab.com/acme/deploy.git" },
        key: "gitAuth",
        shown: '"githubApp"',
        problem: /deploy repo is on gitlab\.com/,
        fix: /pulumi config set gitAuth token -s dev/,
    },
    {
        name: "an unknown git auth mode",
        stack: "dev",
        overrides: { gitAuth: "pat" },
        key: "gitAuth",
        shown: '"pat"',
        problem: /githubApp, token or sharedPat/,
        fix: /pulumi config set gitAuth 'githubApp' -s dev/,
    },
    {
        name: "token git auth without the token",
        stack: "prd",
        overrides: { gitAuth: "token", gitToken: undefined },
        key: "gitToken",
        shown: "(not set)",
        problem: /required with gitAuth token/,
        fix: /fine-grained PAT: the deploy repo only, Contents read and write/,
    },
    {
        name: "sharedPat without the PAT",
        stack: "dev",
        overrides: { gitAuth: "sharedPat", githubPat: undefined },
        key: "githubPat",
        shown: "(not set)",
        problem: /required with gitAuth sharedPat/,
        fix: /pulumi config set --secret githubPat/,
    },
    {
        name: "GitHub notifications without their token",
        stack: "dev",
        overrides: { notifications: "github", githubNotificationsToken: undefined },
        key: "githubNotificationsToken",
        shown: "(not set)",
        problem: /Argo CD posts commit statuses with it/,
        fix: /Commit statuses read and write/,
    },
    {
        name: "a pull token without its owner",
        stack: "prd",
        overrides: { githubUsername: undefined },
        key: "githubUsername",
        shown: "(not set)",
        problem: /owner of the GitHub token that pulls images/,
        fix: /pulumi config set githubUsername/,
    },
];

describe("bad credentials and registries config: clear errors before any resource", () => {
    for (const c of cases) {
        it(c.name, () => assertRejected({ stack: c.stack, adjust: (config) => withOverrides(config, c.overrides) }, c));
    }

    it("an App private key stored in plaintext is refused without printing it", () =>
        assertRejected(
            {
                stack: "dev",
                adjust: (config) => {
                    const adjusted = withOverrides(config, { githubAppPrivateKey: APP_KEY });
                    const secretKeys = new Set(adjusted.secretKeys);
                    secretKeys.delete("cluster-stack:githubAppPrivateKey");
                    return { ...adjusted, secretKeys };
                },
            },
            { key: "githubAppPrivateKey", shown: '"[secret]"', problem: /plaintext/, fix: /rotate it/, unprinted: [APP_KEY, "MIIEsecretkeymaterial"] },
        ),
    );
});
