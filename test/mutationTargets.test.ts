import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MUTATION_EXCLUDED, MUTATION_TARGETS } from "../scripts/mutation/targets";

const ROOT = join(__dirname, "..");
const MUTATED_DIRECTORIES = ["lib", "stacks/config"];

describe("npm run mutation covers the logic", () => {
    it("every file of lib/ and stacks/config/ is a target or excluded with a reason, never both", () => {
        const files = MUTATED_DIRECTORIES.flatMap((dir) =>
            readdirSync(join(ROOT, dir))
                .filter((name) => name.endsWith(".ts"))
                .map((name) => `${dir}/${name}`),
        );
        const unaccounted = files.filter((file) => !(file in MUTATION_TARGETS) && !(file in MUTATION_EXCLUDED));
        assert.deepEqual(unaccounted, [], "add these to MUTATION_TARGETS with the tests that check them");
        const both = Object.keys(MUTATION_EXCLUDED).filter((file) => file in MUTATION_TARGETS);
        assert.deepEqual(both, []);
        for (const [file, reason] of Object.entries(MUTATION_EXCLUDED)) {
            assert.ok(files.includes(file), `${file} is excluded but does not exist`);
            assert.ok(reason.length > 0);
        }
    });

    it("every target exists and names test files that exist, each once", () => {
        for (const [target, tests] of Object.entries(MUTATION_TARGETS)) {
            assert.ok(existsSync(join(ROOT, target)), `${target} does not exist`);
            assert.ok(tests.length > 0, `${target} names no test file`);
            assert.equal(new Set(tests).size, tests.length, `${target} names a test file twice`);
            for (const test of tests) assert.ok(existsSync(join(ROOT, test)) && test.endsWith(".test.ts"), `${target}: ${test} is not a test file`);
        }
    });
});
