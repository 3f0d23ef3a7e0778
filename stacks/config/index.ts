export { ConfigError, type ConfigProblem } from "./errors";
export { loadStackConfig, type RawStackConfig } from "./load";
export type { StackConfig } from "../../model/stackConfig";
export { readRuntimeConfig } from "./runtime";
