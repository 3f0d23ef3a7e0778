import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { imageName } from "../lib/imageUpdaterSpec";
import { chooseTag } from "../lib/tagSelection";
import { loadStackConfig } from "../stacks/config";
import { exitOnConfigError, runCommand } from "./configErrorExit";
import { PROJECT_DIR } from "./render/renderStack";
import { mergeStackConfig } from "./render/stackConfigFiles";

const USAGE = `usage: npm run channels -- --stack <name> [--stack <name>]... (--tags <t1,t2,...> | --tags-file <file|->) [--json] [--argocd-server <host>]

Prints, per stack, service and image, the tag Image Updater would deploy from the given tags
under the stack's real config (constraint, strategy, allowTags, ignoreTags). List tags oldest
first: the newest-build strategy takes the last eligible one.

With --argocd-server (and ARGOCD_AUTH_TOKEN in the environment, as the argocd CLI reads it), each
later stack's candidate is also checked against the first stack, in promotion order: whether the
first stack's Application of the service already runs that image and tag Synced and Healthy
(ci/promotion-gate/promotion-gate.sh, the check the deploy repo's promotion gate makes).`;

const PROMOTION_GATE = path.join(PROJECT_DIR, "ci", "promotion-gate", "promotion-gate.sh");

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
    /** Later stacks with an Argo CD server: whether the first stack already runs the candidate Synced and Healthy. */
    promotion?: { from: string; ready: boolean; detail: string };
}

function readTags(list: string | undefined, file: string | undefined): string[] {
    const text = list ?? (file === "-" ? readFileSync(0, "utf8") : file ? readFileSync(file, "utf8") : "");
    return text
        .split(/[\s,]+/)
        .map((tag) => tag.trim())
        .filter(Boolean);
}

/** The promotion gate's verdict on one candidate: exit 0 means running Synced and Healthy. */
function gate(application: string, repository: string, tag: string, argocdServer: string): { ready: boolean; detail: string } {
    const result = spawnSync("bash", [PROMOTION_GATE, "--app", application, "--image", repository, "--tag", tag], {
        encoding: "utf8",
        env: { ...process.env, ARGOCD_SERVER: argocdServer },
    });
    const detail = `${result.stdout}\n${result.stderr}`.trim().split("\n").filter(Boolean).pop() ?? `exit ${result.status}`;
    return { ready: result.status === 0, detail };
}

function channels(stacks: string[], tags: string[], argocdServer?: string): Channel[] {
    const result: Channel[] = [];
    const configs = stacks.map((stack) => loadStackConfig(mergeStackConfig(PROJECT_DIR, stack)));
    const [first] = configs;
    configs.forEach((config, index) => {
        for (const service of config.services) {
            for (const image of service.images) {
                const choice = chooseTag(image, tags);
                const source = index > 0 ? first.services.find((s) => s.name === service.name) : undefined;
                result.push({
                    stack: config.stack,
                    application: service.appName,
                    alias: image.alias,
                    imageName: imageName(image),
                    strategy: image.updateStrategy,
                    constraint: image.constraint,
                    tag: choice.tag ?? null,
                    ...(choice.note ? { note: choice.note } : {}),
                    ...(argocdServer && source && choice.tag
                        ? { promotion: { from: source.appName, ...gate(source.appName, image.repository, choice.tag, argocdServer) } }
                        : {}),
                });
            }
        }
    });
    return result;
}

function promotionCell(row: Channel): string {
    if (!row.promotion) return "";
    return row.promotion.ready ? `ready: ${row.promotion.from} runs it Synced and Healthy` : `waiting: ${row.promotion.detail}`;
}

function table(rows: Channel[]): string {
    const promotion = rows.some((r) => r.promotion);
    const header = ["STACK", "APPLICATION", "IMAGE", "STRATEGY", "CONSTRAINT", "DEPLOYS", ...(promotion ? ["PROMOTION"] : [])];
    const lines = rows.map((r) => [
        r.stack,
        r.application,
        `${r.alias}=${r.imageName}`,
        r.strategy,
        r.constraint,
        r.tag ?? `- (${r.note})`,
        ...(promotion ? [promotionCell(r)] : []),
    ]);
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
            "argocd-server": { type: "string" },
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
        const rows = channels(values.stack, tags, values["argocd-server"]);
        console.log(values.json ? JSON.stringify(rows, null, 2) : table(rows));
        return 0;
    } catch (error) {
        return exitOnConfigError(error);
    }
}

runCommand(main);
