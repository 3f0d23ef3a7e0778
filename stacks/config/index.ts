export { ConfigError, type ConfigProblem } from "./errors";
export { loadStackConfig, type RawStackConfig } from "./load";
export type * from "./model";
export { readRuntimeConfig } from "./runtime";
