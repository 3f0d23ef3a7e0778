/** One problem with one config key of one stack, with the fix a user can apply. */
export interface ConfigProblem {
    /** Fully qualified key, e.g. `cluster-stack:imageConstraint` or `cluster-stack:services[0].name`. */
    key: string;
    /** The offending value as the user wrote it (`undefined` when missing; secrets never). */
    value: unknown;
    /** What is wrong. */
    problem: string;
    /** What to do about it. */
    fix: string;
}

/**
 * Thrown by the config loader before any resource exists, listing every problem at once so a
 * user fixes the stack file in one pass instead of one `pulumi up` per mistake.
 */
export class ConfigError extends Error {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(formatProblems(stack, problems));
        this.name = "ConfigError";
    }
}

/** The `user:password@` after a URL's `://`: what a URL must not carry, and an error message must not repeat. */
const URL_CREDENTIALS = /:\/\/[^/@\s"]*@/g;

function describeValue(value: unknown): string {
    if (value === undefined) return "(not set)";
    const text = (JSON.stringify(value) ?? String(value)).replace(URL_CREDENTIALS, "://[credentials]@");
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
    const plural = problems.length === 1 ? "problem" : "problems";
    const lines = [`Stack '${stack}' has ${problems.length} configuration ${plural}:`];
    for (const p of problems) {
        lines.push(`  - ${p.key} = ${describeValue(p.value)}: ${p.problem}`, `    fix: ${p.fix}`);
    }
    lines.push("No resource was created or changed.");
    return lines.join("\n");
}
