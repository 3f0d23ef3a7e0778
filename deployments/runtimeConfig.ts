import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS, type Environment, PLAIN_KEYS, PROJECT, type RawDeploymentsConfig, SECRET_KEYS } from "./config";

/** Secret values of one environment stack, as Pulumi secrets. */
export interface EnvironmentSecrets {
  /** Content of the kubeconfig the environment's deployments use. */
  kubeconfig: pulumi.Output<string>;
  /** Vault token the environment's deployments use to write the GitHub PAT. */
  vaultToken: pulumi.Output<string>;
}

/** Reads the stack config the way the CLI provides it, without unwrapping secrets. */
export function readRawConfig(): RawDeploymentsConfig {
  const config = new pulumi.Config(PROJECT);
  const values: RawDeploymentsConfig["values"] = {};
  for (const key of PLAIN_KEYS) {
    values[key] = config.get(key);
  }
  const secretsSet = new Set<string>();
  for (const env of ENVIRONMENTS) {
    for (const key of Object.values(SECRET_KEYS[env])) {
      // Only whether it is set: the value is read below as a secret Output.
      if (config.get(key) !== undefined) secretsSet.add(key);
    }
  }
  return { values, secretsSet };
}

/** Reads one environment's secrets; call after validation so the keys are known to be set. */
export function readEnvironmentSecrets(env: Environment): EnvironmentSecrets {
  const config = new pulumi.Config(PROJECT);
  return {
    kubeconfig: config.requireSecret(SECRET_KEYS[env].kubeconfig),
    vaultToken: config.requireSecret(SECRET_KEYS[env].vaultToken),
  };
}
