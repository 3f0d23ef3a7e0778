/**
 * Long-lived node:test process for mutation runs (started by targetTestRunner.mjs with an IPC
 * channel). Loading the SDKs the tests import costs more than most mutants' tests, so this
 * process loads them once and, for each run, only re-evaluates the project's own modules with the
 * requested mutant active, as Stryker's mocha runner does.
 *
 * A run message is `{ run, files, activeMutant, hitLimit, testTimeoutMs }`; the answer is
 * `{ run, failure, hits, rss }`, where `failure` names the first failing test (undefined if all pass).
 * After the first failure every further test fails at once in a root beforeEach hook, so a killed
 * mutant costs only the tests up to it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, sep } from "node:path";
import { run } from "node:test";

const PROJECT = process.cwd() + sep;
const NODE_MODULES = `${sep}node_modules${sep}`;
const requireFromProject = createRequire(join(PROJECT, "package.json"));
/** What the entry module (below) and this process share about the current run. */
const RUN_STATE = Symbol.for("mutation.testWorker.run");
const END_TEST = "mutation run: end";
const BAILED = "mutation run: an earlier test failed";

// Source-mapped stack traces are for people reading failures; Pulumi takes one per resource.
process.setSourceMapsEnabled(false);

// In the project copy Stryker runs in and removes afterwards, so a stopped worker leaves nothing behind.
const entryDir = mkdtempSync(join(PROJECT, ".mutation-run-"));
process.on("exit", () => rmSync(entryDir, { recursive: true, force: true }));

/**
 * node:test imports its files as ES modules, which are evaluated once per process, so each run
 * gets an entry module of its own; it requires the test files (CommonJS, reloaded from a cleared
 * cache) and registers the hook that ends a run at its first failure and the test that marks its end.
 */
function writeEntry(runId) {
    const entry = join(entryDir, `run-${runId}.cjs`);
    writeFileSync(
        entry,
        `const { beforeEach, test } = require("node:test");
const state = globalThis[Symbol.for(${JSON.stringify(RUN_STATE.description)})];
beforeEach(() => { if (state.failure !== undefined) throw new Error(${JSON.stringify(BAILED)}); });
try {
    for (const file of state.files) require(file);
} catch (error) {
    state.failure = "loading the test files: " + (error instanceof Error ? error.message : String(error));
}
test(${JSON.stringify(END_TEST)}, () => {});
`,
    );
    return entry;
}

/** The project's modules evaluate again in the next run, so a mutant in module-level code takes effect. */
function forgetProjectModules() {
    for (const file of Object.keys(requireFromProject.cache)) {
        if (file.startsWith(PROJECT) && !file.includes(NODE_MODULES)) delete requireFromProject.cache[file];
    }
}

function describeFailure(event) {
    const error = event.details?.error;
    const cause = error?.cause instanceof Error ? error.cause.message : String(error?.cause ?? error?.message ?? "");
    return `${event.name} (${event.file ?? "?"}): ${cause.split("\n")[0]}`;
}

async function runOnce({ run: runId, files, activeMutant, hitLimit, testTimeoutMs }) {
    const stryker = (globalThis.__stryker__ ??= {});
    stryker.activeMutant = activeMutant;
    stryker.hitLimit = hitLimit;
    stryker.hitCount = hitLimit === undefined ? undefined : 0;
    const state = { files: files.map((file) => resolve(PROJECT, file)), failure: undefined };
    globalThis[RUN_STATE] = state;
    forgetProjectModules();
    const beforeExitListeners = new Set(process.listeners("beforeExit"));
    const entry = writeEntry(runId);
    const events = run({ files: [entry], isolation: "none", timeout: testTimeoutMs });
    await new Promise((resolve) => {
        events.on("test:fail", (event) => {
            if (event.name === END_TEST) return resolve();
            state.failure ??= describeFailure(event);
        });
        events.on("test:pass", (event) => {
            if (event.name === END_TEST) resolve();
        });
    });
    // node:test finishes an in-process run when the event loop empties, which never happens here:
    // its own beforeExit handler reports the run and removes the hooks and listeners it added.
    for (const listener of process.listeners("beforeExit")) {
        if (!beforeExitListeners.has(listener)) await listener();
    }
    rmSync(entry);
    return { run: runId, failure: state.failure, hits: stryker.hitCount, rss: process.memoryUsage().rss };
}

process.on("message", (message) => {
    runOnce(message).then(
        (result) => process.send(result),
        (error) => process.send({ run: message.run, failure: `the test worker failed: ${error instanceof Error ? error.stack : error}` }),
    );
});
process.send({ ready: true });
