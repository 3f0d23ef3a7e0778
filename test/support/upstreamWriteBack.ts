import { spawnSync } from "node:child_process";
import path from "node:path";
import type { WriteBackApplication, WriteBackDestination } from "../../lib/writeBackTarget";

const SOURCE = path.join(__dirname, "gopath", "main.go");

type GoCall = { fn: "path.Join" | "filepath.Join" | "filepath.Rel"; args: string[] };

/** Go's own answers to the calls, in order (test/support/gopath/main.go; standard library only). */
function go(calls: readonly GoCall[]): string[] {
    const result = spawnSync("go", ["run", SOURCE], {
        input: JSON.stringify(calls),
        encoding: "utf8",
        env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOFLAGS: "" },
    });
    if (result.error) throw new Error(`cannot run go (${result.error.message}): install Go (Debian: apt-get install golang-go; \`bash .ci/run\` does it)`);
    if (result.status !== 0) throw new Error(`the Go path harness failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
}

/** One write-back target to resolve, for an Application with both namespaces spelled out. */
export interface UpstreamCase {
    target?: string;
    app: Required<WriteBackApplication>;
}

/** A clone root deep enough that the tests' `..` escapes do not reach "/". */
const CLONE_ROOT = "/tmp/a/b/c/d/e/f/g/h/clone";

/**
 * How Image Updater v1.2.2 turns a target into what it writes, as read in its source
 * (pkg/argocd/argocd.go chooses by prefix, kustomization first; pkg/argocd/update.go resolves;
 * pkg/argocd/git.go joins onto the clone), stated here with every path operation left to Go:
 * - no target: `<source>/.argocd-source-<app>.yaml`, or `-<namespace>_<app>` when the
 *   Application is outside the updater's namespace and that is not `default`;
 * - `kustomization`: the source path; `kustomization?<dir>` (the character after the prefix is
 *   skipped unchecked): `<dir>` without its leading `/` if it has one, else `<source>/<dir>`;
 * - `helmvalues`: `<source>/values.yaml`; `helmvalues?<file>` the same way as kustomization;
 * - anything else: the target as written.
 * The written path is the target joined onto the clone (path.Join for files, filepath.Join for a
 * kustomization), made relative to the clone again.
 */
export function upstreamDestinations(cases: readonly UpstreamCase[]): WriteBackDestination[] {
    const targets = cases.map(({ target, app }): { kind: WriteBackDestination["kind"]; call?: GoCall; verbatim?: string } => {
        const base = (prefix: string) => target!.slice(prefix.length + 1);
        if (target === undefined) {
            const local = app.namespace === app.updaterNamespace || app.updaterNamespace === "default" || app.namespace === "";
            const file = local ? `.argocd-source-${app.name}.yaml` : `.argocd-source-${app.namespace}_${app.name}.yaml`;
            return { kind: "file", call: { fn: "filepath.Join", args: [app.sourcePath, file] } };
        }
        for (const [prefix, kind, bare] of [
            ["kustomization", "kustomization", ["."]],
            ["helmvalues", "file", ["./", "values.yaml"]],
        ] as const) {
            if (!target.startsWith(prefix)) continue;
            if (target === prefix) return { kind, call: { fn: "filepath.Join", args: [app.sourcePath, ...bare] } };
            return base(prefix).startsWith("/") ? { kind, verbatim: base(prefix).slice(1) } : { kind, call: { fn: "filepath.Join", args: [app.sourcePath, base(prefix)] } };
        }
        return { kind: "file", verbatim: target };
    });
    const joined = go(targets.flatMap((t) => (t.call ? [t.call] : [])));
    let next = 0;
    const resolved = targets.map((t) => ({ kind: t.kind, target: t.call ? joined[next++] : t.verbatim! }));
    const full = go(resolved.map((r) => ({ fn: r.kind === "kustomization" ? "filepath.Join" : "path.Join", args: [CLONE_ROOT, r.target] })));
    const relative = go(full.map((f) => ({ fn: "filepath.Rel", args: [CLONE_ROOT, f] })));
    return resolved.map((r, i) => ({ ...r, path: relative[i] }));
}
