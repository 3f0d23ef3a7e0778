import { closest } from "fastest-levenshtein";
import { ConfigError, type ConfigProblem } from "./errors";
import { configKeys, type ConfigValues, type KeySpec } from "./keys";
import type { StackConfig } from "../../model/stackConfig";
import { buildStackConfig } from "./build";
import { checkRules } from "./rules";

/** Config as Pulumi hands it to a program: every value a string, keys namespaced. */
export interface RawStackConfig {
    /** Stack name, e.g. `dev`. */
    stack: string;
    /** Project name: the namespace of this program's keys (`cluster-stack:`). */
    project: string;
    /** Fully qualified key (`cluster-stack:environment`) to raw value; other namespaces are ignored. */
    values: Readonly<Record<string, string>>;
    /** Fully qualified keys whose values were stored as secrets. */
    secretKeys: ReadonlySet<string>;
}

const SECRET_SHOWN_AS = "[secret]";

/** Keys earlier versions read, with what replaces each: a stack file that still sets one gets told how to move. */
const RETIRED_KEYS: Record<string, (stack: string) => string> = {
    registry: (stack) => `pulumi config rm registry -s ${stack}; list registries instead (unset means ghcr.io with the GitHub pull token), e.g. pulumi config set --path 'registries[0].host' ghcr.io -s ${stack}`,
    vaultSecretPath: (stack) =>
        `pulumi config rm vaultSecretPath -s ${stack}; pulumi config set vaultPathPrefix <its parent, e.g. cluster-stack/${stack}> -s ${stack}: each credential now has its own secret below it (README, Migration)`,
};

/**
 * Turns raw stack config into the one typed object the program runs on, or throws a
 * ConfigError listing every problem (stack, key, value, fix). Pure: reads nothing else,
 * creates no resource, so a bad stack file stops `pulumi up` before anything is touched.
 */
export function loadStackConfig(raw: RawStackConfig): StackConfig {
    const problems: ConfigProblem[] = [];
    const decoded: Partial<Record<string, unknown>> = {};
    const prefix = `${raw.project}:`;
    const known = Object.keys(configKeys);

    for (const fullKey of Object.keys(raw.values).sort()) {
        if (!fullKey.startsWith(prefix)) continue;
        const name = fullKey.slice(prefix.length);
        if (name in RETIRED_KEYS) {
            problems.push({
                key: fullKey,
                value: raw.secretKeys.has(fullKey) ? SECRET_SHOWN_AS : raw.values[fullKey],
                problem: "is no longer read: credentials are split by purpose and registries are a list",
                fix: RETIRED_KEYS[name](raw.stack),
            });
        } else if (!(name in configKeys)) {
            problems.push({
                key: fullKey,
                value: raw.secretKeys.has(fullKey) ? SECRET_SHOWN_AS : raw.values[fullKey],
                problem: "is not a key of this project",
                fix: `remove it (pulumi config rm ${name} -s ${raw.stack}) or rename it; did you mean '${closest(name, known)}'?`,
            });
        }
    }

    for (const [name, spec] of Object.entries(configKeys) as [string, KeySpec][]) {
        const fullKey = prefix + name;
        // Optional keys default to "" in Pulumi.yaml, which means unset.
        const text = spec.optional && raw.values[fullKey] === "" ? undefined : raw.values[fullKey];
        const isSecret = raw.secretKeys.has(fullKey);
        const shown = (value: unknown) => (spec.secret || isSecret ? SECRET_SHOWN_AS : value);
        const setCommand = `pulumi config set ${spec.kind === "structured" ? "--path " : ""}${spec.secret ? "--secret " : ""}${name} '${spec.example}' -s ${raw.stack}`;
        if (text === undefined) {
            if (!spec.optional) {
                problems.push({ key: fullKey, value: undefined, problem: "is required", fix: setCommand });
            }
            continue;
        }
        if (spec.secret && !isSecret) {
            problems.push({
                key: fullKey,
                value: SECRET_SHOWN_AS,
                problem: "is stored in plaintext in the stack file",
                fix: `remove the plaintext value from Pulumi.${raw.stack}.yaml and rotate it, then: pulumi config set --secret ${name} <value> -s ${raw.stack}`,
            });
            continue;
        }
        const value = decode(text, spec);
        if (value === undefined) {
            problems.push({ key: fullKey, value: shown(text), problem: `is not ${describeKind(spec)}`, fix: setCommand });
            continue;
        }
        const result = spec.schema.safeParse(value);
        if (result.success) {
            decoded[name] = result.data;
            continue;
        }
        for (const issue of result.error.issues) {
            problems.push({
                key: fullKey + formatPath(issue.path),
                value: shown(valueAt(value, issue.path)),
                problem: issue.message,
                fix: issue.path.length === 0 ? setCommand : `correct this field in Pulumi.${raw.stack}.yaml`,
            });
        }
    }

    if (problems.length === 0) {
        problems.push(...checkRules(raw.stack, prefix, decoded as ConfigValues));
    }
    if (problems.length > 0) {
        throw new ConfigError(raw.stack, problems);
    }
    return buildStackConfig(raw.stack, raw.project, decoded as ConfigValues);
}

function decode(text: string, spec: KeySpec): unknown {
    switch (spec.kind) {
        case "string":
            return text;
        case "boolean":
            return text === "true" ? true : text === "false" ? false : undefined;
        case "integer":
            return /^-?[0-9]+$/.test(text) ? Number(text) : undefined;
        case "array":
        case "structured":
            try {
                return JSON.parse(text);
            } catch {
                return undefined;
            }
    }
}

function describeKind(spec: KeySpec): string {
    switch (spec.kind) {
        case "string":
            return "a string";
        case "boolean":
            return "a boolean (true or false)";
        case "integer":
            return "an integer";
        case "array":
        case "structured":
            return "structured YAML (a list or map in the stack file)";
    }
}

function formatPath(path: readonly PropertyKey[]): string {
    return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((current, p) => (current as Record<PropertyKey, unknown> | null | undefined)?.[p], value);
}
