import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goCleanPath, goJoinPath, leavesRepository, resolveWriteBackTarget, type WriteBackApplication, type WriteBackDestination } from "../lib/writeBackTarget";
import { upstreamDestinations, type UpstreamCase } from "./support/upstreamWriteBack";

// Expected values are what Go 1.19's path.Clean / path.Join return (the first rows are the examples
// in Go's documentation); the rows marked "node" are where Node's path.posix answers differently.
const CLEAN: [string, string][] = [
    ["a/c", "a/c"],
    ["a//c", "a/c"],
    ["a/c/.", "a/c"],
    ["a/c/b/..", "a/c"],
    ["/../a/c", "/a/c"],
    ["/../a/b/../././/c", "/a/c"],
    ["", "."],
    ["..", ".."],
    ["a/../..", ".."],
    ["../a/../b", "../b"],
    ["/..", "/"],
    ["/", "/"],
    ["./", "."],
    ["a/b/", "a/b"], // node: a/b/
    ["//a//", "/a"], // node: /a/
];

const JOIN: [string[], string][] = [
    [["a", "b", "c"], "a/b/c"],
    [["a/b", "/c"], "a/b/c"],
    [["a/b", "../../../xyz"], "../xyz"],
    [["a", ""], "a"],
    [["", "a"], "a"],
    [["", "/a"], "/a"],
    [[".", ""], "."],
    [["", ""], ""], // node: .
    [[], ""], // node: .
    [["a/", "b/"], "a/b"], // node: a/b/
    [["", "", "x/"], "x"], // node: x/
];

describe("Go path semantics", () => {
    for (const [input, expected] of CLEAN) {
        it(`path.Clean(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => assert.equal(goCleanPath(input), expected));
    }
    for (const [input, expected] of JOIN) {
        it(`path.Join(${input.map((e) => JSON.stringify(e)).join(", ")}) = ${JSON.stringify(expected)}`, () => assert.equal(goJoinPath(...input), expected));
    }
});

const api = (sourcePath: string, namespaces: Partial<WriteBackApplication> = {}): Required<WriteBackApplication> => ({
    name: "api-dev",
    sourcePath,
    namespace: "argocd",
    updaterNamespace: "argocd",
    ...namespaces,
});

interface ResolverCase extends UpstreamCase {
    name: string;
    expected: WriteBackDestination;
}

const file = (target: string, path = target): WriteBackDestination => ({ kind: "file", target, path });
const kustomization = (target: string, path = target): WriteBackDestination => ({ kind: "kustomization", target, path });

const RESOLVER: ResolverCase[] = [
    { name: "no target: .argocd-source-<app>.yaml in the source path", app: api("services/api"), expected: file("services/api/.argocd-source-api-dev.yaml") },
    {
        name: "no target, Application outside the updater's namespace: the name carries its namespace",
        app: api("services/api", { namespace: "apps" }),
        expected: file("services/api/.argocd-source-apps_api-dev.yaml"),
    },
    {
        name: "no target, updater in namespace default: the plain name",
        app: api("services/api", { namespace: "apps", updaterNamespace: "default" }),
        expected: file("services/api/.argocd-source-api-dev.yaml"),
    },
    { name: "bare helmvalues: the shared values.yaml", target: "helmvalues", app: api("services/api"), expected: file("services/api/values.yaml") },
    { name: "helmvalues:<file> under the source path", target: "helmvalues:values-dev.yaml", app: api("services/api"), expected: file("services/api/values-dev.yaml") },
    { name: "helmvalues:/<file> from the repository root", target: "helmvalues:/services/api/values-dev.yaml", app: api("services/api"), expected: file("services/api/values-dev.yaml") },
    { name: "helmvalues:../ escapes the source path", target: "helmvalues:../other/values-prd.yaml", app: api("services/api"), expected: file("services/other/values-prd.yaml") },
    { name: "helmvalues:../../../ leaves the repository", target: "helmvalues:../../../x.yaml", app: api("services/api"), expected: file("../x.yaml") },
    {
        name: "a rooted target is not cleaned, but the commit path is",
        target: "helmvalues:/services/api/../other/values-dev.yaml",
        app: api("services/api"),
        expected: file("services/api/../other/values-dev.yaml", "services/other/values-dev.yaml"),
    },
    { name: "a rooted target can leave the repository too", target: "helmvalues:/../x.yaml", app: api("services/api"), expected: file("../x.yaml") },
    { name: "helmvalues:/ is the repository root itself", target: "helmvalues:/", app: api("services/api"), expected: file("", ".") },
    { name: "a double slash is repository-rooted, not absolute", target: "helmvalues://etc/x.yaml", app: api("services/api"), expected: file("/etc/x.yaml", "etc/x.yaml") },
    { name: "a trailing slash on the source path is cleaned away", target: "helmvalues:values-dev.yaml", app: api("./services/api/"), expected: file("services/api/values-dev.yaml") },
    { name: "bare kustomization: the source path itself", target: "kustomization", app: api("services/api/overlays/dev"), expected: kustomization("services/api/overlays/dev") },
    {
        name: "kustomization:<dir> under the source path (an overlay path twice)",
        target: "kustomization:overlays/dev",
        app: api("services/api/overlays/dev"),
        expected: kustomization("services/api/overlays/dev/overlays/dev"),
    },
    { name: "kustomization:../../base reaches the shared base", target: "kustomization:../../base", app: api("services/api/overlays/dev"), expected: kustomization("services/api/base") },
    { name: "kustomization:/ is the repository root", target: "kustomization:/", app: api("services/api/overlays/dev"), expected: kustomization("", ".") },
    { name: "any other target is a file path taken verbatim", target: "deploy/values.yaml", app: api("services/api"), expected: file("deploy/values.yaml") },
    {
        name: "the character after the prefix is skipped, colon or not",
        target: "helmvalues-values-dev.yaml",
        app: api("services/api"),
        expected: file("services/api/values-dev.yaml"),
    },
];

describe("resolveWriteBackTarget: Image Updater v1.2.2's resolution", () => {
    for (const c of RESOLVER) {
        it(c.name, () => assert.deepEqual(resolveWriteBackTarget(c.target, c.app), c.expected));
    }

    it("no target and no namespaces given (how the config rules ask): the plain name, as for an Application in the updater's namespace", () => {
        assert.deepEqual(resolveWriteBackTarget(undefined, { name: "api-dev", sourcePath: "services/api" }), file("services/api/.argocd-source-api-dev.yaml"));
        assert.deepEqual(resolveWriteBackTarget(undefined, { name: "api-dev", sourcePath: "services/api", updaterNamespace: "argocd" }), file("services/api/.argocd-source-api-dev.yaml"));
    });

    it("these expectations are what Image Updater's rule gives with Go's own path functions", () => {
        assert.deepEqual(upstreamDestinations(RESOLVER), RESOLVER.map((c) => c.expected));
    });

    it("agrees with Image Updater's rule on Go's path functions for every combination of awkward targets, paths and namespaces", () => {
        const targets = [
            undefined,
            "helmvalues",
            "helmvalues:",
            "helmvalues:.",
            "helmvalues:sub/",
            "helmvalues:./a/./b/../c.yaml",
            "helmvalues:/services/a/values-dev.yaml",
            "helmvalues:/../../x",
            "helmvalues:../../../../x",
            "kustomization",
            "kustomization:",
            "kustomization:.",
            "kustomization:../prd/",
            "kustomization:/services/a/overlays/prd/",
            "values.yaml",
        ];
        const sourcePaths = ["services/a", "services/a/", "./services/a", "/services/a", "services//a/./overlays/../overlays/dev", "", ".", "..", "/"];
        const namespaces: Partial<WriteBackApplication>[] = [{}, { namespace: "apps" }, { namespace: "apps", updaterNamespace: "default" }, { namespace: "" }];
        const cases: UpstreamCase[] = targets.flatMap((target) => sourcePaths.flatMap((sourcePath) => namespaces.map((ns) => ({ target, app: api(sourcePath, ns) }))));
        const upstream = upstreamDestinations(cases);
        cases.forEach((c, i) => {
            assert.deepEqual(resolveWriteBackTarget(c.target, c.app), upstream[i], `${JSON.stringify(c.target)} on ${JSON.stringify(c.app)}`);
        });
    });
});

describe("leavesRepository", () => {
    it("is true only for a path above the repository root", () => {
        const at = (target: string) => leavesRepository(resolveWriteBackTarget(target, api("services/api")));
        assert.equal(at("helmvalues:../../../x.yaml"), true);
        assert.equal(at("helmvalues:../../.."), true);
        assert.equal(at("helmvalues:/../x.yaml"), true);
        assert.equal(at("helmvalues:../../..x.yaml"), false, "a file named ..x.yaml at the root stays inside");
        assert.equal(at("helmvalues:/"), false);
        assert.equal(at("helmvalues:values-dev.yaml"), false);
    });
});
