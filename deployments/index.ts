import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { ENVIRONMENTS, loadDeploymentsConfig } from "./config";
import { readEnvironmentSecrets, readRawConfig } from "./runtimeConfig";
import { deploymentSettingsArgs } from "./settings";

// Validate everything first: a bad stack file must not half-apply settings.
const cfg = loadDeploymentsConfig(pulumi.getStack(), readRawConfig());

const settings = ENVIRONMENTS.map(
  (env) =>
    new service.DeploymentSettings(
      `${cfg.targetProject}-${env}`,
      deploymentSettingsArgs(cfg, env, readEnvironmentSecrets(env)),
    ),
);

/** Fully qualified names of the stacks whose deployment settings this stack manages. */
export const configuredStacks = settings.map((s) => pulumi.interpolate`${s.organization}/${s.project}/${s.stack}`);
