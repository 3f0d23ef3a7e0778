import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { testFingerprint } from "./mutation/fingerprint";
import { type FileScore, formatTable, loadEquivalents, type MutantOutcome, scoreFile, totalOf } from "./mutation/report";
import { MUTATION_TARGETS } from "./mutation/targets";

const USAGE = `usage: npm run mutation -- [--incremental] [--force] [<file or directory> ...]

Runs StrykerJS once per target file (scripts/mutation/targets.ts) with only that file's tests,
then prints a table per file. Without arguments every target runs. --incremental reuses the
previous results in reports/mutation/ for what did not change; --force runs everything anew.`;

/** The bar the README sets: below it the command fails. */
const OVERALL_MIN_SCORE = 90;
const FILE_MIN_SCORE = 85;

/** Stryker ships only ESM `exports`, which this project's `moduleResolution: node` cannot type, so what is used is typed here. */
const STRYKER: string = "@stryker-mutator/core";
interface StrykerModule {
    Stryker: new (options: Record<string, unknown>) => { runMutationTest(): Promise<MutantOutcome[]> };
}

/** Written for each run and removed after it: Stryker copies the project, so it must sit inside it. */
const CHECKER_TSCONFIG = "tsconfig.mutation.json";

/**
 * Runs a target's test files in one process: loading Pulumi's SDKs once instead of once per file
 * makes a mutant about three times faster. Node 22 names the option experimental; later releases
 * drop the prefix.
 */
const ONE_PROCESS = /^\s*--test-isolation=/m.test(execFileSync("node", ["--help"], { encoding: "utf8" }))
    ? "--test-isolation=none"
    : "--experimental-test-isolation=none";

/** Per test, as `npm test`'s --test-timeout but shorter: no single test of a target takes seconds. */
const TEST_TIMEOUT_MS = 20_000;

/** Ends a mutant's test run at the first failure; relative, as Stryker runs the command in its sandbox copy. */
const BAIL_REPORTER = "./scripts/mutation/bailReporter.mjs";

const ROOT = resolve(__dirname, "..");
const REPORTS = join(ROOT, "reports/mutation");

async function mutate(target: string, tests: readonly string[], incremental: boolean, force: boolean): Promise<MutantOutcome[]> {
    const slug = target.replace(/[/.]/g, "_");
    const fingerprintFile = join(REPORTS, `${slug}.tests.sha256`);
    const fingerprint = testFingerprint(ROOT, tests, target);
    const testsChanged = !existsSync(fingerprintFile) || readFileSync(fingerprintFile, "utf8") !== fingerprint;
    // The checker only needs the mutated file and what it imports; the whole project (Pulumi's
    // types, every test) made checking each mutant take longer than testing it.
    writeFileSync(join(ROOT, CHECKER_TSCONFIG), JSON.stringify({ extends: "./tsconfig.json", include: [], files: [target] }));
    const { Stryker } = (await import(STRYKER)) as StrykerModule;
    const results = await new Stryker({
        mutate: [target],
        testRunner: "command",
        // node:test has no Stryker plugin: the command runner counts a mutant killed when this exits non-zero.
        commandRunner: { command: `node ${ONE_PROCESS} --import tsx --test --test-timeout=${TEST_TIMEOUT_MS} --test-reporter=${BAIL_REPORTER} ${tests.join(" ")}` },
        coverageAnalysis: "off",
        // Stryker gives up on a run at 2.5 times the unmutated run plus more than the test timeout:
        // a mutant that makes a test hang fails that test, as in `npm test`, and counts as killed; a
        // loaded machine does not turn a slow run into a timeout.
        timeoutFactor: 2.5,
        timeoutMS: TEST_TIMEOUT_MS + 10_000,
        checkers: ["typescript"],
        tsconfigFile: CHECKER_TSCONFIG,
        // One test process per core: each is single-threaded, and the whole set fits in the hour only on both.
        concurrency: 2,
        incremental,
        incrementalFile: join(REPORTS, `${slug}.json`),
        force: force || (incremental && testsChanged),
        reporters: ["progress"],
        logLevel: "warn",
        fileLogLevel: "off",
    })
        .runMutationTest()
        .finally(() => rmSync(join(ROOT, CHECKER_TSCONFIG), { force: true }));
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(fingerprintFile, fingerprint);
    return results.filter((result) => result.fileName === join(ROOT, target) || result.fileName === target);
}

function selectTargets(requested: readonly string[]): string[] {
    const all = Object.keys(MUTATION_TARGETS);
    if (requested.length === 0) return all;
    const chosen = all.filter((target) => requested.some((r) => target === r || target.startsWith(`${r.replace(/\/$/, "")}/`)));
    if (chosen.length === 0) throw new Error(`no mutation target matches ${requested.join(", ")}; targets:\n  ${all.join("\n  ")}`);
    return chosen;
}

async function main(): Promise<number> {
    const { values, positionals } = parseArgs({
        allowPositionals: true,
        options: { incremental: { type: "boolean", default: false }, force: { type: "boolean", default: false }, help: { type: "boolean" } },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    // Stryker runs the tests in a copy under .stryker-tmp/, from where ../shared is not the shared checkout.
    process.env.CONFORMANCE_DIR ??= join(ROOT, "../shared/conformance/semver");
    process.env.SCHEMAS_DIR ??= join(ROOT, "../shared/schemas");
    const equivalents = loadEquivalents(ROOT);
    const rows: FileScore[] = [];
    for (const target of selectTargets(positionals)) {
        console.log(`\n== ${target}: ${MUTATION_TARGETS[target]!.join(" ")}`);
        const results = await mutate(target, MUTATION_TARGETS[target]!, values.incremental, values.force);
        rows.push(scoreFile(ROOT, target, results, equivalents));
    }
    const total = totalOf(rows);
    console.log(`\n${formatTable([...rows, total])}`);
    const flagged = rows.flatMap((row) => row.flagged);
    if (flagged.length > 0) {
        console.log(`\nTimeouts, and survivors not listed in scripts/mutation/equivalent.json:\n  ${flagged.join("\n  ")}`);
    }
    const stale = rows.flatMap((row) => row.stale);
    if (stale.length > 0) {
        const entries = stale.map((e) => `${e.file}: ${e.mutator} -> ${JSON.stringify(e.replacement)}   ${e.code}`);
        console.log(`\nListed as equivalent but no longer a survivor (remove from scripts/mutation/equivalent.json):\n  ${entries.join("\n  ")}`);
    }
    const low = rows.filter((row) => row.score < FILE_MIN_SCORE).map((row) => row.file);
    if (total.score < OVERALL_MIN_SCORE || low.length > 0) {
        console.log(`\nBelow the bar (${OVERALL_MIN_SCORE}% overall, ${FILE_MIN_SCORE}% per file)${low.length > 0 ? `: ${low.join(", ")}` : ""}`);
        return 1;
    }
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(2);
    },
);
