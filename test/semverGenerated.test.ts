import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { ConstraintError, newestTag, parseConstraint, satisfies } from "../lib/semver";

/**
 * Differential test against shared/conformance/semver/masterminds-generated-cases.json: thousands
 * of seeded cases answered by the real Masterminds/semver v3.4.0 and Image Updater's selection.
 * One test per set that lists every mismatch, rather than one per case, keeps the output readable.
 */
interface GeneratedCases {
    semantics: string;
    check: { constraint: string; version: string; expected: boolean; category: string }[];
    select: { constraint: string; tags: string[]; expected: string | null; error?: true; category: string }[];
    invalid: { constraint: string; category: string }[];
}

const dir = process.env.CONFORMANCE_DIR ?? path.resolve(__dirname, "../../shared/conformance/semver");
const cases = JSON.parse(readFileSync(path.join(dir, "masterminds-generated-cases.json"), "utf8")) as GeneratedCases;

function rejects(constraint: string): boolean {
    try {
        parseConstraint(constraint);
        return false;
    } catch (error) {
        if (error instanceof ConstraintError) return true;
        throw error;
    }
}

/** Fails with every mismatching case (the first 20 spelled out), so one run shows the whole picture. */
function assertNoMismatch(total: number, mismatches: string[]): void {
    assert.ok(total > 0, "the set is empty");
    assert.equal(mismatches.length, 0, `${mismatches.length} of ${total} cases differ from Masterminds:\n${mismatches.slice(0, 20).join("\n")}`);
}

const q = (text: string): string => JSON.stringify(text);

describe("semver: differential against Masterminds (generated cases)", () => {
    it(`check: ${cases.check.length} constraint/version pairs`, () => {
        const mismatches = cases.check.flatMap((c) => {
            const actual = satisfies(c.version, c.constraint);
            return actual === c.expected ? [] : [`[${c.category}] ${q(c.constraint)} ${q(c.version)}: expected ${c.expected}, got ${actual}`];
        });
        assertNoMismatch(cases.check.length, mismatches);
    });

    it(`select: ${cases.select.length} tag lists`, () => {
        const mismatches = cases.select.flatMap((c) => {
            const actual = newestTag(c.tags, c.constraint) ?? null;
            const problems = actual === c.expected ? [] : [`[${c.category}] ${q(c.constraint)}: expected ${c.expected}, got ${actual}`];
            // The updater errors on an invalid constraint; newestTag then picks nothing, so the constraint must be rejected.
            if (c.error && !rejects(c.constraint)) problems.push(`[${c.category}] ${q(c.constraint)}: Masterminds rejects it, this accepts it`);
            return problems;
        });
        assertNoMismatch(cases.select.length, mismatches);
    });

    it(`invalid: ${cases.invalid.length} constraints Masterminds rejects`, () => {
        const mismatches = cases.invalid.filter((c) => !rejects(c.constraint)).map((c) => `[${c.category}] ${q(c.constraint)} is accepted`);
        assertNoMismatch(cases.invalid.length, mismatches);
    });
});
