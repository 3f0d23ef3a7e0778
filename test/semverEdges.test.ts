import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConstraintError, newestTag, parseConstraint, parseVersion, satisfies, sortSemverTags } from "../lib/semver";

const q = (text: string): string => JSON.stringify(text);

describe("semver: every operator at and beside its full-version bound", () => {
    const table: [constraint: string, version: string, admitted: boolean][] = [
        [">1.2.3", "1.2.3", false],
        [">1.2.3", "1.2.4", true],
        [">=1.2.3", "1.2.2", false],
        [">=1.2.3", "1.2.3", true],
        ["=>1.2.3", "1.2.3", true],
        ["<1.2.3", "1.2.3", false],
        ["<1.2.3", "1.2.2", true],
        ["<=1.2.3", "1.2.3", true],
        ["<=1.2.3", "1.2.4", false],
        ["<=1.2.3", "1.2.9", false],
        ["=<1.2.3", "1.2.9", false],
        ["=1.2.3", "1.2.3", true],
        ["=1.2.3", "1.2.4", false],
        ["!=1.2.3", "1.2.3", false],
    ];
    for (const [constraint, version, admitted] of table) {
        it(`${q(constraint)} ${admitted ? "admits" : "rejects"} ${q(version)}`, () => assert.equal(satisfies(version, constraint), admitted));
    }
});

describe("semver: upper-case X is a wildcard like x and *", () => {
    const table: [constraint: string, version: string, admitted: boolean][] = [
        ["1.X", "1.5.0", true],
        ["1.X", "2.0.0", false],
        ["1.2.X", "1.2.9", true],
        ["1.2.X", "1.3.0", false],
        ["X", "5.0.0", true],
        [">=1.X", "0.9.0", false],
    ];
    for (const [constraint, version, admitted] of table) {
        it(`${q(constraint)} ${admitted ? "admits" : "rejects"} ${q(version)}`, () => assert.equal(satisfies(version, constraint), admitted));
    }
});

describe("semver: equal versions are ordered by tag string, in whatever order they are listed", () => {
    const tags = ["v1.0.0", "1.0", "1.0.0+build"];
    const orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ].map((order) => order.map((i) => tags[i]!));
    for (const listed of orders) {
        it(`[${listed.join(", ")}]`, () => {
            assert.deepEqual(sortSemverTags(listed), ["1.0", "1.0.0+build", "v1.0.0"]);
            assert.equal(newestTag(listed, "*"), "v1.0.0");
        });
    }
});

describe("semver: pre-release identifiers", () => {
    const table: [version: string, valid: boolean][] = [
        ["1.2.3-0", true],
        ["1.2.3-01", false],
        ["1.2.3-00", false],
        ["1.2.3-rc.01", false],
        ["1.2.3-01a", true],
        ["1.2.3-1a", true],
        ["1.2.3-0a.1", true],
    ];
    for (const [version, valid] of table) {
        it(`${q(version)} is ${valid ? "a version" : "not a version (numeric identifier with a leading zero)"}`, () => {
            assert.equal(parseVersion(version) !== undefined, valid);
        });
    }
});

describe("semver: ConstraintError states the reason", () => {
    const table: [constraint: string, reason: string][] = [
        [">= bar", `expected a version after ">=" but found "bar" at position 3`],
        ["BAR >= 1.2.3", `expected an operator or a version but found "BAR" at position 0`],
        ["12.3.4.1234", `unexpected ".1234" after "12.3.4" at position 6`],
        [">=1.2.3-01", `invalid version "1.2.3-01" (numeric pre-release identifier "01" has a leading zero) at position 2`],
        ["99999999999999999999", `invalid version "99999999999999999999" ("99999999999999999999" does not fit in 64 bits) at position 0`],
        ["~>", `expected a version after "~>" but found nothing at position 2`],
        [">1.2.3 ,, <2", `expected an operator or a version but found "," at position 8`],
        // Upstream's part class [0-9|xX*] scans "1|2"; only the version parse refuses it.
        ["1|2", `invalid version "1|2" (not a version) at position 0`],
        // Positions around a hyphen range: before it and right after its rewrite, the text as written.
        ["foo, 1 - 2", `expected an operator or a version but found "foo" at position 0`],
        ["1 - 2 bad", `expected an operator or a version but found "bad" at position 6`],
    ];
    for (const [constraint, reason] of table) {
        it(q(constraint), () => {
            assert.throws(() => parseConstraint(constraint), (error: unknown) => {
                assert.ok(error instanceof ConstraintError);
                assert.equal(error.message, `Invalid version constraint ${q(constraint)}: ${reason}`);
                return true;
            });
        });
    }
});

describe("semver: ConstraintError identifies itself", () => {
    it("by name, for logs and error reporters", () => {
        assert.throws(() => parseConstraint("latest"), { name: "ConstraintError" });
    });
});
