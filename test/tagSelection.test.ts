import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chooseTag, eligibleTags } from "../lib/tagSelection";
import type { TagPolicy } from "../lib/tagSelection";

function image(overrides: Partial<TagPolicy>): TagPolicy {
    return { constraint: "~1", updateStrategy: "semver", ...overrides };
}

describe("tag selection: filters", () => {
    const tags = ["1.0.0", "company-1.1.0", "latest", "1.2.0"];
    it("allowTags: any lets every tag through, as no allowTags does", () => {
        assert.deepEqual(eligibleTags(image({ allowTags: "any" }), tags), tags);
        assert.deepEqual(eligibleTags(image({}), tags), tags);
    });
    it("a regexp is searched anywhere in the tag unless anchored", () => {
        assert.deepEqual(eligibleTags(image({ allowTags: "regexp:1\\.1" }), tags), ["company-1.1.0"]);
    });
    it("an ignoreTags glob must match the whole tag", () => {
        assert.deepEqual(eligibleTags(image({ ignoreTags: ["1.*"] }), tags), ["company-1.1.0", "latest"]);
        assert.deepEqual(eligibleTags(image({ ignoreTags: ["1.0.0"] }), ["1.0.0", "1x0x0", "11.0.0"]), ["1x0x0", "11.0.0"], "a dot is literal");
    });
});

describe("tag selection: no eligible tag", () => {
    const tags = ["1.0.0", "1.1.0"];
    for (const updateStrategy of ["alphabetical", "newest-build"] as const) {
        it(`${updateStrategy} says that allowTags/ignoreTags left nothing`, () => {
            assert.deepEqual(chooseTag(image({ updateStrategy, ignoreTags: ["*"] }), tags), { note: "no tag passes allowTags/ignoreTags" });
            assert.deepEqual(chooseTag(image({ updateStrategy, allowTags: "regexp:^v" }), []), { note: "no tag passes allowTags/ignoreTags" });
        });
    }
    it("semver names the constraint nothing satisfies", () => {
        assert.deepEqual(chooseTag(image({ allowTags: "regexp:^v" }), tags), { note: "no tag satisfies ~1" });
    });
});

describe("tag selection: newest-build order", () => {
    it("the latest build date wins whatever the listed order", () => {
        const policy = image({ updateStrategy: "newest-build" });
        assert.deepEqual(chooseTag(policy, ["b", "a", "c"], [30, 10, 20]), { tag: "b" });
        assert.deepEqual(chooseTag(policy, ["b", "a", "c"], [10, 30, 20]), { tag: "a" });
    });
    it("among equal dates the one listed last wins", () => {
        assert.deepEqual(chooseTag(image({ updateStrategy: "newest-build" }), ["x", "y", "z"], [5, 5, 1]), { tag: "y" });
    });
});

describe("tag selection: each strategy on a mixed tag list", () => {
    const image = (overrides: Partial<TagPolicy>): TagPolicy => ({ constraint: "~0", updateStrategy: "semver", ...overrides });
    const tags = ["0.1.0", "0.2.0-rc.1", "latest", "sha-abc123", "sha-XYZ", "1.0.0-rc.1"];
    it("semver follows the constraint, pre-releases only where it admits them", () => {
        assert.deepEqual(chooseTag(image({ constraint: "~0-0" }), tags), { tag: "0.2.0-rc.1" });
        assert.deepEqual(chooseTag(image({ constraint: "~0" }), tags), { tag: "0.1.0" });
        assert.deepEqual(chooseTag(image({ constraint: "~2" }), tags), { note: "no tag satisfies ~2" });
    });
    it("allowTags and ignoreTags filter before the strategy", () => {
        assert.deepEqual(eligibleTags(image({ allowTags: "regexp:^sha-[0-9a-f]+$" }), tags), ["sha-abc123"]);
        assert.deepEqual(eligibleTags(image({ ignoreTags: ["0.2.*", "latest"] }), tags), ["0.1.0", "sha-abc123", "sha-XYZ", "1.0.0-rc.1"]);
        assert.deepEqual(chooseTag(image({ constraint: "~0-0", ignoreTags: ["*-rc.*"] }), tags), { tag: "0.1.0" });
    });
    it("alphabetical, digest and newest-build", () => {
        assert.deepEqual(chooseTag(image({ updateStrategy: "alphabetical", allowTags: "regexp:^sha-" }), tags), { tag: "sha-abc123" });
        assert.deepEqual(chooseTag(image({ updateStrategy: "digest", constraint: "latest" }), tags), { tag: "latest" });
        assert.match(chooseTag(image({ updateStrategy: "digest", constraint: "dev-canary" }), tags).note!, /dev-canary/);
        assert.deepEqual(chooseTag(image({ updateStrategy: "newest-build", allowTags: "regexp:^sha-" }), tags), { tag: "sha-XYZ" }, "listed oldest first");
        assert.deepEqual(chooseTag(image({ updateStrategy: "newest-build", allowTags: "regexp:^sha-" }), tags, [0, 0, 0, 9, 5, 0]), { tag: "sha-abc123" }, "by build date");
    });
});
