import { readdirSync } from "node:fs";
import path from "node:path";
import { PROJECT_DIR } from "../../scripts/render/renderStack";

/** One stack the conformance tests render: every committed stack file, and the all-options fixture. */
export interface StackToRender {
    label: string;
    stack: string;
    stackConfigDir?: string;
}

/** Every committed stack file in the project root, found rather than listed. */
export const ROOT_STACKS = readdirSync(PROJECT_DIR)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();

/** The committed stacks, then test/fixtures/Pulumi.maximal.yaml (always last). */
export const STACKS_TO_RENDER: StackToRender[] = [
    ...ROOT_STACKS.map((stack) => ({ label: `Pulumi.${stack}.yaml`, stack })),
    { label: "test/fixtures/Pulumi.maximal.yaml", stack: "maximal", stackConfigDir: path.join(PROJECT_DIR, "test", "fixtures") },
];

/** STACKS_TO_RENDER and both stacks of test/fixtures/shared-cluster, where dev installs the platform and prd nothing. */
export const STACKS_WITH_SHARED_CLUSTER: StackToRender[] = [
    ...STACKS_TO_RENDER,
    ...["dev", "prd"].map((stack) => ({
        label: `test/fixtures/shared-cluster/Pulumi.${stack}.yaml`,
        stack,
        stackConfigDir: path.join(PROJECT_DIR, "test", "fixtures", "shared-cluster"),
    })),
];
