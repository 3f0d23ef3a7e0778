/**
 * The CI account of one environment: a local Argo CD account (apiKey only) whose role reaches
 * exactly its own project's Applications. Each stack adds its own account and policy to
 * argocd-cm and argocd-rbac-cm under keys no other stack writes (Argo CD v3.4 appends every
 * `policy.<name>.csv` of argocd-rbac-cm to `policy.csv`), so on a shared cluster neither
 * environment's token reaches the other's Applications.
 */

/** Names Argo CD itself gives meaning to: `admin` is the built-in superuser account. */
export const RESERVED_ACCOUNT_NAMES = ["admin"] as const;

/** The default account name of an environment. */
export function defaultCiAccount(environment: string): string {
    return `ci-${environment}`;
}

/** RBAC role of the environment's CI account. */
export function ciRole(environment: string): string {
    return `role:ci-${environment}`;
}

/** argocd-rbac-cm key holding this environment's CI policy. */
export function ciPolicyKey(environment: string): string {
    return `policy.ci-${environment}.csv`;
}

/** argocd-cm key that declares the account with the apiKey capability (no login). */
export function ciAccountKey(account: string): string {
    return `accounts.${account}`;
}

/** What `argocd app wait` and a manual sync need, in the environment's own project only. */
export function ciPolicy(account: string, environment: string, project: string): string {
    const role = ciRole(environment);
    return [
        `p, ${role}, applications, get, ${project}/*, allow`,
        `p, ${role}, applications, sync, ${project}/*, allow`,
        `p, ${role}, projects, get, ${project}, allow`,
        `g, ${account}, ${role}`,
    ].join("\n");
}
