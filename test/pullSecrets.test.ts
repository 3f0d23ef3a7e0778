import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imagePullSecretRef, imageUpdaterDockerAccount, pullAccounts, serviceDockerAccounts } from "../lib/pullSecrets";
import { registry, servicesPullingFrom } from "./support/registries";

const GHCR = registry("ghcr.io", { source: "github" });
const PARTNER = registry("ghcr.io", { source: "vault", path: "cluster-stack/dev/registries/partner" }, "ghcr.io/partner-org");
const QUAY = registry("quay.io", { source: "public" });

describe("pull accounts of an environment", () => {
    it("one per registry with credentials that an image uses, in order of first use; public registries need none", () => {
        const accounts = pullAccounts("dev", servicesPullingFrom([QUAY, PARTNER], [GHCR, PARTNER]), "cluster-stack/dev");
        assert.deepEqual(
            accounts.map((a) => [a.registry.prefix, a.path, a.imageUpdaterSecret]),
            [
                ["ghcr.io/partner-org", "cluster-stack/dev/registries/partner", "registry-credentials-dev-ghcr-io-partner-org"],
                ["ghcr.io", "cluster-stack/dev/github-pull", "registry-credentials-dev-ghcr-io"],
            ],
        );
    });

    it("a registry no image uses gets no account", () => {
        assert.deepEqual(pullAccounts("dev", servicesPullingFrom([QUAY]), "cluster-stack/dev"), []);
    });

    it("registries whose names reduce to the same object name still get a secret each", () => {
        const port = registry("registry.example.com:5000", { source: "vault", path: "p/port" });
        const path = registry("registry.example.com", { source: "vault", path: "p/path" }, "registry.example.com/5000");
        const names = pullAccounts("prd", servicesPullingFrom([port, path, GHCR]), "p").map((a) => a.imageUpdaterSecret);
        assert.deepEqual(names, ["registry-credentials-prd-registry-example-com-5000", "registry-credentials-prd-registry-example-com-5000-1", "registry-credentials-prd-ghcr-io"]);
    });
});

describe("pull secrets' entries", () => {
    const accounts = pullAccounts("dev", servicesPullingFrom([GHCR, registry("docker.io", { source: "vault", path: "p/hub" })]), "p");

    it("the service namespaces' secret has kubelet's key and Image Updater's where it differs, one id per account", () => {
        assert.deepEqual(serviceDockerAccounts(accounts), [
            { authKeys: ["ghcr.io"], path: "p/github-pull", id: "registry0" },
            { authKeys: ["https://index.docker.io/v1/", "registry-1.docker.io"], path: "p/hub", id: "registry1" },
        ]);
    });

    it("Image Updater's secret of an account has only Image Updater's key", () => {
        assert.deepEqual(imageUpdaterDockerAccount(accounts[1]!).authKeys, ["registry-1.docker.io"]);
        assert.equal(imageUpdaterDockerAccount(accounts[1]!).path, "p/hub");
    });

    it("an image's pull secret is its registry's account in the Argo CD namespace; a public registry has none", () => {
        assert.equal(imagePullSecretRef(accounts[1]!.registry, accounts, "argocd"), "pullsecret:argocd/registry-credentials-dev-docker-io");
        assert.equal(imagePullSecretRef(GHCR, accounts, "argocd"), "pullsecret:argocd/registry-credentials-dev-ghcr-io");
        assert.equal(imagePullSecretRef(QUAY, accounts, "argocd"), undefined);
    });
});
