import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { GITLAB_TOKEN_PROPERTY } from "../lib/naming";
import { readOnlyPolicy } from "../lib/vaultPolicy";
import type { GithubCredentials as Credentials, VaultSettings } from "../stacks/config";

/** Inputs of the GithubCredentials component. */
export interface GithubCredentialsArgs {
    environment: string;
    /** Username and PAT (secret) to store. */
    credentials: Credentials;
    /** KV mount and path, auth mount and audience. */
    vault: VaultSettings;
    /** The only identity allowed to read the secret: ESO's controller service account. */
    reader: { serviceAccount: string; namespace: string };
    /** GitLab token (secret) for notifications, stored as property GITLAB_TOKEN_PROPERTY of the same secret; default none. */
    gitlabToken?: pulumi.Output<string>;
}

/**
 * The GitHub username and PAT in Vault KV v2, with a policy that can read exactly that secret
 * and a Kubernetes-auth role that gives the policy to ESO's service account alone. Every name is
 * explicit: the provider suffixes names left unset, which would break the references to them.
 */
export class GithubCredentials extends pulumi.ComponentResource {
    /** Vault role ESO logs in as. */
    readonly roleName: string;
    /** The resources ESO needs before its first read (secret, policy, role). */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: GithubCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:vault:GithubCredentials", name, {}, opts);
        const { vault: settings } = args;
        this.roleName = `external-secrets-${args.environment}`;

        const mount = settings.manageKvMount
            ? new vault.Mount(
                  `${name}-kv`,
                  { path: settings.kvMount, type: "kv", options: { version: "2" }, description: "KV v2 secrets of the cluster stacks" },
                  { parent: this },
              )
            : undefined;

        const secret = new vault.kv.SecretV2(
            `${name}-secret`,
            {
                mount: mount ? mount.path : settings.kvMount,
                name: settings.secretPath,
                // One secret, one read policy: the GitLab token rides along instead of needing its own path.
                dataJson: pulumi.secret(
                    pulumi
                        .all([args.credentials.username, args.credentials.pat, args.gitlabToken])
                        .apply(([username, pat, gitlabToken]) =>
                            JSON.stringify(gitlabToken === undefined ? { username, pat } : { username, pat, [GITLAB_TOKEN_PROPERTY]: gitlabToken }),
                        ),
                ),
            },
            { parent: this },
        );

        const policy = new vault.Policy(
            `${name}-policy`,
            { name: `external-secrets-github-${args.environment}`, policy: readOnlyPolicy(settings.kvMount, settings.secretPath) },
            { parent: this },
        );

        const role = new vault.kubernetes.AuthBackendRole(
            `${name}-role`,
            {
                backend: settings.kubernetesAuthMount,
                roleName: this.roleName,
                boundServiceAccountNames: [args.reader.serviceAccount],
                boundServiceAccountNamespaces: [args.reader.namespace],
                tokenPolicies: [policy.name],
                audience: settings.audience,
                // ESO logs in again on every refresh; a short-lived token is enough.
                tokenTtl: 600,
            },
            { parent: this },
        );

        this.ready = [secret, policy, role];
        this.registerOutputs({});
    }
}
