import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import { gitCredentialData } from "../lib/externalSecretSpecs";
import { STACK_SECRETS, readOnlyPolicy, stackSecretPath, vaultIdentity, type CredentialPurpose } from "../lib/vaultAccess";
import type { Credentials, VaultSettings } from "../model/stackConfig";

/** Inputs of the VaultCredentials component. */
export interface VaultCredentialsArgs {
    environment: string;
    /** The stack's credentials (secrets); each is written to its own KV secret. */
    credentials: Credentials;
    /** KV mount and path prefix, auth mount and audience. */
    vault: VaultSettings;
    /** KV secrets the environment's pull secrets read (the GitHub pull token's and the registries' own); none: no pull reader. */
    pullPaths: readonly string[];
    /** Namespace of the service accounts the roles admit (Argo CD's, where the stores log in from). */
    readerNamespace: string;
}

/**
 * The stack's credentials in Vault KV v2, one secret per purpose, and per purpose a policy that
 * reads exactly its secrets and a Kubernetes-auth role that gives it to one service account. Every
 * name is explicit: the provider suffixes names left unset, which would break the references.
 */
export class VaultCredentials extends pulumi.ComponentResource {
    /** What ESO needs before its first read (secrets, policies, roles). */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: VaultCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster-stack:vault:VaultCredentials", name, {}, opts);
        const { vault: settings, credentials } = args;

        const mount = settings.manageKvMount
            ? new vault.Mount(
                  `${name}-kv`,
                  { path: settings.kvMount, type: "kv", options: { version: "2" }, description: "KV v2 secrets of the cluster stacks" },
                  // Disabling a secrets engine deletes every secret in it, the registry accounts operators wrote by hand included.
                  { parent: this, protect: true },
              )
            : undefined;
        const kvMount = mount ? mount.path : settings.kvMount;
        const written: pulumi.Resource[] = [];
        const write = (secret: keyof typeof STACK_SECRETS, data: Record<string, pulumi.Input<string>>) => {
            written.push(
                new vault.kv.SecretV2(
                    `${name}-${STACK_SECRETS[secret]}`,
                    { mount: kvMount, name: stackSecretPath(settings.pathPrefix, STACK_SECRETS[secret]), dataJson: pulumi.secret(pulumi.output(data).apply((d) => JSON.stringify(d))) },
                    { parent: this },
                ),
            );
        };

        if (credentials.githubPull) write("githubPull", { username: credentials.githubPull.username, password: credentials.githubPull.token });
        write("git", gitCredentialData(credentials.git));
        if (credentials.notificationsToken) write("notifications", { token: credentials.notificationsToken });

        const readable: [CredentialPurpose, string[]][] = [
            ["registry-pull", [...args.pullPaths]],
            ["git", [stackSecretPath(settings.pathPrefix, STACK_SECRETS.git)]],
            ["notifications", credentials.notificationsToken ? [stackSecretPath(settings.pathPrefix, STACK_SECRETS.notifications)] : []],
        ];
        // A purpose with nothing to read gets no policy or role.
        const access = readable.filter(([, paths]) => paths.length > 0).flatMap(([purpose, paths]) => {
            const identity = vaultIdentity(args.environment, purpose);
            const policy = new vault.Policy(`${name}-${purpose}-policy`, { name: identity.vaultName, policy: readOnlyPolicy(settings.kvMount, paths) }, { parent: this });
            const role = new vault.kubernetes.AuthBackendRole(
                `${name}-${purpose}-role`,
                {
                    backend: settings.kubernetesAuthMount,
                    roleName: identity.vaultName,
                    boundServiceAccountNames: [identity.serviceAccount],
                    boundServiceAccountNamespaces: [args.readerNamespace],
                    tokenPolicies: [policy.name],
                    audience: settings.audience,
                    // ESO logs in again on every refresh; a short-lived token is enough.
                    tokenTtl: 600,
                },
                { parent: this },
            );
            return [policy, role];
        });

        this.ready = [...(mount ? [mount] : []), ...written, ...access];
        this.registerOutputs({});
    }
}
