import { z } from "zod";

/** Config namespace of this project (the `name` in deployments/Pulumi.yaml). */
export const PROJECT = "cluster-stack-deployments";

/** The cluster-stack environment stacks this project configures, in rollout order. */
export const ENVIRONMENTS = ["dev", "prd"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Secret config keys, one kubeconfig and one Vault token per environment stack. */
export const SECRET_KEYS = {
  dev: { kubeconfig: "devKubeconfig", vaultToken: "devVaultToken" },
  prd: { kubeconfig: "prdKubeconfig", vaultToken: "prdVaultToken" },
} as const satisfies Record<Environment, { kubeconfig: string; vaultToken: string }>;

/** Plain config keys, as the Pulumi CLI hands them over: strings (lists as JSON text). */
export const PLAIN_KEYS = [
  "organization",
  "targetProject",
  "repository",
  "vcsProvider",
  "branch",
  "repoDir",
  "executorImage",
  "devPushToDeploy",
  "previewPullRequests",
  "prdReadOnlyCredentials",
  "pathFilters",
] as const;
export type PlainKey = (typeof PLAIN_KEYS)[number];

/** Raw stack config: plain values as strings, secrets only as "is it set". */
export interface RawDeploymentsConfig {
  /** Plain values by key; `undefined` when the key is unset (and Pulumi.yaml has no default). */
  values: Partial<Record<PlainKey, string>>;
  /** Secret keys that have a value. Their values never pass through this module. */
  secretsSet: ReadonlySet<string>;
}

/** Validated settings shared by every environment stack. */
export interface DeploymentsConfig {
  /** Pulumi Cloud organization that owns the cluster-stack stacks. */
  organization: string;
  /** Project whose stacks get deployment settings; default `cluster-stack`. */
  targetProject: string;
  /** Repository as `<owner>/<name>` in the VCS integration. */
  repository: string;
  /** VCS integration of the repository; default `github`. */
  vcsProvider: VcsProvider;
  /** Branch deployments check out; default `main`. */
  branch: string;
  /** Directory of the cluster-stack Pulumi.yaml, relative to the repository root; default `.`. */
  repoDir: string;
  /** Deployment executor image with Node 22, pinned to a tag. */
  executorImage: string;
  /** Whether a push to `branch` runs `pulumi up` on the dev stack; prd never deploys on push. */
  devPushToDeploy: boolean;
  /** Whether pull requests run `pulumi preview` on dev (and on prd with prdReadOnlyCredentials); default true. */
  previewPullRequests: boolean;
  /** Whether prdKubeconfig and prdVaultToken are read-only, which alone lets pull requests preview prd; default false. */
  prdReadOnlyCredentials: boolean;
  /** Paths (globs) whose changes trigger deployments; each stack also watches its own `Pulumi.<env>.yaml`. */
  pathFilters: string[];
}

// The VCS providers the pinned @pulumi/pulumiservice documents for the `vcs` block.
const VCS_PROVIDERS = ["github", "azure_devops"] as const;
export type VcsProvider = (typeof VCS_PROVIDERS)[number];

const nonEmpty = (what: string) => z.string().trim().min(1, { error: `must be ${what}` });

const boolText = z.enum(["true", "false"], { error: "must be true or false" }).transform((v) => v === "true");

const pathList = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a YAML list of path globs" });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(nonEmpty("a non-empty path glob"), { error: "must be a YAML list of path globs" })
      .min(1, { error: "must list at least one path, or every push would be ignored" }),
  );

const schema = z.object({
  organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "must be a Pulumi organization name" }),
  targetProject: z.string().regex(/^[A-Za-z0-9_.-]+$/, { error: "must be a Pulumi project name" }),
  repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "must be <owner>/<name>" }),
  vcsProvider: z.enum(VCS_PROVIDERS, { error: `must be one of ${VCS_PROVIDERS.join(", ")}` }),
  branch: z
    .string()
    .regex(/^(?!refs\/)[A-Za-z0-9._/-]+$/, { error: "must be a branch name without refs/heads/" }),
  repoDir: z
    .string()
    .regex(/^(\.|[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*)$/, {
      error: "must be . or a relative directory without leading /, ./ or ..",
    })
    .refine((dir) => !dir.split("/").includes(".."), { error: "must stay inside the repository (no ..)" }),
  executorImage: z
    .string()
    // A floating tag would change the Pulumi CLI and Node version under a running environment.
    .regex(/^[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]+$/, {
      error: "must be an image pinned to a version tag (not latest), e.g. pulumi/pulumi-nodejs-22:3.270.0",
    }),
  devPushToDeploy: boolText,
  previewPullRequests: boolText,
  prdReadOnlyCredentials: boolText,
  pathFilters: pathList,
});

const FIXES: Record<PlainKey, string> = {
  organization: "pulumi config set organization <org>",
  targetProject: "pulumi config set targetProject cluster-stack",
  repository: "pulumi config set repository <owner>/<name>",
  vcsProvider: "pulumi config set vcsProvider github",
  branch: "pulumi config set branch main",
  repoDir: "pulumi config set repoDir .",
  executorImage: "pulumi config set executorImage pulumi/pulumi-nodejs-22:<pulumi-version>",
  devPushToDeploy: "pulumi config set devPushToDeploy true|false",
  previewPullRequests: "pulumi config set previewPullRequests true|false",
  prdReadOnlyCredentials: "pulumi config set prdReadOnlyCredentials true|false",
  pathFilters: "set pathFilters as a YAML list in the stack file, or remove it to use the Pulumi.yaml default",
};

/** Thrown with every problem in the stack config at once, each naming stack, key, value and fix. */
export class DeploymentsConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: string[],
  ) {
    super(`Stack "${stack}" of ${PROJECT} has ${problems.length} config problem(s):\n  - ${problems.join("\n  - ")}`);
    this.name = "DeploymentsConfigError";
  }
}

/**
 * Validates the raw stack config and returns typed settings, or throws a
 * {@link DeploymentsConfigError} listing every problem. Pure: no Pulumi runtime access.
 */
export function loadDeploymentsConfig(stack: string, raw: RawDeploymentsConfig): DeploymentsConfig {
  const problems: string[] = [];

  const result = schema.safeParse(raw.values);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0]) as PlainKey;
      if (seen.has(key)) continue; // one message per key is enough to fix it
      seen.add(key);
      const value = raw.values[key];
      problems.push(
        value === undefined
          ? `${PROJECT}:${key} is not set. Fix: ${FIXES[key]} (or restore its default in deployments/Pulumi.yaml)`
          : `${PROJECT}:${key} = ${JSON.stringify(value)} ${issue.message}. Fix: ${FIXES[key]}`,
      );
    }
  }

  for (const env of ENVIRONMENTS) {
    for (const key of Object.values(SECRET_KEYS[env])) {
      if (!raw.secretsSet.has(key)) {
        problems.push(
          `${PROJECT}:${key} (secret for the ${env} stack) is not set. Fix: pulumi config set --secret ${key} < <file>`,
        );
      }
    }
  }

  if (problems.length > 0 || !result.success) {
    throw new DeploymentsConfigError(stack, problems);
  }
  return result.data;
}
