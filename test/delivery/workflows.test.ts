import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { type Job, ROOT, type Step, type Workflow, environmentOf, loadYaml, needsOf, readText, stepIndex } from "./load";

const pr = loadYaml<Workflow>(".github/workflows/pr.yml");
const main = loadYaml<Workflow>(".github/workflows/main.yml");
const wait = loadYaml<Workflow>(".github/workflows/argocd-wait.yml");
const WAIT_WORKFLOW = "./.github/workflows/argocd-wait.yml";

const isPulumi = (s: Step) => s.uses?.startsWith("pulumi/actions@") ?? false;
const pulumiSteps = (job: Job) => (job.steps ?? []).filter(isPulumi);

/** Node 22 is set up, then `npm ci`, before the step at `before` (or the end). */
function assertNode22ThenCi(job: Job, before = (job.steps ?? []).length) {
  const steps = job.steps ?? [];
  const node = stepIndex(steps, (s) => s.uses?.startsWith("actions/setup-node@") ?? false);
  assert.ok(node >= 0, "no actions/setup-node step");
  assert.equal(String(steps[node].with?.["node-version"]), "22");
  const ci = stepIndex(steps, (s) => s.run?.trim() === "npm ci");
  assert.ok(node < ci && ci < before, "npm ci must follow setup-node and precede the step that needs it");
}

function assertKubeconfigAndVaultFromSecrets(job: Job) {
  const steps = job.steps ?? [];
  const write = steps.find((s) => s.env?.KUBECONFIG_CONTENT !== undefined);
  assert.equal(write?.env?.KUBECONFIG_CONTENT, "${{ secrets.KUBECONFIG }}");
  assert.match(write?.run ?? "", /KUBECONFIG=.*>> "\$GITHUB_ENV"/);
  assert.ok(stepIndex(steps, (s) => s === write) < stepIndex(steps, isPulumi), "kubeconfig written after pulumi ran");
  for (const step of pulumiSteps(job)) {
    assert.equal(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    assert.equal(step.env?.VAULT_TOKEN, "${{ secrets.VAULT_TOKEN }}");
  }
}

describe("every workflow", () => {
  for (const [file, wf] of Object.entries({ "pr.yml": pr, "main.yml": main, "argocd-wait.yml": wait })) {
    it(`${file}: pins every action to a major version tag`, () => {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses === undefined) continue;
          assert.match(step.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, `${file}: ${step.uses}`);
        }
      }
    });

    it(`${file}: never splices secrets or inputs into shell text`, () => {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          assert.doesNotMatch(step.run ?? "", /\$\{\{\s*(secrets|inputs)\./, `${file}: ${step.name ?? step.run}`);
        }
      }
    });
  }
});

describe(".github/workflows/pr.yml", () => {
  it("runs on pull requests to main only", () => {
    assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
    assert.deepEqual(pr.on.pull_request.branches, ["main"]);
    assert.equal(pr.permissions?.["pull-requests"], "write");
  });

  it("tests on Node 22 with npm ci then npm test", () => {
    const steps = pr.jobs.test.steps ?? [];
    assertNode22ThenCi(pr.jobs.test);
    assert.ok(stepIndex(steps, (s) => s.run === "npm ci") < stepIndex(steps, (s) => s.run === "npm test"));
  });

  it("previews the dev and prd stacks after the tests, commenting on the PR", () => {
    const job = pr.jobs.preview;
    assert.deepEqual(needsOf(job), ["test"]);
    assert.deepEqual(job.strategy?.matrix?.stack, ["dev", "prd"]);
    const [step] = pulumiSteps(job);
    assert.equal(step.with?.command, "preview");
    assert.equal(step.with?.["stack-name"], "${{ vars.PULUMI_ORG }}/cluster-stack/${{ matrix.stack }}");
    assert.equal(step.with?.["comment-on-pr"], true);
    assert.equal(pulumiSteps(job).length, 1);
    assertNode22ThenCi(job, stepIndex(job.steps ?? [], isPulumi));
  });

  it("gives previews preview-only credentials, never the deploy environments", () => {
    const job = pr.jobs.preview;
    assert.equal(environmentOf(job), "${{ matrix.stack }}-preview");
    assertKubeconfigAndVaultFromSecrets(job);
  });

  it("never runs pulumi up", () => {
    for (const job of Object.values(pr.jobs)) {
      for (const step of pulumiSteps(job)) assert.notEqual(step.with?.command, "up");
    }
  });
});

describe(".github/workflows/main.yml", () => {
  it("runs on pushes to main and never cancels a running rollout", () => {
    assert.deepEqual(Object.keys(main.on), ["push"]);
    assert.deepEqual(main.on.push.branches, ["main"]);
    assert.equal(main.concurrency?.["cancel-in-progress"], false);
  });

  it("tests on Node 22 before anything deploys", () => {
    assertNode22ThenCi(main.jobs.test);
    assert.ok((main.jobs.test.steps ?? []).some((s) => s.run === "npm test"));
    assert.deepEqual(needsOf(main.jobs["up-dev"]), ["test"]);
  });

  for (const stack of ["dev", "prd"]) {
    it(`runs pulumi up on ${stack} in the ${stack} environment`, () => {
      const job = main.jobs[`up-${stack}`];
      assert.equal(environmentOf(job), stack);
      const steps = pulumiSteps(job);
      assert.equal(steps.length, 1);
      assert.equal(steps[0].with?.command, "up");
      assert.equal(steps[0].with?.["stack-name"], `\${{ vars.PULUMI_ORG }}/cluster-stack/${stack}`);
      assertNode22ThenCi(job, stepIndex(job.steps ?? [], isPulumi));
      assertKubeconfigAndVaultFromSecrets(job);
    });

    it(`waits for the ${stack} release with the reusable workflow after pulumi up`, () => {
      const job = main.jobs[`wait-${stack}`];
      assert.equal(job.uses, WAIT_WORKFLOW);
      assert.deepEqual(needsOf(job), [`up-${stack}`]);
      assert.equal(job.with?.stack, `\${{ vars.PULUMI_ORG }}/cluster-stack/${stack}`);
      assert.deepEqual(job.secrets, {
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        ARGOCD_AUTH_TOKEN: `\${{ secrets.ARGOCD_AUTH_TOKEN_${stack.toUpperCase()} }}`,
      });
    });
  }

  it("deploys prd only behind the protected prd environment, after dev came up healthy", () => {
    assert.equal(environmentOf(main.jobs["up-prd"]), "prd");
    assert.deepEqual(needsOf(main.jobs["up-prd"]), ["wait-dev"]);
    // No other job touches prd or skips the chain.
    const prdJobs = Object.entries(main.jobs)
      .filter(([, job]) => JSON.stringify(job).includes("cluster-stack/prd"))
      .map(([name]) => name)
      .sort();
    assert.deepEqual(prdJobs, ["up-prd", "wait-prd"]);
  });
});

describe(".github/workflows/argocd-wait.yml", () => {
  const call = wait.on.workflow_call;
  const steps = wait.jobs.wait.steps ?? [];
  const waitStep = steps.find((s) => s.run?.includes("ci/release-tracking/argocd-wait.sh"));

  it("is a reusable workflow with a required stack and optional application and timeout", () => {
    assert.deepEqual(Object.keys(wait.on), ["workflow_call"]);
    assert.equal(call.inputs.stack.type, "string");
    assert.equal(call.inputs.stack.required, true);
    assert.equal(call.inputs.application.required, false);
    assert.equal(call.inputs.timeout.type, "number");
    assert.equal(call.inputs.timeout.default, 300);
    assert.equal(call.secrets.ARGOCD_AUTH_TOKEN.required, true);
    assert.equal(call.secrets.PULUMI_ACCESS_TOKEN.required, true);
  });

  it("every caller passes all required inputs and secrets, and only declared ones", () => {
    const callers = Object.values(main.jobs).filter((j) => j.uses === WAIT_WORKFLOW);
    assert.equal(callers.length, 2);
    const required = (decl: Record<string, { required?: boolean }>) =>
      Object.entries(decl).filter(([, d]) => d.required).map(([k]) => k);
    for (const job of callers) {
      const inputs = Object.keys(job.with ?? {});
      const secrets = Object.keys(job.secrets === "inherit" ? {} : (job.secrets ?? {}));
      for (const k of inputs) assert.ok(k in call.inputs, `undeclared input ${k}`);
      for (const k of secrets) assert.ok(k in call.secrets, `undeclared secret ${k}`);
      for (const k of required(call.inputs)) assert.ok(inputs.includes(k), `missing input ${k}`);
      for (const k of required(call.secrets)) assert.ok(secrets.includes(k), `missing secret ${k}`);
    }
  });

  it("runs the shared script with the inputs and token in its environment", () => {
    assert.ok(waitStep, "no step runs ci/release-tracking/argocd-wait.sh");
    assert.ok(existsSync(path.join(ROOT, "ci/release-tracking/argocd-wait.sh")));
    assert.deepEqual(waitStep.env, {
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      ARGOCD_AUTH_TOKEN: "${{ secrets.ARGOCD_AUTH_TOKEN }}",
      PULUMI_STACK: "${{ inputs.stack }}",
      ARGOCD_APP: "${{ inputs.application }}",
      ARGOCD_WAIT_TIMEOUT: "${{ inputs.timeout }}",
      ARGOCD_GRPC_WEB: "${{ inputs.grpc-web }}",
    });
  });

  it("sets only environment variables the script reads", () => {
    const script = readText("ci/release-tracking/argocd-wait.sh");
    for (const name of Object.keys(waitStep?.env ?? {})) {
      if (name === "PULUMI_ACCESS_TOKEN") continue; // read by the pulumi CLI, not the script
      assert.match(script, new RegExp(`\\$\\{${name}[:}]`), `argocd-wait.sh does not read ${name}`);
    }
  });

  it("installs the Pulumi CLI and a checksum-verified argocd CLI before waiting", () => {
    const install = stepIndex(steps, (s) => isPulumi(s) && s.with?.command === undefined);
    const argocd = stepIndex(steps, (s) => s.run?.includes("argocd-linux-amd64") ?? false);
    assert.ok(install >= 0 && argocd >= 0);
    assert.match(steps[argocd].run ?? "", /cli_checksums\.txt[\s\S]*sha256sum -c/);
    assert.equal(steps[argocd].env?.ARGOCD_VERSION, "${{ inputs.argocd-version }}");
    assert.match(String(call.inputs["argocd-version"].default), /^v\d+\.\d+\.\d+$/);
    assert.ok(install < steps.indexOf(waitStep!) && argocd < steps.indexOf(waitStep!));
  });
});
