import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { kubernetesManifests } from "../scripts/render/manifests";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { PROJECT_DIR, renderStack, type Render } from "../scripts/render/renderStack";
import { blastRadius, clusterNamespaces, credentialsByPurpose, readablePathGlobs, selectorMatches, type ClusterNamespace } from "./support/blastRadius";
import { STACKS_TO_RENDER } from "./support/stacks";

/** A namespace nobody labelled: a team's own namespace, or one an attacker created. */
const UNLABELLED: ClusterNamespace = { name: "some-team", labels: {} };

function applicationNamespaces(resources: readonly RecordedResource[]): string[] {
    return kubernetesManifests(resources)
        .filter((m) => m.kind === "Application")
        .map((m) => (m.body.spec as any).destination.namespace as string);
}

function argocdNamespace(render: Render): string {
    return render.config.values["cluster-stack:argocdNamespace"];
}

function sorted(values: Iterable<string>): string[] {
    return [...values].sort();
}

for (const target of STACKS_TO_RENDER) {
    describe(`blast radius of every credential in ${target.label}`, () => {
        let render: Render;
        let reach: Map<string, Set<string>>;
        let purposes: ReturnType<typeof credentialsByPurpose>;
        before(async () => {
            render = await renderStack({ stack: target.stack, stackConfigDir: target.stackConfigDir });
            reach = blastRadius(render.run.resources, clusterNamespaces(render.run.resources, [UNLABELLED]));
            purposes = credentialsByPurpose(render.run.resources);
        });

        it("git and notification credentials reach the Argo CD namespace and nothing else", () => {
            assert.ok(purposes.git.size > 0, "the stack reads git credentials");
            for (const credential of [...purposes.git, ...purposes.notifications]) {
                assert.deepEqual(sorted(reach.get(credential)!), [argocdNamespace(render)], credential);
            }
        });

        it("pull credentials reach exactly this environment's service namespaces and the Argo CD namespace", () => {
            assert.ok(purposes.pull.size > 0, "the stack reads pull credentials");
            const expected = sorted([argocdNamespace(render), ...applicationNamespaces(render.run.resources)]);
            for (const credential of purposes.pull) assert.deepEqual(sorted(reach.get(credential)!), expected, credential);
        });

        it("an unlabelled namespace obtains no credential", () => {
            const obtained = [...reach].filter(([, namespaces]) => namespaces.has(UNLABELLED.name)).map(([credential]) => credential);
            assert.deepEqual(obtained, []);
        });
    });
}

describe("blast radius on a shared cluster (dev and prd in one Argo CD and one Vault)", () => {
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures", "shared-cluster");
    let renders: Record<"dev" | "prd", Render>;
    let reach: Map<string, Set<string>>;
    before(async () => {
        renders = {
            dev: await renderStack({ stack: "dev", stackConfigDir: fixtures }),
            prd: await renderStack({ stack: "prd", stackConfigDir: fixtures }),
        };
        const all = [...renders.dev.run.resources, ...renders.prd.run.resources];
        reach = blastRadius(all, clusterNamespaces(all, [UNLABELLED]));
    });

    for (const [own, other] of [
        ["dev", "prd"],
        ["prd", "dev"],
    ] as const) {
        it(`no ${other} namespace obtains a ${own} credential`, () => {
            const purposes = credentialsByPurpose(renders[own].run.resources);
            const otherNamespaces = new Set(applicationNamespaces(renders[other].run.resources));
            for (const credential of [...purposes.git, ...purposes.pull, ...purposes.notifications]) {
                const leaked = [...reach.get(credential)!].filter((n) => otherNamespaces.has(n));
                assert.deepEqual(leaked, [], `${credential} reaches ${other} namespaces`);
            }
        });
    }

    it("an unlabelled namespace obtains no credential of either stack", () => {
        assert.deepEqual([...reach].filter(([, namespaces]) => namespaces.has(UNLABELLED.name)).map(([c]) => c), []);
    });
});

describe("blast-radius analysis itself", () => {
    const ns = (name: string, labels: Record<string, string> = {}): ClusterNamespace => ({ name, labels });
    const resource = (type: string, name: string, inputs: Record<string, unknown>): RecordedResource => ({
        urn: `urn:${name}`,
        type,
        name,
        custom: true,
        parent: "",
        dependsOn: [],
        ignoreChanges: [],
        protect: false,
        retainOnDelete: false,
        deletedWith: "",
        inputs,
    });
    const vaultObjects = [
        resource("vault:kv/secretV2:SecretV2", "s", { mount: "kv", name: "app/pull" }),
        resource("vault:index/policy:Policy", "p", { name: "pull", policy: 'path "kv/data/app/pull" {\n  capabilities = ["read"]\n}\n' }),
        resource("vault:kubernetes/authBackendRole:AuthBackendRole", "r", {
            backend: "kubernetes",
            roleName: "pull",
            boundServiceAccountNames: ["puller"],
            boundServiceAccountNamespaces: ["system"],
            tokenPolicies: ["pull"],
        }),
    ];
    const store = (spec: Record<string, unknown>) =>
        resource("kubernetes:external-secrets.io/v1:ClusterSecretStore", "store", {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterSecretStore",
            metadata: { name: "vault" },
            spec: {
                ...spec,
                provider: { vault: { path: "kv", auth: { kubernetes: { mountPath: "kubernetes", role: "pull", serviceAccountRef: { name: "puller", namespace: "system" } } } } },
            },
        });
    const namespaces = [ns("system"), ns("app", { team: "a" }), ns("other", { team: "b" })];

    it("a ClusterSecretStore without conditions serves every namespace", () => {
        const reach = blastRadius([...vaultObjects, store({})], namespaces);
        assert.deepEqual(sorted(reach.get("kv/app/pull")!), ["app", "other", "system"]);
    });

    it("conditions narrow it to the namespaces they admit; the bound service account's namespace keeps direct access", () => {
        const reach = blastRadius([...vaultObjects, store({ conditions: [{ namespaceSelector: { matchLabels: { team: "a" } } }] })], namespaces);
        assert.deepEqual(sorted(reach.get("kv/app/pull")!), ["app", "system"]);
    });

    it("a role whose policy does not cover the path gives nothing", () => {
        const other = vaultObjects.map((r) =>
            r.type === "vault:index/policy:Policy" ? { ...r, inputs: { name: "pull", policy: 'path "kv/data/app/other" {\n  capabilities = ["read"]\n}\n' } } : r,
        );
        const reach = blastRadius([...other, store({})], namespaces);
        assert.deepEqual(sorted(reach.get("kv/app/pull")!), []);
    });

    it("reads HCL policies and label selectors the way Vault and Kubernetes do", () => {
        assert.deepEqual(readablePathGlobs('path "a/data/x" {\n capabilities = ["list"]\n}\npath "a/data/y/*" { capabilities = ["read", "list"] }'), ["a/data/y/*"]);
        assert.ok(selectorMatches({ matchExpressions: [{ key: "env", operator: "In", values: ["dev"] }] }, { env: "dev" }));
        assert.ok(!selectorMatches({ matchLabels: { env: "dev" } }, { env: "prd" }));
        assert.ok(!selectorMatches({ matchExpressions: [{ key: "env", operator: "Exists" }] }, {}));
    });
});
