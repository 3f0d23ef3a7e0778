import { readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { type Job, ROOT, type Workflow, environmentOf, readText } from "./load";

/** Directory of the repository's workflows. */
export const WORKFLOW_DIR = ".github/workflows";

/** Every workflow file, by file name, parsed. */
export function loadWorkflows(): Map<string, Workflow> {
  return new Map(
    readdirSync(path.join(ROOT, WORKFLOW_DIR))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [f, parse(readText(`${WORKFLOW_DIR}/${f}`)) as Workflow]),
  );
}

/** A job as it runs on a runner: reusable-workflow calls are followed to the jobs they run. */
export interface RunningJob {
  /** `file/job`, through the calls when there are any: `main.yml/wait-dev -> argocd-wait.yml/wait`. */
  id: string;
  job: Job;
  /** The calling jobs, outermost first, when `job` belongs to a called workflow. */
  callers: Job[];
  /** Environment names it may run in (one per matrix value); an expression left over could not be resolved. */
  environments: string[];
  /** Secret names it may read: its own `secrets.X`, and those its callers map into it. */
  secrets: string[];
  /** A caller passes every secret it can see (`secrets: inherit`). */
  inheritsSecrets: boolean;
  /** Stacks it names (`stack-name` of a step, `stack` input of a call). */
  stacks: string[];
}

const EXPRESSION = /\$\{\{\s*([\w.-]+)\s*\}\}/g;

type Context = { inputs: Record<string, unknown>; matrix: Record<string, unknown[]> };

/**
 * Every value `text` can take: `inputs.x` from the caller (or its default), `matrix.x` per
 * matrix value. Any other expression stays in the text, so the caller sees it was not resolved.
 */
export function expand(text: string, ctx: Context): string[] {
  for (const [whole, ref] of text.matchAll(EXPRESSION)) {
    const [scope, name] = ref.split(".");
    const values = scope === "inputs" && name in ctx.inputs ? [ctx.inputs[name]] : scope === "matrix" && name in ctx.matrix ? ctx.matrix[name] : undefined;
    if (values) return values.flatMap((v) => expand(text.replace(whole, String(v)), ctx));
  }
  return [text];
}

/** `secrets.NAME` references in anything (GITHUB_TOKEN is the run's own token, not a stored secret). */
export function secretNames(value: unknown): string[] {
  const names = [...JSON.stringify(value ?? null).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  return [...new Set(names)].filter((n) => n !== "GITHUB_TOKEN").sort();
}

function matrixOf(job: Job): Record<string, unknown[]> {
  const matrix = job.strategy?.matrix ?? {};
  return Object.fromEntries(Object.entries(matrix).filter(([, v]) => Array.isArray(v))) as Record<string, unknown[]>;
}

function stacksOf(job: Job, ctx: Context): string[] {
  const named = [...(job.steps ?? []).map((s) => s.with?.["stack-name"]), job.uses ? job.with?.stack : undefined];
  return named.filter((v): v is string => typeof v === "string").flatMap((v) => expand(v, ctx));
}

/** The inputs a call passes, once per combination of the values they can take. */
function callInputs(job: Job, declared: Record<string, { default?: unknown }>, ctx: Context): Record<string, unknown>[] {
  let combinations: Record<string, unknown>[] = [{}];
  for (const [name, decl] of Object.entries(declared)) {
    const given = job.with?.[name] ?? decl.default ?? "";
    const values = typeof given === "string" ? expand(given, ctx) : [given];
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return combinations;
}

function jobsOf(file: string, workflows: Map<string, Workflow>, inputs: Record<string, unknown>, from: RunningJob | undefined): RunningJob[] {
  const workflow = workflows.get(file);
  if (!workflow) throw new Error(`no workflow ${file}`);
  return Object.entries(workflow.jobs).flatMap(([name, job]): RunningJob[] => {
    const ctx = { inputs, matrix: matrixOf(job) };
    const environment = environmentOf(job);
    const here: RunningJob = {
      id: `${from ? `${from.id} -> ` : ""}${file}/${name}`,
      job,
      callers: from ? [...from.callers, from.job] : [],
      environments: environment === undefined ? [] : expand(environment, ctx),
      secrets: [...new Set([...(from?.secrets ?? []), ...secretNames(job)])].sort(),
      inheritsSecrets: (from?.inheritsSecrets ?? false) || job.secrets === "inherit",
      stacks: [...(from?.stacks ?? []), ...stacksOf(job, ctx)],
    };
    if (!job.uses) return [here];
    const local = /^\.\/\.github\/workflows\/([^/@]+)$/.exec(job.uses);
    if (!local) throw new Error(`${here.id} calls ${job.uses}, which this check cannot follow`);
    const called = workflows.get(local[1]);
    if (!called) throw new Error(`${here.id} calls missing ${job.uses}`);
    const declared = (called.on.workflow_call?.inputs ?? {}) as Record<string, { default?: unknown }>;
    return callInputs(job, declared, ctx).flatMap((given) => jobsOf(local[1], workflows, given, here));
  });
}

/** The jobs a workflow runs, following `uses: ./.github/workflows/<file>` with the caller's inputs. */
export function runningJobs(file: string, workflows: Map<string, Workflow>): RunningJob[] {
  return jobsOf(file, workflows, {}, undefined);
}

/** The events a workflow runs on, whichever way `on:` is written. */
export function eventsOf(workflow: Workflow): string[] {
  const on = workflow.on as unknown;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on ?? {});
}

/** Events that run a workflow for a pull request, with the pull request's code or on its behalf. */
export const PULL_REQUEST_EVENTS = ["pull_request", "pull_request_target"];

export const triggeredByPullRequests = (workflow: Workflow): boolean =>
  eventsOf(workflow).some((event) => PULL_REQUEST_EVENTS.includes(event));

/** Why a job run by a pull request could reach prd; empty when it cannot. */
export function prdReach(job: RunningJob): string[] {
  const problems: string[] = [];
  for (const env of job.environments) {
    if (/prd/i.test(env)) problems.push(`environment ${env}`);
    else if (env.includes("${{")) problems.push(`environment ${env} cannot be resolved`);
  }
  for (const secret of job.secrets.filter((s) => /prd/i.test(s))) problems.push(`secret ${secret}`);
  if (job.inheritsSecrets) problems.push("secrets: inherit passes every secret");
  for (const stack of job.stacks.filter((s) => /prd/i.test(s))) problems.push(`stack ${stack}`);
  return problems;
}

/** Steps that exchange the job's GitHub OIDC token for a credential. */
export const usesOidc = (job: Job): boolean =>
  (job.steps ?? []).some(
    (s) => s.uses?.startsWith("pulumi/auth-actions@") || (s.uses?.startsWith("hashicorp/vault-action@") && s.with?.method === "jwt"),
  );

/** Why a job reads stored secrets outside a GitHub environment; empty when it does not. */
export function secretsOutsideEnvironment(job: RunningJob): string[] {
  if (job.secrets.length === 0) return [];
  if (job.environments.length === 0) return [`reads ${job.secrets.join(", ")} without an environment`];
  return job.environments.filter((e) => e.includes("${{")).map((e) => `environment ${e} cannot be resolved`);
}

const commentsOnPullRequest = (job: Job): boolean => (job.steps ?? []).some((s) => s.with?.["comment-on-pr"] === true);

/** The permissions a job needs: read the code, plus OIDC and PR comments where its steps use them. */
export function neededPermissions(job: Job): Record<string, string> {
  return {
    contents: "read",
    ...(usesOidc(job) ? { "id-token": "write" } : {}),
    ...(commentsOnPullRequest(job) ? { "pull-requests": "write" } : {}),
  };
}

/**
 * Why a job's permissions differ from what it needs; empty when they match. A called job gets at
 * most what its caller grants, so the caller must grant exactly the same.
 */
export function permissionProblems(job: RunningJob): string[] {
  const needed = neededPermissions(job.job);
  const problems: string[] = [];
  const compare = (who: string, granted: Record<string, string> | undefined) => {
    if (granted === undefined) {
      problems.push(`${who} declares no permissions, so it gets the workflow's or repository's default`);
      return;
    }
    for (const key of new Set([...Object.keys(needed), ...Object.keys(granted)])) {
      if (granted[key] !== needed[key]) problems.push(`${who} grants ${key}: ${granted[key] ?? "none"}, needs ${needed[key] ?? "none"}`);
    }
  };
  compare("the job", job.job.permissions);
  for (const caller of job.callers) compare(`its caller (${caller.uses})`, caller.permissions);
  return problems;
}
