import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { mergeStackConfig } from "../scripts/render/stackConfigFiles";
import { PROJECT_DIR } from "../scripts/render/renderStack";
import { loadStackConfig } from "../stacks/config";

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
