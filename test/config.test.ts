import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadStackConfig } from "../stacks/config";
import { configErrorOf, stackConfig, type Overrides } from "./support/config";

function problemsOf(stack: "dev" | "prd", overrides: Overrides): ConfigError {
    return configErrorOf(stackConfig(stack, overrides)) ?? assert.fail(`expected a ConfigError for ${JSON.stringify(overrides)}`);
}

describe("stack config: the committed stacks", () => {
    it("dev loads with Pulumi.yaml defaults merged", () => {
        const config = loadStackConfig(stackConfig("dev"));
        assert.equal(config.environment, "dev");
        assert.equal(config.argocd.namespace, "argocd");
        assert.equal(config.argocd.url, "https://argocd.dev.example.com");
        assert.equal(config.argocd.ciAccount, "ci-dev");
        assert.equal(config.argocd.projectName, "services-dev");
        assert.equal(config.deployRepo.revision, "main");
        assert.deepEqual(config.registries, [{ host: "ghcr.io", prefix: "ghcr.io", credentials: { source: "github" }, rateLimit: 20 }], "unset registries: ghcr.io with the pull token");
        assert.deepEqual(config.credentials.git.kind, "githubApp");
        assert.equal(config.credentials.sharedPat, false);
        assert.equal(config.images.constraint, "~0-0");
        assert.deepEqual(
            config.services.map((s) => [s.appName, s.path, s.images[0].repository, s.images[0].constraint]),
            [["example-api-dev", "services/example-api", "ghcr.io/example-org/example-api", "~0-0"]],
        );
    });

    it("prd loads stable-only", () => {
        const config = loadStackConfig(stackConfig("prd"));
        assert.equal(config.images.constraint, "~0");
        assert.equal(config.images.allowPrereleases, false);
        assert.equal(config.services[0].appName, "example-api-prd");
    });

    it("an optional key at its Pulumi.yaml default \"\" is unset", () => {
        const config = loadStackConfig(stackConfig("dev", { certManagerClusterIssuer: "", writeBackBranch: "" }));
        assert.equal(config.argocd.tls.clusterIssuer, undefined);
        assert.equal(config.services[0].writeBack.branch, "main", "falls back to deployRepoRevision");
    });

    it("http URL when TLS is off", () => {
        assert.equal(loadStackConfig(stackConfig("dev", { ingressTls: false })).argocd.url, "http://argocd.dev.example.com");
    });
});

describe("stack config: every problem is reported at once with stack, key, value and fix", () => {
    it("collects several problems in one error", () => {
        const error = problemsOf("dev", { argocdHostname: "https://argocd", ingressTls: "yes", environment: undefined });
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /^Stack 'dev' has 3 configuration problems:/);
        assert.match(error.message, /No resource was created or changed\./);
    });

    const cases: { name: string; stack?: "dev" | "prd"; overrides: Overrides; key: string; problem: RegExp; fix: RegExp }[] = [
        { name: "unknown key", overrides: { argocdHost: "x.example.com" }, key: "cluster-stack:argocdHost", problem: /not a key of this project/, fix: /did you mean 'argocdHostname'/ },
        { name: "wrong type (boolean)", overrides: { ingressTls: "yes" }, key: "cluster-stack:ingressTls", problem: /not a boolean/, fix: /pulumi config set ingressTls 'true' -s dev/ },
        { name: "missing required key", overrides: { argocdHostname: undefined }, key: "cluster-stack:argocdHostname", problem: /is required/, fix: /pulumi config set argocdHostname/ },
        { name: "hostname with scheme", overrides: { argocdHostname: "https://argocd.example.com" }, key: "cluster-stack:argocdHostname", problem: /no scheme/, fix: /pulumi config set/ },
        { name: "deploy repo not https", overrides: { deployRepoUrl: "git@github.com:acme/deploy.git" }, key: "cluster-stack:deployRepoUrl", problem: /https git URL/, fix: /deployRepoUrl/ },
        { name: "environment not a DNS label", overrides: { environment: "Dev_1" }, key: "cluster-stack:environment", problem: /DNS-1123/, fix: /environment/ },
        { name: "services not structured", overrides: { services: "example-api" }, key: "cluster-stack:services", problem: /structured YAML/, fix: /--path services/ },
        { name: "empty service list", overrides: { services: [] }, key: "cluster-stack:services", problem: /at least one service/, fix: /services/ },
        { name: "unknown service field", overrides: { services: [{ name: "a", image: "ghcr.io/acme/a", replicas: 2 }] }, key: "cluster-stack:services[0]", problem: /replicas/, fix: /Pulumi\.dev\.yaml/ },
        { name: "service name not DNS-1123", overrides: { services: [{ name: "Example_API", image: "ghcr.io/acme/a" }] }, key: "cluster-stack:services[0].name", problem: /DNS-1123/, fix: /"example-api"/ },
        { name: "service name too long with env", overrides: { services: [{ name: "a".repeat(60), image: "ghcr.io/acme/a" }] }, key: "cluster-stack:services[0].name", problem: /longer than the 63/, fix: /at most 59/ },
        { name: "duplicate service", overrides: { services: [{ name: "a", image: "ghcr.io/acme/a" }, { name: "a", image: "ghcr.io/acme/b" }] }, key: "cluster-stack:services[1].name", problem: /listed twice/, fix: /merge/ },
        { name: "service without image", overrides: { services: [{ name: "a" }] }, key: "cluster-stack:services[0].image", problem: /needs an image/, fix: /exactly one/ },
        { name: "image and images", overrides: { services: [{ name: "a", image: "ghcr.io/acme/a", images: [{ alias: "x", repository: "ghcr.io/acme/x" }] }] }, key: "cluster-stack:services[0].image", problem: /mutually exclusive/, fix: /exactly one/ },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const error = problemsOf(c.stack ?? "dev", c.overrides);
            const problem = error.problems.find((p) => p.key === c.key);
            assert.ok(problem, `no problem for ${c.key} in:\n${error.message}`);
            assert.match(problem.problem, c.problem);
            assert.match(problem.fix, c.fix);
            assert.match(error.message, new RegExp(`Stack '${c.stack ?? "dev"}'`));
            assert.ok(error.message.includes(c.key), "message names the key");
        });
    }
});
