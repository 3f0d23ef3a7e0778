import assert from "node:assert/strict";
import type { RecordedResource } from "../../scripts/render/mockRuntime";
import { renderStack, type RenderOptions } from "../../scripts/render/renderStack";
import { ConfigError } from "../../stacks/config";

/** What a rejected config's error must say, and what must not happen. */
export interface Rejection {
    /** Short key (with the field path for services) the problem names. */
    key: string;
    /** Text of the value as the message shows it. */
    shown: string;
    problem: RegExp;
    fix: RegExp;
    /** Strings (secret values) the message must not contain. */
    unprinted?: readonly string[];
    /** The only problem reported: a mistake is named once, not again by a later rule that misreads it. */
    alone?: boolean;
}

/**
 * Renders a stack that must be rejected, and checks the error names the stack, the key, the
 * value and the fix, and that the program registered no resource before failing.
 */
export async function assertRejected(options: Omit<RenderOptions, "registered">, expected: Rejection): Promise<void> {
    const registered: RecordedResource[] = [];
    const error = await renderStack({ ...options, registered }).then(
        () => assert.fail("the render should have failed"),
        (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    const key = `cluster-stack:${expected.key}`;
    const problem = error.problems.find((p) => p.key === key);
    assert.ok(problem, `a problem for ${key} in:\n${error.message}`);
    if (expected.alone) assert.deepEqual(error.problems.map((p) => p.key), [key], "that problem alone");
    assert.match(problem.problem, expected.problem);
    assert.match(problem.fix, expected.fix);
    const line = error.message.split("\n").find((l) => l.startsWith(`  - ${key} = `));
    assert.ok(line?.includes(expected.shown), `the message shows the value ${expected.shown}: ${line}`);
    assert.match(error.message, new RegExp(`^Stack '${options.stack}' has \\d+ configuration problems?:`));
    for (const secret of expected.unprinted ?? []) assert.ok(!error.message.includes(secret), "no secret in the message");
    assert.deepEqual(registered, [], "no resource registered");
}
