import path from "node:path";
import { runUnderMocks, type ProgramRun, type RecordedResource } from "./mockRuntime";
import { renderFiles } from "./manifests";
import { mergeStackConfig, type MergedStackConfig } from "./stackConfigFiles";

/** Root of this project (where Pulumi.yaml and index.ts are). */
export const PROJECT_DIR = path.resolve(__dirname, "../..");

/** What to render. */
export interface RenderOptions {
    /** Stack name: reads `Pulumi.<stack>.yaml`. */
    stack: string;
    /** Directory of `Pulumi.<stack>.yaml`; default the project directory. */
    stackConfigDir?: string;
    /** Real values for secret keys (short or qualified key), marked secret. */
    secrets?: Readonly<Record<string, string>>;
    /** Edits the merged config before the run (tests and benchmarks use it). */
    adjust?: (config: MergedStackConfig) => MergedStackConfig;
    /** Receives every resource as the program registers it, even when the program then fails. */
    registered?: RecordedResource[];
}

/** One rendered stack. */
export interface Render {
    config: MergedStackConfig;
    run: ProgramRun;
    /** File path relative to the output directory -> content. */
    files: Map<string, string>;
}

/** Runs the real program (index.ts) fresh: it declares its resources when loaded. */
function loadProgram(projectDir: string): Record<string, unknown> {
    const entry = require.resolve(path.join(projectDir, "index.ts"));
    delete require.cache[entry];
    return require(entry) as Record<string, unknown>;
}

/**
 * Renders one stack offline: merges its config as the CLI does, runs index.ts under the mock
 * runtime and turns what it registered into files. Throws ConfigError on invalid config,
 * before any resource is registered.
 */
export async function renderStack(options: RenderOptions): Promise<Render> {
    const merged = mergeStackConfig(PROJECT_DIR, options.stack, options.secrets, options.stackConfigDir);
    const config = options.adjust ? options.adjust(merged) : merged;
    const run = await runUnderMocks(config, () => loadProgram(PROJECT_DIR), options.registered);
    return { config, run, files: renderFiles(run) };
}
