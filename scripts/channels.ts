import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { imageName } from "../lib/imageUpdaterSpec";
import { chooseTag } from "../lib/tagSelection";
import { loadStackConfig } from "../stacks/config";
import { exitOnConfigError } from "./configErrorExit";
import { PROJECT_DIR } from "./render/renderStack";
import { mergeStackConfig } from "./render/stackConfigFiles";

const USAGE = `usage: npm run channels -- --stack <name> [--stack <name>]... (--tags <t1,t2,...> | --tags-file <file|->) [--json]

Prints, per stack, service and image, the tag Image Updater would deploy from the given tags
under the stack's real config (constraint, strategy, allowTags, ignoreTags). List tags oldest
first: the newest-build strategy takes the last eligible one.`;

/** One line of the dry run. */
interface Channel {
    stack: string;
    application: string;
    alias: string;
    imageName: string;
    strategy: string;
    constraint: string;
    tag: string | null;
    note?: string;
}

function readTags(list: string | undefined, file: string | undefined): string[] {
    const text = list ?? (file === "-" ? readFileSync(0, "utf8") : file ? readFileSync(file, "utf8") : "");
    return text
        .split(/[\s,]+/)
        .map((tag) => tag.trim())
        .filter(Boolean);
}

function channels(stacks: string[], tags: string[]): Channel[] {
    const result: Channel[] = [];
    for (const stack of stacks) {
        const config = loadStackConfig(mergeStackConfig(PROJECT_DIR, stack));
        for (const service of config.services) {
            for (const image of service.images) {
                const choice = chooseTag(image, tags);
                result.push({
                    stack,
                    application: service.appName,
                    alias: image.alias,
                    imageName: imageName(image),
                    strategy: image.updateStrategy,
                    constraint: image.constraint,
                    tag: choice.tag ?? null,
                    ...(choice.note ? { note: choice.note } : {}),
                });
            }
        }
    }
    return result;
}

function table(rows: Channel[]): string {
    const header = ["STACK", "APPLICATION", "IMAGE", "STRATEGY", "CONSTRAINT", "DEPLOYS"];
    const lines = rows.map((r) => [r.stack, r.application, `${r.alias}=${r.imageName}`, r.strategy, r.constraint, r.tag ?? `- (${r.note})`]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    return [header, ...lines].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

function main(): number {
    const { values } = parseArgs({
        options: {
            stack: { type: "string", multiple: true, default: [] },
            tags: { type: "string" },
            "tags-file": { type: "string" },
            json: { type: "boolean", default: false },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const tags = readTags(values.tags, values["tags-file"]);
    if (!values.stack?.length || tags.length === 0) {
        console.error(USAGE);
        return 2;
    }
    try {
        const rows = channels(values.stack, tags);
        console.log(values.json ? JSON.stringify(rows, null, 2) : table(rows));
        return 0;
    } catch (error) {
        return exitOnConfigError(error);
    }
}

try {
    process.exitCode = main();
} catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
}
