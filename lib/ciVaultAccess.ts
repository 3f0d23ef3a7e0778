/**
 * What CI may do in Vault, logging in with GitHub's OIDC token (JWT auth): the deploy identity
 * does exactly what `pulumi up` of one environment does, the preview identity what `pulumi
 * preview` does. The program's own names and paths come from vaultAccess.ts, so the policy
 * follows them.
 */
import type { VaultSettings } from "../model/stackConfig";
import { kvDataPath, stackVaultNamePrefix } from "./vaultAccess";

/** Who logs in: `deploy` runs `pulumi up` from main, `preview` runs `pulumi preview` for pull requests. */
export type CiRole = "deploy" | "preview";

/**
 * Name of the JWT role and of its policy. Outside `cluster-stack-<env>-*` on purpose: the deploy
 * identity may write the policies matching that glob, and must not be able to rewrite its own.
 */
export function ciVaultName(environment: string, role: CiRole): string {
    return `cluster-stack-${role}-${environment}`;
}

/** The GitHub environment whose jobs log in as the role: the stack's own, or `<env>-preview`. */
export function ciGithubEnvironment(environment: string, role: CiRole): string {
    return role === "deploy" ? environment : `${environment}-preview`;
}

interface Rule {
    why: string;
    path: string;
    capabilities: string[];
}

const WRITE = ["create", "read", "update", "delete"];

// Unless skip_child_token is set, the provider creates it at start-up (max_lease_ttl_seconds, 20 minutes).
const CHILD_TOKEN: Rule = { why: "The Vault provider works with a short-lived child token of the login token.", path: "auth/token/create", capabilities: ["update"] };

function rules(environment: string, vault: VaultSettings, role: CiRole): Rule[] {
    if (role === "preview") return [CHILD_TOKEN];
    const names = `${stackVaultNamePrefix(environment)}*`;
    return [
        { why: "The stack's credentials, one KV v2 secret per purpose below its path prefix.", path: kvDataPath(vault.kvMount, `${vault.pathPrefix}/*`), capabilities: WRITE },
        { why: "The Vault provider reads a secret's metadata after the secret.", path: `${vault.kvMount}/metadata/${vault.pathPrefix}/*`, capabilities: ["read"] },
        { why: `The stack's read policies, ${names}.`, path: `sys/policies/acl/${names}`, capabilities: WRITE },
        { why: `The stack's Kubernetes-auth roles, ${names}.`, path: `auth/${vault.kubernetesAuthMount}/role/${names}`, capabilities: WRITE },
        CHILD_TOKEN,
    ];
}

/** The HCL policy of one environment's CI role. */
export function ciVaultPolicy(environment: string, vault: VaultSettings, role: CiRole): string {
    const header =
        role === "deploy"
            ? `# ${ciVaultName(environment, role)}: what \`pulumi up\` of ${environment} does in Vault.`
            : `# ${ciVaultName(environment, role)}: \`pulumi preview\` reads nothing in Vault (no refresh); the provider only needs a token.`;
    const body = rules(environment, vault, role).map(
        (r) => `# ${r.why}\npath "${r.path}" {\n  capabilities = [${r.capabilities.map((c) => `"${c}"`).join(", ")}]\n}\n`,
    );
    return [`${header}\n`, ...body].join("\n");
}

/** Where and from what the role may be used. */
export interface CiJwtRoleOptions {
    /** `<owner>/<name>` of the repository whose workflows log in. */
    repository: string;
    /** `aud` the workflows request (`jwtGithubAudience`). */
    audience: string;
    /** Branch the deploy role is bound to. */
    branch: string;
}

/**
 * The JWT auth role (body of `vault write auth/<jwt mount>/role/<name>`). GitHub's `sub` of a job
 * with an environment names the environment but not the ref, so the ref is bound as a claim.
 */
export function ciJwtRole(environment: string, role: CiRole, options: CiJwtRoleOptions): Record<string, unknown> {
    const githubEnvironment = ciGithubEnvironment(environment, role);
    const claims: Record<string, string> = { repository: options.repository, environment: githubEnvironment };
    // Pull requests run on their own refs; the preview role is read-only instead.
    if (role === "deploy") claims.ref = `refs/heads/${options.branch}`;
    return {
        role_type: "jwt",
        bound_audiences: [options.audience],
        user_claim: "sub",
        bound_subject: `repo:${options.repository}:environment:${githubEnvironment}`,
        bound_claims_type: "string",
        bound_claims: claims,
        token_policies: [ciVaultName(environment, role)],
        token_ttl: "1h",
        token_max_ttl: "1h",
    };
}
