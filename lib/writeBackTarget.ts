import type { WriteBack } from "../model/stackConfig";

/*
 * Where Argo CD Image Updater v1.2.2 commits a git write-back, computed as it does:
 * pkg/argocd/argocd.go newWBCFromSettings picks the parser by prefix, pkg/argocd/update.go
 * parseTarget / parseKustomizeBase / parseDefaultTarget resolve against the Application's source
 * path, and pkg/argocd/git.go joins the result onto the clone. None of them rejects `..`, so a
 * target can land in another directory, or outside the repository.
 */

const HELM_PREFIX = "helmvalues";
const KUSTOMIZATION_PREFIX = "kustomization";
const DEFAULT_HELM_VALUES_FILE = "values.yaml";

/**
 * Go's `path.Clean`: one slash between elements, no `.`, each `..` removing the element before
 * it; `..` past the start is kept in a relative path and dropped in a rooted one; no trailing
 * slash; `.` for an empty result.
 */
export function goCleanPath(path: string): string {
    const rooted = path.startsWith("/");
    const kept: string[] = [];
    for (const element of path.split("/")) {
        if (element === "" || element === ".") continue;
        if (element !== "..") kept.push(element);
        else if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
        else if (!rooted) kept.push("..");
    }
    const cleaned = (rooted ? "/" : "") + kept.join("/");
    return cleaned === "" ? "." : cleaned;
}

/**
 * Go's `path.Join`, which is also `filepath.Join` on Linux where Image Updater runs: the
 * non-empty elements joined by `/` and cleaned; `""` when every element is empty.
 */
export function goJoinPath(...elements: string[]): string {
    const present = elements.filter((element) => element !== "");
    return present.length === 0 ? "" : goCleanPath(present.join("/"));
}

/** The Application a write-back belongs to, as Image Updater reads it. */
export interface WriteBackApplication {
    /** `metadata.name`. */
    name: string;
    /** `spec.source.path`: relative targets resolve against it. */
    sourcePath: string;
    /** `metadata.namespace`; default: the updater's. */
    namespace?: string;
    /** Namespace Image Updater runs in; default: the Application's. */
    updaterNamespace?: string;
}

/** What a git write-back commit changes. */
export interface WriteBackDestination {
    /** A file (Helm values, or `.argocd-source-*` parameter overrides), or a directory whose kustomization Image Updater edits. */
    kind: "file" | "kustomization";
    /** As Image Updater holds it (`Target` or `KustomizeBase`): a target starting with `/` is only stripped of it, not cleaned. */
    target: string;
    /** Relative to the repository root, cleaned as the clone path is joined on; starts with `../` when it leaves the repository. */
    path: string;
}

/**
 * `.argocd-source-<app>.yaml` in the source path; when the Application lives outside the
 * updater's namespace (and the updater's is not `default`) the name carries it:
 * `.argocd-source-<namespace>_<app>.yaml`.
 */
function defaultTarget(app: WriteBackApplication): string {
    const namespace = app.namespace ?? "";
    const updaterNamespace = app.updaterNamespace ?? namespace;
    const plain = namespace === updaterNamespace || updaterNamespace === "default" || namespace === "";
    return goJoinPath(app.sourcePath, plain ? `.argocd-source-${app.name}.yaml` : `.argocd-source-${namespace}_${app.name}.yaml`);
}

/** `<prefix>` alone resolves to `bare`; `<prefix>:/<p>` to `<p>` from the repository root; `<prefix>:<p>` to `<p>` under the source path. */
function prefixedTarget(target: string, prefix: string, sourcePath: string, bare: string): string {
    if (target === prefix) return bare;
    // Upstream skips one character after the prefix without checking that it is the colon.
    const base = target.slice(prefix.length + 1);
    return base.startsWith("/") ? base.slice(1) : goJoinPath(sourcePath, base);
}

/**
 * Resolves `writeBackConfig.gitConfig.writeBackTarget` (undefined: none set) for an Application
 * exactly as Image Updater v1.2.2 does for git write-back.
 */
export function resolveWriteBackTarget(target: WriteBack["target"], app: WriteBackApplication): WriteBackDestination {
    let kind: WriteBackDestination["kind"] = "file";
    let resolved: string;
    if (target === undefined) {
        resolved = defaultTarget(app);
    } else if (target.startsWith(KUSTOMIZATION_PREFIX)) {
        kind = "kustomization";
        resolved = prefixedTarget(target, KUSTOMIZATION_PREFIX, app.sourcePath, goJoinPath(app.sourcePath, "."));
    } else if (target.startsWith(HELM_PREFIX)) {
        resolved = prefixedTarget(target, HELM_PREFIX, app.sourcePath, goJoinPath(app.sourcePath, DEFAULT_HELM_VALUES_FILE));
    } else {
        resolved = target;
    }
    // git.go joins the target onto the clone's root: goJoinPath(".", t) is that path relative to the root.
    return { kind, target: resolved, path: goJoinPath(".", resolved) };
}

/** Whether a destination's path leaves the repository (`..` past its root). */
export function leavesRepository(destination: WriteBackDestination): boolean {
    return destination.path === ".." || destination.path.startsWith("../");
}
