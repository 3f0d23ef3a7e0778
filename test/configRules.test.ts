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
