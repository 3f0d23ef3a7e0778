import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { registriesConfig } from "../lib/imageUpdaterValues";
import { pullAccounts } from "../lib/pullSecrets";
import { registry, servicesPullingFrom } from "./support/registries";

const HUB = registry("docker.io", { source: "vault", path: "p/hub" });
const HUB_ACME = registry("docker.io", { source: "vault", path: "p/hub-acme" }, "docker.io/acme");
const PARTNER = registry("ghcr.io", { source: "vault", path: "p/partner" }, "ghcr.io/partner-org");
const QUAY = registry("quay.io", { source: "public" });
const REGISTRIES = [HUB, HUB_ACME, PARTNER, QUAY];

/** registries.conf as Image Updater v1.2.2 reads it, with every registry's account in use. */
function config() {
    return registriesConfig({ registries: REGISTRIES, pullAccounts: pullAccounts("dev", servicesPullingFrom(REGISTRIES), "p"), argocdNamespace: "argocd", credsExpire: "1h" });
}

describe("Image Updater's registries.conf", () => {
    it("Docker Hub's entry replaces the built-in one, so it keeps its endpoint, library namespace and default role", () => {
        assert.deepEqual(config()[0], {
            name: "Docker Hub",
            api_url: "https://registry-1.docker.io",
            prefix: "docker.io",
            defaultns: "library",
            default: true,
            credentials: "pullsecret:argocd/registry-credentials-dev-docker-io",
            credsexpire: "1h",
            limit: 7,
        });
    });

    it("an account under a path is its own entry, the prefix ending in '/' (Image Updater compares plain string prefixes)", () => {
        const [, hubAcme, partner] = config();
        assert.deepEqual(hubAcme, {
            name: "docker.io/acme",
            api_url: "https://registry-1.docker.io",
            prefix: "docker.io/acme/",
            credentials: "pullsecret:argocd/registry-credentials-dev-docker-io-acme",
            credsexpire: "1h",
            limit: 7,
        });
        assert.equal(partner!.prefix, "ghcr.io/partner-org/");
        assert.equal(partner!.api_url, "https://ghcr.io");
    });

    it("a public registry has an entry for its rate limit, without credentials", () => {
        assert.deepEqual(config()[3], { name: "quay.io", api_url: "https://quay.io", prefix: "quay.io", limit: 7 });
    });

    it("names are unique (the updater requires it) and only Docker Hub's entry is the default", () => {
        const entries = config();
        assert.equal(new Set(entries.map((e) => e.name)).size, entries.length);
        assert.equal(entries.filter((e) => e.default === true).length, 1);
    });
});
