import { stringify } from "yaml";
import { isWrappedSecret, type ProgramRun, type RecordedResource } from "./mockRuntime";

/** What a secret value becomes in every file the render writes. */
export const REDACTED = "[secret]";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** A Kubernetes object the program declares, as it would be applied. */
export interface Manifest {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    /** Pulumi resource that declares it. */
    resource: RecordedResource;
    /** The object (for a Helm release: the Release resource's inputs), secrets redacted. */
    body: Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object") return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/**
 * Replaces every secret, at any depth, with REDACTED. A secret map of strings (a Secret's
 * `data`/`stringData`, which the Kubernetes SDK makes secret as a whole) keeps its keys, so a
 * reviewer sees which keys exist; every value is masked.
 */
export function redact(value: unknown): unknown {
    if (isWrappedSecret(value)) {
        const inner = reveal(value.value);
        return isPlainObject(inner) && Object.values(inner).every((v) => typeof v === "string")
            ? Object.fromEntries(Object.keys(inner).map((key) => [key, REDACTED]))
            : REDACTED;
    }
    if (Array.isArray(value)) return value.map(redact);
    if (isPlainObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    }
    return value;
}

/** The same value with secrets unwrapped: for tests that check what a secret carries. */
export function reveal(value: unknown): unknown {
    if (isWrappedSecret(value)) return reveal(value.value);
    if (Array.isArray(value)) return value.map(reveal);
    if (isPlainObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** The Kubernetes objects among the registered resources (providers and components are not). */
export function kubernetesManifests(resources: readonly RecordedResource[]): Manifest[] {
    const manifests: Manifest[] = [];
    for (const resource of resources) {
        if (!resource.custom || !resource.type.startsWith("kubernetes:")) continue;
        const body = redact(resource.inputs) as Record<string, unknown>;
        if (resource.type === HELM_RELEASE) {
            manifests.push({
                apiVersion: "helm.sh/v3",
                kind: "Release",
                namespace: body.namespace as string | undefined,
                name: body.name as string,
                resource,
                body,
            });
            continue;
        }
        const metadata = (body.metadata ?? {}) as { name?: string; namespace?: string };
        if (typeof metadata.name !== "string") {
            throw new Error(`${resource.type} '${resource.name}' has no explicit metadata.name; the render (and a reviewer) needs stable names.`);
        }
        manifests.push({
            apiVersion: body.apiVersion as string,
            kind: body.kind as string,
            namespace: metadata.namespace,
            name: metadata.name,
            resource,
            body,
        });
    }
    return manifests;
}

/** `<kind>-<namespace>-<name>.yaml`, `_` for cluster-scoped objects. */
export function manifestFileName(manifest: Pick<Manifest, "kind" | "namespace" | "name">): string {
    return `${manifest.kind.toLowerCase()}-${manifest.namespace ?? "_"}-${manifest.name}.yaml`;
}

/** Every file of a render, by path relative to the output directory. */
export function renderFiles(run: ProgramRun): Map<string, string> {
    const files = new Map<string, string>();
    for (const manifest of kubernetesManifests(run.resources)) {
        const patch = manifest.resource.type.endsWith("Patch");
        const file = `manifests/${patch ? "patch-" : ""}${manifestFileName(manifest)}`;
        if (files.has(file)) {
            throw new Error(`Two resources declare the same Kubernetes object ${manifest.kind} ${manifest.namespace ?? ""}/${manifest.name}.`);
        }
        const header =
            manifest.kind === "Release"
                ? `# Helm release declared by ${manifest.resource.type} '${manifest.resource.name}'\n`
                : patch
                  ? `# Server-side apply patch (${manifest.resource.type} '${manifest.resource.name}'): only these fields, on the existing object\n`
                  : "";
        files.set(file, header + stringify(manifest.body, { lineWidth: 0 }));
    }
    const resources = run.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent || undefined,
        dependsOn: r.dependsOn.length > 0 ? r.dependsOn : undefined,
        ignoreChanges: r.ignoreChanges.length > 0 ? r.ignoreChanges : undefined,
        // What deleting or replacing it does, always written so a reviewer sees what is unprotected too.
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        deletedWith: r.deletedWith || undefined,
        deleteBeforeReplace: r.deleteBeforeReplace,
        inputs: redact(r.inputs),
    }));
    files.set("resources.json", `${JSON.stringify(resources, null, 2)}\n`);
    const outputs = Object.fromEntries(Object.entries(run.outputs).map(([k, o]) => [k, o.secret ? REDACTED : redact(o.value)]));
    files.set("outputs.json", `${JSON.stringify(outputs, null, 2)}\n`);
    return files;
}
