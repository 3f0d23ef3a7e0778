import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { PROJECT } from "../config";

const PROJECT_DIR = path.resolve(__dirname, "..");

/** Secret values the tests set; recognisable so a leak into plain inputs is easy to spot. */
export const TEST_SECRETS = {
  devKubeconfig: "apiVersion: v1\nkind: Config\n# dev-kubeconfig",
  devVaultToken: "hvs.dev-token",
  prdKubeconfig: "apiVersion: v1\nkind: Config\n# prd-kubeconfig",
  prdVaultToken: "hvs.prd-token",
} as const;

type ConfigMap = Record<string, string>;

// The CLI hands every config value to the program as a string; structured values as JSON.
const asConfigString = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * Config as the CLI would give it: Pulumi.yaml defaults, then the stack file, then overrides.
 * Mocks do not apply Pulumi.yaml defaults, so this keeps them in one place (Pulumi.yaml).
 */
export function stackConfig(stackFile: string, overrides: Record<string, unknown> = {}): ConfigMap {
  const project = parse(readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { default?: unknown }>;
  };
  const stack = parse(readFileSync(path.join(PROJECT_DIR, stackFile), "utf8")) as { config?: Record<string, unknown> };

  const merged: ConfigMap = {};
  for (const [key, decl] of Object.entries(project.config)) {
    if (decl.default !== undefined) merged[`${PROJECT}:${key}`] = asConfigString(decl.default);
  }
  for (const [key, value] of Object.entries(stack.config ?? {})) {
    merged[key] = asConfigString(value);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[`${PROJECT}:${key}`];
    else merged[`${PROJECT}:${key}`] = asConfigString(value);
  }
  return merged;
}

/** Adds the test secrets, flagged as secret the way the CLI flags encrypted values. */
export function withTestSecrets(config: ConfigMap): { config: ConfigMap; secretKeys: string[] } {
  const secretKeys = Object.keys(TEST_SECRETS).map((k) => `${PROJECT}:${k}`);
  const all = { ...config };
  for (const [key, value] of Object.entries(TEST_SECRETS)) all[`${PROJECT}:${key}`] = value;
  return { config: all, secretKeys };
}

/** One resource registration as the mock monitor saw it. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const PROGRAM_MODULES = ["index", "config", "runtimeConfig", "settings"].map((m) => path.join(PROJECT_DIR, `${m}.ts`));

/** Runs deployments/index.ts under mocks with the given config; resolves with every registration. */
export async function runProgram(config: ConfigMap, secretKeys: string[], stack = "example"): Promise<Registration[]> {
  const registrations: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);

  // A fresh module instance per run, so each run reads the config set above.
  for (const file of PROGRAM_MODULES) delete require.cache[require.resolve(file)];
  const program = require(path.join(PROJECT_DIR, "index.ts")) as { configuredStacks: pulumi.Output<string>[] };
  await Promise.all(program.configuredStacks.map((o) => new Promise((resolve) => o.apply(resolve))));
  return registrations;
}
