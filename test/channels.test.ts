import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_DIR } from "../scripts/render/renderStack";
import { Sandbox, TOKEN, application } from "./delivery/promotionGateFakes";
import { runScript } from "./support/cli";

describe("npm run channels", () => {
    it("prints dev -> 0.2.0-rc.1 and prd -> 0.1.0 for tags 0.1.0, 0.2.0-rc.1, latest", () => {
        const result = runScript("channels", ["--stack", "dev", "--stack", "prd", "--tags", "0.1.0,0.2.0-rc.1,latest"]);
        assert.equal(result.status, 0, result.stderr);
        const lines = result.stdout.trim().split("\n");
        assert.match(lines[1], /^dev\s+example-api-dev\s+app=ghcr\.io\/example-org\/example-api:~0-0\s+semver\s+~0-0\s+0\.2\.0-rc\.1$/);
        assert.match(lines[2], /^prd\s+example-api-prd\s+app=ghcr\.io\/example-org\/example-api:~0\s+semver\s+~0\s+0\.1\.0$/);
    });

    it("reads tags from stdin and prints JSON for machines", () => {
        const result = runScript("channels", ["--stack", "prd", "--tags-file", "-", "--json"], "0.1.0\n0.3.0\n0.4.0-rc.1\n");
        assert.equal(result.status, 0, result.stderr);
        const rows = JSON.parse(result.stdout);
        assert.deepEqual(rows.map((r: any) => [r.stack, r.application, r.constraint, r.tag]), [["prd", "example-api-prd", "~0", "0.3.0"]]);
    });

    it("fails with usage when no tags are given", () => {
        const result = runScript("channels", ["--stack", "dev"]);
        assert.equal(result.status, 2);
        assert.match(result.stderr, /usage: npm run channels/);
    });
});

describe("npm run channels --argocd-server: promotion state", () => {
    const sandbox = new Sandbox();
    after(() => sandbox.remove());

    function channels(args: string[]) {
        const log = path.join(sandbox.dir, "calls.log");
        writeFileSync(log, "");
        const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_DIR, "scripts", "channels.ts"), ...args], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            env: { ...process.env, PATH: `${sandbox.bin}:${process.env.PATH}`, FAKE_LOG: log, FAKE_APPS: sandbox.apps, ARGOCD_AUTH_TOKEN: TOKEN },
        });
        return { ...result, calls: readFileSync(log, "utf8") };
    }

    const args = ["--stack", "dev", "--stack", "prd", "--tags", "0.1.0,0.2.0-rc.1", "--argocd-server", "argocd.example.com", "--json"];

    it("marks prd's candidate ready when dev runs it Synced and Healthy, asking the gate for dev's Application only", () => {
        sandbox.reset();
        sandbox.serve("argocd.example.com", application("example-api-dev", { images: ["ghcr.io/example-org/example-api:0.1.0"] }));
        const result = channels(args);
        assert.equal(result.status, 0, result.stderr);
        const rows = JSON.parse(result.stdout);
        assert.equal(rows[0].promotion, undefined, "dev is the first stack: nothing to promote from");
        assert.deepEqual(rows[1].promotion, { from: "example-api-dev", ready: true, detail: rows[1].promotion.detail });
        assert.ok(!result.stdout.includes(TOKEN) && !result.stderr.includes(TOKEN) && !result.calls.split("\x1f").slice(4).join().includes(TOKEN));
    });

    it("marks it waiting, with the gate's reason, when dev runs another tag or is Degraded", () => {
        sandbox.reset();
        sandbox.serve("argocd.example.com", application("example-api-dev", { images: ["ghcr.io/example-org/example-api:0.2.0-rc.1"] }));
        let rows = JSON.parse(channels(args).stdout);
        assert.equal(rows[1].promotion.ready, false);
        assert.match(rows[1].promotion.detail, /0\.2\.0-rc\.1/);
        sandbox.reset();
        sandbox.serve("argocd.example.com", application("example-api-dev", { health: "Degraded", images: ["ghcr.io/example-org/example-api:0.1.0"] }));
        rows = JSON.parse(channels(args).stdout);
        assert.equal(rows[1].promotion.ready, false);
        assert.match(rows[1].promotion.detail, /Degraded/);
    });

    it("stays offline without --argocd-server: no PROMOTION column, no argocd call", () => {
        const result = channels(["--stack", "dev", "--stack", "prd", "--tags", "0.1.0"]);
        assert.equal(result.status, 0, result.stderr);
        assert.doesNotMatch(result.stdout, /PROMOTION/);
        assert.equal(result.calls, "");
    });
});
