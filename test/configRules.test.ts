import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configErrorOf, stackConfig, type Overrides } from "./support/config";

/** The problems a dev config with these overrides loads with, as `key: problem`; [] when it loads. */
function problemsOf(overrides: Overrides): { key: string; problem: string; fix: string }[] {
    const problems = configErrorOf(stackConfig("dev", overrides))?.problems ?? [];
    return problems.map(({ key, problem, fix }) => ({ key: key.replace(/^cluster-stack:/, ""), problem, fix }));
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
});

describe("config rules: images of one service", () => {
    const repository = (alias: string) => `ghcr.io/example-org/${alias}`;
    const service = (images: Record<string, unknown>[]) => ({ services: [{ name: "platform", images }] });

    it("an image has a Helm or a kustomize target, not both", () => {
        const both = { alias: "web", repository: repository("web"), helm: { name: "web.image.repository", tag: "web.image.tag" }, kustomize: { name: "web" } };
        assert.deepEqual(problemsOf(service([both])).map((p) => [p.key, p.problem]), [["services[0].images[0].kustomize", "helm and kustomize targets are mutually exclusive"]]);
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
