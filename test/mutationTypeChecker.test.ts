import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";

/** An ES module without types, imported by URL so the checker does not look for a declaration file. */
const CHECKER_PLUGIN: string = pathToFileURL(path.join(__dirname, "../scripts/mutation/scopedTypeChecker.mjs")).href;

/** b.ts depends on what a.ts declares; c.ts imports nothing. */
const FILES = {
    "a.ts": `export function greeting(): string {\n    return "hello";\n}\n`,
    "b.ts": `import { greeting } from "./a";\nexport const shout: string = greeting().toUpperCase();\n`,
    "c.ts": `export const answer: number = 42;\n`,
};

interface Mutant {
    id: string;
    fileName: string;
    replacement: string;
    location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Checker {
    init(): Promise<void>;
    check(mutants: Mutant[]): Promise<Record<string, { status: string; reason?: string }>>;
    dispose(): Promise<void>;
}

describe("mutation: the scoped type checker", () => {
    const project = mkdtempSync(path.join(tmpdir(), "mutation-checker-"));
    const originalCwd = process.cwd();
    let checker: Checker;

    before(async () => {
        for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(project, name), text);
        writeFileSync(
            path.join(project, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", types: [] }, files: Object.keys(FILES) }),
        );
        process.chdir(project);
        const plugin = (await import(CHECKER_PLUGIN)) as { strykerPlugins: [{ injectableClass: new (options: { tsconfigFile: string }) => Checker }] };
        checker = new plugin.strykerPlugins[0].injectableClass({ tsconfigFile: "tsconfig.json" });
        await checker.init();
    });
    after(async () => {
        await checker.dispose();
        process.chdir(originalCwd);
    });

    /** Replaces the first `text` on zero-based `line` of `file`. */
    function mutant(file: keyof typeof FILES, line: number, text: string, replacement: string): Mutant {
        const column = FILES[file].split("\n")[line]!.indexOf(text);
        assert.ok(column >= 0, `${text} on line ${line} of ${file}`);
        return { id: `${file}:${line}:${replacement}`, fileName: path.join(project, file), replacement, location: { start: { line, column }, end: { line, column: column + text.length } } };
    }
    const statusOf = async (m: Mutant) => (await checker.check([m]))[m.id]!;

    it("passes a mutant that type-checks", async () => {
        assert.equal((await statusOf(mutant("a.ts", 1, `"hello"`, `""`))).status, "passed");
    });

    it("rejects a mutant that breaks its own file", async () => {
        const result = await statusOf(mutant("a.ts", 1, `"hello"`, "1"));
        assert.equal(result.status, "compileError");
        assert.match(result.reason ?? "", /^a\.ts: TS2322 /);
    });

    it("rejects a mutant that changes what its file declares and so breaks a file importing it", async () => {
        const result = await statusOf(mutant("a.ts", 0, "string", "unknown"));
        assert.equal(result.status, "compileError");
        assert.equal(result.reason, "b.ts: TS2571 Object is of type 'unknown'.");
    });

    it("checks each mutant against the unmutated files: the previous mutant is undone", async () => {
        await statusOf(mutant("a.ts", 1, `"hello"`, "1"));
        assert.equal((await statusOf(mutant("c.ts", 0, "42", "7"))).status, "passed");
        assert.equal((await statusOf(mutant("b.ts", 1, "toUpperCase", "toLowerCase"))).status, "passed");
    });
});
