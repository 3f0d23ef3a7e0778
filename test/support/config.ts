import { mergeStackConfig, type MergedStackConfig } from "../../scripts/render/stackConfigFiles";
import { ConfigError, loadStackConfig } from "../../stacks/config";
import { PROJECT_DIR } from "../../scripts/render/renderStack";

/** Short key -> value (as it would sit in a stack file); `undefined` removes the key. */
export type Overrides = Record<string, unknown>;

/**
 * A stack's merged config (Pulumi.yaml defaults + the committed stack file) with overrides
 * applied the way the CLI would hand them over: strings as-is, everything else as JSON.
 */
export function stackConfig(stack: "dev" | "prd", overrides: Overrides = {}, secrets: Record<string, string> = {}): MergedStackConfig {
    const merged = mergeStackConfig(PROJECT_DIR, stack, secrets);
    return withOverrides(merged, overrides);
}

/** Applies overrides to a merged config (keys short, in the project's namespace). */
export function withOverrides(config: MergedStackConfig, overrides: Overrides): MergedStackConfig {
    const values = { ...config.values };
    for (const [key, value] of Object.entries(overrides)) {
        const fullKey = `${config.project}:${key}`;
        if (value === undefined) delete values[fullKey];
        else values[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { ...config, values };
}

/** The ConfigError loading this config throws, or undefined when it loads; any other error is rethrown. */
export function configErrorOf(config: MergedStackConfig): ConfigError | undefined {
    try {
        loadStackConfig(config);
        return undefined;
    } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
    }
}
