import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { COMMIT_MESSAGE_TEMPLATE, PROMOTION_TRAILERS, PULL_REQUEST_BRANCH_TEMPLATE } from "../lib/promotion";
import { kubernetesManifests } from "../scripts/render/manifests";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";
import { assertRejected } from "./support/rejection";
import { executeGoTemplate } from "./support/goTemplate";

function updaterSpec(render: Render): any {
    return kubernetesManifests(render.run.resources).find((m) => m.kind === "ImageUpdater")!.body.spec;
}

/** What `git interpret-trailers --parse` reads: the last paragraph's `Key: value` lines, in order. */
function trailers(message: string): [string, string][] {
    const paragraphs = message.trimEnd().split(/\n\s*\n/);
    const last = paragraphs[paragraphs.length - 1].split("\n");
    assert.ok(last.every((line) => /^[A-Za-z0-9-]+: \S/.test(line)), `the last paragraph is trailers only:\n${last.join("\n")}`);
    return last.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]);
}

describe("prd opens pull requests, dev commits directly (writeBackPullRequest: auto)", () => {
    const renders: Record<string, Render> = {};
    before(async () => {
        for (const stack of ["dev", "prd"]) renders[stack] = await renderStack({ stack });
    });

    it("prd: a GitHub pull request into the tracked revision; branch names the base only (v1.2.2 refuses base:template there)", () => {
        for (const ref of updaterSpec(renders.prd).applicationRefs) {
            assert.deepEqual(ref.writeBackConfig.gitConfig.pullRequest, { github: {} });
            assert.equal(ref.writeBackConfig.gitConfig.branch, "main");
        }
    });

    it("dev: pushes to the branch, no pull request", () => {
        for (const ref of updaterSpec(renders.dev).applicationRefs) {
            assert.equal(ref.writeBackConfig.gitConfig.pullRequest, undefined);
            assert.equal(ref.writeBackConfig.gitConfig.branch, "main");
        }
    });

    it("on and off override the default either way; a GitLab deploy repo gets merge requests", async () => {
        const devOn = await renderStack({ stack: "dev", adjust: (c) => withOverrides(c, { writeBackPullRequest: "on" }) });
        assert.deepEqual(updaterSpec(devOn).applicationRefs[0].writeBackConfig.gitConfig.pullRequest, { github: {} });
        const prdOff = await renderStack({ stack: "prd", adjust: (c) => withOverrides(c, { writeBackPullRequest: "off" }) });
        assert.equal(updaterSpec(prdOff).applicationRefs[0].writeBackConfig.gitConfig.pullRequest, undefined);
        const gitlab = await renderStack({
            stack: "prd",
            adjust: (c) => withOverrides(c, { deployRepoUrl: "https://gitlab.example.com/example-org/deploy.git", gitAuth: "token" }),
            secrets: { gitToken: "glpat-sentinel" },
        });
        assert.deepEqual(updaterSpec(gitlab).applicationRefs[0].writeBackConfig.gitConfig.pullRequest, { gitlab: {} });
    });
});

describe("the write-back templates, executed with Go text/template as Image Updater v1.2.2 does", () => {
    const change = (image: string, oldTag: string, newTag: string) => ({ Image: image, OldTag: oldTag, NewTag: newTag, Labels: {} });

    it("the commit message ends in one trailer group per changed image", () => {
        const message = executeGoTemplate(
            COMMIT_MESSAGE_TEMPLATE,
            { AppName: "example-api-prd", AppChanges: [change("example-org/example-api", "0.1.0", "0.2.0"), change("nginx", "1.27.0", "1.27.1")] },
            { functions: "none" },
        );
        assert.match(message, /^build: automatic update of example-api-prd\n\nupdates image example-org\/example-api tag '0\.1\.0' to '0\.2\.0'\nupdates image nginx tag '1\.27\.0' to '1\.27\.1'\n/);
        assert.deepEqual(trailers(message), [
            [PROMOTION_TRAILERS.application, "example-api-prd"],
            [PROMOTION_TRAILERS.image, "example-org/example-api"],
            [PROMOTION_TRAILERS.tag, "0.2.0"],
            [PROMOTION_TRAILERS.application, "example-api-prd"],
            [PROMOTION_TRAILERS.image, "nginx"],
            [PROMOTION_TRAILERS.tag, "1.27.1"],
        ]);
    });

    it("the trailer check itself refuses a message whose last paragraph is not trailers", () => {
        assert.throws(() => trailers("build: x\n\nupdates image a tag '1' to '2'\n"), /trailers only/);
    });

    it("Image Updater's write branch is a valid git ref, one per Application and change set, with the prefix the gate matches", () => {
        const branch = (app: string, sha: string) =>
            executeGoTemplate(PULL_REQUEST_BRANCH_TEMPLATE, { AppNamespace: "argocd", AppName: app, Images: [], SHA256: sha }, { functions: "none" });
        const sha = "a".repeat(64);
        assert.equal(branch("example-api-prd", sha), `image-updater-argocd-example-api-prd-${sha}`);
        assert.notEqual(branch("example-api-prd", sha), branch("billing-prd", sha));
        assert.notEqual(branch("example-api-prd", sha), branch("example-api-prd", "b".repeat(64)));
        // git check-ref-format: no "..", no space, no trailing ".lock", at most 255 bytes as Image Updater truncates
        assert.match(branch("example-api-prd", sha), /^image-updater-[a-z0-9-]*[a-z0-9]$/);
        assert.ok(branch("a".repeat(63), sha).length <= 255);
    });

    it("uses no function beyond Go's built-ins: Image Updater parses it without Sprig", () => {
        assert.throws(() => executeGoTemplate('{{ "x" | upper }}', {}, { functions: "none" }), /function "upper" not defined/);
        assert.doesNotThrow(() => executeGoTemplate(COMMIT_MESSAGE_TEMPLATE, { AppName: "a", AppChanges: [] }, { functions: "none" }));
    });
});

describe("writeBackPullRequest config errors", () => {
    it("on, with argocd write-back everywhere: nothing would open a pull request", () =>
        assertRejected(
            { stack: "prd", adjust: (c) => withOverrides(c, { writeBackPullRequest: "on", writeBackMethod: "argocd" }) },
            { key: "writeBackPullRequest", shown: '"on"', problem: /writeBackMethod is argocd and no service writes to git/, fix: /pulumi config set writeBackMethod git -s prd/ },
        ));

    it("a value that is not auto, on or off", () =>
        assertRejected(
            { stack: "dev", adjust: (c) => withOverrides(c, { writeBackPullRequest: "yes" }) },
            { key: "writeBackPullRequest", shown: '"yes"', problem: /must be auto \(on when allowPrereleases is false\), on or off/, fix: /writeBackPullRequest/ },
        ));
});
