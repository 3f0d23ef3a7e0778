import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** Repository root, from test/delivery/. */
export const ROOT = path.resolve(__dirname, "../..");

/** Parses a YAML file of the repository (YAML 1.2: a bare `on:` key stays the string "on"). */
export function loadYaml<T = any>(relativePath: string): T {
  return parse(readFileSync(path.join(ROOT, relativePath), "utf8")) as T;
}

/** Reads a text file of the repository. */
export function readText(relativePath: string): string {
  return readFileSync(path.join(ROOT, relativePath), "utf8");
}

/** A GitHub Actions step, as far as these tests look at it. */
export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A GitHub Actions job (a runner job or a reusable-workflow call). */
export interface Job {
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, string> | "inherit";
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
}

/** A GitHub Actions workflow. */
export interface Workflow {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export const needsOf = (job: Job): string[] => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs));

export const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === "object" ? job.environment.name : job.environment;

/** Index of the first step matching, or -1. */
export const stepIndex = (steps: Step[], match: (s: Step) => boolean): number => steps.findIndex(match);
