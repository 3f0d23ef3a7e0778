import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadStackConfig } from "../stacks/config";
import { configErrorOf, stackConfig, type Overrides } from "./support/config";

/** The problems a dev config with these overrides loads with, as `key: problem`; [] when it loads. */
function problemsOf(overrides: Overrides): { key: string; problem: string; fix: string }[] {
    const problems = configErrorOf(stackConfig("dev", overrides))?.problems ?? [];
    return problems.map(({ key, problem, fix }) => ({ key: key.replace(/^cluster-stack:/, ""), problem, fix }));
}

/** How each service of a dev config with these overrides writes back: the overrides must load. */
function writeBacksOf(overrides: Overrides) {
    return loadStackConfig(stackConfig("dev", overrides)).services.map((s) => [s.name, s.writeBack]);
}

const digest = (imageConstraint: string) => ({ services: [{ name: "api", image: "ghcr.io/example-org/api", updateStrategy: "digest", imageConstraint }] });
const DIGEST_TAG = "the digest strategy tracks one mutable tag, which must be a valid tag name";

describe("config rules: the tag the digest strategy follows", () => {
    for (const tag of ["dev-canary", "v", "_main", `a${"b".repeat(127)}`]) {
        it(`accepts ${tag.length > 20 ? `a tag of ${tag.length} characters` : JSON.stringify(tag)}`, () => assert.deepEqual(problemsOf(digest(tag)), []));
    }
    for (const tag of ["-canary", ".canary", "canary tag", "canary/dev", `a${"b".repeat(128)}`]) {
        it(`refuses ${tag.length > 20 ? `a tag of ${tag.length} characters` : JSON.stringify(tag)}`, () => {
            assert.deepEqual(problemsOf(digest(tag)).map((p) => [p.key, p.problem]), [["services[0].imageConstraint", DIGEST_TAG]]);
        });
    }
});

describe("config rules: the name a bad service name's fix suggests", () => {
    const suggestion = (name: string) => problemsOf({ services: [{ name, image: "ghcr.io/example-org/api" }] }).find((p) => p.key === "services[0].name")?.fix;
    it("lower-cases the name and squeezes each run of other characters into one '-', trimmed at both ends", () => {
        assert.equal(suggestion("My__API.v2"), 'rename the service in Pulumi.dev.yaml, e.g. "my-api-v2"');
        assert.equal(suggestion("--Api--"), 'rename the service in Pulumi.dev.yaml, e.g. "api"');
    });
    it("falls back to example-api when nothing is left", () => {
        assert.equal(suggestion("__"), 'rename the service in Pulumi.dev.yaml, e.g. "example-api"');
    });
});

describe("config rules: allowTags", () => {
    const withAllowTags = (allowTags: string) => ({ services: [{ name: "api", image: "ghcr.io/example-org/api", updateStrategy: "alphabetical", allowTags }] });
    it("any and regexp:<RE2 pattern> load", () => {
        assert.deepEqual(problemsOf(withAllowTags("any")), []);
        assert.deepEqual(problemsOf(withAllowTags("regexp:^main-[0-9]+$")), []);
    });
    it("a bare pattern is refused with the form to write", () => {
        assert.deepEqual(problemsOf(withAllowTags("^main-[0-9]+$")).map((p) => [p.key, p.problem]), [["services[0].allowTags", "must be 'any' or 'regexp:<pattern>'"]]);
    });
    it("the pattern checked is what follows regexp:, on its own", () => {
        assert.deepEqual(problemsOf(withAllowTags("regexp:*-canary")), [
            {
                key: "services[0].allowTags",
                problem: "is not a regular expression Go's RE2 accepts: error parsing regexp: missing argument to repetition operator: `*`",
                fix: "write it as regexp:<pattern>, e.g. regexp:^sha-[0-9a-f]+$",
            },
        ]);
    });
});

describe("config rules: images of one service", () => {
    const repository = (alias: string) => `ghcr.io/example-org/${alias}`;
    const service = (images: Record<string, unknown>[]) => ({ services: [{ name: "platform", images }] });

    it("an image has a Helm or a kustomize target, not both", () => {
        const both = { alias: "web", repository: repository("web"), helm: { name: "web.image.repository", tag: "web.image.tag" }, kustomize: { name: "web" } };
        assert.deepEqual(problemsOf(service([both])), [
            { key: "services[0].images[0].kustomize", problem: "helm and kustomize targets are mutually exclusive", fix: "keep the one matching how the service's manifests are rendered" },
        ]);
    });

    it("one Application renders Helm or kustomize: every image has a kustomize target, or none", () => {
        const mixed = [
            { alias: "web", repository: repository("web"), kustomize: { name: "web" } },
            { alias: "worker", repository: repository("worker"), helm: { name: "worker.image.repository", tag: "worker.image.tag" } },
        ];
        assert.deepEqual(problemsOf(service(mixed)).map((p) => p.key), ["services[0].images[0].kustomize"]);
        const kustomize = [
            { alias: "web", repository: repository("web"), kustomize: { name: "web" } },
            { alias: "worker", repository: repository("worker"), kustomize: { name: "worker" } },
        ];
        assert.deepEqual(problemsOf(service(kustomize)), []);
    });

    it("an image's own digest tag is checked under its own key, and a valid one loads without a service-level tag", () => {
        const digestImage = (constraint: string) => [{ alias: "web", repository: repository("web"), updateStrategy: "digest", constraint, kustomize: { name: "web" } }];
        assert.deepEqual(problemsOf(service(digestImage("dev-canary"))), []);
        assert.deepEqual(problemsOf(service(digestImage("-canary"))).map((p) => [p.key, p.problem]), [["services[0].images[0].constraint", DIGEST_TAG]]);
    });
});

describe("config rules: a service mixing Helm and kustomize images", () => {
    const mixed = (target: string) => ({
        services: [
            {
                name: "platform",
                images: [
                    { alias: "web", repository: "ghcr.io/example-org/web", kustomize: { name: "web" } },
                    { alias: "worker", repository: "ghcr.io/example-org/worker" },
                ],
                writeBack: { method: "git", target },
            },
        ],
    });
    it("is told about the mix once: its images with kustomize make it a kustomize service, whose kustomization target fits", () => {
        assert.deepEqual(problemsOf(mixed("kustomization")).map((p) => p.key), ["services[0].images[0].kustomize"]);
    });
    it("and a helmvalues target is refused for it as for a kustomize service", () => {
        assert.deepEqual(problemsOf(mixed("helmvalues")).find((p) => p.key === "services[0].writeBack.target")?.problem, "a kustomize service writes back to kustomization[:...], not helmvalues");
    });
});

describe("config rules: writeBackPullRequest on needs a service that writes back to git", () => {
    const api = { name: "api", image: "ghcr.io/example-org/api" };
    const web = { name: "web", image: "ghcr.io/example-org/web" };
    const gitWriteBack = { method: "git", branch: "main" };

    it("on, with argocd write-back for every service, is refused with the two ways out", () => {
        assert.deepEqual(problemsOf({ writeBackPullRequest: "on", writeBackMethod: "argocd", services: [api, { ...web, writeBack: { method: "argocd" } }] }), [
            {
                key: "writeBackPullRequest",
                problem: "opens pull requests from git write-back, but writeBackMethod is argocd and no service writes to git",
                fix: "pulumi config set writeBackMethod git -s dev, or pulumi config set writeBackPullRequest auto -s dev",
            },
        ]);
    });
    it("on, with git write-back for the stack, opens pull requests", () => {
        assert.deepEqual(writeBacksOf({ writeBackPullRequest: "on", services: [api] }), [["api", { ...gitWriteBack, pullRequest: "github" }]]);
    });
    it("on, with argocd for the stack, loads when one service writes back to git: that one opens pull requests", () => {
        assert.deepEqual(writeBacksOf({ writeBackPullRequest: "on", writeBackMethod: "argocd", services: [{ ...api, writeBack: { method: "git" } }, web] }), [
            ["api", { ...gitWriteBack, pullRequest: "github" }],
            ["web", { method: "argocd" }],
        ]);
    });
    for (const setting of ["auto", "off"]) {
        it(`${setting}, with argocd write-back everywhere, loads`, () => {
            assert.deepEqual(writeBacksOf({ writeBackPullRequest: setting, writeBackMethod: "argocd", services: [api] }), [["api", { method: "argocd" }]]);
        });
    }
});

describe("config rules: writeBackBranch belongs to git write-back", () => {
    const services = [{ name: "api", image: "ghcr.io/example-org/api" }];
    it("set with git write-back, it is the branch commits go to", () => {
        assert.deepEqual(writeBacksOf({ writeBackMethod: "git", writeBackBranch: "image-updates", services }), [["api", { method: "git", branch: "image-updates" }]]);
    });
    it("argocd write-back without it loads", () => {
        assert.deepEqual(writeBacksOf({ writeBackMethod: "argocd", writeBackBranch: "", services }), [["api", { method: "argocd" }]]);
    });
    it("set with argocd write-back, it is refused", () => {
        assert.deepEqual(problemsOf({ writeBackMethod: "argocd", writeBackBranch: "image-updates", services }), [
            { key: "writeBackBranch", problem: "only applies to git write-back, but writeBackMethod is argocd", fix: "pulumi config rm writeBackBranch -s dev, or pulumi config set writeBackMethod git -s dev" },
        ]);
    });
});
