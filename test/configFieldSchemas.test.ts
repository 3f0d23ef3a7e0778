import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { schemaProblems as problems } from "./support/schemaProblems";
import { admittedKindSchema } from "../stacks/config/confinement";
import { canonicalRegistries, registrySchema, usesGithubPullToken } from "../stacks/config/registries";
import { imageSchema, serviceSchema, writeBackSchema } from "../stacks/config/services";

const image = (fields: Record<string, unknown>) => ({ alias: "api", repository: "ghcr.io/acme/api", ...fields });

describe("service config: image repositories", () => {
    const REPOSITORY = "must be an image repository without tag, e.g. ghcr.io/acme/example-api or nginx";
    const accepted = [
        "nginx",
        "acme/api",
        "ghcr.io/acme/example-api",
        "registry.example.com:5000/team/api",
        "localhost:5000/api",
        "ghcr.io/acme/my_api.v2",
        "quay.io/prometheus/node-exporter",
        // A host may have runs of separators a path segment may not (punycode).
        "xn--bcher-kva.example/api",
    ];
    for (const repository of accepted) {
        it(`accepts ${repository}`, () => assert.deepEqual(problems(imageSchema, image({ repository })), []));
    }
    const refused = [
        "ghcr.io/acme/api:1.2.3",
        "ghcr.io/acme/api@sha256:abc",
        "registry.example.com:port/api",
        "registry.example.com:/api",
        "Ghcr.io/acme/api",
        "ghcr.io/acme/api/",
        "ghcr.io/acme/-api",
        "ghcr.io/acme/api--x_",
        "/api",
        "ghcr.io//api",
    ];
    for (const repository of refused) {
        it(`refuses ${repository}`, () => assert.deepEqual(problems(imageSchema, image({ repository })), [REPOSITORY]));
    }
});

describe("service config: image fields", () => {
    it("an alias is lower-case letters and digits from a letter, whole", () => {
        const ALIAS = "must be lower-case letters and digits, starting with a letter";
        assert.deepEqual(problems(imageSchema, image({ alias: "api2" })), []);
        for (const alias of ["2api", "api-x", "Api", "api "]) assert.deepEqual(problems(imageSchema, image({ alias })), [ALIAS], alias);
    });

    it("Helm value paths are dotted keys, whole", () => {
        const PATH = "must be a dotted Helm value path such as image.tag";
        assert.deepEqual(problems(imageSchema, image({ helm: { name: "api.image_repo", tag: "api.image-tag" } })), []);
        assert.deepEqual(problems(imageSchema, image({ helm: { name: "image.", tag: "image.tag" } })), [PATH]);
        assert.deepEqual(problems(imageSchema, image({ helm: { name: "image.repository", tag: ".tag" } })), [PATH]);
        assert.deepEqual(problems(imageSchema, image({ helm: { name: "image..repository", tag: "image tag" } })), [PATH, PATH]);
    });

    it("an update strategy is one of the 1.x names, and the message says what the 0.x ones became", () => {
        assert.deepEqual(problems(imageSchema, image({ updateStrategy: "latest" })), [
            "must be one of semver, digest, newest-build, alphabetical (0.x names: latest is now newest-build, name is now alphabetical)",
        ]);
    });
});

describe("service config: write-back", () => {
    it("the method is git or argocd", () => {
        assert.deepEqual(problems(writeBackSchema, { method: "pull-request" }), ["must be git or argocd"]);
    });

    it("a target is kustomization or helmvalues, with an optional argument after ':'", () => {
        const TARGET = "must be kustomization[:<dir>] or helmvalues[:<file>]";
        for (const target of ["kustomization", "kustomization:overlays/dev", "helmvalues", "helmvalues:values-dev.yaml"]) {
            assert.deepEqual(problems(writeBackSchema, { method: "git", target }), [], target);
        }
        for (const target of ["helmvalues:", "helm:values.yaml", "my-helmvalues:values.yaml", "kustomizations", "helmvalues values.yaml"]) {
            assert.deepEqual(problems(writeBackSchema, { method: "git", target }), [TARGET], target);
        }
    });
});

describe("service config: images", () => {
    it("a list of images is not empty", () => {
        assert.deepEqual(problems(serviceSchema, { name: "api", images: [] }), ["must list at least one image"]);
    });
});

describe("confinement config: admitted kinds", () => {
    const GROUP = 'must be an API group such as monitoring.coreos.com, or "" for the core API (no wildcards)';
    const KIND = "must be a Kind such as ServiceMonitor (no wildcards)";
    it("accepts exact groups, one-letter labels included, and the core group", () => {
        for (const group of ["", "monitoring.coreos.com", "x.example.com", "example.x.io", "k8s.io"]) {
            assert.deepEqual(problems(admittedKindSchema, { group, kind: "ServiceMonitor" }), [], group);
        }
    });
    it("refuses wildcards and malformed groups", () => {
        for (const group of ["*", "*.coreos.com", "monitoring.coreos.com.", "-x.io", "Monitoring.io"]) {
            assert.deepEqual(problems(admittedKindSchema, { group, kind: "ServiceMonitor" }), [GROUP], group);
        }
    });
    it("refuses a kind that is not one whole capitalised name", () => {
        for (const kind of ["serviceMonitor", "ServiceMonitor*", "*", "Service Monitor"]) {
            assert.deepEqual(problems(admittedKindSchema, { group: "monitoring.coreos.com", kind }), [KIND], kind);
        }
    });
});

describe("registry config", () => {
    const HOST = "must be a registry host such as ghcr.io, docker.io or registry.example.com:5000 (no scheme, no path)";
    const PREFIX = "must be <host>/<path>, e.g. ghcr.io/acme, without a trailing '/'";
    it("a host is localhost or a dotted name, each with an optional port, and nothing else", () => {
        for (const host of ["localhost", "localhost:5000", "ghcr.io", "k.example.io", "registry.x.io", "registry.example.com:5000"]) {
            assert.deepEqual(problems(registrySchema, { host }), [], host);
        }
        for (const host of ["ghcr.io/acme", "https://ghcr.io", "registry", "localhost:", "localhost:123456", "localhost/x", "-x.io"]) {
            assert.deepEqual(problems(registrySchema, { host }), [HOST], host);
        }
    });
    it("a prefix is a host and one or more path segments", () => {
        assert.deepEqual(problems(registrySchema, { host: "ghcr.io", prefix: "ghcr.io/acme/team" }), []);
        for (const prefix of ["ghcr.io", "/acme/api", "ghcr.io/acme/", "ghcr.io/Acme"]) {
            assert.deepEqual(problems(registrySchema, { host: "ghcr.io", prefix }), [PREFIX], prefix);
        }
    });
    it("credentials and rate limit say what they take", () => {
        assert.deepEqual(problems(registrySchema, { host: "ghcr.io", credentials: "token" }), ["must be public, github (the GitHub pull token, ghcr.io only) or vault (with vaultPath)"]);
        assert.deepEqual(problems(registrySchema, { host: "ghcr.io", rateLimit: 0 }), ["must be at least 1 request per second"]);
        assert.deepEqual(problems(registrySchema, { host: "ghcr.io", rateLimit: 1001 }), ["must be at most 1000"]);
        assert.deepEqual(problems(registrySchema, { host: "ghcr.io", rateLimit: 1000 }), []);
    });
    it("credentials default to the GitHub pull token on ghcr.io and to anonymous pulls elsewhere", () => {
        const registries = canonicalRegistries({ registries: [{ host: "ghcr.io" }, { host: "index.docker.io" }, { host: "quay.io", credentials: "vault" }] });
        assert.deepEqual(
            registries.map((r) => [r.host, r.prefix, r.credentialSource]),
            [["ghcr.io", "ghcr.io", "github"], ["docker.io", "docker.io", "public"], ["quay.io", "quay.io", "vault"]],
        );
        assert.deepEqual(canonicalRegistries({}).map((r) => [r.prefix, r.credentialSource]), [["ghcr.io", "github"]]);
    });
    it("the GitHub pull token is used when any registry, not every one, pulls with it", () => {
        assert.equal(usesGithubPullToken({ registries: [{ host: "docker.io" }, { host: "ghcr.io" }] }), true);
        assert.equal(usesGithubPullToken({ registries: [{ host: "docker.io" }, { host: "ghcr.io", credentials: "public" }] }), false);
        assert.equal(usesGithubPullToken({}), true);
    });
});
