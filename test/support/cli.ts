import { spawnSync } from "node:child_process";
import path from "node:path";
import { PROJECT_DIR } from "../../scripts/render/renderStack";

/** Runs one of the project's scripts (`scripts/<name>.ts`) the way `npm run <name>` does. */
export function runScript(name: string, args: string[], input?: string) {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "scripts", `${name}.ts`), ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        input,
        timeout: 120_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
