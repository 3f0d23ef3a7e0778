import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { testFingerprint } from "./mutation/fingerprint";
import { forgetResults, restoreUnselected } from "./mutation/incremental";
import { type FileScore, formatTable, loadEquivalents, type MutantOutcome, scoreFile, totalOf } from "./mutation/report";
import { MUTATION_TARGETS } from "./mutation/targets";

const USAGE = `usage: npm run mutation -- [--incremental] [--force] [<file or directory> ...]

Runs StrykerJS once over the target files (scripts/mutation/targets.ts), each mutant against
only its own file's tests, then prints a table per file. Without arguments every target runs.
--incremental reuses the previous results in reports/mutation/ for what did not change;
--force runs everything anew.`;

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
 * Over tsconfig.json for the checker. A mutant that leaves a variable unused or code unreachable
 * still runs, so those are not compile errors (as in Stryker's own checker); TypeScript 7 dropped
 * `moduleResolution: node`, and nodenext resolves this CommonJS project's imports the same way.
 */
const CHECKER_OPTIONS = {
    noUnusedLocals: false,
    noUnusedParameters: false,
    allowUnreachableCode: true,
    module: "nodenext",
    moduleResolution: "nodenext",
    // The checker writes nothing; without this, a selection below the project root trips over outDir.
    noEmit: true,
};

/** Per test, as `npm test`'s --test-timeout but shorter: no single test of a target takes seconds. */
const TEST_TIMEOUT_MS = 20_000;

const ROOT = resolve(__dirname, "..");
const REPORTS = join(ROOT, "reports/mutation");
const INCREMENTAL_FILE = join(REPORTS, "incremental.json");
const FINGERPRINTS_FILE = join(REPORTS, "fingerprints.json");

function readFingerprints(): Record<string, string> {
    return existsSync(FINGERPRINTS_FILE) ? (JSON.parse(readFileSync(FINGERPRINTS_FILE, "utf8")) as Record<string, string>) : {};
}

/** One Stryker run over every selected target; each mutant runs only its own file's tests (targetTestRunner.mjs). */
async function mutate(targets: readonly string[], incremental: boolean, force: boolean): Promise<MutantOutcome[]> {
    const fingerprints = readFingerprints();
    const current = Object.fromEntries(targets.map((target) => [target, testFingerprint(ROOT, MUTATION_TARGETS[target]!, target)]));
    const stale = targets.filter((target) => force || fingerprints[target] !== current[target]);
    mkdirSync(REPORTS, { recursive: true });
    const previous = incremental ? forgetResults(INCREMENTAL_FILE, stale) : undefined;
    // The checker only needs the mutated files and what they import; the whole project (Pulumi's
    // types, every test) made checking each mutant take longer than testing it.
    writeFileSync(join(ROOT, CHECKER_TSCONFIG), JSON.stringify({ extends: "./tsconfig.json", compilerOptions: CHECKER_OPTIONS, include: [], files: targets }));
    process.env.MUTATION_TEST_LISTS = JSON.stringify(Object.fromEntries(targets.map((target) => [target, MUTATION_TARGETS[target]])));
    process.env.MUTATION_NODE_ARGS = JSON.stringify(["--import", "tsx"]);
    process.env.MUTATION_TEST_TIMEOUT_MS = String(TEST_TIMEOUT_MS);
    const { Stryker } = (await import(STRYKER)) as StrykerModule;
    const results = await new Stryker({
        mutate: [...targets],
        plugins: [join(ROOT, "scripts/mutation/scopedTypeChecker.mjs"), join(ROOT, "scripts/mutation/targetTestRunner.mjs")],
        testRunner: "target-tests",
        coverageAnalysis: "off",
        // A mutant that makes a test hang fails that test at TEST_TIMEOUT_MS and counts as killed;
        // Stryker's own limit (the slowest test list without mutants, plus half a minute) only
        // ends a test process that hangs outside any test or in a loop that never yields.
        timeoutFactor: 1,
        timeoutMS: 30_000,
        // TypeScript 7's native compiler (devDependency @typescript/native, pinned exactly because
        // the checker drives its unstable API), scoped to what a mutant can affect
        // (scopedTypeChecker.mjs): about ten times faster than Stryker's tsc 5 checker. It also
        // installs a `tsc` command, so the npm scripts call tsc 5 by path.
        checkers: ["scoped-typescript"],
        tsconfigFile: CHECKER_TSCONFIG,
        // One test process per core: each is single-threaded.
        concurrency: 2,
        incremental,
        incrementalFile: INCREMENTAL_FILE,
        reporters: ["progress"],
        logLevel: "warn",
        fileLogLevel: "off",
    })
        .runMutationTest()
        .finally(() => rmSync(join(ROOT, CHECKER_TSCONFIG), { force: true }));
    if (incremental) {
        restoreUnselected(INCREMENTAL_FILE, previous, targets);
        // Only with the results they describe: a run without --incremental writes none.
        writeFileSync(FINGERPRINTS_FILE, JSON.stringify({ ...fingerprints, ...current }, null, 2));
    }
    return results;
}

/** The results of one target: Stryker names files by absolute path or relative to the project. */
function resultsOf(target: string, results: readonly MutantOutcome[]): MutantOutcome[] {
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
    const targets = selectTargets(positionals);
    const results = await mutate(targets, values.incremental, values.force);
    for (const target of targets) rows.push(scoreFile(ROOT, target, resultsOf(target, results), equivalents));
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
