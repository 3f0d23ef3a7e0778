import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { forgetResults, restoreUnselected } from "../scripts/mutation/incremental";

function reportFile(files: Record<string, unknown>): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "incremental-")), "incremental.json");
    writeFileSync(file, JSON.stringify({ schemaVersion: "2", files }));
    return file;
}
const filesIn = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { files: Record<string, unknown> }).files;

describe("mutation: the incremental results file", () => {
    it("forgets the results of the files whose tests changed, keeping the others", () => {
        const file = reportFile({ "lib/a.ts": "a", "lib/b.ts": "b" });
        const previous = forgetResults(file, ["lib/a.ts"]);
        assert.deepEqual(filesIn(file), { "lib/b.ts": "b" });
        assert.deepEqual(previous?.files, { "lib/a.ts": "a", "lib/b.ts": "b" });
    });

    it("after a run of some files, puts back the results of the files not run, never over new ones", () => {
        const file = reportFile({ "lib/a.ts": "a", "lib/b.ts": "b", "lib/c.ts": "c" });
        const previous = forgetResults(file, ["lib/a.ts"]);
        writeFileSync(file, JSON.stringify({ schemaVersion: "2", files: { "lib/a.ts": "new a" } }));
        restoreUnselected(file, previous, ["lib/a.ts", "lib/b.ts"]);
        assert.deepEqual(filesIn(file), { "lib/a.ts": "new a", "lib/c.ts": "c" });
    });

    it("does nothing without a previous results file", () => {
        const file = path.join(mkdtempSync(path.join(tmpdir(), "incremental-")), "incremental.json");
        assert.equal(forgetResults(file, ["lib/a.ts"]), undefined);
        restoreUnselected(file, undefined, ["lib/a.ts"]);
        assert.equal(existsSync(file), false, "no results file is made up");
    });
});
