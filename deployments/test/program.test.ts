import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { loadDeploymentsConfig } from "../config";
import { readEnvironmentSecrets, readRawConfig } from "../runtimeConfig";
import { DEPLOYMENT_ENV, KUBECONFIG_FILE, deploymentSettingsArgs } from "../settings";
import { type Registration, TEST_SECRETS, runProgram, stackConfig, withTestSecrets } from "./harness";

const SETTINGS_TYPE = "pulumiservice:index:DeploymentSettings";

type Inputs = Record<string, any>;

function settingsFor(registrations: Registration[], stack: string): Inputs {
  const found = registrations.filter((r) => r.type === SETTINGS_TYPE && r.inputs.stack === stack);
  assert.equal(found.length, 1, `expected one DeploymentSettings for stack ${stack}`);
  return found[0].inputs;
}

describe("deployments program with the example stack", () => {
  let registrations: Registration[];
  before(async () => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml"));
    registrations = await runProgram(config, secretKeys);
  });

  it("manages exactly the dev and prd stacks of cluster-stack in the configured org", () => {
    const settings = registrations.filter((r) => r.type === SETTINGS_TYPE);
    assert.deepEqual(
      settings.map((r) => `${r.inputs.organization}/${r.inputs.project}/${r.inputs.stack}`).sort(),
      ["example-org/cluster-stack/dev", "example-org/cluster-stack/prd"],
    );
  });

  for (const stack of ["dev", "prd"]) {
    it(`${stack}: uses the vcs block, never the deprecated github block`, () => {
      const inputs = settingsFor(registrations, stack);
      assert.equal(inputs.github, undefined);
      assert.equal(inputs.vcs.provider, "github");
      assert.equal(inputs.vcs.repository, "example-org/cluster-stack");
    });

    it(`${stack}: opens no review stack for pull requests`, () => {
      assert.equal(settingsFor(registrations, stack).vcs.pullRequestTemplate, false);
    });

    it(`${stack}: checks out main at the repository root and runs npm ci on Node 22`, () => {
      const inputs = settingsFor(registrations, stack);
      assert.deepEqual(inputs.sourceContext, { git: { branch: "refs/heads/main" } });
      assert.match(inputs.executorContext.executorImage, /^pulumi\/pulumi-nodejs-22:\d+\.\d+\.\d+$/);
      const op = pulumi.runtime.unwrapRpcSecret(inputs.operationContext);
      assert.ok(op.preRunCommands.includes("npm ci"));
      assert.equal(op.options.skipInstallDependencies, true);
    });

    it(`${stack}: watches the program files and only its own stack file`, () => {
      const { paths } = settingsFor(registrations, stack).vcs;
      const other = stack === "dev" ? "prd" : "dev";
      for (const p of ["index.ts", "Pulumi.yaml", "package-lock.json", "stacks/**", "components/**", "lib/**"]) {
        assert.ok(paths.includes(p), `${p} missing from ${JSON.stringify(paths)}`);
      }
      assert.ok(paths.includes(`Pulumi.${stack}.yaml`));
      assert.ok(!paths.includes(`Pulumi.${other}.yaml`));
    });

    it(`${stack}: sends the kubeconfig and Vault token as secrets under fixed names`, () => {
      const inputs = settingsFor(registrations, stack);
      // The monitor receives operationContext wrapped as a secret because values inside it are.
      assert.ok(pulumi.runtime.isRpcSecret(inputs.operationContext), "operationContext is not secret");
      const env = pulumi.runtime.unwrapRpcSecret(inputs.operationContext).environmentVariables;
      assert.equal(env[DEPLOYMENT_ENV.kubeconfigContent], TEST_SECRETS[`${stack}Kubeconfig` as keyof typeof TEST_SECRETS]);
      assert.equal(env[DEPLOYMENT_ENV.vaultToken], TEST_SECRETS[`${stack}VaultToken` as keyof typeof TEST_SECRETS]);
      assert.equal(env[DEPLOYMENT_ENV.kubeconfigPath], KUBECONFIG_FILE);
    });
  }

  it("pull requests preview dev only: prd's credentials here can write", () => {
    assert.equal(settingsFor(registrations, "dev").vcs.previewPullRequests, true);
    // Explicitly false, like deployCommits: nothing left to a provider default.
    assert.equal(settingsFor(registrations, "prd").vcs.previewPullRequests, false);
  });

  it("push-to-deploy is on for dev only", () => {
    assert.equal(settingsFor(registrations, "dev").vcs.deployCommits, true);
    // Explicitly false: the provider defaults deployCommits to true when it is left out.
    assert.equal(settingsFor(registrations, "prd").vcs.deployCommits, false);
  });

  it("keeps secret values out of every plain input", () => {
    for (const r of registrations) {
      const plain = { ...r.inputs, operationContext: undefined };
      const text = JSON.stringify(plain);
      for (const secret of Object.values(TEST_SECRETS)) assert.ok(!text.includes(secret), `${r.name} leaks a secret`);
    }
  });
});

describe("deployments program with devPushToDeploy=false", () => {
  it("turns push-to-deploy off for dev as well", async () => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml", { devPushToDeploy: false }));
    const registrations = await runProgram(config, secretKeys);
    assert.equal(settingsFor(registrations, "dev").vcs.deployCommits, false);
    assert.equal(settingsFor(registrations, "prd").vcs.deployCommits, false);
  });
});

describe("pull request previews of prd", () => {
  const previews = async (overrides: Record<string, unknown>) => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml", overrides));
    const registrations = await runProgram(config, secretKeys);
    return ["dev", "prd"].map((stack) => settingsFor(registrations, stack).vcs.previewPullRequests);
  };

  it("are on only when the prd credentials are declared read-only", async () => {
    assert.deepEqual(await previews({ prdReadOnlyCredentials: true }), [true, true]);
  });

  it("stay off with read-only credentials when previews are off altogether", async () => {
    assert.deepEqual(await previews({ prdReadOnlyCredentials: true, previewPullRequests: false }), [false, false]);
  });
});

describe("deployments program with a missing secret", () => {
  it("fails before creating any settings, naming the key", async () => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml"));
    delete config["cluster-stack-deployments:prdVaultToken"];
    await assert.rejects(runProgram(config, secretKeys), /cluster-stack-deployments:prdVaultToken .*is not set/);
  });
});

describe("settings built from the stack config", () => {
  it("carry the env values as Pulumi secrets and the kubeconfig path as plain text", async () => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml"));
    await runProgram(config, secretKeys); // installs mocks and config for the reads below
    const cfg = loadDeploymentsConfig("example", readRawConfig());
    for (const env of ["dev", "prd"] as const) {
      const args = deploymentSettingsArgs(cfg, env, readEnvironmentSecrets(env));
      const vars = (args.operationContext as { environmentVariables: Record<string, pulumi.Input<string>> })
        .environmentVariables;
      assert.equal(await pulumi.isSecret(pulumi.output(vars[DEPLOYMENT_ENV.kubeconfigContent])), true);
      assert.equal(await pulumi.isSecret(pulumi.output(vars[DEPLOYMENT_ENV.vaultToken])), true);
      assert.equal(await pulumi.isSecret(pulumi.output(vars[DEPLOYMENT_ENV.kubeconfigPath])), false);
    }
  });

  it("sets repoDir and prefixes the stack file when the program is not at the root", async () => {
    const { config, secretKeys } = withTestSecrets(stackConfig("Pulumi.example.yaml", { repoDir: "infra" }));
    const registrations = await runProgram(config, secretKeys);
    const dev = settingsFor(registrations, "dev");
    assert.deepEqual(dev.sourceContext, { git: { branch: "refs/heads/main", repoDir: "infra" } });
    assert.ok(dev.vcs.paths.includes("infra/Pulumi.dev.yaml"));
  });
});
