/**
 * Names shared by the objects that create a secret and the objects that consume it. Everything
 * in a namespace two stacks share (Argo CD's) or cluster-wide carries the environment, so the
 * stacks of a shared cluster never claim the same object.
 */

/** Registry pull secret in the Argo CD namespace, read by Image Updater. */
export function registryPullSecretName(environment: string): string {
    return `registry-credentials-${environment}`;
}

/** Registry pull secret in each service namespace, named by the Applications' imagePullSecrets. */
export const SERVICE_PULL_SECRET_NAME = "registry-credentials";

/** Namespace label that makes the ClusterExternalSecret put a pull secret there; its value is the environment. */
export const PULL_SECRET_NAMESPACE_LABEL = "cluster-stack/registry-pull";

/** Argo CD repository credentials (repo-creds) for the deploy repo's owner. */
export function repoCredsSecretName(environment: string): string {
    return `repo-creds-${environment}`;
}

/** The ImageUpdater resource of one environment. */
export function imageUpdaterName(environment: string): string {
    return `services-${environment}`;
}

/** UI link of an Application. */
export function applicationUrl(argocdUrl: string, namespace: string, name: string): string {
    return `${argocdUrl}/applications/${namespace}/${name}`;
}

/** Property of the Vault credentials secret holding the GitLab token (next to `username` and `pat`). */
export const GITLAB_TOKEN_PROPERTY = "gitlabToken";
