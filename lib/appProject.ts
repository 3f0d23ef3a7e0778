import type { GroupKind } from "../model/stackConfig";

/**
 * What a deploy-repo commit may create through one environment's AppProject. Argo CD v3.4
 * (AppProject.IsGroupKindNamePermitted) admits a namespaced kind when it matches the whitelist
 * and not the blacklist, and a cluster-scoped kind only when the cluster whitelist names it.
 */

/**
 * Namespaced kinds a service chart may create by default: workloads and what they need inside
 * their own namespace. Nothing that grants rights (RBAC), reads credentials from a store (ESO),
 * steers Argo CD or Image Updater, or lifts the namespace's limits. More per stack with
 * `projectAdmitKinds`.
 */
export const DEFAULT_ADMITTED_KINDS: readonly GroupKind[] = [
    { group: "", kind: "ConfigMap" },
    { group: "", kind: "Secret" },
    { group: "", kind: "Service" },
    { group: "", kind: "ServiceAccount" },
    { group: "", kind: "PersistentVolumeClaim" },
    { group: "", kind: "Pod" },
    { group: "apps", kind: "Deployment" },
    { group: "apps", kind: "StatefulSet" },
    { group: "batch", kind: "Job" },
    { group: "batch", kind: "CronJob" },
    { group: "autoscaling", kind: "HorizontalPodAutoscaler" },
    { group: "policy", kind: "PodDisruptionBudget" },
    { group: "networking.k8s.io", kind: "Ingress" },
    { group: "networking.k8s.io", kind: "NetworkPolicy" },
];

/**
 * Kinds that let a chart escalate beyond its namespace's workloads; blacklisted so no admit
 * entry can bring them back, and refused in `projectAdmitKinds`.
 */
export const ESCALATING_KINDS: readonly (GroupKind & { why: string })[] = [
    { group: "rbac.authorization.k8s.io", kind: "*", why: "grants Kubernetes API rights (Roles, RoleBindings)" },
    { group: "external-secrets.io", kind: "*", why: "reads credentials out of Vault through a store (ExternalSecret, SecretStore, PushSecret)" },
    { group: "generators.external-secrets.io", kind: "*", why: "mints credentials through ESO generators" },
    { group: "argoproj.io", kind: "*", why: "creates Argo CD Applications or projects, deploying outside this project" },
    { group: "argocd-image-updater.argoproj.io", kind: "*", why: "points Image Updater, and its git credentials, at other Applications" },
    { group: "", kind: "ResourceQuota", why: "lifts the namespace's resource limits" },
    { group: "", kind: "LimitRange", why: "lifts the namespace's default limits" },
    { group: "", kind: "Endpoints", why: "routes a Service to any address, the control plane included (CVE-2021-25740)" },
    { group: "discovery.k8s.io", kind: "EndpointSlice", why: "routes a Service to any address, the control plane included (CVE-2021-25740)" },
];

/**
 * The escalating entry a kind falls under, if any. Config admits exact kinds only, so the one
 * pattern to honour is the blacklist's own `*`: every kind of the group.
 */
export function escalatingKind(candidate: GroupKind): (GroupKind & { why: string }) | undefined {
    return ESCALATING_KINDS.find((entry) => entry.group === candidate.group && (entry.kind === "*" || entry.kind === candidate.kind));
}

/** Inputs of one environment's AppProject spec. */
export interface AppProjectInputs {
    /** The only repository its Applications may read. */
    deployRepoUrl: string;
    /** The destination namespaces (`<service>-<environment>`), created by the stack, not by Argo CD. */
    destinationNamespaces: readonly string[];
    /** Namespaced kinds admitted beyond DEFAULT_ADMITTED_KINDS. */
    admittedKinds: readonly GroupKind[];
}

/**
 * `spec` of the AppProject. No cluster-scoped kind is admitted, not even the destination
 * Namespace: a chart that ships its own Namespace object replaces the one Argo CD would create
 * (gitops-engine autoCreateNamespace), so it could relabel it, e.g. to privileged pod security
 * or to another environment's pull-secret label. The stack creates the namespaces instead.
 */
export function appProjectSpec(inputs: AppProjectInputs, description: string): Record<string, unknown> {
    const whitelist = [...DEFAULT_ADMITTED_KINDS, ...inputs.admittedKinds].map(({ group, kind }) => ({ group, kind }));
    return {
        description,
        sourceRepos: [inputs.deployRepoUrl],
        destinations: inputs.destinationNamespaces.map((namespace) => ({ server: "https://kubernetes.default.svc", namespace })),
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: whitelist,
        namespaceResourceBlacklist: ESCALATING_KINDS.map(({ group, kind }) => ({ group, kind })),
    };
}
