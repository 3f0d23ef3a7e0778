import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import * as k8s from "@pulumi/kubernetes";
import { renderFiles } from "./render/manifests";
import { runUnderMocks } from "./render/mockRuntime";
import { renderStack } from "./render/renderStack";
import type { MergedStackConfig } from "./render/stackConfigFiles";

const USAGE = `usage: npm run bench -- [--stack <name>] [--sizes 10,100,1000]

Renders the stack with N generated services under the mock runtime, each size in a fresh
process (so peak memory is that size's alone), and beside it the floor: the mock runtime
registering as many bare CustomResources as that render registered resources.
Prints wall time, peak memory (maxRSS), per-service slope and the ratio to the floor.`;

/** What one child process measured. */
interface Measurement {
    /** Resources registered (components included). */
    resources: number;
    /** Wall time of the render (or the floor run), module loading excluded. */
    ms: number;
    /** Peak resident set size of the whole process. */
    maxRssMb: number;
    /** Of `ms`, writing the render's files (YAML and JSON), measured by doing it again. */
    filesMs?: number;
}

function services(count: number): { name: string; image: string }[] {
    return Array.from({ length: count }, (_, i) => ({ name: `svc-${i}`, image: `ghcr.io/example-org/svc-${i}` }));
}

function measured(resources: number, started: bigint): Measurement {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { resources, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function withServices(config: MergedStackConfig, count: number): MergedStackConfig {
    return { ...config, values: { ...config.values, [`${config.project}:services`]: JSON.stringify(services(count)) } };
}

// Each child first runs size 1 untimed: loading and compiling the program's modules is a
// one-off cost, and the floor gets the same warm-up so the two stay comparable.

/** Child: the real program with `count` services. */
async function renderChild(stack: string, count: number): Promise<Measurement> {
    await renderStack({ stack, adjust: (config) => withServices(config, 1) });
    const started = process.hrtime.bigint();
    const render = await renderStack({ stack, adjust: (config) => withServices(config, count) });
    const measurement = measured(render.run.resources.length, started);
    const filesStarted = process.hrtime.bigint();
    renderFiles(render.run);
    return { ...measurement, filesMs: Number(process.hrtime.bigint() - filesStarted) / 1e6 };
}

function registerBare(count: number): Record<string, unknown> {
    for (let i = 0; i < count; i++) {
        new k8s.apiextensions.CustomResource(`bare-${i}`, { apiVersion: "example.com/v1", kind: "Bare", metadata: { name: `bare-${i}` } });
    }
    return {};
}

/** Child: the same number of registrations with no program logic at all. */
async function floorChild(stack: string, count: number): Promise<Measurement> {
    const config = { stack, project: "cluster-stack", values: {}, secretKeys: new Set<string>() };
    await runUnderMocks(config, () => registerBare(1));
    const started = process.hrtime.bigint();
    const run = await runUnderMocks(config, () => registerBare(count));
    return measured(run.resources.length, started);
}

function inChild(mode: "render" | "floor", stack: string, count: number): Measurement {
    const result = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", mode, "--stack", stack, "--count", String(count)], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const last = result.stdout.trim().split("\n").at(-1) ?? "";
    if (result.status !== 0 || !last.startsWith("{")) {
        throw new Error(`${mode} ${count} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
    }
    return JSON.parse(last) as Measurement;
}

function pad(text: string | number, width: number): string {
    return String(text).padStart(width);
}

function report(stack: string, rows: { size: number; render: Measurement; floor: Measurement }[]): string {
    const lines = [
        `Stack '${stack}', N generated services, each size in a fresh process (node ${process.version}).`,
        "",
        "| services | resources | render ms | of which files ms | render peak MB | floor ms | floor peak MB | render/floor time |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ...rows.map(
            (r) =>
                `| ${pad(r.size, 8)} | ${pad(r.render.resources, 9)} | ${pad(r.render.ms.toFixed(0), 9)} | ${pad((r.render.filesMs ?? 0).toFixed(0), 17)} | ${pad(r.render.maxRssMb.toFixed(0), 14)} | ${pad(r.floor.ms.toFixed(0), 8)} | ${pad(r.floor.maxRssMb.toFixed(0), 13)} | ${pad((r.render.ms / r.floor.ms).toFixed(2), 16)}x |`,
        ),
        "",
    ];
    for (let i = 1; i < rows.length; i++) {
        const [a, b] = [rows[i - 1], rows[i]];
        const services = b.size - a.size;
        lines.push(
            `slope ${a.size}->${b.size}: ${((b.render.ms - a.render.ms) / services).toFixed(2)} ms and ${((b.render.maxRssMb - a.render.maxRssMb) / services).toFixed(3)} MB per service` +
                ` (floor ${((b.floor.ms - a.floor.ms) / services).toFixed(2)} ms, ${((b.floor.maxRssMb - a.floor.maxRssMb) / services).toFixed(3)} MB)`,
        );
    }
    const largest = rows.at(-1)!;
    lines.push(
        "",
        `targets at ${largest.size}: time within 1.5x the floor: ${(largest.render.ms / largest.floor.ms).toFixed(2)}x; peak memory under 500 MB: ${largest.render.maxRssMb.toFixed(0)} MB`,
    );
    return lines.join("\n");
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            sizes: { type: "string", default: "10,100,1000" },
            child: { type: "string" },
            count: { type: "string" },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const stack = values.stack!;
    if (values.child) {
        const count = Number(values.count);
        const measurement = values.child === "render" ? await renderChild(stack, count) : await floorChild(stack, count);
        console.log(JSON.stringify(measurement));
        return 0;
    }
    const sizes = values.sizes!.split(",").map(Number);
    if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        console.error(USAGE);
        return 2;
    }
    const rows = [];
    for (const size of sizes) {
        const render = inChild("render", stack, size);
        const floor = inChild("floor", stack, render.resources);
        rows.push({ size, render, floor });
        console.error(`measured ${size} services`);
    }
    console.log(report(stack, rows));
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
    },
);
