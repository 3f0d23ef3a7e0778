import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { describeChecksumVerifier } from "./checksumVerifier";
import { ROOT, type Step, type Workflow, loadYaml, readText } from "./load";

const GITHUB = "ci/promotion-gate/github-workflow.yml";
const GITLAB = "ci/promotion-gate/gitlab-ci.yml";
const workflow = loadYaml<Workflow>(GITHUB);
const gitlab = loadYaml<Record<string, GitlabJob>>(GITLAB);

interface GitlabJob {
  stage?: string;
  image?: string;
  rules?: Array<{ if?: string }>;
  timeout?: string;
  variables?: Record<string, string>;
  before_script?: string[];
  script?: string[];
}

/** The scripts a template runs exist beside it. */
function assertScriptsExist(text: string) {
  const scripts = [...text.matchAll(/ci\/promotion-gate\/[\w-]+\.sh/g)].map((m) => m[0]);
  assert.ok(scripts.length > 0);
  for (const script of scripts) assert.ok(existsSync(path.join(ROOT, script)), script);
}

/** Runs shell text with bash in a directory holding a fake ci/promotion-gate/<script> that prints its arguments. */
function runWithFakeScript(text: string, script: string, env: Record<string, string>): string[][] {
  const dir = mkdtempSync(path.join(tmpdir(), "gate-template-"));
  try {
    mkdirSync(path.join(dir, "ci/promotion-gate"), { recursive: true });
    writeFileSync(path.join(dir, "ci/promotion-gate", script), 'printf "%s\\n" "$*" >> "$CALLS"\n');
    const calls = path.join(dir, "calls");
    writeFileSync(calls, "");
    const r = spawnSync("bash", ["-c", text], { cwd: dir, env: { PATH: process.env.PATH, CALLS: calls, ...env }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(calls, "utf8").split("\n").filter(Boolean).map((line) => line.split(" "));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe(GITHUB, () => {
  const job = workflow.jobs.gate;
  const steps = job.steps ?? [];
  const gateStep = steps.find((s) => s.run?.includes("github-gate.sh")) as Step;

  it("runs on pull_request_target, which takes this file and the scripts from the default branch, and re-checks on a schedule", () => {
    assert.deepEqual(Object.keys(workflow.on), ["pull_request_target", "schedule", "workflow_dispatch"]);
    assert.deepEqual(workflow.on.pull_request_target.types, ["opened", "synchronize", "reopened", "labeled"]);
    assert.equal(workflow.on.pull_request_target.branches, undefined, "a branches filter would leave pull requests to other bases without the status");
    assert.match(workflow.on.schedule[0].cron, /^\*\/\d+ \* \* \* \*$/);
    assert.ok(!("pull_request" in workflow.on), "on pull_request a pull request would run its own version of the gate");
  });

  it("has one job, granted contents read, pull-requests read and statuses write, nothing at workflow level", () => {
    assert.deepEqual(workflow.permissions, {});
    assert.deepEqual(Object.keys(workflow.jobs), ["gate"]);
    assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "read", statuses: "write" });
  });

  it("reads the Argo CD tokens from the promotion-gate environment, in the one step that needs them", () => {
    assert.equal(job.environment, "promotion-gate");
    assert.equal(gateStep.env?.ARGOCD_AUTH_TOKEN, "${{ secrets.PROMOTION_GATE_ARGOCD_TOKEN }}");
    assert.equal(gateStep.env?.TARGET_ARGOCD_AUTH_TOKEN, "${{ secrets.PROMOTION_GATE_TARGET_ARGOCD_TOKEN }}");
    for (const name of ["ARGOCD_SERVER", "ARGOCD_OPTS", "TARGET_ARGOCD_SERVER", "TARGET_ARGOCD_OPTS"]) {
      assert.equal(gateStep.env?.[name], `\${{ vars.${name} }}`);
    }
    const elsewhere = JSON.stringify({ env: workflow.env, job: { ...job, steps: steps.filter((s) => s !== gateStep) } });
    assert.doesNotMatch(elsewhere, /secrets\./);
  });

  it("pins every action to a full commit SHA with its version in a comment", () => {
    const uses = readText(GITHUB)
      .split("\n")
      .map((line) => /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.deepEqual(uses.map((m) => m[1]), steps.filter((s) => s.uses).map((s) => s.uses));
    assert.ok(uses.length > 0);
    for (const [, ref, rest] of uses) {
      assert.match(ref, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, ref);
      assert.match(rest, /^ # v\d+\.\d+\.\d+$/, ref);
    }
  });

  it("checks out the default branch only, without leaving the token behind: the pull request's code is never on disk", () => {
    const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    assert.equal(checkouts.length, 1);
    assert.deepEqual(checkouts[0].with, { "persist-credentials": false });
  });

  it("splices no expression into shell text: event data reaches the scripts through env", () => {
    for (const step of steps) assert.doesNotMatch(step.run ?? "", /\$\{\{/, step.name ?? step.uses);
  });

  it("installs the argocd CLI only after checking it against the SHA-256 pinned in a variable", () => {
    const install = steps.find((s) => s.name === "Install the argocd CLI") as Step;
    assert.equal(install.env?.ARGOCD_SHA256, "${{ vars.ARGOCD_SHA256 }}");
    const lines = (install.run ?? "").split("\n").map((l) => l.trim());
    const download = lines.findIndex((l) => l.startsWith("curl "));
    const check = lines.findIndex((l) => l === 'echo "${ARGOCD_SHA256}  argocd-linux-amd64" | sha256sum -c -');
    const use = lines.findIndex((l) => l.startsWith("install "));
    assert.ok(download >= 0 && download < check && check < use, install.run);
    assert.match(lines[download], /-o argocd-linux-amd64 "https:\/\/github\.com\/argoproj\/argo-cd\/releases\/download\/\$\{ARGOCD_VERSION\}\/argocd-linux-amd64"$/);
    assert.deepEqual(lines.filter((l) => l.startsWith("curl ")).length, 1, "a checksum downloaded from the same release proves nothing");
    assert.match(install.run ?? "", /if \[ -z "\$ARGOCD_SHA256" \]; then[\s\S]*exit 1/);
  });

  it("installs the Argo CD version of the cluster-stack, as release tracking does", () => {
    const releaseTracking = loadYaml<Record<string, GitlabJob>>("ci/release-tracking/gitlab-ci.yml")[".argocd-wait"];
    assert.equal(workflow.env?.ARGOCD_VERSION, releaseTracking.variables?.ARGOCD_VERSION);
    assert.equal(gitlab["promotion-gate"].variables?.ARGOCD_VERSION, releaseTracking.variables?.ARGOCD_VERSION);
  });

  it("names the environments in env, dev before prd unless repository variables say otherwise", () => {
    assert.equal(workflow.env?.PROMOTION_GATE_SOURCE_ENV, "${{ vars.PROMOTION_GATE_SOURCE_ENV || 'dev' }}");
    assert.equal(workflow.env?.PROMOTION_GATE_TARGET_ENV, "${{ vars.PROMOTION_GATE_TARGET_ENV || 'prd' }}");
    assert.equal(workflow.env?.PROMOTION_GATE_BRANCH_PREFIX, "image-updater-");
    const script = readText("ci/promotion-gate/github-gate.sh");
    for (const name of Object.keys(workflow.env ?? {}).filter((n) => n.startsWith("PROMOTION_GATE_"))) {
      assert.match(script, new RegExp(`\\$\\{${name}[:}]`), `github-gate.sh does not read ${name}`);
    }
  });

  describe("the gate step", () => {
    const run = (env: Record<string, string>) => runWithFakeScript(gateStep.run ?? "", "github-gate.sh", env);

    it("checks the pull request of the event", () => {
      assert.deepEqual(run({ EVENT: "pull_request_target", PULL_REQUEST: "7", OVERRIDE_LABELED_BY: "" }), [["--pull-request", "7"]]);
    });

    it("hands on who added the override label", () => {
      assert.deepEqual(run({ EVENT: "pull_request_target", PULL_REQUEST: "7", OVERRIDE_LABELED_BY: "alice" }), [["--pull-request", "7", "--labeled-by", "alice"]]);
    });

    for (const event of ["schedule", "workflow_dispatch"]) {
      it(`re-checks every open Image Updater pull request on ${event}`, () => {
        assert.deepEqual(run({ EVENT: event, PULL_REQUEST: "", OVERRIDE_LABELED_BY: "" }), [["--open"]]);
      });
    }

    it("names the labeler only for the override label the script honours", () => {
      const script = readText("ci/promotion-gate/github-gate.sh");
      const label = /PROMOTION_GATE_OVERRIDE_LABEL:-([\w-]+)\}/.exec(script)?.[1];
      assert.equal(
        gateStep.env?.OVERRIDE_LABELED_BY,
        `\${{ github.event.action == 'labeled' && github.event.label.name == '${label}' && github.event.sender.login || '' }}`,
      );
    });

    it("links each status to the run and hands the GitHub token to gh", () => {
      assert.equal(gateStep.env?.GH_TOKEN, "${{ github.token }}");
      assert.equal(gateStep.env?.PROMOTION_GATE_STATUS_URL, "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}");
      assertScriptsExist(gateStep.run ?? "");
    });
  });
});

describe(GITLAB, () => {
  const job = gitlab["promotion-gate"];
  const setup = job.before_script ?? [];
  const verifier = setup.find((entry) => entry.includes("verify() {")) ?? "";

  it("defines the one job promotion-gate, which the merge check can require, for merge request pipelines", () => {
    assert.deepEqual(Object.keys(gitlab), ["promotion-gate"]);
    assert.deepEqual(job.rules, [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    assert.ok(job.stage && ![".pre", ".post"].includes(job.stage), "a pipeline of .pre/.post jobs alone does not run");
  });

  it("clones deep enough to reach the merge request's base and runs the gate's GitLab side", () => {
    assert.equal(job.variables?.GIT_DEPTH, "0");
    assert.deepEqual(job.script, ["bash ci/promotion-gate/gitlab-gate.sh"]);
    assertScriptsExist(job.script?.join("\n") ?? "");
  });

  it("sets the defaults gitlab-gate.sh reads, and outlasts its wait", () => {
    const vars = job.variables ?? {};
    assert.equal(vars.PROMOTION_GATE_SOURCE_ENV, "dev");
    assert.equal(vars.PROMOTION_GATE_TARGET_ENV, "prd");
    assert.equal(vars.PROMOTION_GATE_BRANCH_PREFIX, "image-updater-");
    const script = readText("ci/promotion-gate/gitlab-gate.sh");
    for (const name of Object.keys(vars).filter((n) => n.startsWith("PROMOTION_GATE_"))) {
      assert.match(script, new RegExp(`\\$\\{${name}[:}]`), `gitlab-gate.sh does not read ${name}`);
    }
    const minutes = (d: string) => Number(/^(\d+)m$/.exec(d)?.[1]);
    assert.ok(minutes(job.timeout ?? "") > minutes(vars.PROMOTION_GATE_WAIT), `${job.timeout} vs ${vars.PROMOTION_GATE_WAIT}`);
  });

  it("keeps the token and the checksum out of the template", () => {
    for (const name of ["ARGOCD_AUTH_TOKEN", "ARGOCD_SHA256", "ARGOCD_SERVER"]) assert.ok(!(name in (job.variables ?? {})), name);
  });

  it("pins the image and installs what the scripts need", () => {
    assert.match(String(job.image), /^[\w./-]+:\d+\.\d+$/);
    assert.equal(setup[0], "apk add --no-cache bash curl git jq");
  });

  it("downloads argocd, checks it against ARGOCD_SHA256, then installs it", () => {
    const download = setup.find((entry) => entry.includes("curl -")) ?? "";
    const lines = download.split("\n").map((l) => l.trim());
    const curl = lines.findIndex((l) => l.startsWith("curl -fsSLO ") && l.endsWith('/releases/download/${ARGOCD_VERSION}/argocd-linux-amd64"'));
    const verify = lines.findIndex((l) => l.startsWith("verify argocd-linux-amd64 ARGOCD_SHA256 "));
    const install = lines.findIndex((l) => l.startsWith("install -m 0755 argocd-linux-amd64 "));
    assert.ok(curl >= 0 && curl < verify && verify < install, download);
    assert.ok(setup.indexOf(verifier) < setup.indexOf(download), "verify is defined before the download");
  });

  describeChecksumVerifier(verifier);
});
