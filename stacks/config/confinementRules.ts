import { escalatingKind } from "../../lib/appProject";
import { RESERVED_ACCOUNT_NAMES } from "../../lib/ciAccount";
import { appName } from "./build";
import type { ConfigProblem } from "./errors";
import type { ConfigValues } from "./keys";

/** Namespaces Kubernetes itself owns: `default` and every `kube-*`. */
function kubernetesOwned(namespace: string): boolean {
    return namespace === "default" || namespace.startsWith("kube-");
}

/**
 * Rules that keep one environment's deploy-repo commits inside its own namespaces: no service
 * namespace on a namespace the cluster or the platform owns, no two platform components in one
 * namespace, a CI account that cannot be Argo CD's superuser or another environment's, and no
 * escalating kind admitted into the AppProject.
 */
export function checkConfinementRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    return [
        ...checkPlatformNamespaces(stack, prefix, values),
        ...checkServiceNamespaces(stack, prefix, values),
        ...checkCiAccount(stack, prefix, values),
        ...checkAdmittedKinds(stack, prefix, values),
        ...checkOwnedKvMount(stack, prefix, values),
    ];
}

/**
 * A KV mount the stack creates goes with the stack (disabling a secrets engine deletes all its
 * data), so it must be this environment's alone: named for it, so another environment's stack,
 * which would name its own, never keeps secrets there.
 */
function checkOwnedKvMount(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    if (!values.vaultManageKvMount || values.vaultKvMount.endsWith(`-${values.environment}`)) return [];
    return [
        {
            key: `${prefix}vaultKvMount`,
            value: values.vaultKvMount,
            problem: `is created and owned by this stack (vaultManageKvMount), so it must be ${values.environment}'s alone and end in -${values.environment}: another stack keeping secrets in it would lose them with this one`,
            fix: `pulumi config set vaultKvMount cluster-stack-${values.environment} -s ${stack}, or pulumi config set vaultManageKvMount false -s ${stack} to use a mount managed outside the stack`,
        },
    ];
}

/** Each platform namespace key with its value. */
function platformNamespaces(values: ConfigValues): { key: "argocdNamespace" | "externalSecretsNamespace"; namespace: string; owner: string }[] {
    return [
        { key: "argocdNamespace", namespace: values.argocdNamespace, owner: "Argo CD and Image Updater" },
        { key: "externalSecretsNamespace", namespace: values.externalSecretsNamespace, owner: "External Secrets Operator" },
    ];
}

function checkPlatformNamespaces(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const [argocd, eso] = platformNamespaces(values);
    for (const platform of [argocd, eso]) {
        if (kubernetesOwned(platform.namespace)) {
            problems.push({
                key: `${prefix}${platform.key}`,
                value: platform.namespace,
                problem: `is a namespace Kubernetes owns; ${platform.owner} need one of their own`,
                fix: `pulumi config set ${platform.key} ${platform.key === "argocdNamespace" ? "argocd" : "external-secrets"} -s ${stack}`,
            });
        }
    }
    if (argocd.namespace === eso.namespace) {
        problems.push({
            key: `${prefix}externalSecretsNamespace`,
            value: eso.namespace,
            problem: "is also argocdNamespace: ESO's controller and Argo CD would share a namespace, its service accounts and its secrets",
            fix: `pulumi config set externalSecretsNamespace external-secrets -s ${stack}`,
        });
    }
    return problems;
}

function checkServiceNamespaces(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const file = `Pulumi.${stack}.yaml`;
    const platform = platformNamespaces(values);
    return values.services.flatMap((service, index) => {
        const namespace = appName(service.name, values.environment);
        const owner = kubernetesOwned(namespace) ? "Kubernetes" : platform.find((p) => p.namespace === namespace)?.owner;
        if (owner === undefined) return [];
        return [
            {
                key: `${prefix}services[${index}].name`,
                value: service.name,
                problem: `its namespace ${namespace} (<service>-<environment>) is ${owner}'s: the service's charts could replace or prune what runs there`,
                fix: `rename the service in ${file} so that <service>-${values.environment} is a namespace of its own`,
            },
        ];
    });
}

function checkCiAccount(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const account = values.ciAccount;
    if (account === undefined) return [];
    const fix = `pulumi config set ciAccount ci-${values.environment} -s ${stack} (or rm it for that default)`;
    if ((RESERVED_ACCOUNT_NAMES as readonly string[]).includes(account)) {
        return [{ key: `${prefix}ciAccount`, value: account, problem: "is Argo CD's built-in superuser account: CI would get every right on every project", fix }];
    }
    if (!account.endsWith(`-${values.environment}`)) {
        return [
            {
                key: `${prefix}ciAccount`,
                value: account,
                problem: `must end in -${values.environment}: on a shared cluster another environment's stack binding the same name would give one token both environments`,
                fix,
            },
        ];
    }
    return [];
}

function checkAdmittedKinds(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const file = `Pulumi.${stack}.yaml`;
    return (values.projectAdmitKinds ?? []).flatMap((kind, index) => {
        const escalating = escalatingKind(kind);
        if (escalating === undefined) return [];
        return [
            {
                key: `${prefix}projectAdmitKinds[${index}]`,
                value: kind,
                problem: `${kind.group || "core"}/${kind.kind} ${escalating.why}: admitting it lets a deploy-repo commit escalate`,
                fix: `remove it from projectAdmitKinds in ${file}; create such objects from this stack (Pulumi), where a review sees them`,
            },
        ];
    });
}
