import { normalizeImage, resolveRegistry } from "../../lib/registries";
import { serviceImages } from "./build";
import type { ConfigProblem } from "./errors";
import type { ConfigValues } from "./keys";
import { GITHUB_REGISTRY, canonicalRegistries, usesGithubPullToken } from "./registries";

/**
 * Rules of the credential model: every registry says where its credentials come from, every
 * image resolves to a registry, and each purpose (pulls, git, notifications) has exactly the
 * credential its mode needs. Returns problems; never throws.
 */
export function checkCredentialRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    return [...checkRegistries(stack, prefix, values), ...checkImagesResolve(stack, prefix, values), ...checkGitAuth(stack, prefix, values)];
}

function checkRegistries(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const file = `Pulumi.${stack}.yaml`;
    const seen = new Map<string, number>();
    canonicalRegistries(values).forEach((registry, index) => {
        const at = `${prefix}registries[${index}]`;
        const raw = values.registries?.[index];
        if (raw?.prefix !== undefined && !registry.prefix.startsWith(`${registry.host}/`)) {
            problems.push({
                key: `${at}.prefix`,
                value: raw.prefix,
                problem: `must start with the registry's host ${registry.host}/`,
                fix: `in ${file}, write the prefix as ${registry.host}/<path>, or drop it to cover the whole host`,
            });
        }
        if (seen.has(registry.prefix)) {
            problems.push({
                key: `${at}.host`,
                value: raw?.prefix ?? raw?.host,
                problem: `covers the same images as registries[${seen.get(registry.prefix)}] (${registry.prefix}); one image can use one account`,
                fix: `in ${file}, merge the two entries, or give one a prefix such as ${registry.host}/<owner>`,
            });
        }
        seen.set(registry.prefix, index);
        if (raw !== undefined && raw.credentials === undefined && registry.host !== GITHUB_REGISTRY) {
            problems.push({
                key: `${at}.credentials`,
                value: undefined,
                problem: `is required for ${registry.host}: say whether pulls are anonymous or which Vault secret holds the account`,
                fix: `in ${file}, set credentials: public, or credentials: vault with vaultPath: <path under ${values.vaultKvMount} holding username and password>`,
            });
        }
        if (registry.credentialSource === "github" && registry.host !== GITHUB_REGISTRY) {
            problems.push({
                key: `${at}.credentials`,
                value: "github",
                problem: `the GitHub pull token is a GitHub credential; ${registry.host} would receive it with every pull`,
                fix: `in ${file}, use credentials: vault with vaultPath: <path holding this registry's username and password>, or public`,
            });
        }
        if (registry.credentialSource === "vault" && raw?.vaultPath === undefined) {
            problems.push({
                key: `${at}.vaultPath`,
                value: undefined,
                problem: "is required with credentials: vault: it names the KV secret with username and password",
                fix: `in ${file}, set vaultPath: ${values.vaultPathPrefix}/${registry.host.replace(/[^a-z0-9]+/g, "-")} and store the account there: vault kv put ${values.vaultKvMount}/${values.vaultPathPrefix}/<name> username=... password=...`,
            });
        }
        if (registry.credentialSource !== "vault" && raw?.vaultPath !== undefined) {
            problems.push({
                key: `${at}.vaultPath`,
                value: raw.vaultPath,
                problem: `only applies with credentials: vault, but credentials is ${registry.credentialSource}`,
                fix: `in ${file}, set credentials: vault or drop vaultPath`,
            });
        }
    });
    return problems;
}

function checkImagesResolve(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const registries = canonicalRegistries(values);
    const problems: ConfigProblem[] = [];
    values.services.forEach((service, index) => {
        serviceImages(service).forEach((image, imageIndex) => {
            if (image.repository === "" || resolveRegistry(image.repository, registries)) return;
            const key = service.images ? `${prefix}services[${index}].images[${imageIndex}].repository` : `${prefix}services[${index}].image`;
            const { host } = normalizeImage(image.repository);
            problems.push({
                key,
                value: image.repository,
                problem: `service ${service.name} pulls from ${host}, which is not in registries (${registries.map((r) => r.prefix).join(", ")})`,
                fix: `add it: pulumi config set --path 'registries[${registries.length}].host' ${host} -s ${stack}, with credentials public or vault (and vaultPath)`,
            });
        });
    });
    return problems;
}

function checkGitAuth(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const require = (key: keyof ConfigValues, why: string, fix: string) => {
        if (values[key] === undefined) problems.push({ key: `${prefix}${key}`, value: undefined, problem: `is required ${why}`, fix });
    };
    const sharedPat = values.gitAuth === "sharedPat";
    if (sharedPat) {
        require("githubPat", "with gitAuth sharedPat: the one PAT that pulls, reads and writes the deploy repo", `pulumi config set --secret githubPat <classic PAT with read:packages and repo> -s ${stack}`);
    } else if (usesGithubPullToken(values)) {
        require(
            "githubPullToken",
            "because a registry pulls with the GitHub pull token",
            `create a classic PAT with only read:packages, then: pulumi config set --secret githubPullToken <token> -s ${stack}`,
        );
    }
    if (sharedPat || usesGithubPullToken(values)) {
        require("githubUsername", "as the owner of the GitHub token that pulls images", `pulumi config set githubUsername <GitHub user that owns the token> -s ${stack}`);
    }
    if (values.gitAuth === "githubApp") {
        const app = "with gitAuth githubApp";
        const orShared = `(or keep one PAT for now: pulumi config set gitAuth sharedPat -s ${stack})`;
        require("githubAppId", app, `pulumi config set githubAppId <App ID> -s ${stack} ${orShared}`);
        require("githubAppInstallationId", `${app}: Image Updater cannot look it up`, `pulumi config set githubAppInstallationId <installation ID> -s ${stack}`);
        require("githubAppPrivateKey", app, `pulumi config set --secret githubAppPrivateKey -s ${stack} < app-private-key.pem`);
        const host = new URL(values.deployRepoUrl).host;
        if (host !== "github.com") {
            problems.push({
                key: `${prefix}gitAuth`,
                value: values.gitAuth,
                problem: `a GitHub App authenticates to github.com, but the deploy repo is on ${host}`,
                fix: `pulumi config set gitAuth token -s ${stack}, with gitUsername and a gitToken that can write ${values.deployRepoUrl}`,
            });
        }
    }
    if (values.gitAuth === "token") {
        require("gitToken", "with gitAuth token", `pulumi config set --secret gitToken <fine-grained PAT: the deploy repo only, Contents read and write> -s ${stack}`);
    }
    if (values.notifications === "github" && !sharedPat) {
        require(
            "githubNotificationsToken",
            "when notifications is github: Argo CD posts commit statuses with it",
            `pulumi config set --secret githubNotificationsToken <fine-grained PAT: the deploy repo only, Commit statuses read and write> -s ${stack}`,
        );
    }
    return problems;
}
