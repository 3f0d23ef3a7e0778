import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SHARED_PAT_WARNING } from "../stacks/clusterStack";
import { kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import { isWrappedSecret, type RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";
import { assertNoPlaintextSecrets } from "./support/leaks";

const PULL_TOKEN = "ghp_testTokenValue0123456789";
const APP_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEtestAppKeyMaterial\n-----END RSA PRIVATE KEY-----";

function resource(render: Render, type: string): RecordedResource {
    const found = render.run.resources.filter((r) => r.type === type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0];
}

function manifest(render: Render, kind: string, name: string): Manifest {
    const found = kubernetesManifests(render.run.resources).find((m) => m.kind === kind && m.name === name);
    assert.ok(found, `${kind} ${name} rendered`);
    return found;
}

describe("secrets chain (dev under mocks, with real-looking credentials)", () => {
    let render: Render;
    before(async () => {
        render = await renderStack({ stack: "dev", secrets: { githubPullToken: PULL_TOKEN, githubAppPrivateKey: APP_KEY } });
    });

    function vaultSecret(path: string): Record<string, string> {
        const secret = render.run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2" && r.inputs.name === path);
        assert.ok(secret, `KV secret ${path}`);
        assert.equal(secret.inputs.mount, "secret");
        assert.ok(isWrappedSecret(secret.inputs.dataJson), `${path}: dataJson is a Pulumi secret`);
        return JSON.parse(reveal(secret.inputs.dataJson) as string);
    }

    it("stores each credential in its own KV v2 secret under the path prefix, as a secret", () => {
        assert.deepEqual(vaultSecret("cluster-stack/dev/github-pull"), { username: "example-bot", password: PULL_TOKEN });
        assert.deepEqual(vaultSecret("cluster-stack/dev/git"), { githubAppID: "123456", githubAppInstallationID: "45678901", githubAppPrivateKey: APP_KEY });
        assert.equal(render.run.resources.filter((r) => r.type === "vault:kv/secretV2:SecretV2").length, 2, "no notifications secret without notifications");
    });

    it("never carries a credential in plaintext in any resource input, output or rendered file", () => assertNoPlaintextSecrets(render, [PULL_TOKEN, APP_KEY]));

    it("gives each purpose a policy that reads exactly its own secrets", () => {
        const policies = Object.fromEntries(
            render.run.resources.filter((r) => r.type === "vault:index/policy:Policy").map((r) => [r.inputs.name as string, r.inputs.policy as string]),
        );
        assert.deepEqual(policies, {
            "cluster-stack-dev-registry-pull": 'path "secret/data/cluster-stack/dev/github-pull" {\n  capabilities = ["read"]\n}\n',
            "cluster-stack-dev-git": 'path "secret/data/cluster-stack/dev/git" {\n  capabilities = ["read"]\n}\n',
        });
    });

    it("binds each purpose's Vault role to its own service account in the Argo CD namespace, with its policy and an audience", () => {
        const roles = render.run.resources.filter((r) => r.type === "vault:kubernetes/authBackendRole:AuthBackendRole").map((r) => r.inputs as any);
        assert.deepEqual(
            roles.map((r) => [r.roleName, r.backend, r.boundServiceAccountNames, r.boundServiceAccountNamespaces, r.tokenPolicies, r.audience]),
            [
                ["cluster-stack-dev-registry-pull", "kubernetes", ["vault-registry-pull-dev"], ["argocd"], ["cluster-stack-dev-registry-pull"], "vault"],
                ["cluster-stack-dev-git", "kubernetes", ["vault-git-dev"], ["argocd"], ["cluster-stack-dev-git"], "vault"],
            ],
        );
        for (const account of ["vault-registry-pull-dev", "vault-git-dev"]) {
            const sa = manifest(render, "ServiceAccount", account);
            assert.equal(sa.namespace, "argocd");
            assert.equal((sa.body as any).automountServiceAccountToken, false);
        }
    });

    it("configures the Vault provider with the address only (the token comes from VAULT_TOKEN)", () => {
        const provider = resource(render, "pulumi:providers:vault");
        assert.equal(provider.inputs.address, "https://vault.example.com");
        assert.equal(provider.inputs.token, undefined);
    });

    it("serves pull credentials through a ClusterSecretStore admitting only this environment's labelled namespaces and Argo CD's", () => {
        const store = manifest(render, "ClusterSecretStore", "vault-registry-pull-dev");
        const spec = store.body.spec as any;
        assert.deepEqual(spec.conditions, [{ namespaceSelector: { matchLabels: { "cluster-stack/registry-pull": "dev" } } }, { namespaces: ["argocd"] }]);
        assert.deepEqual(spec.provider.vault, {
            server: "https://vault.example.com",
            path: "secret",
            version: "v2",
            auth: {
                kubernetes: {
                    mountPath: "kubernetes",
                    role: "cluster-stack-dev-registry-pull",
                    serviceAccountRef: { name: "vault-registry-pull-dev", namespace: "argocd", audiences: ["vault"] },
                },
            },
        });
    });

    it("serves git credentials through a SecretStore in the Argo CD namespace, as a repository secret for exactly the deploy repo and project", () => {
        const store = manifest(render, "SecretStore", "vault-git-dev");
        assert.equal(store.namespace, "argocd");
        assert.equal((store.body.spec as any).conditions, undefined);
        const repo = manifest(render, "ExternalSecret", "deploy-repo-dev");
        const spec = repo.body.spec as any;
        assert.deepEqual(spec.secretStoreRef, { kind: "SecretStore", name: "vault-git-dev" });
        assert.deepEqual(spec.target.template.metadata.labels, { "argocd.argoproj.io/secret-type": "repository" });
        assert.deepEqual(spec.target.template.data, {
            type: "git",
            url: "https://github.com/example-org/deploy.git",
            project: "services-dev",
            githubAppID: "{{ .githubAppID }}",
            githubAppInstallationID: "{{ .githubAppInstallationID }}",
            githubAppPrivateKey: "{{ .githubAppPrivateKey }}",
        });
        assert.ok(spec.data.every((d: any) => d.remoteRef.key === "cluster-stack/dev/git" && !d.remoteRef.key.includes("/data/")));
    });

    it("gives Image Updater the ghcr.io account in its own secret and the service namespaces the environment's pull secret", () => {
        const updater = manifest(render, "ExternalSecret", "registry-credentials-dev-ghcr-io");
        assert.equal(updater.namespace, "argocd");
        assert.deepEqual((updater.body.spec as any).secretStoreRef, { kind: "ClusterSecretStore", name: "vault-registry-pull-dev" });
        const ces = manifest(render, "ClusterExternalSecret", "registry-credentials-dev");
        const spec = ces.body.spec as any;
        const app = manifest(render, "Application", "example-api-dev").body.spec as any;
        const namespace = manifest(render, "Namespace", "example-api-dev").body.metadata as any;
        const [label, value] = Object.entries(spec.namespaceSelectors[0].matchLabels)[0];
        assert.equal(namespace.labels[label], value);
        assert.equal(value, "dev");
        assert.equal(spec.externalSecretSpec.target.name, app.source.helm.valuesObject.imagePullSecrets[0].name);
        assert.equal(spec.externalSecretSpec.target.template.type, "kubernetes.io/dockerconfigjson");
        assert.equal(spec.refreshTime, "1m", "a new service namespace gets its pull secret within a minute");
    });

    it("owns every Secret it writes, and deletes it when the credential is deleted in Vault", () => {
        const specs = kubernetesManifests(render.run.resources).flatMap((m) =>
            m.kind === "ExternalSecret" ? [m.body.spec as any] : m.kind === "ClusterExternalSecret" ? [(m.body.spec as any).externalSecretSpec] : [],
        );
        assert.ok(specs.length >= 3);
        for (const spec of specs) {
            assert.equal(spec.target.creationPolicy, "Owner", spec.target.name);
            assert.equal(spec.target.deletionPolicy, "Delete", spec.target.name);
        }
    });

    it("orders the chain with dependsOn: Vault -> service account -> store -> ExternalSecrets -> consumers", () => {
        const eso = render.run.resources.find((r) => r.inputs.chart === "external-secrets")!;
        const vaultUrns = render.run.resources.filter((r) => r.type.startsWith("vault:") && r.custom && !r.type.startsWith("pulumi:")).map((r) => r.urn);
        for (const [store, account] of [
            [manifest(render, "ClusterSecretStore", "vault-registry-pull-dev"), manifest(render, "ServiceAccount", "vault-registry-pull-dev")],
            [manifest(render, "SecretStore", "vault-git-dev"), manifest(render, "ServiceAccount", "vault-git-dev")],
        ]) {
            for (const dependency of [...vaultUrns, eso.urn, account.resource.urn]) assert.ok(store.resource.dependsOn.includes(dependency), `${store.name} after ${dependency}`);
        }
        const pull = manifest(render, "ExternalSecret", "registry-credentials-dev-ghcr-io").resource;
        const repo = manifest(render, "ExternalSecret", "deploy-repo-dev").resource;
        const ces = manifest(render, "ClusterExternalSecret", "registry-credentials-dev").resource;
        assert.ok(pull.dependsOn.includes(manifest(render, "ClusterSecretStore", "vault-registry-pull-dev").resource.urn));
        assert.ok(repo.dependsOn.includes(manifest(render, "SecretStore", "vault-git-dev").resource.urn));
        const updater = render.run.resources.find((r) => r.inputs.chart === "argocd-image-updater")!;
        assert.ok(updater.dependsOn.includes(pull.urn) && updater.dependsOn.includes(repo.urn), "updater after its credentials");
        const app = manifest(render, "Application", "example-api-dev").resource;
        for (const es of [pull, repo, ces]) assert.ok(app.dependsOn.includes(es.urn), `Application after ${es.name}`);
    });
});

describe("sharedPat: the source documents' one PAT, opted in", () => {
    it("puts the one PAT in the pull and git secrets and warns on every preview", async () => {
        const warnings: string[] = [];
        const warn = pulumi.log.warn;
        pulumi.log.warn = async (message: string) => void warnings.push(message);
        try {
            const render = await renderStack({ stack: "dev", adjust: (c) => withOverrides(c, { gitAuth: "sharedPat" }), secrets: { githubPat: PULL_TOKEN } });
            const data = (path: string) => JSON.parse(reveal(render.run.resources.find((r) => r.inputs.name === path)!.inputs.dataJson) as string);
            assert.deepEqual(data("cluster-stack/dev/github-pull"), { username: "example-bot", password: PULL_TOKEN });
            assert.deepEqual(data("cluster-stack/dev/git"), { username: "example-bot", password: PULL_TOKEN });
            assertNoPlaintextSecrets(render, [PULL_TOKEN]);
        } finally {
            pulumi.log.warn = warn;
        }
        assert.deepEqual(warnings, [SHARED_PAT_WARNING]);
        assert.match(SHARED_PAT_WARNING, /repo scope/);
    });
});

describe("secrets chain options", () => {
    it("creates the KV v2 mount when the stack owns it, and skips ESO when the cluster has it", async () => {
        const render = await renderStack({ stack: "prd", adjust: (c) => withOverrides(c, { vaultManageKvMount: true, vaultKvMount: "cluster-stack-prd", installExternalSecrets: false }) });
        const mount = resource(render, "vault:index/mount:Mount");
        assert.deepEqual([mount.inputs.path, mount.inputs.type, mount.inputs.options], ["cluster-stack-prd", "kv", { version: "2" }]);
        for (const secret of render.run.resources.filter((r) => r.type === "vault:kv/secretV2:SecretV2")) assert.ok(secret.dependsOn.includes(mount.urn));
        assert.equal(render.run.resources.filter((r) => r.inputs.chart === "external-secrets").length, 0);
        assert.ok(!kubernetesManifests(render.run.resources).some((m) => m.kind === "Namespace" && m.name === "external-secrets"));
        assert.ok(manifest(render, "ClusterSecretStore", "vault-registry-pull-prd"));
    });
});
