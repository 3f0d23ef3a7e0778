import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { mergeStackConfig } from "../scripts/render/stackConfigFiles";
import { PROJECT_DIR } from "../scripts/render/renderStack";
import { loadStackConfig } from "../stacks/config";
import { type Overrides, stackConfig } from "./support/config";

/** test/fixtures/Pulumi.maximal.yaml sets every key away from its default, so each must land where it belongs. */
const merged = mergeStackConfig(PROJECT_DIR, "maximal", {}, path.join(PROJECT_DIR, "test", "fixtures"));
const raw = (key: string) => merged.values[`cluster-stack:${key}`]!;
const config = loadStackConfig(merged);

describe("the typed config of the all-options fixture carries each key where it belongs", () => {
    it("Argo CD: namespace, host, ingress, TLS and its issuer, URL scheme", () => {
        assert.deepEqual(
            [config.argocd.namespace, config.argocd.hostname, config.argocd.ingressClassName, config.argocd.tls],
            [raw("argocdNamespace"), raw("argocdHostname"), raw("ingressClassName"), { enabled: true, clusterIssuer: raw("certManagerClusterIssuer") }],
        );
        assert.equal(config.argocd.url, `https://${raw("argocdHostname")}`);
    });

    it("Vault and ESO settings", () => {
        assert.deepEqual(config.vault, {
            address: raw("vaultAddress"),
            kvMount: raw("vaultKvMount"),
            pathPrefix: raw("vaultPathPrefix"),
            manageKvMount: true,
            kubernetesAuthMount: raw("vaultKubernetesAuthMount"),
            audience: raw("vaultAuthAudience"),
        });
        assert.deepEqual([config.externalSecrets.namespace, config.externalSecrets.serviceAccount], [raw("externalSecretsNamespace"), raw("externalSecretsServiceAccount")]);
    });

    it("Image Updater settings, and the stack's rate limit for registries without their own", () => {
        assert.deepEqual(config.imageUpdater, {
            interval: raw("imageUpdaterInterval"),
            logLevel: raw("imageUpdaterLogLevel"),
            gitCommitUser: raw("gitCommitUser"),
            gitCommitEmail: raw("gitCommitEmail"),
        });
        const hub = config.registries.find((r) => r.host === "docker.io")!;
        const ghcr = config.registries.find((r) => r.prefix === "ghcr.io")!;
        assert.deepEqual([hub.rateLimit, ghcr.rateLimit], [5, Number(raw("registryRateLimit"))]);
        assert.deepEqual(hub.credentials, { source: "vault", path: "cluster-stack/maximal/registries/dockerhub" });
    });

    it("images and write-back: constraints and strategies cascade service -> image, git write-back to the configured branch", () => {
        const api = config.services.find((s) => s.name === "api")!;
        assert.deepEqual([api.images[0]!.constraint, api.images[0]!.updateStrategy, api.images[0]!.ignoreTags], ["~1", "semver", ["latest", "edge"]]);
        assert.equal(api.writeBack.method, "git");
        assert.equal(api.writeBack.method === "git" && api.writeBack.branch, "api-updates");
        assert.equal(api.path, "charts/api");
        assert.equal(api.appName, "api-maximal");
    });
});

/** A secret Output's value and whether it is still marked secret. */
async function revealed(output: pulumi.Output<string> | undefined): Promise<{ value: string; secret: boolean } | undefined> {
    if (output === undefined) return undefined;
    const value = await new Promise<string>((resolve) => pulumi.unsecret(output).apply(resolve));
    return { value, secret: await pulumi.isSecret(output) };
}
const secretOf = (value: string) => ({ value, secret: true });

describe("the typed config: each purpose's credential comes from the mode the stack chose", () => {
    const SECRETS = {
        githubPat: "the-shared-pat",
        githubPullToken: "the-pull-token",
        githubAppPrivateKey: "the-app-key",
        gitToken: "the-git-token",
        githubNotificationsToken: "the-status-token",
        gitlabToken: "the-gitlab-token",
    };
    const load = (overrides: Overrides, stack: "dev" | "prd" = "dev") => loadStackConfig(stackConfig(stack, overrides, SECRETS));

    it("githubApp (the default): the App reads and writes git, the pull token pulls from ghcr.io, no notifications token", async () => {
        const { credentials } = load({});
        assert.equal(credentials.sharedPat, false);
        assert.deepEqual({ ...credentials.git, privateKey: undefined }, { kind: "githubApp", appId: "123456", installationId: "45678901", privateKey: undefined });
        assert.deepEqual(await revealed(credentials.git.kind === "githubApp" ? credentials.git.privateKey : undefined), secretOf("the-app-key"));
        assert.equal(credentials.githubPull?.username, "example-bot");
        assert.deepEqual(await revealed(credentials.githubPull?.token), secretOf("the-pull-token"));
        assert.equal(credentials.notificationsToken, undefined);
    });

    it("token: gitToken under gitUsername, else githubUsername", async () => {
        const named = load({ gitAuth: "token", gitUsername: "deployer" }).credentials.git;
        assert.equal(named.kind === "token" && named.username, "deployer");
        assert.deepEqual(await revealed(named.kind === "token" ? named.token : undefined), secretOf("the-git-token"));
        const defaulted = load({ gitAuth: "token" }).credentials.git;
        assert.equal(defaulted.kind === "token" && defaulted.username, "example-bot");
    });

    it("token with no user name configured anywhere: x-access-token, the name GitHub and GitLab accept with a token", () => {
        const git = load({ gitAuth: "token", githubUsername: undefined, registries: [{ host: "docker.io", credentials: "public" }], services: [{ name: "web", image: "nginx" }] }).credentials.git;
        assert.equal(git.kind === "token" && git.username, "x-access-token");
    });

    it("sharedPat: the one PAT reads and writes git, pulls from ghcr.io and posts commit statuses", async () => {
        const { credentials } = load({ gitAuth: "sharedPat", notifications: "github" });
        assert.equal(credentials.sharedPat, true);
        assert.equal(credentials.git.kind === "token" && credentials.git.username, "example-bot");
        for (const token of [credentials.git.kind === "token" ? credentials.git.token : undefined, credentials.githubPull?.token, credentials.notificationsToken]) {
            assert.deepEqual(await revealed(token), secretOf("the-shared-pat"));
        }
    });

    it("notifications: GitHub statuses with their own token, GitLab deployments with the GitLab token and project", async () => {
        assert.deepEqual(await revealed(load({ notifications: "github" }).credentials.notificationsToken), secretOf("the-status-token"));
        const gitlab = load({ notifications: "gitlab", notificationsGitlabProjectId: "4242" });
        assert.deepEqual(await revealed(gitlab.credentials.notificationsToken), secretOf("the-gitlab-token"));
        assert.deepEqual(gitlab.notifications, { provider: "gitlab", gitlabUrl: "https://gitlab.com", projectId: "4242" });
        assert.deepEqual(load({ notifications: "none" }).notifications, { provider: "none" });
    });

    it("the GitHub pull credential exists only when some registry pulls with it", () => {
        const dockerHubOnly = { registries: [{ host: "docker.io", credentials: "public" }], services: [{ name: "web", image: "nginx" }] };
        assert.equal(load(dockerHubOnly).credentials.githubPull, undefined);
        const both = { registries: [{ host: "docker.io", credentials: "public" }, { host: "ghcr.io" }], services: [{ name: "web", image: "nginx" }] };
        assert.equal(load(both).credentials.githubPull?.username, "example-bot");
    });
});

describe("the typed config: stack-wide switches", () => {
    it("protects Applications on a stack that takes stable releases only", () => {
        assert.equal(loadStackConfig(stackConfig("dev")).protectApplications, false);
        assert.equal(loadStackConfig(stackConfig("prd")).protectApplications, true);
    });

    it("push webhooks: the Image Updater host and the stack's rate limit, or none", () => {
        const on = loadStackConfig(stackConfig("dev", { pushWebhooks: true, imageUpdaterWebhookHostname: "image-updater.dev.example.com", imageUpdaterWebhookRateLimit: 7 }));
        assert.deepEqual(on.pushWebhooks, { imageUpdaterHostname: "image-updater.dev.example.com", rateLimitPerHour: 7 });
        assert.equal(loadStackConfig(stackConfig("dev")).pushWebhooks, undefined);
    });
});

describe("the typed config: each service's renderer, path, images and write-back", () => {
    const service = (overrides: Overrides, stack: "dev" | "prd" = "dev") => loadStackConfig(stackConfig(stack, overrides)).services[0]!;
    const kustomized = { name: "worker", images: [{ alias: "main", repository: "ghcr.io/example-org/worker", kustomize: { name: "worker" } }] };

    it("the image shorthand is one image aliased app, at the common chart's value paths", () => {
        const [image] = service({}).images;
        assert.deepEqual([image!.alias, image!.target], ["app", { helm: { name: "image.repository", tag: "image.tag" } }]);
    });

    it("Helm at services/<name>, kustomize at the environment's overlay, a configured path over both", () => {
        const helm = service({});
        assert.deepEqual([helm.renderer, helm.path], ["helm", "services/example-api"]);
        const kustomize = service({ services: [kustomized] });
        assert.deepEqual([kustomize.renderer, kustomize.path], ["kustomize", "services/worker/overlays/dev"]);
        assert.equal(service({ services: [{ ...kustomized, path: "apps/worker" }] }).path, "apps/worker");
    });

    it("argocd write-back carries no branch or pull request", () => {
        assert.deepEqual(service({ services: [{ name: "web", image: "ghcr.io/example-org/web", writeBack: { method: "argocd" } }] }).writeBack, { method: "argocd" });
        assert.deepEqual(service({ writeBackMethod: "argocd" }).writeBack, { method: "argocd" });
    });

    it("git write-back opens pull requests when on, or on auto for a stable-only stack; GitHub's for github.com, GitLab's elsewhere", () => {
        const pullRequest = (overrides: Overrides, stack: "dev" | "prd" = "dev") => {
            const writeBack = service({ writeBackMethod: "git", ...overrides }, stack).writeBack;
            return writeBack.method === "git" ? writeBack.pullRequest : "argocd";
        };
        assert.equal(pullRequest({ writeBackPullRequest: "on" }), "github");
        assert.equal(pullRequest({ writeBackPullRequest: "auto" }), undefined, "dev takes pre-releases: auto pushes");
        assert.equal(pullRequest({ writeBackPullRequest: "auto" }, "prd"), "github");
        assert.equal(pullRequest({ writeBackPullRequest: "off" }, "prd"), undefined);
        assert.equal(pullRequest({ writeBackPullRequest: "on", deployRepoUrl: "https://gitlab.example.com/acme/deploy.git", gitAuth: "token" }), "gitlab");
    });
});
