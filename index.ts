import { loadStackConfig, readRuntimeConfig } from "./stacks/config";
import { clusterStack } from "./stacks/clusterStack";

// Validate everything before the first resource is declared: a bad stack file changes nothing.
const outputs = clusterStack(loadStackConfig(readRuntimeConfig()));

export const environment = outputs.environment;
export const argocdUrl = outputs.argocdUrl;
export const argocdAdminPassword = outputs.argocdAdminPassword;
export const ciAccount = outputs.ciAccount;
export const applications = outputs.applications;
export const pushWebhooks = outputs.pushWebhooks;
export const pushWebhookSecrets = outputs.pushWebhookSecrets;
