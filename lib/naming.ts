/**
 * Names shared by the objects that create a secret and the objects that consume it. Everything
 * in a namespace two stacks share (Argo CD's) or cluster-wide carries the environment, so the
 * stacks of a shared cluster never claim the same object.
 */

/** The environment's pull secret with every registry account its services use (the ClusterExternalSecret's name). */
export function registryPullSecretName(environment: string): string {
    return `registry-credentials-${environment}`;
}

/** Pull secret in each service namespace, named by the Applications' imagePullSecrets. */
export const SERVICE_PULL_SECRET_NAME = "registry-credentials";

/** Namespace label that makes the ClusterExternalSecret put a pull secret there; its value is the environment. */
export const PULL_SECRET_NAMESPACE_LABEL = "cluster-stack/registry-pull";

/** Argo CD repository secret of the deploy repo for one environment's project; Image Updater pushes with it too. */
export function deployRepoSecretName(environment: string): string {
    return `deploy-repo-${environment}`;
}

/** The ImageUpdater resource of one environment; shards after the first (thousands of services) get `-2`, `-3`, ... */
export function imageUpdaterName(environment: string, shard = 0): string {
    return shard === 0 ? `services-${environment}` : `services-${environment}-${shard + 1}`;
}

/** UI link of an Application. */
export function applicationUrl(argocdUrl: string, namespace: string, name: string): string {
    return `${argocdUrl}/applications/${namespace}/${name}`;
}
