/**
 * StrykerJS test runner plugin: runs a mutant against only the test files of the file it is in
 * (scripts/mutation/targets.ts, handed over as MUTATION_TEST_LISTS), so one Stryker run covers
 * every target without giving each mutant the whole suite. Like Stryker's command runner it runs
 * node:test in a fresh process per mutant, and reads only the exit code.
 */
import { spawn } from "node:child_process";
import { declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";
import { DryRunStatus, TestStatus, toMutantRunResult } from "@stryker-mutator/api/test-runner";

const ACTIVE_MUTANT = "__STRYKER_ACTIVE_MUTANT__";

class TargetTestRunner {
    static inject = [];

    constructor() {
        /** @type {Record<string, string[]>} target file -> its test files */
        this.testLists = JSON.parse(process.env.MUTATION_TEST_LISTS ?? "{}");
        /** @type {string[]} node options before the test files, for a mutant and for the check without one */
        this.mutantArgs = JSON.parse(process.env.MUTATION_NODE_ARGS ?? "[]");
        this.dryRunArgs = JSON.parse(process.env.MUTATION_DRY_RUN_ARGS ?? "[]");
        this.child = undefined;
        if (Object.keys(this.testLists).length === 0) throw new Error("MUTATION_TEST_LISTS is empty: run this through npm run mutation");
    }

    capabilities() {
        return { reloadEnvironment: true };
    }

    /** Every target's tests, once each, so a suite that fails without mutants stops the run. */
    async dryRun({ timeout }) {
        const files = [...new Set(Object.values(this.testLists).flat())];
        return this.run([...this.dryRunArgs, ...files], undefined, timeout);
    }

    async mutantRun({ activeMutant, timeout }) {
        const target = Object.keys(this.testLists).find((file) => activeMutant.fileName === file || activeMutant.fileName.endsWith(`/${file}`));
        if (target === undefined) throw new Error(`no test list for ${activeMutant.fileName}`);
        return toMutantRunResult(await this.run([...this.mutantArgs, ...this.testLists[target]], activeMutant.id, timeout));
    }

    run(args, mutantId, timeout) {
        const started = Date.now();
        const env = mutantId === undefined ? process.env : { ...process.env, [ACTIVE_MUTANT]: mutantId };
        return new Promise((resolve, reject) => {
            const output = [];
            // Its own process group, so a timeout ends the test process and anything it started.
            const child = spawn(process.execPath, args, { cwd: process.cwd(), env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
            this.child = child;
            child.stdout.on("data", (chunk) => output.push(chunk));
            child.stderr.on("data", (chunk) => output.push(chunk));
            const timer = setTimeout(() => {
                this.kill();
                resolve({ status: DryRunStatus.Timeout });
            }, timeout);
            child.on("error", (error) => {
                clearTimeout(timer);
                reject(error);
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                this.child = undefined;
                const test = { id: "all", name: "All tests", timeSpentMs: Date.now() - started };
                resolve({
                    status: DryRunStatus.Complete,
                    tests: [code === 0 ? { ...test, status: TestStatus.Success } : { ...test, status: TestStatus.Failed, failureMessage: Buffer.concat(output).toString() }],
                });
            });
        });
    }

    kill() {
        if (this.child?.pid === undefined) return;
        try {
            process.kill(-this.child.pid, "SIGKILL");
        } catch {
            // Already gone.
        }
        this.child = undefined;
    }

    async dispose() {
        this.kill();
    }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, "target-tests", TargetTestRunner)];
