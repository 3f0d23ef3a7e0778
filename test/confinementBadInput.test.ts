import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderStack } from "../scripts/render/renderStack";
import type { GroupKind } from "../model/stackConfig";
import { configErrorOf, stackConfig, withOverrides, type Overrides } from "./support/config";
import { assertRejected, type Rejection } from "./support/rejection";

/** One config that would widen what a deploy-repo commit or a CI token reaches, and its error. */
interface BadConfinement extends Rejection {
    name: string;
    stack: "dev" | "prd";
    overrides: Overrides;
}

const cases: BadConfinement[] = [
    {
        name: "a service whose namespace is Argo CD's",
        stack: "dev",
        overrides: { argocdNamespace: "gitops-dev", services: [{ name: "gitops", image: "ghcr.io/example-org/gitops" }] },
        key: "services[0].name",
        shown: '"gitops"',
        problem: /namespace gitops-dev \(<service>-<environment>\) is Argo CD and Image Updater's/,
        fix: /rename the service in Pulumi\.dev\.yaml/,
    },
    {
        name: "a service whose namespace is ESO's",
        stack: "prd",
        overrides: { externalSecretsNamespace: "secrets-prd", services: [{ name: "secrets", image: "ghcr.io/example-org/secrets" }] },
        key: "services[0].name",
        shown: '"secrets"',
        problem: /is External Secrets Operator's/,
        fix: /so that <service>-prd is a namespace of its own/,
    },
    {
        name: "a service whose namespace is kube-*",
        stack: "dev",
        overrides: { services: [{ name: "kube", image: "ghcr.io/example-org/kube" }] },
        key: "services[0].name",
        shown: '"kube"',
        problem: /namespace kube-dev .* is Kubernetes's/,
        fix: /rename the service/,
    },
    {
        name: "Argo CD in kube-system",
        stack: "dev",
        overrides: { argocdNamespace: "kube-system" },
        key: "argocdNamespace",
        shown: '"kube-system"',
        problem: /a namespace Kubernetes owns/,
        fix: /pulumi config set argocdNamespace argocd -s dev/,
    },
    {
        name: "ESO in default",
        stack: "prd",
        overrides: { externalSecretsNamespace: "default" },
        key: "externalSecretsNamespace",
        shown: '"default"',
        problem: /a namespace Kubernetes owns/,
        fix: /pulumi config set externalSecretsNamespace external-secrets -s prd/,
    },
    {
        name: "Argo CD and ESO in one namespace",
        stack: "dev",
        overrides: { externalSecretsNamespace: "argocd" },
        key: "externalSecretsNamespace",
        shown: '"argocd"',
        problem: /is also argocdNamespace/,
        fix: /pulumi config set externalSecretsNamespace external-secrets -s dev/,
    },
    {
        name: "the CI account named admin",
        stack: "prd",
        overrides: { ciAccount: "admin" },
        key: "ciAccount",
        shown: '"admin"',
        problem: /built-in superuser/,
        fix: /pulumi config set ciAccount ci-prd -s prd/,
    },
    {
        name: "a CI account name another environment could also bind",
        stack: "dev",
        overrides: { ciAccount: "ci" },
        key: "ciAccount",
        shown: '"ci"',
        problem: /must end in -dev/,
        fix: /pulumi config set ciAccount ci-dev -s dev/,
    },
    {
        name: "admitting RoleBindings",
        stack: "dev",
        overrides: { projectAdmitKinds: [{ group: "rbac.authorization.k8s.io", kind: "RoleBinding" }] },
        key: "projectAdmitKinds[0]",
        shown: "RoleBinding",
        problem: /rbac\.authorization\.k8s\.io\/RoleBinding grants Kubernetes API rights/,
        fix: /remove it from projectAdmitKinds in Pulumi\.dev\.yaml/,
    },
    {
        name: "admitting ExternalSecrets",
        stack: "prd",
        overrides: { projectAdmitKinds: [{ group: "monitoring.coreos.com", kind: "ServiceMonitor" }, { group: "external-secrets.io", kind: "ExternalSecret" }] },
        key: "projectAdmitKinds[1]",
        shown: "ExternalSecret",
        problem: /reads credentials out of Vault/,
        fix: /remove it from projectAdmitKinds in Pulumi\.prd\.yaml/,
    },
    {
        name: "admitting ResourceQuota",
        stack: "dev",
        overrides: { projectAdmitKinds: [{ group: "", kind: "ResourceQuota" }] },
        key: "projectAdmitKinds[0]",
        shown: "ResourceQuota",
        problem: /core\/ResourceQuota lifts the namespace's resource limits/,
        fix: /remove it/,
    },
    {
        name: "a wildcard kind",
        stack: "dev",
        overrides: { projectAdmitKinds: [{ group: "monitoring.coreos.com", kind: "*" }] },
        key: "projectAdmitKinds[0].kind",
        shown: '"*"',
        problem: /no wildcards/,
        fix: /Pulumi\.dev\.yaml/,
    },
    {
        name: "a wildcard group",
        stack: "prd",
        overrides: { projectAdmitKinds: [{ group: "*", kind: "Deployment" }] },
        key: "projectAdmitKinds[0].group",
        shown: '"*"',
        problem: /no wildcards/,
        fix: /Pulumi\.prd\.yaml/,
    },
    {
        name: "privileged pod security",
        stack: "dev",
        overrides: { podSecurityEnforce: "privileged" },
        key: "podSecurityEnforce",
        shown: '"privileged"',
        problem: /must be baseline or restricted/,
        fix: /pulumi config set podSecurityEnforce 'restricted' -s dev/,
    },
    {
        name: "a stack owning a KV mount that is not its environment's",
        stack: "prd",
        overrides: { vaultManageKvMount: true, vaultKvMount: "secret" },
        key: "vaultKvMount",
        shown: '"secret"',
        problem: /must be prd's alone and end in -prd/,
        fix: /pulumi config set vaultKvMount cluster-stack-prd -s prd, or pulumi config set vaultManageKvMount false -s prd/,
    },
];

describe("bad confinement config: clear errors before any resource", () => {
    for (const c of cases) {
        it(c.name, () => assertRejected({ stack: c.stack, adjust: (config) => withOverrides(config, c.overrides) }, c));
    }
});

describe("confinement config that stays accepted", () => {
    const accepted: { name: string; stack: "dev" | "prd"; overrides: Overrides; check: (inputs: any[]) => void }[] = [
        {
            name: "a CI account named for its environment",
            stack: "prd",
            overrides: { ciAccount: "deployer-prd" },
            check: (resources) => assert.ok(resources.some((r) => r.inputs?.data?.["accounts.deployer-prd"] === "apiKey")),
        },
        {
            name: "a stack-owned KV mount named for its environment",
            stack: "dev",
            overrides: { vaultManageKvMount: true, vaultKvMount: "cluster-stack-dev" },
            check: (resources) => assert.ok(resources.some((r) => r.type === "vault:index/mount:Mount" && r.inputs.path === "cluster-stack-dev")),
        },
    ];
    for (const a of accepted) {
        it(a.name, async () => {
            const render = await renderStack({ stack: a.stack, adjust: (config) => withOverrides(config, a.overrides) });
            a.check(render.run.resources);
        });
    }
});

describe("projectAdmitKinds: every kind that escalates is refused with why, near misses are admitted", () => {
    const refused: [GroupKind, RegExp][] = [
        [{ group: "rbac.authorization.k8s.io", kind: "Role" }, /grants Kubernetes API rights/],
        [{ group: "external-secrets.io", kind: "PushSecret" }, /reads credentials out of Vault/],
        [{ group: "generators.external-secrets.io", kind: "Password" }, /mints credentials through ESO generators/],
        [{ group: "argoproj.io", kind: "ApplicationSet" }, /creates Argo CD Applications or projects/],
        [{ group: "argocd-image-updater.argoproj.io", kind: "ImageUpdater" }, /points Image Updater, and its git credentials, at other Applications/],
        [{ group: "", kind: "ResourceQuota" }, /lifts the namespace's resource limits/],
        [{ group: "", kind: "LimitRange" }, /lifts the namespace's default limits/],
        [{ group: "", kind: "Endpoints" }, /routes a Service to any address.*CVE-2021-25740/],
        [{ group: "discovery.k8s.io", kind: "EndpointSlice" }, /routes a Service to any address.*CVE-2021-25740/],
    ];
    // Argo CD matches group and kind together: a kind of the same name in another group is another kind.
    const admitted: GroupKind[] = [
        { group: "", kind: "ReplicationController" },
        { group: "example.com", kind: "Endpoints" },
        { group: "argoproj.io.example.com", kind: "Rollout" },
    ];

    it("names each refused kind at its index, with its group, kind and reason", () => {
        const error = configErrorOf(stackConfig("dev", { projectAdmitKinds: [...admitted, ...refused.map(([kind]) => kind)] }));
        assert.ok(error, "the config is refused");
        assert.deepEqual(
            error.problems.map((p) => p.key),
            refused.map((_, index) => `cluster-stack:projectAdmitKinds[${admitted.length + index}]`),
        );
        refused.forEach(([kind, why], index) => {
            assert.match(error.problems[index]!.problem, new RegExp(`^${kind.group || "core"}/${kind.kind} `), kind.kind);
            assert.match(error.problems[index]!.problem, why, kind.kind);
        });
    });
});
