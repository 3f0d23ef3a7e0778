import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ConfigError, loadStackConfig } from "../stacks/config";
import { kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import { isWrappedSecret, type RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { stackConfig, withOverrides } from "./support/config";
import { assertNoPlaintextSecrets } from "./support/leaks";

const PAT = "ghp_testTokenValue0123456789";

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

describe("secrets chain (dev under mocks, with a real-looking PAT)", () => {
    let render: Render;
    before(async () => {
        render = await renderStack({ stack: "dev", secrets: { githubPat: PAT } });
    });

    it("stores username and PAT in KV v2 at the configured mount and path, as a secret", () => {
        const secret = resource(render, "vault:kv/secretV2:SecretV2");
        assert.equal(secret.inputs.mount, "secret");
        assert.equal(secret.inputs.name, "cluster-stack/dev/github");
        assert.ok(isWrappedSecret(secret.inputs.dataJson), "dataJson is a Pulumi secret");
        assert.deepEqual(JSON.parse(reveal(secret.inputs.dataJson) as string), { username: "example-bot", pat: PAT });
    });

    it("never carries the PAT in plaintext in any resource input, output or rendered file", () => assertNoPlaintextSecrets(render, [PAT]));

    it("grants read on exactly <mount>/data/<path>, and nothing else", () => {
        const policy = resource(render, "vault:index/policy:Policy");
        assert.equal(policy.inputs.name, "external-secrets-github-dev");
        assert.equal(policy.inputs.policy, 'path "secret/data/cluster-stack/dev/github" {\n  capabilities = ["read"]\n}\n');
    });

    it("binds the Vault role to ESO's service account and namespace, with the policy and an audience", () => {
        const role = resource(render, "vault:kubernetes/authBackendRole:AuthBackendRole");
        assert.equal(role.inputs.roleName, "external-secrets-dev");
        assert.equal(role.inputs.backend, "kubernetes");
        assert.deepEqual(role.inputs.boundServiceAccountNames, ["external-secrets"]);
        assert.deepEqual(role.inputs.boundServiceAccountNamespaces, ["external-secrets"]);
        assert.deepEqual(role.inputs.tokenPolicies, ["external-secrets-github-dev"]);
        assert.equal(role.inputs.audience, "vault");
    });

    it("configures the Vault provider with the address only (the token comes from VAULT_TOKEN)", () => {
        const provider = resource(render, "pulumi:providers:vault");
        assert.equal(provider.inputs.address, "https://vault.example.com");
        assert.equal(provider.inputs.token, undefined);
    });

    it("points the ClusterSecretStore at the KV v2 mount with Kubernetes auth as the bound identity", () => {
        const store = manifest(render, "ClusterSecretStore", "vault-dev");
        const vault = (store.body.spec as any).provider.vault;
        assert.equal(store.apiVersion, "external-secrets.io/v1");
        assert.deepEqual(vault, {
            server: "https://vault.example.com",
            path: "secret",
            version: "v2",
            auth: {
                kubernetes: {
                    mountPath: "kubernetes",
                    role: "external-secrets-dev",
                    serviceAccountRef: { name: "external-secrets", namespace: "external-secrets", audiences: ["vault"] },
                },
            },
        });
    });

    it("builds a dockerconfigjson pull secret whose auth is base64(user:pat), and repo-creds for the deploy repo owner", () => {
        const pull = manifest(render, "ExternalSecret", "registry-credentials-dev");
        const spec = pull.body.spec as any;
        assert.equal(pull.namespace, "argocd");
        assert.equal(spec.target.template.type, "kubernetes.io/dockerconfigjson");
        const docker = spec.target.template.data[".dockerconfigjson"];
        assert.match(docker, /^\{"auths":\{"ghcr\.io":\{"username":"\{\{ \.username \}\}","password":"\{\{ \.pat \}\}","auth":"\{\{ printf "%s:%s" \.username \.pat \| b64enc \}\}"\}\}\}$/);
        assert.deepEqual(spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property]), [
            ["username", "cluster-stack/dev/github", "username"],
            ["pat", "cluster-stack/dev/github", "pat"],
        ]);
        assert.ok(!spec.data.some((d: any) => d.remoteRef.key.includes("/data/")), "remoteRef.key has no /data/");
        const creds = manifest(render, "ExternalSecret", "repo-creds-dev");
        const template = (creds.body.spec as any).target.template;
        assert.deepEqual(template.metadata.labels, { "argocd.argoproj.io/secret-type": "repo-creds" });
        assert.deepEqual(template.data, { type: "git", url: "https://github.com/example-org", username: "{{ .username }}", password: "{{ .pat }}" });
    });

    it("puts the pull secret into every namespace the Applications label for this environment", () => {
        const ces = manifest(render, "ClusterExternalSecret", "registry-credentials-dev");
        const spec = ces.body.spec as any;
        const app = manifest(render, "Application", "example-api-dev").body.spec as any;
        const [label, value] = Object.entries(spec.namespaceSelectors[0].matchLabels)[0];
        assert.equal(app.syncPolicy.managedNamespaceMetadata.labels[label], value);
        assert.equal(value, "dev");
        assert.equal(spec.externalSecretSpec.target.name, app.source.helm.valuesObject.imagePullSecrets[0].name);
    });

    it("names the secrets consumers use: Image Updater registry credentials and pull secret", () => {
        const values = render.run.resources.find((r) => r.inputs.chart === "argocd-image-updater")!.inputs.values as any;
        const pull = manifest(render, "ExternalSecret", "registry-credentials-dev");
        const ref = `pullsecret:${pull.namespace}/${(pull.body.spec as any).target.name}`;
        assert.equal(values.config.registries.find((r: any) => r.prefix === "ghcr.io").credentials, ref);
        assert.equal((manifest(render, "ImageUpdater", "services-dev").body.spec as any).commonUpdateSettings.pullSecret, ref);
    });

    it("orders the chain with dependsOn: Vault -> store -> ExternalSecrets -> consumers", () => {
        const urn = (type: string) => resource(render, type).urn;
        const store = manifest(render, "ClusterSecretStore", "vault-dev").resource;
        const eso = render.run.resources.find((r) => r.inputs.chart === "external-secrets")!;
        for (const dependency of [urn("vault:kv/secretV2:SecretV2"), urn("vault:index/policy:Policy"), urn("vault:kubernetes/authBackendRole:AuthBackendRole"), eso.urn]) {
            assert.ok(store.dependsOn.includes(dependency), `store after ${dependency}`);
        }
        const pull = manifest(render, "ExternalSecret", "registry-credentials-dev").resource;
        const creds = manifest(render, "ExternalSecret", "repo-creds-dev").resource;
        const ces = manifest(render, "ClusterExternalSecret", "registry-credentials-dev").resource;
        for (const es of [pull, creds, ces]) assert.ok(es.dependsOn.includes(store.urn), `${es.name} after the store`);
        const updater = render.run.resources.find((r) => r.inputs.chart === "argocd-image-updater")!;
        assert.ok(updater.dependsOn.includes(pull.urn) && updater.dependsOn.includes(creds.urn), "updater after its credentials");
        const app = manifest(render, "Application", "example-api-dev").resource;
        for (const es of [pull, creds, ces]) assert.ok(app.dependsOn.includes(es.urn), `Application after ${es.name}`);
    });
});

describe("secrets chain options", () => {
    it("creates the KV v2 mount when the stack owns it, and skips ESO when the cluster has it", async () => {
        const render = await renderStack({ stack: "prd", adjust: (c) => withOverrides(c, { vaultManageKvMount: true, installExternalSecrets: false }) });
        const mount = resource(render, "vault:index/mount:Mount");
        assert.deepEqual([mount.inputs.path, mount.inputs.type, mount.inputs.options], ["secret", "kv", { version: "2" }]);
        assert.ok(resource(render, "vault:kv/secretV2:SecretV2").dependsOn.includes(mount.urn));
        assert.equal(render.run.resources.filter((r) => r.inputs.chart === "external-secrets").length, 0);
        assert.ok(!kubernetesManifests(render.run.resources).some((m) => m.kind === "Namespace" && m.name === "external-secrets"));
        assert.ok(manifest(render, "ClusterSecretStore", "vault-prd"));
    });
});

describe("PAT config errors", () => {
    function error(config: ReturnType<typeof stackConfig>): ConfigError {
        try {
            loadStackConfig(config);
        } catch (e) {
            if (e instanceof ConfigError) return e;
            throw e;
        }
        assert.fail("expected a ConfigError");
    }

    it("a missing PAT is a clear error", () => {
        const config = stackConfig("dev");
        const e = error(withOverrides({ ...config, secretKeys: new Set() }, { githubPat: undefined }));
        const problem = e.problems.find((p) => p.key === "cluster-stack:githubPat")!;
        assert.equal(problem.problem, "is required");
        assert.match(problem.fix, /pulumi config set --secret githubPat/);
    });

    it("a PAT in plaintext config is a clear error that does not echo it", () => {
        const config = withOverrides({ ...stackConfig("dev"), secretKeys: new Set() }, { githubPat: PAT });
        const e = error(config);
        const problem = e.problems.find((p) => p.key === "cluster-stack:githubPat")!;
        assert.match(problem.problem, /plaintext/);
        assert.match(problem.fix, /rotate it/);
        assert.ok(!e.message.includes(PAT), "the message does not repeat the secret");
    });
});
