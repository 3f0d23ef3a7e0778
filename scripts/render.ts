import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { exitOnConfigError } from "./configErrorExit";
import { REDACTED } from "./render/manifests";
import { renderStack, type Render } from "./render/renderStack";

const USAGE = `usage: npm run render -- --stack <name> [--out <dir>] [--secret <key>=<value>]... [--stack-config-dir <dir>]

Renders a stack offline under Pulumi's mock runtime and writes, by default to out/<stack>/:
  manifests/<kind>-<namespace>-<name>.yaml   every Kubernetes object the program declares
  resources.json                             every registered resource with its deletion options (secrets as ${REDACTED})
  outputs.json                               stack outputs (secrets as ${REDACTED})

--stack-config-dir reads Pulumi.<stack>.yaml from another directory (Pulumi.yaml stays this project's).`;

function parseSecrets(pairs: string[]): Record<string, string> {
    const secrets: Record<string, string> = {};
    for (const pair of pairs) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new Error(`--secret takes <key>=<value>, got '${pair.split("=")[0]}'`);
        secrets[pair.slice(0, at)] = pair.slice(at + 1);
    }
    return secrets;
}

function writeRender(render: Render, outDir: string): void {
    rmSync(path.join(outDir, "manifests"), { recursive: true, force: true });
    for (const [file, content] of render.files) {
        mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
        writeFileSync(path.join(outDir, file), content);
    }
}

function summary(render: Render, outDir: string): string {
    const counts = new Map<string, number>();
    for (const r of render.run.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const lines = [`Rendered stack '${render.config.stack}' to ${outDir}`];
    for (const [type, count] of [...counts].sort()) lines.push(`  ${String(count).padStart(4)}  ${type}`);
    const url = render.run.outputs.argocdUrl;
    if (url) lines.push(`Argo CD: ${url.secret ? REDACTED : String(url.value)}`);
    if (render.config.placeholders.length > 0) {
        lines.push(`Placeholders (secret, not the real value) for: ${render.config.placeholders.join(", ")}`);
    }
    return lines.join("\n");
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            out: { type: "string" },
            secret: { type: "string", multiple: true, default: [] },
            "stack-config-dir": { type: "string" },
            help: { type: "boolean", short: "h" },
        },
        allowPositionals: false,
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack) {
        console.error(USAGE);
        return 2;
    }
    const outDir = path.resolve(values.out ?? path.join("out", values.stack));
    try {
        const render = await renderStack({
            stack: values.stack,
            secrets: parseSecrets(values.secret ?? []),
            stackConfigDir: values["stack-config-dir"],
        });
        writeRender(render, outDir);
        console.log(summary(render, path.relative(process.cwd(), outDir) || "."));
        return 0;
    } catch (error) {
        return exitOnConfigError(error);
    }
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
    },
);
