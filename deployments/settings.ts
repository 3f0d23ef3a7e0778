import type * as pulumi from "@pulumi/pulumi";
import type * as service from "@pulumi/pulumiservice";
import type { DeploymentsConfig, Environment } from "./config";

/**
 * Environment variables a cluster-stack deployment gets. The kubeconfig arrives as content (a
 * secret) and is written to a file by a pre-run command, because the Kubernetes provider and
 * Helm read `KUBECONFIG` as a path.
 */
export const DEPLOYMENT_ENV = {
  /** Kubeconfig content (secret). */
  kubeconfigContent: "KUBECONFIG_CONTENT",
  /** Path the pre-run command writes the kubeconfig to (plain). */
  kubeconfigPath: "KUBECONFIG",
  /** Vault token read by the Vault provider (secret). */
  vaultToken: "VAULT_TOKEN",
} as const;

/** Where the pre-run command writes the kubeconfig inside the deployment executor. */
export const KUBECONFIG_FILE = "/tmp/cluster-stack.kubeconfig";

/** Secret inputs of one environment's settings. */
export interface SettingsSecrets {
  /** Kubeconfig content; must be a Pulumi secret. */
  kubeconfig: pulumi.Input<string>;
  /** Vault token; must be a Pulumi secret. */
  vaultToken: pulumi.Input<string>;
}

/** Paths whose changes trigger this environment: the shared program files plus its own stack file. */
export function stackPathFilters(cfg: DeploymentsConfig, env: Environment): string[] {
  const stackFile = cfg.repoDir === "." ? `Pulumi.${env}.yaml` : `${cfg.repoDir}/Pulumi.${env}.yaml`;
  return [...cfg.pathFilters, stackFile];
}

/**
 * Whether pull requests preview this environment. A preview runs the pull request's code with the
 * settings' environment variables, the same ones `pulumi up` gets: prd previews only when its
 * credentials here are read-only, so a branch can never run code with prd's write access.
 */
export function previewsPullRequests(cfg: DeploymentsConfig, env: Environment): boolean {
  return cfg.previewPullRequests && (env !== "prd" || cfg.prdReadOnlyCredentials);
}

/** Builds the DeploymentSettings inputs of one cluster-stack environment stack. Pure. */
export function deploymentSettingsArgs(
  cfg: DeploymentsConfig,
  env: Environment,
  secrets: SettingsSecrets,
): service.DeploymentSettingsArgs {
  return {
    organization: cfg.organization,
    project: cfg.targetProject,
    stack: env,
    executorContext: { executorImage: cfg.executorImage },
    sourceContext: {
      git: {
        branch: `refs/heads/${cfg.branch}`,
        // The service wants repoDir left out when Pulumi.yaml sits at the repository root.
        ...(cfg.repoDir === "." ? {} : { repoDir: cfg.repoDir }),
      },
    },
    vcs: {
      provider: cfg.vcsProvider,
      repository: cfg.repository,
      // prd changes go through the protected GitHub environment, never straight from a push.
      deployCommits: env === "dev" && cfg.devPushToDeploy,
      previewPullRequests: previewsPullRequests(cfg, env),
      // Review stacks would need their own cluster and Vault; previews run against the real stack.
      pullRequestTemplate: false,
      paths: stackPathFilters(cfg, env),
    },
    operationContext: {
      preRunCommands: [
        `umask 077 && printf '%s\\n' "$${DEPLOYMENT_ENV.kubeconfigContent}" > "$${DEPLOYMENT_ENV.kubeconfigPath}"`,
        // The lockfile lives at the repository root (npm workspaces); ci installs exactly it.
        "npm ci",
      ],
      environmentVariables: {
        [DEPLOYMENT_ENV.kubeconfigPath]: KUBECONFIG_FILE,
        [DEPLOYMENT_ENV.kubeconfigContent]: secrets.kubeconfig,
        [DEPLOYMENT_ENV.vaultToken]: secrets.vaultToken,
      },
      // `npm ci` above replaces the default install step, which would run `npm install`.
      options: { skipInstallDependencies: true },
    },
  };
}
