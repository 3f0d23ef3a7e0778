import { spawnSync } from "node:child_process";
import path from "node:path";
import type { WriteBackApplication, WriteBackDestination } from "../../lib/writeBackTarget";

const SOURCE = path.join(__dirname, "writeback", "main.go");

/** One write-back target to resolve, for an Application with both namespaces spelled out. */
export interface UpstreamCase {
    target?: string;
    app: Required<WriteBackApplication>;
}

/**
 * The destinations Image Updater v1.2.2's own Go code (test/support/writeback/main.go) resolves
 * for the cases, in order. Needs Go (standard library only; `bash .ci/run` installs it).
 */
export function upstreamDestinations(cases: readonly UpstreamCase[]): WriteBackDestination[] {
    const input = cases.map((c) => ({ target: c.target, ...c.app }));
    const result = spawnSync("go", ["run", SOURCE], {
        input: JSON.stringify(input),
        encoding: "utf8",
        env: { ...process.env, GO111MODULE: "off", GOPROXY: "off", GOFLAGS: "" },
    });
    if (result.error) throw new Error(`cannot run go (${result.error.message}): install Go (Debian: apt-get install golang-go; \`bash .ci/run\` does it)`);
    if (result.status !== 0) throw new Error(`the write-back harness failed:\n${result.stderr}`);
    return JSON.parse(result.stdout) as WriteBackDestination[];
}
