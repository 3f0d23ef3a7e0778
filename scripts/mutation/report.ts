import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What the table needs of one Stryker mutant result. */
export interface MutantOutcome {
    fileName: string;
    mutatorName: string;
    replacement?: string;
    status: string;
    location: { start: { line: number; column: number } };
}

/** A survivor that cannot change behaviour, listed in scripts/mutation/equivalent.json. */
export interface EquivalentMutant {
    file: string;
    /** The trimmed source line the mutant starts on: survives edits elsewhere in the file. */
    code: string;
    mutator: string;
    replacement: string;
    reason: string;
}

/** One row of the per-file table. */
export interface FileScore {
    file: string;
    mutants: number;
    killed: number;
    survived: number;
    equivalent: number;
    timeout: number;
    noCoverage: number;
    /** Detected (killed or timed out) over mutants that could be detected, equivalents excluded. */
    score: number;
    /** Survivors not listed as equivalent, and timeouts: `file:line: mutator -> replacement`. */
    flagged: string[];
    /** Listed equivalents of this file that matched no survivor: the code changed, so the entry is stale. */
    stale: EquivalentMutant[];
}

export function loadEquivalents(root: string): EquivalentMutant[] {
    return JSON.parse(readFileSync(join(root, "scripts/mutation/equivalent.json"), "utf8")) as EquivalentMutant[];
}

/** Counts one file's mutants; mutants that do not compile or are ignored are not counted, as Stryker does. */
export function scoreFile(root: string, file: string, results: readonly MutantOutcome[], equivalents: readonly EquivalentMutant[]): FileScore {
    const lines = readFileSync(join(root, file), "utf8").split("\n");
    const row: FileScore = { file, mutants: 0, killed: 0, survived: 0, equivalent: 0, timeout: 0, noCoverage: 0, score: 0, flagged: [], stale: [] };
    const listed = equivalents.filter((e) => e.file === file);
    const matched = new Set<EquivalentMutant>();
    for (const mutant of results) {
        const line = mutant.location.start.line;
        const code = (lines[line - 1] ?? "").trim();
        switch (mutant.status) {
            case "Killed":
                row.killed++;
                break;
            case "Timeout":
                row.timeout++;
                row.flagged.push(`${file}:${line}: ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement)} timed out   ${code}`);
                break;
            case "NoCoverage":
                row.noCoverage++;
                break;
            case "Survived":
                const equivalent = listed.find((e) => e.code === code && e.mutator === mutant.mutatorName && e.replacement === mutant.replacement);
                if (equivalent) {
                    matched.add(equivalent);
                    row.equivalent++;
                } else {
                    row.survived++;
                    row.flagged.push(`${file}:${line}: ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement)}   ${code}`);
                }
                break;
            default:
                continue;
        }
        row.mutants++;
    }
    const detectable = row.killed + row.timeout + row.survived + row.noCoverage;
    row.score = detectable === 0 ? 100 : (100 * (row.killed + row.timeout)) / detectable;
    row.stale = listed.filter((e) => !matched.has(e));
    return row;
}

/** Sums rows into the overall line (score over all files' mutants, not a mean of scores). */
export function totalOf(rows: readonly FileScore[]): FileScore {
    const total: FileScore = { file: "overall", mutants: 0, killed: 0, survived: 0, equivalent: 0, timeout: 0, noCoverage: 0, score: 0, flagged: [], stale: [] };
    for (const row of rows) {
        for (const key of ["mutants", "killed", "survived", "equivalent", "timeout", "noCoverage"] as const) total[key] += row[key];
    }
    const detectable = total.killed + total.timeout + total.survived + total.noCoverage;
    total.score = detectable === 0 ? 100 : (100 * (total.killed + total.timeout)) / detectable;
    return total;
}

export function formatTable(rows: readonly FileScore[]): string {
    const header = ["file", "mutants", "killed", "survived", "equivalent", "timeout", "no-coverage", "score"];
    const body = rows.map((r) => [r.file, r.mutants, r.killed, r.survived, r.equivalent, r.timeout, r.noCoverage, `${r.score.toFixed(1)}%`].map(String));
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
    const rule = `|${widths.map((w, i) => (i === 0 ? `-${"-".repeat(w)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
    return [line(header), rule, ...body.map(line)].join("\n");
}
