import { ConstraintError, parseConstraint } from "../../lib/semver";
import { appName, serviceImages, serviceRenderer } from "./build";
import { checkConfinementRules } from "./confinementRules";
import { checkCredentialRules } from "./credentialRules";
import { checkDeliveryRules } from "./deliveryRules";
import { checkTransportRules } from "./transportRules";
import type { ConfigProblem } from "./errors";
import { re2Problem } from "./formats";
import type { ConfigValues } from "./keys";
import type { RawService } from "./services";
import { checkWriteBackRules } from "./writeBackRules";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const CONSTRAINT_FIX = "use a Masterminds semver constraint such as ~0 (stable 0.x) or ~0-0 (0.x with pre-releases)";

/**
 * Rules that span keys or need more than a type check: names that must fit Kubernetes,
 * constraints Image Updater can parse, and the guard that keeps pre-releases out of
 * stacks that did not opt in. Returns problems; never throws.
 */
export function checkRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const file = `Pulumi.${stack}.yaml`;
    const guard = { allowPrereleases: values.allowPrereleases, file, stack, prefix };

    problems.push(...checkConstraint(`${prefix}imageConstraint`, values.imageConstraint, guard));
    problems.push(...checkDeliveryRules(stack, prefix, values));
    problems.push(...checkCredentialRules(stack, prefix, values));
    problems.push(...checkConfinementRules(stack, prefix, values));
    problems.push(...checkTransportRules(stack, prefix, values));
    problems.push(...checkWriteBackRules(stack, prefix, values));
    if (values.writeBackPullRequest === "on" && values.writeBackMethod === "argocd" && values.services.every((s) => s.writeBack?.method !== "git")) {
        problems.push({
            key: `${prefix}writeBackPullRequest`,
            value: values.writeBackPullRequest,
            problem: "opens pull requests from git write-back, but writeBackMethod is argocd and no service writes to git",
            fix: `pulumi config set writeBackMethod git -s ${stack}, or pulumi config set writeBackPullRequest auto -s ${stack}`,
        });
    }
    if (values.writeBackMethod === "argocd" && values.writeBackBranch !== undefined) {
        problems.push({
            key: `${prefix}writeBackBranch`,
            value: values.writeBackBranch,
            problem: "only applies to git write-back, but writeBackMethod is argocd",
            fix: `pulumi config rm writeBackBranch -s ${stack}, or pulumi config set writeBackMethod git -s ${stack}`,
        });
    }

    const seen = new Set<string>();
    values.services.forEach((service, index) => {
        const at = `${prefix}services[${index}]`;
        problems.push(...checkServiceName(at, service, values.environment, seen, file));
        problems.push(...checkServiceImages(at, service, guard));
        problems.push(...checkWriteBackTarget(at, service, file));
        if (service.writeBack?.method === "argocd" && (service.writeBack.branch || service.writeBack.target)) {
            problems.push({
                key: `${at}.writeBack`,
                value: service.writeBack,
                problem: "branch and target only apply to git write-back; argocd write-back edits the live Application",
                fix: `in ${file}, either set method: git or drop branch/target`,
            });
        }
    });
    return problems;
}

function checkServiceName(at: string, service: RawService, environment: string, seen: Set<string>, file: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const name = service.name;
    if (!DNS_LABEL.test(name)) {
        problems.push({
            key: `${at}.name`,
            value: name,
            problem: "must be a DNS-1123 label (lower-case letters, digits, '-'; alphanumeric at both ends): it names a namespace",
            fix: `rename the service in ${file}, e.g. ${JSON.stringify(name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "example-api")}`,
        });
    } else if (appName(name, environment).length > 63) {
        problems.push({
            key: `${at}.name`,
            value: name,
            problem: `'${appName(name, environment)}' (service-environment) is longer than the 63 characters a namespace name may have`,
            fix: `shorten the service name to at most ${62 - environment.length} characters`,
        });
    }
    if (seen.has(name)) {
        problems.push({
            key: `${at}.name`,
            value: name,
            problem: "is listed twice: both would manage the same Application and namespace",
            fix: `merge the two entries in ${file}`,
        });
    }
    seen.add(name);
    return problems;
}

/** kustomization targets need a kustomize service, helmvalues targets a Helm one. */
function checkWriteBackTarget(at: string, service: RawService, file: string): ConfigProblem[] {
    const target = service.writeBack?.target;
    if (target === undefined) return [];
    const kustomize = serviceRenderer(service) === "kustomize";
    const wanted = kustomize ? "kustomization" : "helmvalues";
    if (target.split(":")[0] === wanted) return [];
    return [
        {
            key: `${at}.writeBack.target`,
            value: target,
            problem: `a ${kustomize ? "kustomize" : "Helm"} service writes back to ${wanted}[:...], not ${target.split(":")[0]}`,
            fix: `in ${file}, use ${wanted}${kustomize ? "" : ":values-<env>.yaml"} or drop target for the default .argocd-source-<app>.yaml`,
        },
    ];
}

interface ConstraintGuard {
    allowPrereleases: boolean;
    file: string;
    stack: string;
    prefix: string;
}

function checkServiceImages(at: string, service: RawService, guard: ConstraintGuard): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if ((service.image === undefined) === (service.images === undefined)) {
        problems.push({
            key: `${at}.image`,
            value: service.image,
            problem: service.image === undefined ? "a service needs an image: set image, or images for several" : "image and images are mutually exclusive",
            fix: `in ${guard.file}, keep exactly one of image: <repository> or images: [{alias, repository}]`,
        });
        return problems;
    }
    // A service-level constraint is a semver range, except under digest, where it names the tag to follow.
    if (service.imageConstraint !== undefined && (service.updateStrategy ?? "semver") === "semver") {
        problems.push(...checkConstraint(`${at}.imageConstraint`, service.imageConstraint, guard));
    }
    const aliases = new Set<string>();
    serviceImages(service).forEach((image, index) => {
        const imageAt = service.images ? `${at}.images[${index}]` : at;
        const explicit = service.images?.[index];
        if (aliases.has(image.alias)) {
            problems.push({ key: `${imageAt}.alias`, value: image.alias, problem: "is used twice in this service", fix: "give every image of a service its own alias" });
        }
        aliases.add(image.alias);
        if (explicit?.helm && explicit.kustomize) {
            problems.push({ key: `${imageAt}.kustomize`, value: explicit.kustomize, problem: "helm and kustomize targets are mutually exclusive", fix: "keep the one matching how the service's manifests are rendered" });
        } else if (explicit?.kustomize && service.images?.some((other) => !other.kustomize)) {
            problems.push({
                key: `${imageAt}.kustomize`,
                value: explicit.kustomize,
                problem: "one Application renders either Helm or kustomize: every image of the service needs a kustomize target, or none",
                fix: "give every image a kustomize target, or split the service",
            });
        }
        if (image.allowTags !== undefined) {
            problems.push(...checkTagMatcher(`${imageAt}.allowTags`, image.allowTags));
        }
        const constraint = explicit?.constraint;
        if (image.updateStrategy === "semver") {
            if (constraint !== undefined) problems.push(...checkConstraint(`${imageAt}.constraint`, constraint, guard));
        } else if (image.updateStrategy === "digest") {
            const tag = constraint ?? service.imageConstraint;
            if (tag === undefined || !DOCKER_TAG.test(tag)) {
                problems.push({
                    key: `${imageAt}.${explicit ? "constraint" : "imageConstraint"}`,
                    value: tag,
                    problem: "the digest strategy tracks one mutable tag, which must be a valid tag name",
                    fix: "set the tag to follow, e.g. imageConstraint: dev-canary",
                });
            }
        } else if (image.allowTags === undefined) {
            problems.push({
                key: `${imageAt}.allowTags`,
                value: undefined,
                problem: `the ${image.updateStrategy} strategy without allowTags would consider every tag, 'latest' included`,
                fix: "restrict the tags, e.g. allowTags: regexp:^sha-[0-9a-f]+$",
            });
        }
    });
    return problems;
}

function checkConstraint(key: string, constraint: string, guard: ConstraintGuard): ConfigProblem[] {
    try {
        const parsed = parseConstraint(constraint);
        if (parsed.admitsPrereleases && !guard.allowPrereleases) {
            return [
                {
                    key,
                    value: constraint,
                    problem: "admits pre-release tags, but allowPrereleases is false for this stack",
                    fix: `use a stable-only constraint such as ~0, or opt in: pulumi config set allowPrereleases true -s ${guard.stack}`,
                },
            ];
        }
        return [];
    } catch (error) {
        if (!(error instanceof ConstraintError)) throw error;
        return [{ key, value: constraint, problem: `is not a valid constraint: ${error.message}`, fix: CONSTRAINT_FIX }];
    }
}

function checkTagMatcher(key: string, matcher: string): ConfigProblem[] {
    if (matcher === "any") return [];
    const pattern = matcher.startsWith("regexp:") ? matcher.slice("regexp:".length) : undefined;
    const fix = "write it as regexp:<pattern>, e.g. regexp:^sha-[0-9a-f]+$";
    if (pattern === undefined) {
        return [{ key, value: matcher, problem: "must be 'any' or 'regexp:<pattern>'", fix }];
    }
    // Image Updater compiles it with Go's regexp (RE2): no lookaround, no backreferences.
    const problem = re2Problem(pattern);
    return problem === undefined ? [] : [{ key, value: matcher, problem: `is not a regular expression Go's RE2 accepts: ${problem}`, fix }];
}
