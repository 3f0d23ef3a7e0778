import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { checkReleases, checkValueKeys, freeFormMaps, type ReleaseValuesCheck } from "../scripts/conformance/helmValues";
import { resolveSchemaDir } from "../scripts/conformance/schemaDir";
import { renderStack } from "../scripts/render/renderStack";
import { STACKS_TO_RENDER as RENDERS } from "./support/stacks";

/** Charts whose values.yaml is in the schema folder: these must be checked, never skipped. */
const CHECKED_CHARTS = ["argo-cd", "argocd-image-updater"];

function describeProblems(check: ReleaseValuesCheck): string {
    return check.problems.map((p) => `  ${check.chart} ${p.source ?? ""} ${p.path}: ${p.problem}`).join("\n");
}

describe("every Helm value key the program sets exists in the pinned chart", () => {
    let schemaDir: string;
    const results = new Map<string, ReleaseValuesCheck[]>();
    let defaults: Record<string, unknown>;
    before(async () => {
        schemaDir = (await resolveSchemaDir()).dir;
        for (const r of RENDERS) {
            const render = await renderStack({ stack: r.stack, stackConfigDir: r.stackConfigDir });
            results.set(r.label, await checkReleases(render.run.resources, schemaDir));
        }
        defaults = Object.fromEntries(CHECKED_CHARTS.map((chart) => [chart, parse(readFileSync(path.join(schemaDir, "helm", chart, "values.yaml"), "utf8"))]));
    });

    for (const r of RENDERS) {
        it(`${r.label}: no unknown key in any release`, () => {
            const checks = results.get(r.label)!;
            assert.ok(checks.length > 0, "the stack installs at least one chart");
            for (const check of checks) assert.deepEqual(check.problems, [], `${check.chart} ${check.release}:\n${describeProblems(check)}`);
        });
    }

    it("the maximal stack's argo-cd and image-updater values are checked, not skipped, including the secret values file", () => {
        const checks = results.get(RENDERS.at(-1)!.label)!;
        for (const chart of CHECKED_CHARTS) {
            const check = checks.find((c) => c.chart === chart);
            assert.ok(check, `${chart} release rendered`);
            assert.equal(check.skipped, undefined, `${chart} skipped: ${check.skipped?.reason}`);
            assert.ok(check.keys.length > 3, `${chart}: ${check.keys.length} keys`);
        }
        const argocd = checks.find((c) => c.chart === "argo-cd")!;
        assert.ok(
            argocd.keys.some((k) => k.source === "valueYamlFiles[0]" && k.path === "configs.secret.argocdServerAdminPassword"),
            `the admin password values file is read: ${JSON.stringify(argocd.keys)}`,
        );
    });

    it("external-secrets has no values.yaml in the schema folder: skipped with the reason and every unchecked key listed", () => {
        const eso = results.get(RENDERS.at(-1)!.label)!.find((c) => c.chart === "external-secrets");
        assert.ok(eso, "the maximal stack installs ESO");
        if (eso.skipped === undefined) {
            // Someone provided helm/external-secrets/values.yaml: then it is checked like the others.
            assert.deepEqual(eso.problems, [], describeProblems(eso));
            return;
        }
        assert.match(eso.skipped.reason, /no helm\/external-secrets\/values\.yaml/);
        assert.deepEqual(eso.skipped.unchecked, eso.keys.map((k) => k.path));
        assert.ok(eso.skipped.unchecked.length > 0);
        assert.deepEqual(eso.problems, []);
    });

    it("reports a chart-0.x key on the 1.x image-updater chart: config.logLevel", () => {
        const problems = checkValueKeys({ config: { logLevel: "debug", "log.level": "debug" } }, defaults["argocd-image-updater"], freeFormMaps("argocd-image-updater"));
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.equal(problems[0].path, "config.logLevel");
        assert.match(problems[0].problem, /not a key of the chart's values\.yaml \(under config: .*log\.level/);
    });

    it("reports misspelt keys and wrong shapes; accepts free-form maps and lists", () => {
        const argocd = defaults["argo-cd"];
        const free = freeFormMaps("argo-cd");
        assert.deepEqual(checkValueKeys({ server: { ingres: { enabled: true } } }, argocd, free).map((p) => p.path), ["server.ingres"]);
        assert.match(checkValueKeys({ server: { ingress: "on" } }, argocd, free)[0].problem, /map here, the program sets a string/);
        assert.match(checkValueKeys({ server: { ingress: { tls: { secretName: "x" } } } }, argocd, free)[0].problem, /scalar here, the program sets a map/);
        assert.match(checkValueKeys({ server: { extraArgs: "--insecure" } }, argocd, free)[0].problem, /list here/);
        const accepted = {
            configs: { cm: { "accounts.ci": "apiKey" }, params: { "controller.diff.server.side": "true" }, rbac: { "policy.ops.csv": "" }, secret: { extra: { any: "key" } } },
            server: { ingress: { annotations: { "nginx.ingress.kubernetes.io/ssl-redirect": "true" } }, extraArgs: ["--x"] },
        };
        assert.deepEqual(checkValueKeys(accepted, argocd, free), []);
        const updater = { config: { registries: [{ name: "x", anything: true }] }, extraArgs: ["--interval", "1m"] };
        assert.deepEqual(checkValueKeys(updater, defaults["argocd-image-updater"], freeFormMaps("argocd-image-updater")), []);
    });

    it("the allow-listed free-form maps really are maps in values.yaml, so the list cannot hide a typo", () => {
        for (const chart of CHECKED_CHARTS) {
            for (const map of freeFormMaps(chart)) {
                const value = map.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], defaults[chart]);
                assert.ok(value !== null && typeof value === "object" && !Array.isArray(value), `${chart} ${map.join(".")} is a map in values.yaml`);
            }
        }
    });
});
