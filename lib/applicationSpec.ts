import type { DeployRepo, PodSecurityLevel, ServiceSettings } from "../model/stackConfig";
import { PULL_SECRET_NAMESPACE_LABEL, SERVICE_PULL_SECRET_NAME } from "./naming";

/** What an Application needs besides its service. */
export interface ApplicationContext {
    environment: string;
    projectName: string;
    deployRepo: DeployRepo;
    /** Whether the namespace gets the environment's pull secret (false: every registry is public). */
    pullSecret: boolean;
}

/** Labels of an Application and of its namespace. */
export function serviceLabels(service: ServiceSettings, environment: string): Record<string, string> {
    return { app: service.name, env: environment };
}

/**
 * Labels of a service namespace, which the stack (not the deploy repo) owns: the service's,
 * Pod Security Admission's (enforced at the stack's level, restricted warned and audited so
 * teams see what a stricter level would refuse), and, when some registry needs credentials,
 * the label that brings the environment's pull secret.
 */
export function serviceNamespaceLabels(service: ServiceSettings, context: { environment: string; podSecurity: PodSecurityLevel; pullSecret: boolean }): Record<string, string> {
    return {
        ...serviceLabels(service, context.environment),
        "pod-security.kubernetes.io/enforce": context.podSecurity,
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        ...(context.pullSecret ? { [PULL_SECRET_NAMESPACE_LABEL]: context.environment } : {}),
    };
}

/** Where the updater's `argocd` write-back edits the live Application, which Pulumi must then leave alone. */
export const ARGOCD_WRITE_BACK_FIELDS = ["spec.source.helm.parameters", "spec.source.kustomize.images"] as const;

/** `spec` of the Argo CD Application `<service>-<environment>`. */
export function applicationSpec(service: ServiceSettings, context: ApplicationContext): Record<string, unknown> {
    const source: Record<string, unknown> = {
        repoURL: context.deployRepo.url,
        targetRevision: context.deployRepo.revision,
        path: service.path,
    };
    if (service.renderer === "helm") {
        source.helm = {
            valueFiles: ["values.yaml", `values-${context.environment}.yaml`],
            ...(context.pullSecret ? { valuesObject: { imagePullSecrets: [{ name: SERVICE_PULL_SECRET_NAME }] } } : {}),
        };
    }
    return {
        project: context.projectName,
        source,
        destination: { server: "https://kubernetes.default.svc", namespace: service.appName },
        // No CreateNamespace: the stack creates the namespace, so no chart can own or relabel it.
        syncPolicy: { automated: { prune: true, selfHeal: true } },
    };
}
