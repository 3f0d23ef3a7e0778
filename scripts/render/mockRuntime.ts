import * as pulumi from "@pulumi/pulumi";
import type { RawStackConfig } from "../../stacks/config";

/** One resource the program registered, as the engine would have received it. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** URN of the parent (the stack itself for top-level resources). */
    parent: string;
    /** URNs of the resources it depends on (explicit `dependsOn` and those its inputs come from). */
    dependsOn: string[];
    /** Input paths Pulumi leaves alone on update (`ignoreChanges`). */
    ignoreChanges: string[];
    /** `protect`: the engine refuses to delete or replace it (preview fails) until `pulumi state unprotect`. */
    protect: boolean;
    /** `retainOnDelete`: removing it from the stack leaves the object where it is. */
    retainOnDelete: boolean;
    /** `deletedWith`: URN of the resource whose deletion takes this one along (no delete call of its own); "" for none. */
    deletedWith: string;
    /** `deleteBeforeReplace`: a replacement deletes the old object first; undefined when unset (the provider decides). */
    deleteBeforeReplace?: boolean;
    /** Inputs; a secret value stays wrapped as `{ [SECRET_SIG_KEY]: SECRET_SIG, value }`. */
    inputs: Record<string, unknown>;
}

/** The outcome of one program run under mocks. */
export interface ProgramRun {
    resources: RecordedResource[];
    /** Stack outputs, resolved; `secret` tells which ones Pulumi keeps encrypted. */
    outputs: Record<string, { value: unknown; secret: boolean }>;
}

/** How the RPC layer marks a secret value inside resource inputs. */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isWrappedSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

function secret(value: unknown): unknown {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/**
 * Values a provider computes that the program reads back (everything else echoes the inputs).
 * Outputs the provider schema marks secret are returned secret, as the engine would: mocks do
 * not apply a resource's additionalSecretOutputs themselves.
 */
function computedState(type: string, name: string): Record<string, unknown> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
            return { result: secret(`mock-password-${name}`), bcryptHash: secret(`$2a$10$mockbcrypthashfor${name}`) };
        case "kubernetes:helm.sh/v3:Release":
            return { status: { status: "deployed" } };
        default:
            return {};
    }
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDeletedwith(): string;
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
}

/** What the monitor's request carries and the mocks' newResource does not. */
type RegistrationOptions = Pick<RecordedResource, "parent" | "dependsOn" | "ignoreChanges" | "protect" | "retainOnDelete" | "deletedWith" | "deleteBeforeReplace">;

const NO_OPTIONS: RegistrationOptions = { parent: "", dependsOn: [], ignoreChanges: [], protect: false, retainOnDelete: false, deletedWith: "" };

function registrationOptions(request: RegisterRequest): RegistrationOptions {
    return {
        parent: request.getParent(),
        dependsOn: request.getDependenciesList(),
        ignoreChanges: request.getIgnorechangesList(),
        // Unset on the request means off: the SDK has already applied what the parent passes down.
        protect: request.getProtect() ?? false,
        retainOnDelete: request.getRetainondelete() ?? false,
        deletedWith: request.getDeletedwith(),
        ...(request.getDeletebeforereplacedefined() ? { deleteBeforeReplace: request.getDeletebeforereplace() } : {}),
    };
}

type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;

interface MonitorWithRegister {
    registerResource(request: RegisterRequest, callback: RegisterCallback): unknown;
}

// Internal to @pulumi/pulumi but stable for years: resolves once queued registrations are sent.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/**
 * Runs a Pulumi program under the SDK's mock runtime with the given config, recording every
 * registered resource (with parent, dependsOn and the deletion options, which mocks alone do not
 * expose) and the stack outputs. One run at a time per process: the Pulumi runtime is global.
 * `registered` receives each resource as it is registered, so a caller still sees them if the
 * program throws.
 */
export async function runUnderMocks(
    config: RawStackConfig,
    program: () => Record<string, unknown>,
    registered: RecordedResource[] = [],
): Promise<ProgramRun> {
    const byKey = new Map<string, RecordedResource>();
    const pending = new Map<string, RegistrationOptions>();

    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                const key = `${args.type}::${args.name}`;
                const options = pending.get(key) ?? NO_OPTIONS;
                const recorded = { urn: "", type: args.type, name: args.name, custom: args.custom ?? true, ...options, inputs: args.inputs };
                byKey.set(key, recorded);
                registered.push(recorded);
                return { id: args.custom === false ? undefined : `${args.name}-id`, state: { ...args.inputs, ...computedState(args.type, args.name) } };
            },
            call(args) {
                return args.inputs;
            },
        },
        config.project,
        config.stack,
        false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorWithRegister;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
        const key = `${request.getType()}::${request.getName()}`;
        pending.set(key, registrationOptions(request));
        return register(request, (error, response) => {
            const recorded = byKey.get(key);
            if (recorded && response) recorded.urn = response.getUrn();
            callback(error, response);
        });
    };
    pulumi.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);

    const exported = program();
    const outputs: ProgramRun["outputs"] = {};
    for (const [name, value] of Object.entries(exported)) {
        if (value === undefined) continue;
        const output = pulumi.output(value);
        const resolved = await new Promise<unknown>((resolve) => output.apply((v) => resolve(v)));
        outputs[name] = { value: resolved, secret: await pulumi.isSecret(output) };
    }
    await waitForRPCs();
    return { resources: [...byKey.values()], outputs };
}
