import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ciGithubEnvironment, ciVaultName, type CiRole } from "../../lib/ciVaultAccess";
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

/** The test job: Node 22, then `bash .ci/run`, the README's command that installs Go and Sprig and runs `npm ci && npm test`. */
function assertNode22ThenTests(job: Job) {
  const steps = job.steps ?? [];
  const node = stepIndex(steps, (s) => s.uses?.startsWith("actions/setup-node@") ?? false);
  assert.ok(node >= 0, "no actions/setup-node step");
  assert.equal(String(steps[node].with?.["node-version"]), "22");
  assert.ok(stepIndex(steps, (s) => s.run?.trim() === "bash .ci/run") > node, "bash .ci/run after setup-node");
}

/**
 * Before `pulumi`, the job logs in to Pulumi Cloud and Vault by OIDC as `cluster-stack-<role>-<env>`
 * (the Vault names lib/ciVaultAccess.ts generates; the Pulumi team is named the same) and writes
 * the kubeconfig from its environment's secret. No token is handed to pulumi by hand.
 */
function assertOidcLoginsAndKubeconfig(job: Job, env: string, role: CiRole) {
  const steps = job.steps ?? [];
  const name = ciVaultName(env, role);
  assert.equal(environmentOf(job), ciGithubEnvironment(env, role));
  const auth = stepIndex(steps, (s) => s.uses?.startsWith("pulumi/auth-actions@") ?? false);
  assert.deepEqual(steps[auth]?.with, {
    organization: "${{ vars.PULUMI_ORG }}",
    "requested-token-type": "urn:pulumi:token-type:access_token:team",
    scope: `team:${name}`,
  });
  const vault = stepIndex(steps, (s) => s.uses?.startsWith("hashicorp/vault-action@") ?? false);
  assert.deepEqual(steps[vault]?.with, {
    url: "${{ vars.VAULT_ADDR }}",
    method: "jwt",
    path: "jwt",
    role: name,
    jwtGithubAudience: "${{ vars.VAULT_ADDR }}",
    exportToken: true,
  });
  const write = stepIndex(steps, (s) => s.env?.KUBECONFIG_CONTENT !== undefined);
  assert.equal(steps[write]?.env?.KUBECONFIG_CONTENT, "${{ secrets.KUBECONFIG }}");
  assert.match(steps[write]?.run ?? "", /KUBECONFIG=.*>> "\$GITHUB_ENV"/);
  const pulumi = stepIndex(steps, isPulumi);
  for (const before of [auth, vault, write]) assert.ok(before >= 0 && before < pulumi, "logins and kubeconfig come before pulumi");
  for (const step of pulumiSteps(job)) assert.equal(step.env, undefined, "tokens come from the login steps, not from step env");
}

describe("every workflow", () => {
  for (const [file, wf] of Object.entries({ "pr.yml": pr, "main.yml": main, "argocd-wait.yml": wait })) {
    it(`${file}: never splices secrets or inputs into shell text`, () => {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          assert.doesNotMatch(step.run ?? "", /\$\{\{\s*(secrets|inputs)\./, `${file}: ${step.name ?? step.run}`);
        }
      }
    });

    it(`${file}: checks out without leaving the GitHub token in .git/config for later steps`, () => {
      for (const job of Object.values(wf.jobs)) {
        for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/checkout@"))) {
          assert.equal(step.with?.["persist-credentials"], false);
        }
      }
    });
  }
});

describe(".github/workflows/pr.yml", () => {
  it("runs on pull requests to main only", () => {
    assert.deepEqual(Object.keys(pr.on), ["pull_request"]);
    assert.deepEqual(pr.on.pull_request.branches, ["main"]);
  });

  it("tests on Node 22 with .ci/run (what the suite needs, then npm ci && npm test)", () => {
    assertNode22ThenTests(pr.jobs.test);
  });

  it("previews the dev stack only, after the tests, commenting on the PR", () => {
    assert.deepEqual(Object.keys(pr.jobs), ["test", "preview-dev"]);
    const job = pr.jobs["preview-dev"];
    assert.deepEqual(needsOf(job), ["test"]);
    assert.equal(job.strategy, undefined);
    const steps = pulumiSteps(job);
    assert.equal(steps.length, 1);
    assert.equal(steps[0].with?.command, "preview");
    assert.equal(steps[0].with?.["stack-name"], "${{ vars.PULUMI_ORG }}/cluster-stack/dev");
    assert.equal(steps[0].with?.["comment-on-pr"], true);
    assertNode22ThenCi(job, stepIndex(job.steps ?? [], isPulumi));
  });

  it("previews with the dev-preview environment's read-only identities, and not for forks", () => {
    const job = pr.jobs["preview-dev"];
    assertOidcLoginsAndKubeconfig(job, "dev", "preview");
    assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
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

  it("tests on Node 22 with .ci/run before anything deploys", () => {
    assertNode22ThenTests(main.jobs.test);
    assert.deepEqual(needsOf(main.jobs["up-dev"]), ["test"]);
  });

  for (const stack of ["dev", "prd"]) {
    it(`previews then runs pulumi up on ${stack} in the ${stack} environment, logged in as its deploy identities`, () => {
      const job = main.jobs[`up-${stack}`];
      const steps = pulumiSteps(job);
      // The preview refuses a protected deletion before `up` (which skips its own preview) changes anything.
      assert.deepEqual(steps.map((s) => s.with?.command), ["preview", "up"]);
      for (const step of steps) assert.equal(step.with?.["stack-name"], `\${{ vars.PULUMI_ORG }}/cluster-stack/${stack}`);
      assertNode22ThenCi(job, stepIndex(job.steps ?? [], isPulumi));
      assertOidcLoginsAndKubeconfig(job, stack, "deploy");
    });

    it(`waits for the ${stack} release with the reusable workflow in the ${stack} environment after pulumi up`, () => {
      const job = main.jobs[`wait-${stack}`];
      assert.equal(job.uses, WAIT_WORKFLOW);
      assert.deepEqual(needsOf(job), [`up-${stack}`]);
      assert.deepEqual(job.with, {
        environment: stack,
        stack: `\${{ vars.PULUMI_ORG }}/cluster-stack/${stack}`,
        "pulumi-organization": "${{ vars.PULUMI_ORG }}",
        "pulumi-team": ciVaultName(stack, "deploy"),
      });
      // A called job sees its environment's ARGOCD_AUTH_TOKEN only when the caller inherits.
      assert.equal(job.secrets, "inherit");
    });
  }

  it("deploys prd only behind the protected prd environment, after dev came up healthy", () => {
    assert.equal(environmentOf(main.jobs["up-prd"]), "prd");
    assert.deepEqual(needsOf(main.jobs["up-prd"]), ["wait-dev"]);
    // No other job touches prd or skips the chain.
    const prdJobs = Object.entries(main.jobs)
      .filter(([, job]) => /prd/.test(JSON.stringify(job)))
      .map(([name]) => name)
      .sort();
    assert.deepEqual(prdJobs, ["up-prd", "wait-prd"]);
  });
});

describe(".github/workflows/argocd-wait.yml", () => {
  const call = wait.on.workflow_call;
  const steps = wait.jobs.wait.steps ?? [];
  const waitStep = steps.find((s) => s.run?.includes("ci/release-tracking/argocd-wait.sh"));

  it("is a reusable workflow with required environment, stack and Pulumi login, optional application and timeout", () => {
    assert.deepEqual(Object.keys(wait.on), ["workflow_call"]);
    for (const input of ["environment", "stack", "pulumi-organization", "pulumi-team"]) {
      assert.equal(call.inputs[input].type, "string", input);
      assert.equal(call.inputs[input].required, true, input);
    }
    assert.equal(call.inputs.application.required, false);
    assert.equal(call.inputs.timeout.type, "number");
    assert.equal(call.inputs.timeout.default, 300);
    // Its secret comes from the job's environment, not from the caller.
    assert.equal(call.secrets, undefined);
  });

  it("runs its job in the caller's environment and logs in to Pulumi Cloud as the caller's team", () => {
    assert.equal(wait.jobs.wait.environment, "${{ inputs.environment }}");
    const auth = steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    assert.deepEqual(auth?.with, {
      organization: "${{ inputs.pulumi-organization }}",
      "requested-token-type": "urn:pulumi:token-type:access_token:team",
      scope: "team:${{ inputs.pulumi-team }}",
    });
    assert.ok(steps.indexOf(auth!) < steps.indexOf(waitStep!));
  });

  it("every caller passes all required inputs, only declared ones, and inherits secrets", () => {
    const callers = Object.values(main.jobs).filter((j) => j.uses === WAIT_WORKFLOW);
    assert.equal(callers.length, 2);
    const required = Object.entries(call.inputs as Record<string, { required?: boolean }>)
      .filter(([, d]) => d.required)
      .map(([k]) => k);
    for (const job of callers) {
      const inputs = Object.keys(job.with ?? {});
      for (const k of inputs) assert.ok(k in call.inputs, `undeclared input ${k}`);
      for (const k of required) assert.ok(inputs.includes(k), `missing input ${k}`);
      assert.equal(job.secrets, "inherit");
    }
  });

  it("runs the shared script with the inputs and token in its environment", () => {
    assert.ok(waitStep, "no step runs ci/release-tracking/argocd-wait.sh");
    assert.ok(existsSync(path.join(ROOT, "ci/release-tracking/argocd-wait.sh")));
    assert.deepEqual(waitStep.env, {
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
