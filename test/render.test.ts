import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { readProjectFile } from "../scripts/render/stackConfigFiles";
import { PROJECT_DIR } from "../scripts/render/renderStack";
import { runScript } from "./support/cli";

function allFiles(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name));
}

const secretKeys = Object.entries(readProjectFile(PROJECT_DIR).config)
    .filter(([, declared]) => declared.secret)
    .map(([key]) => key);

describe("npm run render", () => {
    for (const stack of ["dev", "prd"]) {
        it(`writes manifests, resources.json and outputs.json for ${stack}`, () => {
            const out = mkdtempSync(path.join(tmpdir(), `render-${stack}-`));
            const result = runScript("render", ["--stack", stack, "--out", out]);
            assert.equal(result.status, 0, result.stderr);
            assert.match(result.stdout, new RegExp(`Argo CD: https://argocd\\.${stack}\\.example\\.com`));
            assert.match(result.stdout, /kubernetes:helm\.sh\/v3:Release/);
            const manifests = readdirSync(path.join(out, "manifests"));
            for (const expected of ["namespace-_-argocd.yaml", "release-argocd-argocd.yaml", `appproject-argocd-services-${stack}.yaml`]) {
                assert.ok(manifests.includes(expected), `${expected} in ${manifests.join(", ")}`);
            }
            const project = parse(readFileSync(path.join(out, "manifests", `appproject-argocd-services-${stack}.yaml`), "utf8"));
            assert.equal(project.kind, "AppProject");
            const outputs = JSON.parse(readFileSync(path.join(out, "outputs.json"), "utf8"));
            assert.equal(outputs.argocdUrl, `https://argocd.${stack}.example.com`);
            assert.equal(outputs.argocdAdminPassword, "[secret]");
            const resources = JSON.parse(readFileSync(path.join(out, "resources.json"), "utf8")) as { type: string }[];
            assert.ok(resources.some((r) => r.type === "cluster-stack:argocd:ArgoCd"));
        });
    }

    it("declares at least one secret key to check", () => {
        assert.ok(secretKeys.length > 0);
    });

    // dev and prd use a GitHub App; the maximal fixture a git token and GitLab notifications;
    // shared-pat the one PAT for every GitHub purpose and GitHub notifications.
    for (const [stack, dirArgs] of [
        ["dev", []],
        ["prd", []],
        ["maximal", ["--stack-config-dir", path.join(PROJECT_DIR, "test", "fixtures")]],
        ["shared-pat", ["--stack-config-dir", path.join(PROJECT_DIR, "test", "fixtures")]],
    ] as const) {
        for (const key of secretKeys) {
            it(`keeps --secret ${key} out of every file and printed line (${stack})`, () => {
                const sentinel = `SENTINEL${key.length}X${stack}`;
                const out = mkdtempSync(path.join(tmpdir(), "render-secret-"));
                const result = runScript("render", ["--stack", stack, ...dirArgs, "--out", out, "--secret", `${key}=${sentinel}`]);
                assert.equal(result.status, 0, result.stderr);
                assert.ok(!result.stdout.includes(sentinel) && !result.stderr.includes(sentinel), "not printed");
                const files = allFiles(out);
                assert.ok(files.length >= 4);
                for (const file of files) {
                    assert.ok(!readFileSync(file, "utf8").includes(sentinel), `${sentinel} found in ${file}`);
                }
            });
        }
    }

    it("rejects a stack file with a wrongly typed and an unknown key: one-screen message, exit 1, no files", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "render-bad-"));
        const good = readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        writeFileSync(
            path.join(dir, "Pulumi.bad.yaml"),
            good.replace("cluster-stack:allowPrereleases: true", "cluster-stack:allowPrereleases: 7\n  cluster-stack:argocdHost: x.example.com"),
        );
        const out = path.join(dir, "out");
        const result = runScript("render", ["--stack", "bad", "--out", out, "--stack-config-dir", dir]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /Stack 'bad'/);
        assert.match(result.stderr, /cluster-stack:allowPrereleases = 7: must be of type boolean/);
        assert.ok(result.stderr.split("\n").length <= 25, "fits one screen");
        assert.ok(!existsSync(out), "nothing written");
    });

    it("reports an unknown key even when the types are right", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "render-bad-"));
        const good = readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
        writeFileSync(path.join(dir, "Pulumi.bad.yaml"), `${good}  cluster-stack:imageContraint: "~1"\n`);
        const result = runScript("render", ["--stack", "bad", "--out", path.join(dir, "out"), "--stack-config-dir", dir]);
        assert.equal(result.status, 1);
        assert.match(result.stderr, /cluster-stack:imageContraint = "~1": is not a key of this project/);
        assert.match(result.stderr, /did you mean 'imageConstraint'/);
    });
});
