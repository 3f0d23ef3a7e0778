import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { PROJECT_DIR, renderStack } from "../scripts/render/renderStack";
import { argoCdEnforcer, policyCsv } from "./support/argoCdRbac";
import { STACKS_TO_RENDER } from "./support/stacks";

/**
 * What a deploy-repo commit can create, evaluated the way Argo CD v3.4 does
 * (AppProject.IsGroupKindNamePermitted and IsDestinationPermitted, written here from its
 * source rather than taken from lib/appProject.ts): Go's filepath.Match on group and kind
 * (and name for cluster-scoped kinds), whitelist and not blacklist for namespaced kinds, an
 * empty cluster whitelist admitting nothing.
 */
function goMatch(pattern: string, value: string): boolean {
    return new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`).test(value);
}

interface Kind {
    group: string;
    kind: string;
    name?: string;
}

function inList(list: Kind[] | undefined, res: Kind, name?: string): boolean {
    return (list ?? []).some((e) => goMatch(e.kind, res.kind) && goMatch(e.group, res.group) && (name === undefined || !e.name || goMatch(e.name, name)));
}

function permitted(spec: any, res: Kind, namespaced: boolean, name = "x"): boolean {
    if (namespaced) {
        const white = spec.namespaceResourceWhitelist === undefined || (spec.namespaceResourceWhitelist.length > 0 && inList(spec.namespaceResourceWhitelist, res));
        return white && !inList(spec.namespaceResourceBlacklist, res);
    }
    return inList(spec.clusterResourceWhitelist, res, name) && !inList(spec.clusterResourceBlacklist, res, name);
}

const ESCALATING: Kind[] = [
    { group: "rbac.authorization.k8s.io", kind: "Role" },
    { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
    { group: "external-secrets.io", kind: "ExternalSecret" },
    { group: "external-secrets.io", kind: "SecretStore" },
    { group: "external-secrets.io", kind: "PushSecret" },
    { group: "generators.external-secrets.io", kind: "Password" },
    { group: "argoproj.io", kind: "Application" },
    { group: "argoproj.io", kind: "AppProject" },
    { group: "argoproj.io", kind: "ApplicationSet" },
    { group: "argocd-image-updater.argoproj.io", kind: "ImageUpdater" },
    { group: "", kind: "ResourceQuota" },
    { group: "", kind: "LimitRange" },
    { group: "", kind: "Endpoints" },
    { group: "discovery.k8s.io", kind: "EndpointSlice" },
];

const WORKLOADS: Kind[] = [
    { group: "apps", kind: "Deployment" },
    { group: "apps", kind: "StatefulSet" },
    { group: "", kind: "Service" },
    { group: "", kind: "ConfigMap" },
    { group: "", kind: "Secret" },
    { group: "", kind: "ServiceAccount" },
    { group: "", kind: "PersistentVolumeClaim" },
    { group: "", kind: "Pod" },
    { group: "batch", kind: "Job" },
    { group: "batch", kind: "CronJob" },
    { group: "networking.k8s.io", kind: "Ingress" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
    { group: "policy", kind: "PodDisruptionBudget" },
];

const CLUSTER_SCOPED: Kind[] = [
    { group: "", kind: "Namespace" },
    { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
    { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
    { group: "external-secrets.io", kind: "ClusterSecretStore" },
    { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
];

const show = (k: Kind) => `${k.group || "core"}/${k.kind}`;

for (const target of STACKS_TO_RENDER) {
    describe(`what a deploy-repo commit can create in ${target.label}`, () => {
        let manifests: Manifest[];
        let project: any;
        let environment: string;
        before(async () => {
            const render = await renderStack({ stack: target.stack, stackConfigDir: target.stackConfigDir });
            manifests = kubernetesManifests(render.run.resources);
            project = manifests.find((m) => m.kind === "AppProject")!.body.spec;
            environment = String(render.run.outputs.environment.value);
        });

        const applications = () => manifests.filter((m) => m.kind === "Application").map((m) => m.body.spec as any);

        it("no cluster-scoped object, not even its own namespace (a chart's Namespace would replace the stack's labels)", () => {
            for (const app of applications()) {
                for (const kind of CLUSTER_SCOPED) {
                    assert.equal(permitted(project, kind, false, app.destination.namespace), false, `${show(kind)} ${app.destination.namespace}`);
                }
            }
        });

        it("no namespaced kind that escalates, nor an unknown custom kind", () => {
            for (const kind of [...ESCALATING, { group: "example.com", kind: "Widget" }]) {
                assert.equal(permitted(project, kind, true), false, show(kind));
            }
        });

        it("the workload kinds a service chart needs", () => {
            for (const kind of WORKLOADS) assert.equal(permitted(project, kind, true), true, show(kind));
        });

        it("the deploy repo as its only source, which every Application reads", () => {
            assert.equal(project.sourceRepos.length, 1);
            assert.doesNotMatch(project.sourceRepos[0], /[*?[!]/, "no glob in a source repository");
            for (const app of applications()) assert.equal(app.source.repoURL, project.sourceRepos[0]);
        });

        it("its own destination namespaces only, named exactly", () => {
            const namespaces = applications().map((a) => a.destination.namespace);
            assert.deepEqual(project.destinations.map((d: any) => d.namespace).sort(), [...namespaces].sort());
            for (const d of project.destinations) {
                assert.equal(d.server, "https://kubernetes.default.svc");
                assert.doesNotMatch(d.namespace, /[*?[!]/, "no glob in a destination");
            }
        });

        it("every destination namespace is created by the stack with its Pod Security level; Argo CD creates none", () => {
            const level = target.stack === "maximal" ? "restricted" : "baseline";
            for (const app of applications()) {
                const namespace = manifests.find((m) => m.kind === "Namespace" && m.name === app.destination.namespace);
                assert.ok(namespace, `${app.destination.namespace} is registered`);
                const labels = (namespace.body.metadata as any).labels;
                assert.equal(labels["pod-security.kubernetes.io/enforce"], level);
                assert.equal(labels["env"], environment);
                assert.equal(namespace.resource.retainOnDelete, true, "removing the service keeps its namespace and volumes");
                assert.equal(app.syncPolicy.syncOptions, undefined, "no CreateNamespace");
                assert.equal(app.syncPolicy.managedNamespaceMetadata, undefined);
            }
        });
    });
}

describe("the maximal fixture's projectAdmitKinds", () => {
    it("admits exactly the listed kinds in addition to the defaults", async () => {
        const render = await renderStack({ stack: "maximal", stackConfigDir: path.join(PROJECT_DIR, "test", "fixtures") });
        const project = kubernetesManifests(render.run.resources).find((m) => m.kind === "AppProject")!.body.spec as any;
        assert.equal(permitted(project, { group: "monitoring.coreos.com", kind: "ServiceMonitor" }, true), true);
        assert.equal(permitted(project, { group: "", kind: "ReplicationController" }, true), true);
        assert.equal(permitted(project, { group: "monitoring.coreos.com", kind: "PrometheusRule" }, true), false, "the group is not opened");
    });
});

describe("CI accounts on a shared cluster, evaluated with Argo CD's RBAC model", () => {
    const fixtures = path.join(PROJECT_DIR, "test", "fixtures", "shared-cluster");
    let enforce: (sub: string, res: string, act: string, obj: string) => Promise<boolean>;
    const accounts: Record<string, string> = {};
    before(async () => {
        const rbac: Record<string, string> = { "policy.csv": "" };
        for (const stack of ["dev", "prd"]) {
            const render = await renderStack({ stack, stackConfigDir: fixtures });
            accounts[stack] = String(render.run.outputs.ciAccount.value);
            for (const m of kubernetesManifests(render.run.resources)) {
                if (m.name === "argocd-rbac-cm") Object.assign(rbac, m.body.data);
                const values = m.kind === "Release" && (m.body.values as any)?.configs?.rbac;
                if (values) Object.assign(rbac, values);
            }
        }
        const enforcer = await argoCdEnforcer(policyCsv(rbac));
        enforce = (sub, res, act, obj) => enforcer.enforce(sub, res, act, obj);
    });

    for (const [own, other] of [
        ["dev", "prd"],
        ["prd", "dev"],
    ]) {
        it(`${own}'s account gets and syncs its own Applications and nothing of ${other}'s`, async () => {
            const account = accounts[own];
            assert.equal(account, `ci-${own}`);
            assert.equal(await enforce(account, "applications", "get", `services-${own}/example-api-${own}`), true);
            assert.equal(await enforce(account, "applications", "sync", `services-${own}/example-api-${own}`), true);
            assert.equal(await enforce(account, "projects", "get", `services-${own}`), true);
            assert.equal(await enforce(account, "applications", "get", `services-${other}/example-api-${other}`), false);
            assert.equal(await enforce(account, "applications", "sync", `services-${other}/example-api-${other}`), false);
            assert.equal(await enforce(account, "projects", "get", `services-${other}`), false);
            for (const action of ["create", "update", "delete", "override", "action/apps/Deployment/restart"]) {
                assert.equal(await enforce(account, "applications", action, `services-${own}/example-api-${own}`), false, action);
            }
            assert.equal(await enforce(account, "clusters", "get", "https://kubernetes.default.svc"), false);
            assert.equal(await enforce(account, "repositories", "get", "*"), false);
        });
    }

    it("an account of no environment gets nothing (no default role)", async () => {
        assert.equal(await enforce("someone", "applications", "get", "services-dev/example-api-dev"), false);
    });
});
