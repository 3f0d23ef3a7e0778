import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ConfigError, type ConfigProblem, type RawStackConfig } from "../../stacks/config";

/** A key declared in Pulumi.yaml's `config:` block. */
export interface DeclaredKey {
    type: "string" | "integer" | "boolean" | "array";
    description?: string;
    default?: unknown;
    secret?: boolean;
    items?: { type: string };
}

/** Pulumi.yaml as far as config is concerned. */
export interface ProjectFile {
    name: string;
    config: Record<string, DeclaredKey>;
}

/** Merged config plus what the render had to stand in for. */
export interface MergedStackConfig extends RawStackConfig {
    /** Secret keys whose real value the render does not have (`secure:` or unset): placeholders stand in. */
    placeholders: string[];
}

export function readProjectFile(projectDir: string): ProjectFile {
    const project = parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, DeclaredKey> };
    return { name: project.name, config: project.config ?? {} };
}

/** Reads `Pulumi.<stack>.yaml`'s `config:` map from a directory. */
export function readStackFile(stackConfigDir: string, stack: string): Record<string, unknown> {
    const file = path.join(stackConfigDir, `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
        throw new Error(`No stack file ${path.relative(process.cwd(), file) || file} for stack '${stack}'.`);
    }
    const parsed = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    return parsed.config ?? {};
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** The CLI's own type check of a stack value against its Pulumi.yaml declaration. */
function matchesDeclaredType(declared: DeclaredKey, value: unknown): boolean {
    switch (declared.type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^-?[0-9]+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "array":
            return Array.isArray(value) && value.every((item) => declared.items === undefined || matchesDeclaredType(declared.items as DeclaredKey, item));
    }
}

/** How Pulumi hands a config value to a program: strings as-is, everything else as JSON. */
function toRaw(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Merges config the way the Pulumi CLI does before a run: Pulumi.yaml defaults, then the stack
 * file, with the CLI's checks (declared type, secret keys only as `secure:`). `secure:` values
 * and unset secret keys become visible placeholders, marked secret; `secrets` supplies real
 * values (marked secret too).
 */
export function mergeStackConfig(
    projectDir: string,
    stack: string,
    secrets: Readonly<Record<string, string>> = {},
    stackConfigDir: string = projectDir,
): MergedStackConfig {
    const project = readProjectFile(projectDir);
    const stackValues = readStackFile(stackConfigDir, stack);
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const values: Record<string, string> = {};
    const secretKeys = new Set<string>();
    const placeholders: string[] = [];
    const problems: ConfigProblem[] = [];

    for (const [key, declared] of Object.entries(project.config)) {
        if (declared.default !== undefined) values[qualify(key)] = toRaw(declared.default);
    }
    for (const [key, value] of Object.entries(stackValues)) {
        const fullKey = qualify(key);
        const declared = project.config[fullKey.slice(project.name.length + 1)];
        if (isSecure(value)) {
            values[fullKey] = `placeholder-for-${fullKey}`;
            secretKeys.add(fullKey);
            placeholders.push(fullKey);
            continue;
        }
        values[fullKey] = toRaw(value);
        // The CLI keeps scalar config values as text and checks that text, so `4242` is a valid string.
        const checked = value !== null && typeof value === "object" ? value : String(value);
        if (fullKey.startsWith(`${project.name}:`) && declared !== undefined && !matchesDeclaredType(declared, checked)) {
            problems.push({
                key: fullKey,
                value,
                problem: `must be of type ${declared.type}${declared.items ? `<${declared.items.type}>` : ""} as Pulumi.yaml declares`,
                fix: `correct the value in Pulumi.${stack}.yaml`,
            });
        }
    }
    for (const [key, declared] of Object.entries(project.config)) {
        const fullKey = qualify(key);
        if (!declared.secret) continue;
        // Optional secrets default to "" (unset): the render stands in for them too.
        if (secrets[key] === undefined && secrets[fullKey] === undefined && (values[fullKey] === undefined || values[fullKey] === "")) {
            values[fullKey] = `placeholder-for-${fullKey}`;
            secretKeys.add(fullKey);
            placeholders.push(fullKey);
        }
    }
    for (const [key, value] of Object.entries(secrets)) {
        const fullKey = qualify(key);
        values[fullKey] = value;
        secretKeys.add(fullKey);
        const index = placeholders.indexOf(fullKey);
        if (index >= 0) placeholders.splice(index, 1);
    }
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return { stack, project: project.name, values, secretKeys, placeholders: placeholders.sort() };
}
