import { kubernetesManifests, reveal, type Manifest } from "../../scripts/render/manifests";
import type { RecordedResource } from "../../scripts/render/mockRuntime";

/**
 * Who can obtain each credential the program keeps in Vault, computed from what it registers,
 * the way the cluster and Vault would decide it:
 * - through a store: anyone who can create an ExternalSecret in a namespace (every namespace
 *   editor: ESO's chart aggregates that into the built-in `edit` role) reads every Vault path the
 *   store's role can read, if the store serves that namespace (a SecretStore only its own; a
 *   ClusterSecretStore every namespace unless `spec.conditions` say otherwise);
 * - through Vault directly: anyone who can create a Pod in a namespace can present a token of a
 *   service account there, so a Kubernetes-auth role bound to that namespace is theirs too.
 * A Secret ESO writes into a namespace is covered by the first rule: its ExternalSecret only
 * syncs where its store serves.
 */

/** A namespace of the cluster as the analysis sees it. */
export interface ClusterNamespace {
    name: string;
    labels: Record<string, string>;
}

/** A Vault KV v2 secret by `<mount>/<path>` (no `/data/`). */
export type CredentialPath = string;

interface LabelSelector {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics: every matchLabels entry and every expression must hold. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
    const plain = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    const expressions = (selector.matchExpressions ?? []).every((e) => {
        const has = e.key in labels;
        switch (e.operator) {
            case "In":
                return has && (e.values ?? []).includes(labels[e.key]);
            case "NotIn":
                return !has || !(e.values ?? []).includes(labels[e.key]);
            case "Exists":
                return has;
            case "DoesNotExist":
                return !has;
            default:
                throw new Error(`unknown selector operator ${e.operator}`);
        }
    });
    return plain && expressions;
}

interface StoreCondition {
    namespaceSelector?: LabelSelector;
    namespaces?: string[];
    namespaceRegexes?: string[];
}

/** ESO: a ClusterSecretStore serves a namespace if it has no conditions, or any one condition admits it. */
function conditionAdmits(condition: StoreCondition, namespace: ClusterNamespace): boolean {
    if (condition.namespaceSelector && selectorMatches(condition.namespaceSelector, namespace.labels)) return true;
    if (condition.namespaces?.includes(namespace.name)) return true;
    return (condition.namespaceRegexes ?? []).some((pattern) => new RegExp(pattern).test(namespace.name));
}

function storeServes(store: Manifest, namespace: ClusterNamespace): boolean {
    if (store.kind === "SecretStore") return store.namespace === namespace.name;
    const conditions = ((store.body.spec as { conditions?: StoreCondition[] }).conditions ?? []) as StoreCondition[];
    return conditions.length === 0 || conditions.some((c) => conditionAdmits(c, namespace));
}

/** A Vault policy path glob: `*` only at the end (prefix), `+` one segment. */
function vaultPathMatches(pattern: string, path: string): boolean {
    const regex = pattern
        .split("")
        .map((c, i) => (c === "*" && i === pattern.length - 1 ? ".*" : c === "+" ? "[^/]+" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${regex}$`).test(path);
}

/** The `path "<glob>" { capabilities = [...] }` blocks of an HCL policy that grant read. */
export function readablePathGlobs(policy: string): string[] {
    const blocks = [...policy.matchAll(/path\s+"([^"]+)"\s*\{([^}]*)\}/g)];
    return blocks.filter(([, , body]) => /capabilities\s*=\s*\[[^\]]*"(read|sudo)"/.test(body)).map(([, glob]) => glob);
}

interface VaultRole {
    backend: string;
    roleName: string;
    names: string[];
    namespaces: string[];
    policies: string[];
}

function registered(resources: readonly RecordedResource[], type: string): Record<string, unknown>[] {
    return resources.filter((r) => r.custom && r.type === type).map((r) => reveal(r.inputs) as Record<string, unknown>);
}

/** Every Vault object and store the registered resources declare, indexed for the analysis. */
class Cluster {
    readonly stores: Manifest[];
    readonly roles: VaultRole[];
    readonly policies = new Map<string, string>();
    readonly credentials = new Set<CredentialPath>();

    constructor(resources: readonly RecordedResource[]) {
        const manifests = kubernetesManifests(resources);
        this.stores = manifests.filter((m) => m.kind === "SecretStore" || m.kind === "ClusterSecretStore");
        this.roles = registered(resources, "vault:kubernetes/authBackendRole:AuthBackendRole").map((r) => ({
            backend: String(r.backend),
            roleName: String(r.roleName),
            names: (r.boundServiceAccountNames as string[]) ?? [],
            namespaces: (r.boundServiceAccountNamespaces as string[]) ?? [],
            policies: (r.tokenPolicies as string[]) ?? [],
        }));
        for (const p of registered(resources, "vault:index/policy:Policy")) this.policies.set(String(p.name), String(p.policy));
        for (const s of registered(resources, "vault:kv/secretV2:SecretV2")) this.credentials.add(`${String(s.mount)}/${String(s.name)}`);
        for (const [path] of this.referencedCredentials(manifests)) this.credentials.add(path);
    }

    /** Credentials ExternalSecrets read, with the manifest reading each. */
    referencedCredentials(manifests: readonly Manifest[]): [CredentialPath, Manifest][] {
        const found: [CredentialPath, Manifest][] = [];
        for (const m of manifests) {
            const spec = externalSecretSpec(m);
            if (!spec) continue;
            const store = this.storeOf(m, spec);
            const mount = store ? String(((store.body.spec as any).provider.vault as { path: string }).path) : "?";
            for (const d of (spec.data ?? []) as { remoteRef: { key: string } }[]) found.push([`${mount}/${d.remoteRef.key}`, m]);
        }
        return found;
    }

    storeOf(owner: Manifest, spec: Record<string, any>): Manifest | undefined {
        const ref = spec.secretStoreRef as { kind: string; name: string };
        return this.stores.find((s) => s.kind === ref.kind && s.name === ref.name && (s.kind === "ClusterSecretStore" || s.namespace === owner.namespace));
    }

    /** Vault paths a role bound to `<namespace>/<serviceAccount>` at `backend` can read. */
    readableBy(backend: string, role: string | undefined, namespace: string, serviceAccount: string | undefined): CredentialPath[] {
        const roles = this.roles.filter(
            (r) =>
                r.backend === backend &&
                (role === undefined || r.roleName === role) &&
                (r.namespaces.includes(namespace) || r.namespaces.includes("*")) &&
                (serviceAccount === undefined || r.names.includes(serviceAccount) || r.names.includes("*")),
        );
        const globs = roles.flatMap((r) => r.policies.flatMap((p) => readablePathGlobs(this.policies.get(p) ?? "")));
        return [...this.credentials].filter((c) => {
            const [mount, ...rest] = c.split("/");
            return globs.some((g) => vaultPathMatches(g, `${mount}/data/${rest.join("/")}`));
        });
    }

    /** What a store can read: its role, logged in as its service account. */
    readableThroughStore(store: Manifest): CredentialPath[] {
        const vault = (store.body.spec as any).provider?.vault;
        if (!vault) return [];
        const kubernetes = vault.auth?.kubernetes;
        if (!kubernetes) return [];
        const account = kubernetes.serviceAccountRef as { name: string; namespace?: string };
        // A namespaced store can only use service accounts of its own namespace.
        const namespace = store.kind === "SecretStore" ? store.namespace! : account.namespace!;
        return this.readableBy(kubernetes.mountPath, kubernetes.role, namespace, account.name).filter((c) => c.startsWith(`${vault.path}/`));
    }
}

/** The `spec` an ExternalSecret (or a ClusterExternalSecret's template) declares, else undefined. */
export function externalSecretSpec(m: Manifest): Record<string, any> | undefined {
    if (m.kind === "ExternalSecret") return m.body.spec as Record<string, any>;
    if (m.kind === "ClusterExternalSecret") return (m.body.spec as Record<string, any>).externalSecretSpec;
    return undefined;
}

/** For every credential in Vault, the namespaces from which it can be obtained. */
export function blastRadius(resources: readonly RecordedResource[], namespaces: readonly ClusterNamespace[]): Map<CredentialPath, Set<string>> {
    const cluster = new Cluster(resources);
    const reach = new Map<CredentialPath, Set<string>>([...cluster.credentials].map((c) => [c, new Set<string>()]));
    for (const namespace of namespaces) {
        const obtained = [
            ...cluster.stores.filter((s) => storeServes(s, namespace)).flatMap((s) => cluster.readableThroughStore(s)),
            ...[...new Set(cluster.roles.map((r) => r.backend))].flatMap((backend) => cluster.readableBy(backend, undefined, namespace.name, undefined)),
        ];
        for (const c of obtained) reach.get(c)!.add(namespace.name);
    }
    return reach;
}

/** Credentials by what the program uses them for, from the objects that consume them. */
export function credentialsByPurpose(resources: readonly RecordedResource[]): Record<"git" | "pull" | "notifications", Set<CredentialPath>> {
    const cluster = new Cluster(resources);
    const purposes = { git: new Set<CredentialPath>(), pull: new Set<CredentialPath>(), notifications: new Set<CredentialPath>() };
    for (const [path, m] of cluster.referencedCredentials(kubernetesManifests(resources))) {
        const target = externalSecretSpec(m)!.target ?? {};
        const template = target.template ?? {};
        if (template.type === "kubernetes.io/dockerconfigjson") purposes.pull.add(path);
        else if (template.metadata?.labels?.["argocd.argoproj.io/secret-type"] !== undefined) purposes.git.add(path);
        else if (target.name === "argocd-notifications-secret") purposes.notifications.add(path);
        else if (/git/.test(String(target.name))) purposes.git.add(path);
    }
    return purposes;
}

/**
 * The namespaces of the cluster the resources describe: every namespace an object names or
 * an Application deploys to (with the labels Argo CD puts on it), plus the extra ones given.
 */
export function clusterNamespaces(resources: readonly RecordedResource[], extra: readonly ClusterNamespace[] = []): ClusterNamespace[] {
    const byName = new Map<string, ClusterNamespace>();
    const add = (name: string, labels: Record<string, string> = {}) => {
        const known = byName.get(name) ?? { name, labels: {} };
        byName.set(name, { name, labels: { ...known.labels, ...labels } });
    };
    for (const m of kubernetesManifests(resources)) {
        if (m.kind === "Namespace") add(m.name, ((m.body.metadata as any).labels ?? {}) as Record<string, string>);
        if (m.namespace) add(m.namespace);
        if (m.kind === "Application") {
            const spec = m.body.spec as any;
            add(spec.destination.namespace, spec.syncPolicy?.managedNamespaceMetadata?.labels ?? {});
        }
    }
    for (const n of extra) add(n.name, n.labels);
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
