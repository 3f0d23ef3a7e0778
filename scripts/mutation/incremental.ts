import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** The part of Stryker's incremental report (mutation-testing-report-schema) this script edits. */
interface IncrementalReport {
    files: Record<string, unknown>;
    [key: string]: unknown;
}

function read(file: string): IncrementalReport | undefined {
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as IncrementalReport) : undefined;
}

/**
 * Drops the previous results of `targets` from the incremental report, so Stryker tests their
 * mutants afresh: the command-style runner reports no test files, so Stryker cannot see that a
 * target's tests changed. Returns the report as it was, for `restoreUnselected`.
 */
export function forgetResults(file: string, targets: readonly string[]): IncrementalReport | undefined {
    const previous = read(file);
    if (previous === undefined) return undefined;
    const kept = { ...previous, files: Object.fromEntries(Object.entries(previous.files).filter(([path]) => !targets.includes(path))) };
    writeFileSync(file, JSON.stringify(kept));
    return previous;
}

/**
 * Stryker writes only the files it mutated into the incremental report; the results of the
 * targets not selected this time are put back, so a run of one file keeps everyone else's.
 */
export function restoreUnselected(file: string, previous: IncrementalReport | undefined, selected: readonly string[]): void {
    const written = read(file);
    if (previous === undefined || written === undefined) return;
    for (const [path, results] of Object.entries(previous.files)) {
        if (!selected.includes(path) && !(path in written.files)) written.files[path] = results;
    }
    writeFileSync(file, JSON.stringify(written));
}
