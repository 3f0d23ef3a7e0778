import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import npmSemver from "semver";
import {
    compareVersions,
    ConstraintError,
    newestTag,
    parseConstraint,
    parseVersion,
    satisfies,
    sortSemverTags,
    type Version,
} from "../lib/semver";
import { chooseTag, type TagPolicy } from "../lib/tagSelection";

// ---------------------------------------------------------------------------
// Conformance data (shared/conformance/semver, checked out beside this project)

interface CheckCase {
    constraint: string;
    version: string;
    expected: boolean;
    test: string;
}

interface MastermindsCases {
    semantics: string;
    counts: Record<"check" | "checkIncludePrerelease" | "parseConstraintOnly" | "invalid" | "valid" | "versionParse" | "compare", number>;
    check: CheckCase[];
    checkIncludePrerelease: CheckCase[];
    /** Upstream's internal parseConstraint(""), the same wildcard as `*`. */
    parseConstraintOnly: CheckCase[];
    invalid: { constraint: string; test: string }[];
    valid: { constraint: string; ors: number; ands_in_first_or: number; test: string }[];
    versionParse: { version: string; valid: boolean }[];
    compare: { a: string; b: string; expected: -1 | 0 | 1 }[];
}

interface SelectionCase {
    name: string;
    constraint: string;
    tags: string[];
    expected: string | null;
    strategy: string;
    currentImage: string;
    tagDatesUnix?: number[];
    expectError?: boolean;
    sortedAscending?: string[];
}

interface SelectionCases {
    semantics: string;
    count: number;
    cases: SelectionCase[];
}

interface Conformance {
    masterminds: MastermindsCases;
    selection: SelectionCases;
}

function loadConformance(): Conformance {
    const dir = process.env.CONFORMANCE_DIR ?? path.resolve(__dirname, "../../shared/conformance/semver");
    if (!existsSync(dir)) {
        throw new Error(
            `Semver conformance data not found at ${dir}. Check out shared/ beside this project or set CONFORMANCE_DIR.`,
        );
    }
    const read = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    return {
        masterminds: read("masterminds-constraint-cases.json") as MastermindsCases,
        selection: read("image-updater-selection-cases.json") as SelectionCases,
    };
}

const conformance = (() => {
    try {
        return loadConformance();
    } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
    }
})();

describe("semver conformance data", () => {
    it("is present and readable", () => {
        if (conformance instanceof Error) throw conformance;
    });
});

const q = (text: string): string => JSON.stringify(text);

function version(text: string): Version {
    const parsed = parseVersion(text);
    assert.ok(parsed, `${q(text)} should parse`);
    return parsed;
}

function constraintError(constraint: string): ConstraintError {
    try {
        parseConstraint(constraint);
    } catch (error) {
        if (error instanceof ConstraintError) return error;
        throw error;
    }
    assert.fail(`expected a ConstraintError for ${q(constraint)}`);
}

/**
 * One `it` per case, then one asserting that every case ran and that the
 * file holds as many cases as its own counts say (a truncated file fails).
 */
function conformanceSet<T>(set: string, cases: readonly T[], count: number, name: (c: T) => string, run: (c: T) => void): void {
    describe(`conformance: ${set}`, () => {
        let executed = 0;
        for (const c of cases) {
            it(name(c), () => {
                executed++;
                run(c);
            });
        }
        it(`executed ${count} cases, as the file's counts say`, () => {
            assert.equal(cases.length, count, `the file lists ${cases.length} ${set} cases but counts ${count}`);
            assert.equal(executed, count);
        });
    });
}

function checkName(c: CheckCase): string {
    return `${q(c.constraint)} × ${q(c.version)} → ${c.expected}`;
}

if (!(conformance instanceof Error)) {
    const { masterminds, selection } = conformance;
    const { counts } = masterminds;

    conformanceSet("check (IncludePrerelease=false, as the updater calls it)", masterminds.check, counts.check, checkName, (c) => {
        assert.equal(satisfies(c.version, c.constraint), c.expected);
    });

    // Run in full through the includePrerelease option (Masterminds' IncludePrerelease=true).
    conformanceSet("checkIncludePrerelease", masterminds.checkIncludePrerelease, counts.checkIncludePrerelease, checkName, (c) => {
        assert.equal(parseConstraint(c.constraint, { includePrerelease: true }).check(c.version), c.expected);
    });

    // Upstream's internal parseConstraint("") is the wildcard `*`; NewConstraint("") is invalid (see the
    // invalid set). The updater reaches the same wildcard by substituting "*" for an empty constraint.
    conformanceSet("parseConstraintOnly (empty constraint as the updater's \"*\")", masterminds.parseConstraintOnly, counts.parseConstraintOnly, checkName, (c) => {
        assert.equal(c.constraint, "");
        assert.equal(satisfies(c.version, "*"), c.expected);
        assert.equal(newestTag([c.version], c.constraint), c.expected ? c.version : undefined);
    });

    conformanceSet("invalid", masterminds.invalid, counts.invalid, (c) => `${q(c.constraint)} is rejected`, (c) => {
        const error = constraintError(c.constraint);
        assert.ok(error.constraint.slice(error.position).startsWith(error.fragment), error.message);
        assert.ok(error.message.includes(q(c.constraint)), error.message);
        assert.throws(() => satisfies("1.0.0", c.constraint), ConstraintError);
        // The updater substitutes "*" for an empty constraint, so only the others leave it without a tag.
        assert.equal(newestTag(["1.0.0"], c.constraint), c.constraint === "" ? "1.0.0" : undefined);
    });

    conformanceSet(
        "valid",
        masterminds.valid,
        counts.valid,
        (c) => `${q(c.constraint)} → ${c.ors} OR-group(s), ${c.ands_in_first_or} comparator(s) in the first`,
        (c) => {
            const parsed = parseConstraint(c.constraint);
            assert.equal(parsed.groups.length, c.ors);
            assert.equal(parsed.groups[0].comparators.length, c.ands_in_first_or);
        },
    );

    conformanceSet("versionParse", masterminds.versionParse, counts.versionParse, (c) => `${q(c.version)} is ${c.valid ? "valid" : "invalid"}`, (c) => {
        assert.equal(parseVersion(c.version) !== undefined, c.valid);
    });

    conformanceSet("compare", masterminds.compare, counts.compare, (c) => `${q(c.a)} vs ${q(c.b)} → ${c.expected}`, (c) => {
        assert.equal(compareVersions(version(c.a), version(c.b)), c.expected);
        assert.equal(compareVersions(version(c.b), version(c.a)), c.expected === 0 ? 0 : -c.expected);
    });

    describe("conformance: image updater selection", () => {
        let executed = 0;
        for (const c of selection.cases) {
            const name = `${c.strategy} ${c.name}: ${q(c.constraint)} over [${c.tags.join(", ")}] → ${c.expected ?? "nothing"}`;
            it(name, () => {
                executed++;
                if (c.strategy === "semver") {
                    assert.equal(newestTag(c.tags, c.constraint), c.expected ?? undefined);
                    if (c.expectError) assert.throws(() => parseConstraint(c.constraint), ConstraintError);
                    if (c.sortedAscending) assert.deepEqual(sortSemverTags(c.tags), c.sortedAscending);
                    return;
                }
                // The other strategies live in lib/tagSelection, which the channels dry-run uses.
                const image: TagPolicy = { constraint: c.constraint, updateStrategy: c.strategy as TagPolicy["updateStrategy"] };
                assert.equal(chooseTag(image, c.tags, c.tagDatesUnix).tag, c.expected ?? undefined);
            });
        }
        it(`executed all ${selection.count} selection cases`, () => {
            assert.equal(selection.cases.length, selection.count, `the file lists ${selection.cases.length} cases but counts ${selection.count}`);
            assert.equal(executed, selection.count);
        });
    });
}

// ---------------------------------------------------------------------------
// The constraints this project's stacks use

describe("semver: constraints used by the stacks", () => {
    const table: [constraint: string, version: string, admitted: boolean][] = [
        ["~0-0", "0.1.0-rc.1", true],
        ["~0-0", "0.1.0", true],
        ["~0-0", "0.2.0-beta.1", true],
        ["~0-0", "0.9.0-beta.1", true],
        ["~0-0", "1.0.0-rc.1", false],
        ["~0-0", "1.0.0", false],
        ["~0", "0.1.0", true],
        ["~0", "0.2.0", true],
        ["~0", "0.1.0-rc.1", false],
        ["~0", "1.0.0", false],
        ["1.x", "1.0.0", true],
        ["1.x", "1.5.2", true],
        ["1.x", "1.5.2-rc.1", false],
        ["1.x", "2.0.0", false],
        ["~1.2", "1.2.0", true],
        ["~1.2", "1.2.5", true],
        ["~1.2", "1.3.0", false],
        ["~1.2", "1.1.9", false],
    ];
    for (const [constraint, v, admitted] of table) {
        it(`${q(constraint)} ${admitted ? "admits" : "rejects"} ${q(v)}`, () => {
            assert.equal(satisfies(v, constraint), admitted);
        });
    }

    const admitsPrereleases: [constraint: string, expected: boolean][] = [
        ["~0-0", true],
        [">=1.0.0 <2.0.0 || ~0-0", true],
        ["~0", false],
        ["1.x", false],
        [">=1.0.0 <2.0.0", false],
    ];
    for (const [constraint, expected] of admitsPrereleases) {
        it(`${q(constraint)} admitsPrereleases is ${expected}`, () => {
            assert.equal(parseConstraint(constraint).admitsPrereleases, expected);
        });
    }

    it("includePrerelease makes any constraint admit pre-releases", () => {
        const constraint = parseConstraint("~0", { includePrerelease: true });
        assert.equal(constraint.admitsPrereleases, true);
        assert.equal(constraint.check("0.3.0-rc.1"), true);
    });

    it("keeps the constraint text and rejects unparseable versions", () => {
        const constraint = parseConstraint(" ~0-0 ");
        assert.equal(constraint.text, " ~0-0 ");
        assert.equal(constraint.check("latest"), false);
        assert.equal(satisfies("sha-abc", "*"), false);
    });

    it("newestTag picks the newest 0.y.z pre-release for ~0-0 and the newest release for ~0", () => {
        const tags = ["latest", "sha-abc", "0.1.0", "0.2.0-rc.1", "0.1.1", "1.0.0-rc.1"];
        assert.equal(newestTag(tags, "~0-0"), "0.2.0-rc.1");
        assert.equal(newestTag(tags, "~0"), "0.1.1");
        assert.equal(newestTag(tags, ""), "0.1.1");
        assert.equal(newestTag(tags, "~3"), undefined);
        assert.equal(newestTag(tags, "not a constraint"), undefined);
    });

    it("newestTag breaks version ties by tag string", () => {
        assert.equal(newestTag(["v1.0.0", "1.0", "1.0.0+build"], "*"), "v1.0.0");
        assert.deepEqual(sortSemverTags(["v1.0.0", "latest", "1.0", "0.9"]), ["0.9", "1.0", "v1.0.0"]);
    });
});

// ---------------------------------------------------------------------------
// Where npm semver would give a different answer

describe("semver: Masterminds semantics where npm semver differs", () => {
    it("comma separates AND-ed comparators", () => {
        assert.equal(npmSemver.validRange(">=1.0.0, <2.0.0"), null);
        assert.equal(satisfies("1.5.0", ">=1.0.0, <2.0.0"), true);
        assert.equal(satisfies("2.0.0", ">=1.0.0, <2.0.0"), false);
    });

    it("!= excludes a version or a wildcard range", () => {
        assert.equal(npmSemver.validRange("!=1.2.3"), null);
        assert.equal(satisfies("1.2.3", "!=1.2.3"), false);
        assert.equal(satisfies("1.2.4", "!=1.2.3"), true);
        assert.equal(satisfies("1.9.0", "!=1.x"), false);
    });

    it("~0-0 is valid and admits pre-releases of any 0.y.z", () => {
        assert.equal(npmSemver.validRange("~0-0"), null);
        assert.equal(satisfies("0.2.0-beta.1", "~0-0"), true);
    });

    it("a pre-release in the constraint admits pre-releases of other x.y.z in range", () => {
        assert.equal(npmSemver.satisfies("1.5.0-rc.1", ">=1.0.0-0 <2.0.0"), false);
        assert.equal(satisfies("1.5.0-rc.1", ">=1.0.0-0 <2.0.0"), true);
    });

    it("~0.0.0 accepts everything at or above 0.0.0", () => {
        assert.equal(npmSemver.satisfies("1.2.3", "~0.0.0"), false);
        assert.equal(satisfies("1.2.3", "~0.0.0"), true);
    });

    it("versions may be short, have leading zeros, and use the full uint64 range", () => {
        assert.equal(npmSemver.valid("1.2"), null);
        assert.equal(npmSemver.valid("01.1.1"), null);
        assert.equal(compareVersions(version("v1.2"), version("1.2.0")), 0);
        assert.equal(version("01.1.1").major, 1n);
        assert.equal(version("18446744073709551615").major, 2n ** 64n - 1n);
        assert.equal(parseVersion("18446744073709551616"), undefined);
        assert.equal(newestTag(["20240101123456789", "20240101123456790"], ""), "20240101123456790");
    });

    it("a hyphen range is rewritten before parsing, so it must open an AND-group or follow a comma", () => {
        // `>1` means 2.0.0 or above in Masterminds, and `<= 2` admits all of 2.y.z.
        for (const constraint of ["1 - 2 >1", ">1, 1 - 2"]) {
            assert.equal(satisfies("2.5.0", constraint), true);
            assert.equal(satisfies("1.5.0", constraint), false);
        }
        assert.throws(() => parseConstraint(">1 1 - 2"), ConstraintError);
    });
});

// ---------------------------------------------------------------------------
// Error messages

describe("semver: ConstraintError says what is wrong and where", () => {
    const cases: [constraint: string, fragment: string, position: number][] = [
        [">= bar", "bar", 3],
        ["BAR >= 1.2.3", "BAR", 0],
        ["12.3.4.1234", ".1234", 6],
        ["12.3.34~ 1.2.3", "~", 7],
        [">=1.0.0 || foo", "foo", 11],
        ["1.x-01", "1.x-01", 0],
    ];
    for (const [constraint, fragment, position] of cases) {
        it(`${q(constraint)} blames ${q(fragment)} at position ${position}`, () => {
            const error = constraintError(constraint);
            assert.equal(error.fragment, fragment);
            assert.equal(error.position, position);
            assert.ok(error.message.includes(q(constraint)), error.message);
            assert.ok(error.message.includes(q(fragment)), error.message);
            assert.ok(error.message.includes(`position ${position}`), error.message);
        });
    }

    it("an empty constraint or a trailing separator says nothing was found", () => {
        assert.match(constraintError("").message, /expected an operator or a version but found nothing at position 0/);
        assert.match(constraintError(">=1.0.0,").message, /found nothing at position 8/);
        assert.match(constraintError(">=1.0.0 ||").message, /found nothing at position 10/);
    });

    it("an error inside a hyphen range blames the range and shows the rewrite", () => {
        const error = constraintError(">1 1 - 2");
        assert.equal(error.fragment, "1 - 2");
        assert.equal(error.position, 3);
        assert.match(error.message, /hyphen range "1 - 2", which Masterminds rewrites to ">= 1, <= 2 "/);
    });

    it("positions after a hyphen range refer to the original text", () => {
        const error = constraintError("1 - 2, >=3 ~ bad");
        assert.equal(error.fragment, "bad");
        assert.equal(error.position, 13);
    });
});
