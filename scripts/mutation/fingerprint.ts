import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

function resolveImport(fromFile: string, specifier: string): string | undefined {
    const base = join(dirname(fromFile), specifier);
    return [`${base}.ts`, join(base, "index.ts"), base].find((candidate) => existsSync(candidate) && candidate.endsWith(".ts"));
}

/**
 * A hash of the test files and every project file they import, the mutated file excepted.
 * Stryker's incremental mode diffs the mutated file itself, but the command runner reports no
 * test files, so it cannot see a changed or added test and would keep an old survivor; a
 * different fingerprint makes the run start afresh instead.
 */
export function testFingerprint(root: string, testFiles: readonly string[], mutated: string): string {
    const seen = new Set<string>();
    const pending = testFiles.map((file) => join(root, file));
    while (pending.length > 0) {
        const file = pending.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const [, specifier] of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
            const resolved = resolveImport(file, specifier!);
            if (resolved) pending.push(resolved);
        }
    }
    const hash = createHash("sha256");
    for (const file of [...seen].map((path) => relative(root, path)).sort()) {
        if (file === mutated) continue;
        hash.update(`${file}\0${readFileSync(join(root, file))}\0`);
    }
    return hash.digest("hex");
}
