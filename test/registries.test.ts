import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    canonicalHost,
    imageUpdaterApiUrl,
    imageUpdaterAuthKey,
    kubeletAuthKey,
    needsCredentials,
    normalizeImage,
    normalizePrefix,
    registrySlug,
    resolveRegistry,
} from "../lib/registries";

/** `host/path` as distribution/reference's ParseNormalizedNamed gives it (kubelet and Image Updater both use it). */
const normalized = (repository: string) => {
    const { host, path } = normalizeImage(repository);
    return `${host}/${path}`;
};

describe("image references, normalised as distribution/reference does", () => {
    it("a first component without '.', ':' or localhost is a Docker Hub namespace; a bare name is an official image", () => {
        assert.equal(normalized("nginx"), "docker.io/library/nginx");
        assert.equal(normalized("acme/api"), "docker.io/acme/api");
        assert.equal(normalized("myhost/team/api"), "docker.io/myhost/team/api");
        assert.equal(normalized("registry.example.com"), "docker.io/library/registry.example.com", "no '/': a name, not a host");
    });

    it("a first component with '.' or ':', or localhost, is the host, and the path keeps every segment", () => {
        assert.equal(normalized("ghcr.io/acme/team/api"), "ghcr.io/acme/team/api");
        assert.equal(normalized("registry.example.com:5000/acme/api"), "registry.example.com:5000/acme/api");
        assert.equal(normalized("localhost/api"), "localhost/api");
        assert.equal(normalized("localhost:5000/acme/api"), "localhost:5000/acme/api");
    });

    it("Docker Hub under any of its names is docker.io, its one-segment paths official images", () => {
        assert.equal(normalized("docker.io/nginx"), "docker.io/library/nginx");
        assert.equal(normalized("index.docker.io/acme/api"), "docker.io/acme/api");
        assert.equal(normalized("registry-1.docker.io/library/nginx"), "docker.io/library/nginx");
        assert.equal(normalized("quay.io/nginx"), "quay.io/nginx", "only Docker Hub has official images");
        assert.deepEqual(["index.docker.io", "registry-1.docker.io", "docker.io", "quay.io"].map(canonicalHost), ["docker.io", "docker.io", "docker.io", "quay.io"]);
        assert.equal(normalizePrefix("index.docker.io/acme"), "docker.io/acme");
    });
});

describe("the registry an image pulls from", () => {
    const ghcr = { prefix: "ghcr.io" };
    const acme = { prefix: "ghcr.io/acme" };
    const hub = { prefix: "docker.io" };

    it("is the longest prefix covering it by whole segments, whatever the order of the list", () => {
        for (const registries of [[ghcr, acme, hub], [acme, ghcr, hub], [hub, acme, ghcr]]) {
            assert.equal(resolveRegistry("ghcr.io/acme/api", registries), acme);
            assert.equal(resolveRegistry("ghcr.io/acmecorp/api", registries), ghcr);
            assert.equal(resolveRegistry("nginx", registries), hub);
        }
    });

    it("covers a repository that is the prefix itself, and nothing on another host", () => {
        assert.equal(resolveRegistry("ghcr.io/acme", [ghcr, acme]), acme);
        assert.equal(resolveRegistry("quay.io/acme/api", [ghcr, acme, hub]), undefined);
    });
});

describe("pull secret keys per registry", () => {
    const registry = (host: string, prefix = host) => ({ host, prefix });

    it("kubelet: Docker Hub as a whole under docker login's key, accounts under a path with a trailing '/', other hosts by host[:port]", () => {
        assert.equal(kubeletAuthKey(registry("docker.io")), "https://index.docker.io/v1/");
        assert.equal(kubeletAuthKey(registry("docker.io", "docker.io/acme")), "docker.io/acme/");
        assert.equal(kubeletAuthKey(registry("ghcr.io")), "ghcr.io");
        assert.equal(kubeletAuthKey(registry("ghcr.io", "ghcr.io/partner-org")), "ghcr.io/partner-org/");
        assert.equal(kubeletAuthKey(registry("registry.example.com:5000")), "registry.example.com:5000");
    });

    it("Image Updater: the API endpoint's host, Docker Hub's being registry-1.docker.io, a path account with a trailing '/'", () => {
        assert.equal(imageUpdaterApiUrl(registry("docker.io")), "https://registry-1.docker.io");
        assert.equal(imageUpdaterApiUrl(registry("ghcr.io")), "https://ghcr.io");
        assert.equal(imageUpdaterAuthKey(registry("docker.io")), "registry-1.docker.io");
        assert.equal(imageUpdaterAuthKey(registry("docker.io", "docker.io/acme")), "registry-1.docker.io/acme/");
        assert.equal(imageUpdaterAuthKey(registry("ghcr.io")), "ghcr.io");
        assert.equal(imageUpdaterAuthKey(registry("ghcr.io", "ghcr.io/partner-org")), "ghcr.io/partner-org/");
    });

    it("only a public registry needs no secret", () => {
        assert.deepEqual(
            (["public", "github", "vault"] as const).map((source) => needsCredentials({ credentials: source === "vault" ? { source, path: "p" } : { source } })),
            [false, true, true],
        );
    });

    it("object names: each run of other characters becomes one '-', none at either end", () => {
        assert.equal(registrySlug({ prefix: "registry.example.com:5000" }), "registry-example-com-5000");
        assert.equal(registrySlug({ prefix: "ghcr.io/acme/team__api_" }), "ghcr-io-acme-team-api");
        assert.equal(registrySlug({ prefix: "[::1]:5000/api" }), "1-5000-api");
    });
});
