/**
 * StrykerJS test runner plugin: runs a mutant against only the test files of the file it is in
 * (scripts/mutation/targets.ts, handed over as MUTATION_TEST_LISTS), so one Stryker run covers
 * every target without giving each mutant the whole suite. The tests run in a long-lived
 * node:test process (testWorker.mjs) that keeps the SDKs loaded between mutants.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";
import { DryRunStatus, MutantRunStatus, TestStatus } from "@stryker-mutator/api/test-runner";

const WORKER = fileURLToPath(new URL("./testWorker.mjs", import.meta.url));

/**
 * The worker starts afresh after this many runs or this much memory: its memory grows with each
 * run (by about 15 MB for the config tests), which would otherwise add up over a long run.
 */
const RUNS_PER_WORKER = 150;
const WORKER_MAX_RSS_BYTES = 1.5 * 1024 ** 3;

class TargetTestRunner {
    static inject = [];

    constructor() {
        /** @type {Record<string, string[]>} target file -> its test files */
        this.testLists = JSON.parse(process.env.MUTATION_TEST_LISTS ?? "{}");
        /** @type {string[]} node options of the worker process */
        this.nodeArgs = JSON.parse(process.env.MUTATION_NODE_ARGS ?? "[]");
        this.testTimeoutMs = Number(process.env.MUTATION_TEST_TIMEOUT_MS ?? "20000");
        if (Object.keys(this.testLists).length === 0) throw new Error("MUTATION_TEST_LISTS is empty: run this through npm run mutation");
        this.worker = undefined;
        this.runs = 0;
    }

    capabilities() {
        // Every run evaluates the project's modules afresh, static mutants included.
        return { reloadEnvironment: true };
    }

    /**
     * Each target's tests, once, in one worker, as mutants will run them: a list that fails
     * without a mutant, or fails only when run after another, stops the mutation run here.
     */
    async dryRun({ timeout }) {
        const started = Date.now();
        let slowestMs = 0;
        for (const [target, files] of Object.entries(this.testLists)) {
            const listStarted = Date.now();
            const result = await this.runTests(files, undefined, undefined, timeout);
            if (result.status === "timeout") return { status: DryRunStatus.Timeout };
            if (result.failure !== undefined) return { status: DryRunStatus.Error, errorMessage: `tests of ${target} fail without a mutant: ${result.failure}` };
            slowestMs = Math.max(slowestMs, Date.now() - listStarted);
        }
        // Stryker allows a mutant this long plus timeoutMS; a mutant runs one list, not all of them.
        return { status: DryRunStatus.Complete, tests: [{ id: "all", name: `every target's tests (${Date.now() - started} ms)`, timeSpentMs: slowestMs, status: TestStatus.Success }] };
    }

    async mutantRun({ activeMutant, timeout, hitLimit }) {
        const target = Object.keys(this.testLists).find((file) => activeMutant.fileName === file || activeMutant.fileName.endsWith(`/${file}`));
        if (target === undefined) throw new Error(`no test list for ${activeMutant.fileName}`);
        const result = await this.runTests(this.testLists[target], activeMutant.id, hitLimit, timeout);
        if (result.status === "timeout") return { status: MutantRunStatus.Timeout };
        if (hitLimit !== undefined && result.hits > hitLimit) return { status: MutantRunStatus.Timeout, reason: `hit limit ${hitLimit} reached` };
        if (result.failure !== undefined) return { status: MutantRunStatus.Killed, killedBy: ["all"], failureMessage: result.failure, nrOfTests: 1 };
        return { status: MutantRunStatus.Survived, nrOfTests: 1 };
    }

    /** @returns {Promise<{status: "done", failure?: string, hits?: number, rss?: number} | {status: "timeout"}>} */
    async runTests(files, activeMutant, hitLimit, timeout) {
        const worker = await this.readyWorker();
        const run = ++this.runs;
        const outcome = await new Promise((resolve) => {
            const timer = setTimeout(() => {
                cleanup();
                this.stopWorker();
                resolve({ status: "timeout" });
            }, timeout);
            const onMessage = (message) => {
                if (message.run !== run) return;
                cleanup();
                resolve({ status: "done", failure: message.failure, hits: message.hits, rss: message.rss });
            };
            // A mutant that ends the process (process.exit, a crash) fails the run, as in `npm test`.
            const onExit = (code, signal) => {
                cleanup();
                resolve({ status: "done", failure: `the test process ended (${signal ?? `exit code ${code}`}): ${worker.output.slice(-2000)}` });
            };
            const cleanup = () => {
                clearTimeout(timer);
                worker.off("message", onMessage);
                worker.off("exit", onExit);
            };
            worker.on("message", onMessage);
            worker.on("exit", onExit);
            worker.output = "";
            worker.send({ run, files, activeMutant, hitLimit, testTimeoutMs: this.testTimeoutMs });
        });
        if (this.worker !== undefined && (++worker.runs >= RUNS_PER_WORKER || outcome.rss > WORKER_MAX_RSS_BYTES)) this.stopWorker();
        return outcome;
    }

    async readyWorker() {
        // A worker that ended, during a run or after one (a crash left behind by a test), is replaced.
        if (this.worker !== undefined && this.worker.exitCode === null && this.worker.signalCode === null) return this.worker;
        // Its own process group, so stopping it also ends anything a test started.
        const worker = fork(WORKER, [], { cwd: process.cwd(), execArgv: this.nodeArgs, detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"] });
        worker.output = "";
        worker.runs = 0;
        const keep = (chunk) => {
            worker.output = (worker.output + chunk.toString()).slice(-10_000);
        };
        worker.stdout.on("data", keep);
        worker.stderr.on("data", keep);
        await new Promise((resolve, reject) => {
            const onExit = (code) => reject(new Error(`the test worker did not start (exit code ${code}): ${worker.output}`));
            worker.once("exit", onExit);
            worker.once("message", () => {
                worker.off("exit", onExit);
                resolve();
            });
        });
        this.worker = worker;
        return worker;
    }

    stopWorker() {
        const worker = this.worker;
        this.worker = undefined;
        if (worker?.pid === undefined) return;
        try {
            process.kill(-worker.pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }

    async dispose() {
        this.stopWorker();
    }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, "target-tests", TargetTestRunner)];
