import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { type Workflow, readText } from "./load";
import {
  WORKFLOW_DIR,
  eventsOf,
  loadWorkflows,
  permissionProblems,
  prdReach,
  runningJobs,
  secretsOutsideEnvironment,
  triggeredByPullRequests,
  usesOidc,
} from "./workflowModel";

const workflows = loadWorkflows();

/** Workflows GitHub starts by itself; reusable ones run only through their callers. */
const entryWorkflows = [...workflows].filter(([, wf]) => eventsOf(wf).some((event) => event !== "workflow_call"));

const everyRunningJob = () => entryWorkflows.flatMap(([file]) => runningJobs(file, workflows));

describe("third-party actions", () => {
  const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
  const lines = [...workflows.keys()].flatMap((file) =>
    readText(`${WORKFLOW_DIR}/${file}`)
      .split("\n")
      .map((line) => USES.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map(([, ref, rest]) => ({ file, ref, rest })),
  );
  const remote = lines.filter((l) => !l.ref.startsWith("./"));

  it("are found on their own lines, every one the parsed workflows use", () => {
    const parsed = [...workflows.values()].flatMap((wf) =>
      Object.values(wf.jobs).flatMap((job) => [job.uses, ...(job.steps ?? []).map((s) => s.uses)]),
    );
    assert.deepEqual(lines.map((l) => l.ref).sort(), parsed.filter((u): u is string => u !== undefined).sort());
    assert.ok(remote.length > 0);
  });

  it("are pinned to a full commit SHA with the version in a trailing comment", () => {
    for (const { file, ref, rest } of remote) {
      assert.match(ref, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${file}: ${ref}`);
      assert.match(rest, /^ # v\d+\.\d+\.\d+$/, `${file}: ${ref} needs "# v<major>.<minor>.<patch>"`);
    }
  });

  it("name one version per commit and one commit per version, across all workflows", () => {
    const bySha = new Map<string, Set<string>>();
    const byVersion = new Map<string, Set<string>>();
    for (const { ref, rest } of remote) {
      const [action, sha] = ref.split("@");
      const version = `${action}@${rest.replace(/^ # /, "")}`;
      bySha.set(ref, (bySha.get(ref) ?? new Set()).add(version));
      byVersion.set(version, (byVersion.get(version) ?? new Set()).add(sha));
    }
    for (const [key, values] of [...bySha, ...byVersion]) assert.equal(values.size, 1, `${key}: ${[...values].join(", ")}`);
  });
});

describe("deploy credentials", () => {
  it("are read only by jobs that declare a GitHub environment", () => {
    const readers = everyRunningJob().filter((j) => j.secrets.length > 0);
    assert.ok(readers.length > 0, "no job reads a secret: the check would prove nothing");
    for (const job of readers) assert.deepEqual(secretsOutsideEnvironment(job), [], job.id);
  });

  it("are read in a reusable workflow only by jobs whose environment comes from a required input", () => {
    for (const [file, wf] of workflows) {
      const inputs = (wf.on.workflow_call?.inputs ?? {}) as Record<string, { required?: boolean }>;
      if (!wf.on.workflow_call) continue;
      for (const [name, job] of Object.entries(wf.jobs)) {
        const ref = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(String(job.environment ?? ""));
        if (JSON.stringify(job).includes("secrets.")) assert.equal(inputs[ref?.[1] ?? ""]?.required, true, `${file}/${name}`);
      }
    }
  });

  it("live in no workflow-level or job-level env, where every step would see them", () => {
    for (const [file, wf] of workflows) {
      assert.deepEqual(Object.values(wf.env ?? {}).filter((v) => /secrets\./.test(v)), [], file);
      for (const [name, job] of Object.entries(wf.jobs)) {
        assert.ok(!/secrets\./.test(JSON.stringify((job as { env?: unknown }).env ?? {})), `${file}/${name}`);
      }
    }
  });
});

describe("pull requests", () => {
  const prWorkflows = entryWorkflows.filter(([, wf]) => triggeredByPullRequests(wf));

  it("run workflows that this check covers", () => {
    assert.deepEqual(prWorkflows.map(([file]) => file), ["pr.yml"]);
  });

  it("never reach a prd environment, a prd secret or the prd stack, directly or through a called workflow", () => {
    for (const [file] of prWorkflows) {
      for (const job of runningJobs(file, workflows)) assert.deepEqual(prdReach(job), [], job.id);
    }
  });

  it("get only the dev-preview environment", () => {
    const environments = prWorkflows.flatMap(([file]) => runningJobs(file, workflows).flatMap((j) => j.environments));
    assert.deepEqual([...new Set(environments)], ["dev-preview"]);
  });
});

describe("job permissions", () => {
  it("are empty at workflow level, so each job states its own", () => {
    for (const [file, wf] of workflows) assert.deepEqual(wf.permissions, {}, file);
  });

  it("are exactly what each job needs: contents read, id-token write only for OIDC logins, pull-requests write only to comment", () => {
    const jobs = everyRunningJob();
    assert.ok(jobs.some((j) => usesOidc(j.job)) && jobs.some((j) => !usesOidc(j.job)));
    for (const job of jobs) assert.deepEqual(permissionProblems(job), [], job.id);
  });
});

/** The checks above, run on workflows built to break them: each must be caught. */
describe("the workflow checks catch", () => {
  const analyse = (files: Record<string, string>, entry = "pr.yml") => {
    const set = new Map(Object.entries(files).map(([f, text]) => [f, parse(text) as Workflow]));
    return runningJobs(entry, set);
  };
  const CALLED = `
on:
  workflow_call:
    inputs:
      environment: { type: string, required: true }
jobs:
  run:
    environment: \${{ inputs.environment }}
    permissions: { contents: read }
    steps:
      - run: echo
        env: { TOKEN: "\${{ secrets.ARGOCD_AUTH_TOKEN }}" }
`;

  it("a prd environment reached through a matrix", () => {
    const [job] = analyse({
      "pr.yml": `
on: pull_request
jobs:
  preview:
    strategy: { matrix: { stack: [dev, prd] } }
    environment: \${{ matrix.stack }}-preview
    steps: [{ run: echo }]
`,
    });
    assert.deepEqual(prdReach(job), ["environment prd-preview"]);
  });

  it("a prd environment reached through a reusable workflow's input, and inherited secrets", () => {
    const [job] = analyse({
      "pr.yml": `
on: pull_request
jobs:
  wait:
    uses: ./.github/workflows/called.yml
    with: { environment: prd }
    secrets: inherit
`,
      "called.yml": CALLED,
    });
    assert.equal(job.id, "pr.yml/wait -> called.yml/run");
    assert.deepEqual(prdReach(job), ["environment prd", "secrets: inherit passes every secret"]);
  });

  it("a prd-named secret passed to a called workflow, which then reads it outside an environment", () => {
    const [job] = analyse({
      "pr.yml": `
on: pull_request
jobs:
  wait:
    uses: ./.github/workflows/called.yml
    secrets: { TOKEN: "\${{ secrets.ARGOCD_AUTH_TOKEN_PRD }}" }
`,
      "called.yml": `
on: { workflow_call: {} }
jobs:
  run:
    steps: [{ run: echo, env: { T: "\${{ secrets.TOKEN }}" } }]
`,
    });
    assert.deepEqual(prdReach(job), ["secret ARGOCD_AUTH_TOKEN_PRD"]);
    assert.deepEqual(secretsOutsideEnvironment(job), ["reads ARGOCD_AUTH_TOKEN_PRD, TOKEN without an environment"]);
  });

  it("an environment that cannot be resolved, and the prd stack", () => {
    const [job] = analyse({
      "pr.yml": `
on: pull_request
jobs:
  preview:
    environment: \${{ github.head_ref }}
    steps: [{ uses: pulumi/actions@x, with: { stack-name: org/cluster-stack/prd } }]
`,
    });
    assert.deepEqual(prdReach(job), ["environment ${{ github.head_ref }} cannot be resolved", "stack org/cluster-stack/prd"]);
  });

  it("OIDC without id-token write, id-token write without OIDC, and a caller granting less than its called job", () => {
    const [oidc, plain] = analyse({
      "pr.yml": `
on: push
jobs:
  oidc:
    permissions: { contents: read }
    steps: [{ uses: hashicorp/vault-action@x, with: { method: jwt } }]
  plain:
    permissions: { contents: read, id-token: write }
    steps: [{ run: echo }]
`,
    });
    assert.deepEqual(permissionProblems(oidc), ["the job grants id-token: none, needs write"]);
    assert.deepEqual(permissionProblems(plain), ["the job grants id-token: write, needs none"]);
    const [called] = analyse({
      "pr.yml": `
on: push
jobs:
  wait:
    uses: ./.github/workflows/called.yml
    with: { environment: dev }
    secrets: inherit
`,
      "called.yml": CALLED,
    });
    assert.deepEqual(permissionProblems(called), [
      "its caller (./.github/workflows/called.yml) declares no permissions, so it gets the workflow's or repository's default",
    ]);
  });

  it("a prd environment two calls deep", () => {
    const [job] = analyse({
      "pr.yml": `
on: [push, pull_request_target]
jobs:
  outer:
    uses: ./.github/workflows/middle.yml
    with: { target: prd }
`,
      "middle.yml": `
on: { workflow_call: { inputs: { target: { type: string } } } }
jobs:
  inner:
    uses: ./.github/workflows/called.yml
    with: { environment: "\${{ inputs.target }}" }
`,
      "called.yml": CALLED,
    });
    assert.equal(job.id, "pr.yml/outer -> middle.yml/inner -> called.yml/run");
    assert.deepEqual(prdReach(job), ["environment prd"]);
  });

  it("pull request triggers however on: is written", () => {
    const triggered = (on: string) => triggeredByPullRequests(parse(`on: ${on}\njobs: {}`) as Workflow);
    assert.deepEqual(["pull_request", "[push, pull_request_target]", "{ pull_request: { branches: [main] } }", "push", "[push, workflow_call]"].map(triggered), [
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
