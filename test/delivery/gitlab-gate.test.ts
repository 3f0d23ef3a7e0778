import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Run, Sandbox, TOKEN, application, commitHistory, printed, updateMessage } from "./promotionGateFakes";

const SCRIPT = "gitlab-gate.sh";
const BRANCH = "image-updater-argocd-example-api-prd-" + "e".repeat(64);

describe("ci/promotion-gate/gitlab-gate.sh", () => {
  let box: Sandbox;
  const runs: Run[] = [];

  before(() => {
    box = new Sandbox();
  });
  beforeEach(() => box.reset());
  after(() => box.remove());

  /** A merge request of these commits, its pipeline variables as GitLab sets them; runs the gate in the clone. */
  function pipeline(messages: string[], env: Record<string, string | undefined> = {}): Run & { shas: string[] } {
    const dir = mkdtempSync(path.join(box.dir, "clone-"));
    const { base, shas } = commitHistory(dir, messages);
    const r = box.run(SCRIPT, [], {
      CI_PIPELINE_SOURCE: "merge_request_event",
      CI_MERGE_REQUEST_IID: "12",
      CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: BRANCH,
      CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "100",
      CI_PROJECT_ID: "100",
      CI_COMMIT_SHA: shas[shas.length - 1] ?? base,
      GITLAB_USER_LOGIN: "image-updater-bot",
      GIT_DIR: path.join(dir, ".git"),
      ...env,
    });
    runs.push(r);
    return { ...r, shas };
  }
  const API = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);
  const servePair = (dev: Parameters<typeof application>[1]) => {
    box.serve("argocd.example.com", application("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] }));
    box.serve("argocd.example.com", application("example-api-dev", dev));
  };
  const asked = (r: Run) => r.calls.map((c) => c.args[2]);

  it("passes when dev runs what the merge request's commits promote", () => {
    servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = pipeline([API]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^==> !12 \(image-updater-argocd-example-api-prd-e+\): 1 commit\(s\)$/m);
    assert.match(r.stdout, /promotion-gate: 1 promotion\(s\) proven in dev\n$/);
    assert.deepEqual(asked(r), ["example-api-prd", "example-api-dev"]);
  });

  it("fails when dev does not run it", () => {
    servePair({ sync: "OutOfSync", images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = pipeline([API]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /promotion-gate: not proven in dev: example-api-prd example-org\/example-api:1\.2\.3: .*OutOfSync, not Synced/);
  });

  it("reads only the merge request's commits, from its diff base", () => {
    servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
    // The first commit (already on the target branch) promotes something dev no longer runs.
    const dir = mkdtempSync(path.join(box.dir, "clone-"));
    const { shas } = commitHistory(dir, [updateMessage("example-api-prd", ["example-org/example-api", "1.0.0"]), API]);
    const r = box.run(SCRIPT, [], {
      CI_MERGE_REQUEST_IID: "12",
      CI_MERGE_REQUEST_DIFF_BASE_SHA: shas[0],
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: BRANCH,
      CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "100",
      CI_PROJECT_ID: "100",
      CI_COMMIT_SHA: shas[1],
      GIT_DIR: path.join(dir, ".git"),
    });
    runs.push(r);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 commit\(s\)/);
  });

  it("in a merged results pipeline, stops at the source branch, not at the merge with the target", () => {
    servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const dir = mkdtempSync(path.join(box.dir, "clone-"));
    const { base, shas } = commitHistory(dir, [API]);
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { encoding: "utf8" }).trim();
    // The target branch moved on with a promotion of its own; GitLab merges the two for the pipeline.
    git("checkout", "-q", "-b", "target", base);
    git("commit", "-q", "--allow-empty", "-m", "other\n\nImage-Updater-App: example-web-prd\nImage-Updater-Image: example-org/example-web\nImage-Updater-Tag: 9.9.9");
    git("merge", "-q", "--no-ff", "-m", "merged result", shas[0]);
    const r = box.run(SCRIPT, [], {
      CI_MERGE_REQUEST_IID: "12",
      CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: BRANCH,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: shas[0],
      CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "100",
      CI_PROJECT_ID: "100",
      CI_COMMIT_SHA: git("rev-parse", "HEAD"),
      GIT_DIR: path.join(dir, ".git"),
    });
    runs.push(r);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(asked(r), ["example-api-prd", "example-api-dev"]);
  });

  it("requires trailers on an Image Updater branch of this project", () => {
    const r = pipeline(["hand edit\n"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /carries no Image-Updater trailers/);
  });

  it("passes a merge request from another branch that promotes nothing, without asking Argo CD", () => {
    const r = pipeline(["values: more replicas\n"], { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "more-replicas" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /promote nothing/);
    assert.deepEqual(r.calls, []);
  });

  it("does not require trailers from a fork's branch of Image Updater's name", () => {
    const r = pipeline(["docs\n"], { CI_MERGE_REQUEST_SOURCE_PROJECT_ID: "200" });
    assert.equal(r.status, 0, r.stderr);
  });

  it("passes the environments and --min-age on", () => {
    box.serve("argocd.example.com", application("example-api-production", { images: ["ghcr.io/example-org/example-api:1.2.2"] }));
    box.serve("argocd.example.com", application("example-api-staging", { images: ["ghcr.io/example-org/example-api:1.2.3"] }));
    const message = updateMessage("example-api-production", ["example-org/example-api", "1.2.3"]);
    const env = { PROMOTION_GATE_SOURCE_ENV: "staging", PROMOTION_GATE_TARGET_ENV: "production" };
    assert.equal(pipeline([message], env).status, 0);
    const aged = pipeline([message], { ...env, PROMOTION_GATE_MIN_AGE: "1h" });
    assert.equal(aged.status, 1);
    assert.match(aged.stderr, /has recorded no sync to date it from, so --min-age 1h cannot pass/);
  });

  it("keeps checking for PROMOTION_GATE_WAIT", () => {
    box.serve("argocd.example.com", application("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] }));
    box.serve("argocd.example.com", application("example-api-dev", { health: "Progressing", images: ["ghcr.io/example-org/example-api:1.2.3"] }), 1);
    box.serve("argocd.example.com", application("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] }));
    const once = pipeline([API]);
    assert.equal(once.status, 1);
    box.reset();
    box.serve("argocd.example.com", application("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] }));
    box.serve("argocd.example.com", application("example-api-dev", { health: "Progressing", images: ["ghcr.io/example-org/example-api:1.2.3"] }), 1);
    box.serve("argocd.example.com", application("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] }));
    const waited = pipeline([API], { PROMOTION_GATE_WAIT: "10s", PROMOTION_GATE_WAIT_INTERVAL: "1s" });
    assert.equal(waited.status, 0, waited.stderr);
    assert.match(waited.stdout, /not yet proven in dev; checking again in 1s/);
  });

  describe("the override label", () => {
    const labelled = { CI_MERGE_REQUEST_LABELS: "promotion,promotion-gate-override", PROMOTION_GATE_OVERRIDERS: "alice bob" };

    it("passes without checking when a listed user ran the pipeline", () => {
      const r = pipeline([API], { ...labelled, GITLAB_USER_LOGIN: "bob" });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "gitlab-gate: @bob overrode the promotion gate on !12 (label promotion-gate-override)\n");
      assert.deepEqual(r.calls, []);
    });

    it("is ignored in a pipeline someone else started (the bot's push, say)", () => {
      servePair({ health: "Degraded", images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = pipeline([API], labelled);
      assert.equal(r.status, 1);
      assert.match(r.stdout, /started by @image-updater-bot, who is not in PROMOTION_GATE_OVERRIDERS; checking as usual/);
    });

    it("counts only the exact label", () => {
      servePair({ health: "Degraded", images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = pipeline([API], { ...labelled, CI_MERGE_REQUEST_LABELS: "promotion-gate-override-requested", GITLAB_USER_LOGIN: "bob" });
      assert.equal(r.status, 1);
    });
  });

  for (const [what, env, message] of [
    ["outside a merge request pipeline", { CI_MERGE_REQUEST_IID: undefined }, /not a merge request pipeline/],
    ["without the diff base", { CI_MERGE_REQUEST_DIFF_BASE_SHA: "" }, /CI_MERGE_REQUEST_DIFF_BASE_SHA is not a commit/],
    ["when the base is not in the clone (too shallow)", { CI_MERGE_REQUEST_DIFF_BASE_SHA: "f".repeat(40) }, /cannot read the commits .*is the clone shallow \(GIT_DEPTH\)\?/],
  ] as const) {
    it(`exits 2 ${what}`, () => {
      const r = pipeline([API], env);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.deepEqual(r.calls, []);
    });
  }

  it("never prints the token, in any of the runs above", () => {
    assert.ok(runs.length > 12, `only ${runs.length} runs recorded`);
    for (const r of runs) assert.ok(!printed(r).includes(TOKEN), printed(r));
  });
});
