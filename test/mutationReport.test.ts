import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type EquivalentMutant, type MutantOutcome, scoreFile, totalOf } from "../scripts/mutation/report";

const SOURCE = ["export function f(a: number) {", "    return a > 1;", "}", "export const g = 'x';"].join("\n");

function project(): string {
    const root = mkdtempSync(join(tmpdir(), "mutation-report-"));
    mkdirSync(join(root, "lib"));
    writeFileSync(join(root, "lib/f.ts"), SOURCE);
    return root;
}

const at = (line: number, status: string, mutatorName: string, replacement: string): MutantOutcome => ({
    fileName: "lib/f.ts",
    mutatorName,
    replacement,
    status,
    location: { start: { line, column: 5 } },
});

const equivalent = (code: string, mutator: string, replacement: string): EquivalentMutant => ({ file: "lib/f.ts", code, mutator, replacement, reason: "why" });

describe("npm run mutation's per-file score", () => {
    it("counts killed and timed-out mutants as detected, listed survivors as equivalent, and ignores mutants that do not compile", () => {
        const results = [
            at(2, "Killed", "EqualityOperator", "a >= 1"),
            at(2, "Survived", "EqualityOperator", "a < 1"),
            at(2, "Survived", "ConditionalExpression", "true"),
            at(4, "Timeout", "StringLiteral", '""'),
            at(2, "CompileError", "BooleanLiteral", "false"),
            at(4, "NoCoverage", "StringLiteral", '"y"'),
        ];
        const row = scoreFile(project(), "lib/f.ts", results, [equivalent("return a > 1;", "ConditionalExpression", "true")]);
        assert.deepEqual(
            [row.mutants, row.killed, row.survived, row.equivalent, row.timeout, row.noCoverage],
            [5, 1, 1, 1, 1, 1],
        );
        assert.equal(row.score, 50, "2 detected of 4 detectable: the equivalent is left out");
        assert.deepEqual(row.flagged, [
            'lib/f.ts:2: EqualityOperator -> "a < 1"   return a > 1;',
            'lib/f.ts:4: StringLiteral -> "\\"\\"" timed out   export const g = \'x\';',
        ]);
        assert.deepEqual(row.stale, []);
    });

    it("names listed equivalents that match no survivor any more, and only this file's", () => {
        const stale = equivalent("return a > 1;", "EqualityOperator", "a <= 1");
        const other = { ...equivalent("return a > 1;", "EqualityOperator", "a <= 1"), file: "lib/other.ts" };
        const row = scoreFile(project(), "lib/f.ts", [at(2, "Killed", "EqualityOperator", "a <= 1")], [stale, other]);
        assert.deepEqual(row.stale, [stale]);
        assert.equal(row.score, 100);
    });

    it("scores the total over all mutants, not as a mean of the files' scores", () => {
        const root = project();
        const small = scoreFile(root, "lib/f.ts", [at(2, "Survived", "EqualityOperator", "a < 1")], []);
        const large = scoreFile(root, "lib/f.ts", Array.from({ length: 9 }, () => at(2, "Killed", "EqualityOperator", "a >= 1")), []);
        const total = totalOf([small, large]);
        assert.equal(total.mutants, 10);
        assert.equal(total.score, 90);
    });
});
