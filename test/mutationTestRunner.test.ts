import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";

/**
 * The mutation test runner plugin against a tiny project whose module reads the active mutant as
 * Stryker's instrumented code does: one mutant changes a function, one a module-level constant
 * (evaluated once per load), one exits the process during or after its run, one loops forever,
 * one does nothing.
 */
const MODULE = `const active = () => globalThis.__stryker__ && globalThis.__stryker__.activeMutant;
exports.double = (x) => {
    if (active() === "exit") process.exit(3);
    if (active() === "loop") for (;;);
    if (active() === "late exit") setTimeout(() => process.exit(4), 50);
    return active() === "function" ? x * 3 : x * 2;
};
exports.LIMIT = active() === "static" ? 0 : 10;
`;
const TESTS = `const { test } = require("node:test");
const assert = require("node:assert");
const { appendFileSync } = require("node:fs");
const a = require("../lib/a.js");
const ran = (name) => appendFileSync(process.env.MUTATION_RUNNER_TEST_LOG, name + "\\n");
test("doubles", () => { ran("doubles"); assert.equal(a.double(2), 4); });
test("limit", () => { ran("limit"); assert.equal(a.LIMIT, 10); });
test("last", () => { ran("last"); });
`;

/** An ES module without types, imported by URL so the checker does not look for a declaration file. */
const RUNNER_PLUGIN: string = pathToFileURL(path.join(__dirname, "../scripts/mutation/targetTestRunner.mjs")).href;

interface RunResult {
    status: string;
    failureMessage?: string;
}
interface Runner {
    dryRun(options: { timeout: number }): Promise<RunResult>;
    mutantRun(options: { activeMutant: { id: string; fileName: string }; timeout: number }): Promise<RunResult>;
    dispose(): Promise<void>;
}

describe("mutation: the test runner plugin", () => {
    const project = mkdtempSync(path.join(tmpdir(), "mutation-runner-"));
    const log = path.join(project, "ran.log");
    const originalCwd = process.cwd();
    let runner: Runner;

    before(async () => {
        mkdirSync(path.join(project, "lib"));
        mkdirSync(path.join(project, "test"));
        writeFileSync(path.join(project, "lib/a.js"), MODULE);
        writeFileSync(path.join(project, "test/a.test.js"), TESTS);
        process.env.MUTATION_TEST_LISTS = JSON.stringify({ "lib/a.js": ["test/a.test.js"] });
        process.env.MUTATION_NODE_ARGS = "[]";
        process.env.MUTATION_RUNNER_TEST_LOG = log;
        // Stryker starts its test runners in the sandbox copy of the project.
        process.chdir(project);
        const plugin = (await import(RUNNER_PLUGIN)) as {
            strykerPlugins: [{ injectableClass: new () => Runner }];
        };
        runner = new plugin.strykerPlugins[0].injectableClass();
    });
    after(async () => {
        await runner.dispose();
        process.chdir(originalCwd);
    });

    const mutant = (id: string) => ({ activeMutant: { id, fileName: path.join(project, "lib/a.js") }, timeout: 10_000 });
    /** The tests that ran in the next run, in order. */
    async function runLogged<T>(run: () => Promise<T>): Promise<[T, string[]]> {
        writeFileSync(log, "");
        const result = await run();
        return [result, readFileSync(log, "utf8").split("\n").filter(Boolean)];
    }

    it("passes the check without mutants", async () => {
        const [result, ran] = await runLogged(() => runner.dryRun({ timeout: 30_000 }));
        assert.equal(result.status, "complete");
        assert.deepEqual(ran, ["doubles", "limit", "last"]);
    });

    it("kills a mutant at the first failing test and runs no test after it", async () => {
        const [result, ran] = await runLogged(() => runner.mutantRun(mutant("function")));
        assert.equal(result.status, "killed");
        assert.match(result.failureMessage ?? "", /^doubles /);
        assert.deepEqual(ran, ["doubles"]);
    });

    it("loads the project's modules afresh for each mutant, so a module-level mutant takes effect", async () => {
        const [result, ran] = await runLogged(() => runner.mutantRun(mutant("static")));
        assert.equal(result.status, "killed");
        assert.match(result.failureMessage ?? "", /^limit /);
        assert.deepEqual(ran, ["doubles", "limit"]);
    });

    it("lets a mutant survive that no test notices, after killed ones in the same process", async () => {
        const [result, ran] = await runLogged(() => runner.mutantRun(mutant("none")));
        assert.equal(result.status, "survived");
        assert.deepEqual(ran, ["doubles", "limit", "last"]);
    });

    it("kills a mutant that ends the test process, and starts a new one for the next", async () => {
        const [exited] = await runLogged(() => runner.mutantRun(mutant("exit")));
        assert.equal(exited.status, "killed");
        assert.match(exited.failureMessage ?? "", /test process ended \(exit code 3\)/);
        const [next, ran] = await runLogged(() => runner.mutantRun(mutant("none")));
        assert.equal(next.status, "survived");
        assert.deepEqual(ran, ["doubles", "limit", "last"]);
    });

    it("replaces a test process that ended after its run, before the next", async () => {
        const [late] = await runLogged(() => runner.mutantRun(mutant("late exit")));
        assert.equal(late.status, "survived");
        await new Promise((resolve) => setTimeout(resolve, 500));
        const [next, ran] = await runLogged(() => runner.mutantRun(mutant("none")));
        assert.equal(next.status, "survived");
        assert.deepEqual(ran, ["doubles", "limit", "last"]);
    });

    it("times out a mutant that never yields, and starts a new process for the next", async () => {
        const [looped] = await runLogged(() => runner.mutantRun({ ...mutant("loop"), timeout: 2_000 }));
        assert.equal(looped.status, "timeout");
        const [next] = await runLogged(() => runner.mutantRun(mutant("function")));
        assert.equal(next.status, "killed");
    });
});
