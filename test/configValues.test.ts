import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadStackConfig } from "../stacks/config";
import { configErrorOf, stackConfig, type Overrides } from "./support/config";
import type { MergedStackConfig } from "../scripts/render/stackConfigFiles";

function rejection(config: MergedStackConfig): ConfigError {
    return configErrorOf(config) ?? assert.fail("expected a ConfigError");
}

function problemAt(error: ConfigError, key: string) {
    const problem = error.problems.find((p) => p.key === key);
    assert.ok(problem, `no problem for ${key} in:\n${error.message}`);
    return problem;
}

/** The committed dev stack with these overrides, their values stored as secrets. */
function withSecretOverrides(overrides: Overrides): MergedStackConfig {
    const config = stackConfig("dev", overrides);
    return { ...config, secretKeys: new Set([...config.secretKeys, ...Object.keys(overrides).map((key) => `${config.project}:${key}`)]) };
}

describe("stack config: integer values", () => {
    for (const text of ["1e3", "12abc", "1.0", "", " 20"]) {
        it(`${JSON.stringify(text)} is not an integer`, () => {
            const problem = problemAt(rejection(stackConfig("dev", { registryRateLimit: text })), "cluster-stack:registryRateLimit");
            assert.equal(problem.problem, "is not an integer");
            assert.equal(problem.value, text);
            assert.match(problem.fix, /pulumi config set registryRateLimit '20' -s dev/);
        });
    }
    it("a plain integer is read as a number", () => {
        const config = loadStackConfig(stackConfig("dev", { registryRateLimit: "50" }));
        assert.ok(config.registries.every((registry) => registry.rateLimit === 50), JSON.stringify(config.registries));
    });
});

describe("stack config: a value stored as a secret is never printed", () => {
    const cases: { name: string; overrides: Overrides; key: string; problem: RegExp }[] = [
        { name: "not a boolean", overrides: { ingressTls: "yes-hunter2" }, key: "cluster-stack:ingressTls", problem: /not a boolean/ },
        { name: "not an integer", overrides: { registryRateLimit: "hunter2" }, key: "cluster-stack:registryRateLimit", problem: /not an integer/ },
        { name: "failing its schema", overrides: { argocdHostname: "https://hunter2.example.com" }, key: "cluster-stack:argocdHostname", problem: /no scheme/ },
        { name: "unknown key", overrides: { argocdHost: "hunter2" }, key: "cluster-stack:argocdHost", problem: /not a key of this project/ },
        { name: "retired key", overrides: { registry: "hunter2.example.com" }, key: "cluster-stack:registry", problem: /no longer read/ },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const error = rejection(withSecretOverrides(c.overrides));
            const problem = problemAt(error, c.key);
            assert.match(problem.problem, c.problem);
            assert.equal(problem.value, "[secret]");
            assert.ok(!error.message.includes("hunter2"), error.message);
        });
    }
    it("nor is a declared secret key's invalid value", () => {
        const error = rejection(stackConfig("dev", {}, { githubPullToken: "ghp_hunter2 with spaces" }));
        assert.equal(problemAt(error, "cluster-stack:githubPullToken").value, "[secret]");
        assert.ok(!error.message.includes("hunter2"), error.message);
    });
    it("a declared secret key's invalid value is fixed with pulumi config set --secret", () => {
        const problem = problemAt(rejection(stackConfig("dev", {}, { githubPullToken: "ghp_hunter2 with spaces" })), "cluster-stack:githubPullToken");
        assert.equal(problem.fix, "pulumi config set --secret githubPullToken '<classic PAT with read:packages only>' -s dev");
    });
});

describe("stack config: keys earlier versions read", () => {
    const retired = (key: string) => problemAt(rejection(stackConfig("dev", { [key]: "x" })), `cluster-stack:${key}`);
    it("registry: is removed in favour of the registries list", () => {
        assert.equal(retired("registry").problem, "is no longer read: credentials are split by purpose and registries are a list");
        assert.equal(
            retired("registry").fix,
            "pulumi config rm registry -s dev; list registries instead (unset means ghcr.io with the GitHub pull token), e.g. pulumi config set --path 'registries[0].host' ghcr.io -s dev",
        );
    });
    it("vaultSecretPath: is removed in favour of vaultPathPrefix, its parent", () => {
        assert.equal(
            retired("vaultSecretPath").fix,
            "pulumi config rm vaultSecretPath -s dev; pulumi config set vaultPathPrefix <its parent, e.g. cluster-stack/dev> -s dev: each credential now has its own secret below it (README, Migration)",
        );
    });
});

describe("stack config: keys", () => {
    it("keys of other namespaces are left to their owners", () => {
        const config = stackConfig("dev");
        const values = { ...config.values, "kubernetes:context": "kind-dev", "vault:address": "https://vault.example.com" };
        assert.equal(loadStackConfig({ ...config, values }).stack, "dev");
    });
    it("unknown keys are reported in key order, whatever order the stack file lists them in", () => {
        const error = rejection(stackConfig("dev", { zoneName: "a", argocdHost: "b", imageContraint: "c" }));
        assert.deepEqual(
            error.problems.map((p) => p.key),
            ["cluster-stack:argocdHost", "cluster-stack:imageContraint", "cluster-stack:zoneName"],
        );
    });
});

describe("stack config: service names", () => {
    for (const name of ["My-api", "api-", "-api"]) {
        it(`${JSON.stringify(name)} is not a DNS-1123 label`, () => {
            const problem = problemAt(rejection(stackConfig("dev", { services: [{ name, image: "ghcr.io/acme/a" }] })), "cluster-stack:services[0].name");
            assert.match(problem.problem, /DNS-1123/);
        });
    }
    it("a name whose <service>-<env> is exactly 63 characters is accepted", () => {
        for (const stack of ["dev", "prd"] as const) {
            const name = "a".repeat(63 - stack.length - 1);
            const config = loadStackConfig(stackConfig(stack, { services: [{ name, image: "ghcr.io/acme/a" }] }));
            assert.equal(config.services[0]!.appName.length, 63);
        }
    });
});

describe("stack config: tag filters cascade from the service to its images", () => {
    const config = loadStackConfig(
        stackConfig("dev", {
            services: [
                {
                    name: "a",
                    ignoreTags: ["latest"],
                    allowTags: "any",
                    images: [
                        { alias: "x", repository: "ghcr.io/acme/x" },
                        { alias: "y", repository: "ghcr.io/acme/y", ignoreTags: ["nightly"], allowTags: "regexp:^v", helm: { name: "y.image.repository", tag: "y.image.tag" } },
                    ],
                },
            ],
        }),
    );
    const [x, y] = config.services[0]!.images;
    it("an image without its own takes the service's ignoreTags and allowTags: any", () => {
        assert.deepEqual(x!.ignoreTags, ["latest"]);
        assert.equal(x!.allowTags, "any");
    });
    it("an image's own filters replace the service's", () => {
        assert.deepEqual(y!.ignoreTags, ["nightly"]);
        assert.equal(y!.allowTags, "regexp:^v");
    });
});
