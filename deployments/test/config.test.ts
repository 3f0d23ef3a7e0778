import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DeploymentsConfigError, type PlainKey, type RawDeploymentsConfig, loadDeploymentsConfig } from "../config";

const ALL_SECRETS = new Set(["devKubeconfig", "devVaultToken", "prdKubeconfig", "prdVaultToken"]);

// What the CLI passes for the example stack after merging Pulumi.yaml defaults.
const VALID: Record<PlainKey, string> = {
  organization: "example-org",
  targetProject: "cluster-stack",
  repository: "example-org/cluster-stack",
  vcsProvider: "github",
  branch: "main",
  repoDir: ".",
  executorImage: "pulumi/pulumi-nodejs-22:3.270.0",
  devPushToDeploy: "true",
  previewPullRequests: "true",
  prdReadOnlyCredentials: "false",
  pathFilters: JSON.stringify(["index.ts", "stacks/**"]),
};

function raw(values: Partial<Record<PlainKey, string | undefined>>, secretsSet: Set<string> = ALL_SECRETS): RawDeploymentsConfig {
  return { values: { ...VALID, ...values }, secretsSet };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DeploymentsConfigError, `expected DeploymentsConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail("expected the config to be rejected");
}

describe("loadDeploymentsConfig", () => {
  it("parses strings from the CLI into typed settings", () => {
    const cfg = loadDeploymentsConfig("example", raw({ devPushToDeploy: "false" }));
    assert.equal(cfg.devPushToDeploy, false);
    assert.equal(cfg.previewPullRequests, true);
    assert.equal(cfg.prdReadOnlyCredentials, false);
    assert.deepEqual(cfg.pathFilters, ["index.ts", "stacks/**"]);
    assert.equal(cfg.repository, "example-org/cluster-stack");
  });

  const rejected: Array<[PlainKey, string | undefined, RegExp]> = [
    ["organization", undefined, /organization is not set.*pulumi config set organization/],
    ["repository", "cluster-stack", /repository = "cluster-stack" must be <owner>\/<name>/],
    ["vcsProvider", "gitlab", /vcsProvider = "gitlab" must be one of github, azure_devops/],
    ["branch", "refs/heads/main", /branch = "refs\/heads\/main" must be a branch name without refs\/heads\//],
    ["repoDir", "../elsewhere", /repoDir = "..\/elsewhere"/],
    ["repoDir", "/abs", /repoDir = "\/abs"/],
    ["executorImage", "pulumi/pulumi-nodejs-22:latest", /executorImage = .* pinned to a version tag/],
    ["executorImage", "pulumi/pulumi-nodejs-22", /executorImage = .* pinned to a version tag/],
    ["devPushToDeploy", "yes", /devPushToDeploy = "yes" must be true or false/],
    ["prdReadOnlyCredentials", "read-only", /prdReadOnlyCredentials = "read-only" must be true or false/],
    ["pathFilters", "stacks/**", /pathFilters = "stacks\/\*\*" must be a YAML list of path globs/],
    ["pathFilters", "[]", /pathFilters = "\[\]" must list at least one path/],
    ["pathFilters", '["ok", ""]', /pathFilters = .* must be a non-empty path glob/],
  ];
  for (const [key, value, expected] of rejected) {
    it(`rejects ${key} = ${JSON.stringify(value)} naming stack, key, value and fix`, () => {
      const err = (() => {
        try {
          loadDeploymentsConfig("example", raw({ [key]: value }));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof DeploymentsConfigError);
      assert.match(err.message, /^Stack "example" of cluster-stack-deployments/);
      assert.equal(err.problems.length, 1, err.message);
      assert.match(err.problems[0], expected);
      assert.match(err.problems[0], /Fix: /);
    });
  }

  it("requires every environment's secrets and names the fix", () => {
    const problems = problemsOf(() =>
      loadDeploymentsConfig("example", raw({}, new Set(["devKubeconfig", "devVaultToken"]))),
    );
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["cluster-stack-deployments:prdKubeconfig", "cluster-stack-deployments:prdVaultToken"],
    );
    assert.match(problems[0], /secret for the prd stack.*pulumi config set --secret prdKubeconfig/);
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(() =>
      loadDeploymentsConfig("example", raw({ organization: undefined, branch: "" }, new Set())),
    );
    assert.equal(problems.length, 2 + 4);
  });
});
