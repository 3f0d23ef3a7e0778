import * as pulumi from "@pulumi/pulumi";
import type { RawStackConfig } from "./load";

// Not in the SDK's typings, but what pulumi.Config itself uses to tell secret keys apart.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * Reads this run's config exactly as Pulumi hands it over (the CLI has already merged the
 * Pulumi.yaml defaults). The only place in the program that touches the config store.
 */
export function readRuntimeConfig(): RawStackConfig {
    const values = pulumi.runtime.allConfig();
    return {
        stack: pulumi.getStack(),
        project: pulumi.getProject(),
        values,
        secretKeys: new Set(Object.keys(values).filter((key) => isConfigSecret(key))),
    };
}
