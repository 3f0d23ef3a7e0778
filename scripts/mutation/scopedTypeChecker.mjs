/**
 * StrykerJS checker plugin: TypeScript 7's native compiler, checking each mutant in its own file
 * and, when the mutant changes what the file declares to others, the files that import it,
 * directly or not; not the whole program. A change to one file can only break the types of that
 * file and of files that depend on it, and those only through its declarations (what `tsc
 * --declaration` would write for it), so the verdict is the same. The cost is not: the
 * zod-typed config files dominate a whole-program check whichever file a mutant is in.
 */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { CheckStatus } from "@stryker-mutator/api/check";
import { commonTokens, declareClassPlugin, PluginKind, tokens } from "@stryker-mutator/api/plugin";
import ts from "typescript";

/** `DiagnosticCategory.Error` of the TypeScript 7 API. */
const ERROR_CATEGORY = 1;

/**
 * For each source file of the project (not node_modules, not declaration files), the files that
 * import it, directly or not, itself included. TypeScript 5's builder program knows the graph;
 * it is read once, before any mutant.
 */
function dependentsOf(config) {
    const builder = ts.createSemanticDiagnosticsBuilderProgram(config.fileNames, config.options, ts.createIncrementalCompilerHost(config.options));
    const isProjectSource = (file) => !file.isDeclarationFile && !file.fileName.includes("/node_modules/");
    const sources = builder.getSourceFiles().filter(isProjectSource);
    const dependents = new Map(sources.map((file) => [resolve(file.fileName), new Set([resolve(file.fileName)])]));
    for (const file of sources) {
        for (const dependency of builder.getAllDependencies(file)) dependents.get(resolve(dependency))?.add(resolve(file.fileName));
    }
    return dependents;
}

/**
 * What a file declares to its importers, as isolated declaration emit writes it from the syntax
 * alone; undefined where that emit needs the checker (an export without a written type), so the
 * caller cannot rely on it.
 */
function declarationsOf(file, text, options) {
    const { outputText, diagnostics } = ts.transpileDeclaration(text, { fileName: file, reportDiagnostics: true, compilerOptions: options });
    return diagnostics.length === 0 ? outputText : undefined;
}

/** The offset of a zero-based line and column in a text. */
function offsetOf(text, { line, column }) {
    let offset = 0;
    for (let at = 0; at < line; at++) offset = text.indexOf("\n", offset) + 1;
    return offset + column;
}

class ScopedTypeChecker {
    static inject = tokens(commonTokens.options);

    constructor(options) {
        this.tsconfigFile = resolve(options.tsconfigFile);
        /** @type {Map<string, string>} file -> mutated text the compiler reads instead of the file */
        this.overrides = new Map();
        this.originals = new Map();
        /** @type {Map<string, string | undefined>} file -> its declarations unmutated */
        this.declarations = new Map();
    }

    async init() {
        const config = ts.getParsedCommandLineOfConfigFile(this.tsconfigFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
        this.compilerOptions = config.options;
        this.dependents = dependentsOf(config);
        const { API } = await import("@typescript/native/unstable/sync");
        this.api = new API({ cwd: process.cwd(), fs: { readFile: (file) => this.overrides.get(resolve(file)), writeFile: () => {} } });
        const errors = this.errorsIn([], [...this.dependents.keys()]);
        if (errors.length > 0) throw new Error(`the project does not compile without mutants:\n${errors.join("\n")}`);
    }

    async check(mutants) {
        const results = {};
        for (const mutant of mutants) {
            const file = resolve(mutant.fileName);
            const scope = this.dependents.get(file);
            if (scope === undefined) {
                results[mutant.id] = { status: CheckStatus.Passed };
                continue;
            }
            const original = this.original(file);
            const mutated = original.slice(0, offsetOf(original, mutant.location.start)) + mutant.replacement + original.slice(offsetOf(original, mutant.location.end));
            const changed = [...this.overrides.keys(), file];
            this.overrides.clear();
            this.overrides.set(file, mutated);
            const declarations = this.originalDeclarations(file);
            const sameDeclarations = declarations !== undefined && declarations === declarationsOf(file, mutated, this.compilerOptions);
            const errors = this.errorsIn(changed, sameDeclarations ? [file] : [...scope]);
            results[mutant.id] = errors.length > 0 ? { status: CheckStatus.CompileError, reason: errors.join("\n") } : { status: CheckStatus.Passed };
        }
        return results;
    }

    original(file) {
        if (!this.originals.has(file)) this.originals.set(file, readFileSync(file, "utf8"));
        return this.originals.get(file);
    }

    originalDeclarations(file) {
        if (!this.declarations.has(file)) this.declarations.set(file, declarationsOf(file, this.original(file), this.compilerOptions));
        return this.declarations.get(file);
    }

    /** The compile errors in these files, after telling the compiler which files changed. */
    errorsIn(changed, files) {
        const snapshot = this.api.updateSnapshot({ openProject: this.tsconfigFile, ...(changed.length > 0 ? { fileChanges: { changed } } : {}) });
        try {
            const errors = [];
            for (const project of snapshot.getProjects()) {
                const program = project.program;
                const diagnostics = changed.length === 0 ? [...program.getProgramDiagnostics()] : [];
                for (const file of files) diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
                for (const d of diagnostics) {
                    if (d.category === ERROR_CATEGORY) errors.push(`${d.fileName ? relative(process.cwd(), d.fileName) : "(project)"}: TS${d.code} ${d.text}`);
                }
            }
            return errors;
        } finally {
            snapshot.dispose();
        }
    }

    async dispose() {
        this.api?.close();
    }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Checker, "scoped-typescript", ScopedTypeChecker)];
