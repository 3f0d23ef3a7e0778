import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { reveal } from "../render/manifests";
import type { RecordedResource } from "../render/mockRuntime";

/**
 * Helm ignores a value key its templates never read, so a misspelt or outdated key (a 0.x
 * key on a 1.x chart) installs fine and silently does nothing. This check holds every key the
 * program sets against the chart's own values.yaml at the pinned version.
 */

/** How the values of one chart are checked. */
interface ChartRules {
    /**
     * Maps whose keys the chart passes on verbatim although values.yaml lists only some of them
     * (or none); everything below them is accepted. Maps that are `{}` and lists in values.yaml
     * are free-form without being listed here.
     */
    freeForm: string[][];
    /** Why a missing values.yaml is acceptable for this chart (the check is then skipped, saying so). */
    valuesMayBeMissing?: string;
}

const CHART_RULES: Record<string, ChartRules> = {
    "argo-cd": {
        freeForm: [
            // argocd-cm: any Argo CD setting, e.g. accounts.<name>; values.yaml shows defaults only.
            ["configs", "cm"],
            // argocd-cmd-params-cm: any component flag, e.g. server.insecure.
            ["configs", "params"],
            // argocd-rbac-cm: policy.csv, policy.default, scopes, and any policy.<name>.csv.
            ["configs", "rbac"],
        ],
    },
    "argocd-image-updater": {
        // `config.*` is NOT free-form: the updater reads only the keys values.yaml documents,
        // which is how a 0.x key such as config.logLevel is caught.
        freeForm: [],
    },
    "external-secrets": {
        freeForm: [],
        // Not among the pinned schema files (the shared folder has none): skipped, listing its keys.
        valuesMayBeMissing: "no helm/external-secrets/values.yaml in the schema folder (not a pinned file)",
    },
};

/** A key the chart does not have, or a value whose shape does not fit the chart's. */
export interface ValueKeyProblem {
    /** Dotted key path; keys containing a dot are quoted, e.g. `config."log.level"`. */
    path: string;
    problem: string;
    /** `values` or `valueYamlFiles[<i>]`. */
    source?: string;
}

/** The outcome for one Helm release. */
export interface ReleaseValuesCheck {
    chart: string;
    /** Release name and namespace, as `namespace/name`. */
    release: string;
    version: string;
    /** Every key path the program sets, with where it was set. */
    keys: { path: string; source: string }[];
    problems: ValueKeyProblem[];
    /** Set when the chart's values.yaml is not available and the check was skipped on purpose. */
    skipped?: { reason: string; unchecked: string[] };
}

function isMap(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shape(value: unknown): string {
    return Array.isArray(value) ? "a list" : isMap(value) ? "a map" : value === null ? "null" : `a ${typeof value}`;
}

/** `["config", "log.level"]` -> `config."log.level"`. */
export function formatKeyPath(keys: readonly string[]): string {
    return keys.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join(".");
}

/** Every key path set in a values tree, down to scalars, lists and empty maps. */
export function valueKeyPaths(values: unknown, prefix: string[] = []): string[][] {
    if (!isMap(values) || (Object.keys(values).length === 0 && prefix.length > 0)) return [prefix];
    return Object.entries(values).flatMap(([key, value]) => valueKeyPaths(value, [...prefix, key]));
}

function isFreeForm(keys: readonly string[], freeForm: readonly string[][]): boolean {
    return freeForm.some((prefix) => prefix.length === keys.length && prefix.every((k, i) => k === keys[i]));
}

/**
 * Compares a values tree with the chart's values.yaml: each key must exist there, unless it
 * sits under a free-form map (`{}` in values.yaml, a list, or an allow-listed map), and a value
 * must keep the shape (map, list, scalar) values.yaml gives it.
 */
export function checkValueKeys(values: unknown, defaults: unknown, freeForm: readonly string[][] = [], at: string[] = []): ValueKeyProblem[] {
    if (at.length > 0 && isFreeForm(at, freeForm)) return [];
    const where = formatKeyPath(at) || "(root)";
    // A null default is Helm's "unset": the chart takes whatever is given.
    if (defaults === null) return [];
    if (Array.isArray(defaults)) {
        return Array.isArray(values) ? [] : [{ path: where, problem: `values.yaml has a list here, the program sets ${shape(values)}` }];
    }
    if (isMap(defaults)) {
        if (!isMap(values)) return [{ path: where, problem: `values.yaml has a map here, the program sets ${shape(values)}` }];
        if (Object.keys(defaults).length === 0) return [];
        return Object.entries(values).flatMap(([key, value]) => {
            const keys = [...at, key];
            if (!(key in defaults) && !isFreeForm(keys, freeForm)) {
                return [{ path: formatKeyPath(keys), problem: `not a key of the chart's values.yaml (under ${where}: ${Object.keys(defaults).slice(0, 12).join(", ")}${Object.keys(defaults).length > 12 ? ", ..." : ""})` }];
            }
            return checkValueKeys(value, defaults[key], freeForm, keys);
        });
    }
    return isMap(values) || Array.isArray(values) ? [{ path: where, problem: `values.yaml has a scalar here, the program sets ${shape(values)}` }] : [];
}

/** The values trees a release passes to Helm: `values` and each of `valueYamlFiles`, secrets revealed. */
export async function releaseValueSources(release: RecordedResource): Promise<{ source: string; values: unknown }[]> {
    const sources: { source: string; values: unknown }[] = [];
    const values = reveal(release.inputs.values);
    if (values !== undefined) sources.push({ source: "values", values });
    const files = (reveal(release.inputs.valueYamlFiles) ?? []) as { text?: unknown; path?: unknown }[];
    for (const [index, file] of files.entries()) {
        const source = `valueYamlFiles[${index}]`;
        // A StringAsset holds its text (a promise while outputs resolve); a FileAsset a path.
        const text = typeof file.path === "string" ? readFileSync(file.path, "utf8") : await file.text;
        if (typeof text !== "string") throw new Error(`${release.type} '${release.name}' ${source} is neither a string nor a file asset; extend releaseValueSources.`);
        sources.push({ source, values: parse(text) ?? {} });
    }
    return sources;
}

/** Checks every Helm release among the registered resources against its chart's values.yaml. */
export async function checkReleases(resources: readonly RecordedResource[], schemaDir: string): Promise<ReleaseValuesCheck[]> {
    const checks: ReleaseValuesCheck[] = [];
    for (const release of resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release")) {
        const chart = String(release.inputs.chart);
        const version = String(release.inputs.version);
        const sources = await releaseValueSources(release);
        const keys = sources.flatMap(({ source, values }) => valueKeyPaths(values).map((k) => ({ path: formatKeyPath(k), source })));
        const check: ReleaseValuesCheck = { chart, release: `${String(release.inputs.namespace)}/${String(release.inputs.name)}`, version, keys, problems: [] };
        checks.push(check);

        const rules = CHART_RULES[chart];
        if (!rules) {
            check.problems.push({ path: "(chart)", problem: `no values check is defined for chart ${chart}: add it to CHART_RULES in scripts/conformance/helmValues.ts` });
            continue;
        }
        const chartDir = path.join(schemaDir, "helm", chart);
        if (!existsSync(path.join(chartDir, "values.yaml"))) {
            if (rules.valuesMayBeMissing) {
                check.skipped = { reason: rules.valuesMayBeMissing, unchecked: keys.map((k) => k.path) };
            } else {
                check.problems.push({ path: "(chart)", problem: `${path.join(chartDir, "values.yaml")} is missing` });
            }
            continue;
        }
        const chartFile = parse(readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as { version?: string };
        if (String(chartFile.version) !== version) {
            check.problems.push({ path: "(chart)", problem: `values.yaml is chart ${chart} ${String(chartFile.version)}'s, the program installs ${version}` });
            continue;
        }
        const defaults = parse(readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
        for (const { source, values } of sources) {
            check.problems.push(...checkValueKeys(values, defaults, rules.freeForm).map((p) => ({ ...p, source })));
        }
    }
    return checks;
}

/** The allow-listed free-form maps of a chart, beyond those values.yaml itself shows. */
export function freeFormMaps(chart: string): string[][] {
    return CHART_RULES[chart]?.freeForm ?? [];
}
