import { ConfigError } from "../stacks/config";

/**
 * What a command-line entry point does with a failure: a config problem is the user's to fix,
 * so it prints the message alone and exits 1; anything else is a bug and keeps its stack trace.
 */
export function exitOnConfigError(error: unknown): number {
    if (error instanceof ConfigError) {
        console.error(error.message);
        return 1;
    }
    throw error;
}

/** Runs a command's `main` and sets its exit code; an unexpected failure prints its message and exits 1. */
export function runCommand(main: () => number): void {
    try {
        process.exitCode = main();
    } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
    }
}
