import { leavesRepository, resolveWriteBackTarget, type WriteBackDestination } from "../../lib/writeBackTarget";
import { appName, serviceImages, servicePath, serviceRenderer } from "./build";
import type { ConfigProblem } from "./errors";
import type { ConfigValues } from "./keys";
import type { RawService } from "./services";

/**
 * Rules on what Image Updater writes for a service. A git write-back target must resolve (as
 * Image Updater v1.2.2 resolves it, `..` included) to this environment's own file: otherwise a
 * tag promoted in one stack is committed where another environment, or another service, reads it.
 * And no Helm value may be written for two images (or for one image's name and tag): whichever
 * update comes last would overwrite the other, with git and argocd write-back alike.
 */
export function checkWriteBackRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const file = `Pulumi.${stack}.yaml`;
    return values.services.flatMap((service, index) => {
        const at = `${prefix}services[${index}]`;
        return [...checkTargetEnvironment(at, service, values.environment, file), ...checkHelmValueCollisions(at, service, file)];
    });
}

/** Where the Application reads what is its own: its default override file, and its env values file or its overlay. */
interface OwnFiles {
    app: string;
    sourcePath: string;
    defaultFile: string;
    /** Helm: `<path>/values-<env>.yaml`; kustomize: the overlay directory. */
    envDestination: string;
}

function checkTargetEnvironment(at: string, service: RawService, environment: string, file: string): ConfigProblem[] {
    const target = service.writeBack?.target;
    if (service.writeBack?.method !== "git" || target === undefined) return [];
    const renderer = serviceRenderer(service);
    // A target of the other renderer's kind is refused by checkRules already.
    if (!target.startsWith(renderer === "helm" ? "helmvalues" : "kustomization")) return [];

    // A service's path is clean and below the repository's root (repoRelativePath refuses '/',
    // '.', '..' and '//'), so it is already the path Image Updater resolves it to.
    const app = { name: appName(service.name, environment), sourcePath: servicePath(service, environment) };
    const own: OwnFiles = {
        app: app.name,
        sourcePath: app.sourcePath,
        defaultFile: resolveWriteBackTarget(undefined, app).path,
        envDestination: renderer === "helm" ? `${app.sourcePath}/values-${environment}.yaml` : app.sourcePath,
    };
    const destination = resolveWriteBackTarget(target, app);
    if (destination.path === own.envDestination || (renderer === "helm" && destination.path === own.defaultFile)) return [];

    const fix =
        renderer === "helm"
            ? `in ${file}, set target: helmvalues:values-${environment}.yaml (${own.envDestination}, read by ${own.app} alone), or drop target to write ${own.defaultFile}`
            : `in ${file}, set target: kustomization (the overlay ${own.envDestination} itself), or drop target to write ${own.defaultFile}`;
    return [{ key: `${at}.writeBack.target`, value: target, problem: `${describeDestination(destination)}, ${whyNotOwn(destination, own, environment)}`, fix }];
}

function describeDestination(destination: WriteBackDestination): string {
    return destination.kind === "kustomization" ? `resolves to the kustomization in ${destination.path}` : `resolves to ${destination.path}`;
}

/** Why a destination is not the Application's own, most specific reason first. */
function whyNotOwn(destination: WriteBackDestination, own: OwnFiles, environment: string): string {
    if (leavesRepository(destination)) return "outside the deploy repository";
    const within = destination.path.startsWith(`${own.sourcePath}/`);
    const relative = destination.path.slice(own.sourcePath.length + 1);
    if (destination.kind === "kustomization") {
        return within
            ? `a directory below ${own.sourcePath}, not the overlay ${own.app} renders`
            : `outside ${own.sourcePath}, the overlay ${own.app} renders: a base or overlay other environments build on, or one nothing reads`;
    }
    if (!within) return `outside ${own.sourcePath}, the directory of ${own.app}: another service's or environment's files`;
    if (relative === "values.yaml") return `the values file every environment's Application of this service reads: a ${environment} update would reach them all`;
    const otherEnv = /^values-([^/]+)\.ya?ml$/.exec(relative)?.[1];
    if (otherEnv !== undefined && otherEnv !== environment) return `the values file of environment ${otherEnv}, which ${own.app} does not read`;
    return `a file ${own.app} does not read (it reads values.yaml and values-${environment}.yaml)`;
}

/** One Helm value an image's update writes. */
interface HelmWrite {
    index: number;
    alias: string;
    field: "name" | "tag";
    path: string;
}

function checkHelmValueCollisions(at: string, service: RawService, file: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const written: HelmWrite[] = [];
    serviceImages(service).forEach((image, index) => {
        if (!("helm" in image.target)) return;
        const imageAt = `${at}.images[${index}]`;
        const fix = `in ${file}, give images[${index}] (${image.alias}) paths of its own, e.g. helm: {name: ${image.alias}.image.repository, tag: ${image.alias}.image.tag}`;
        const clashes: [HelmWrite, HelmWrite][] = [];
        for (const field of ["name", "tag"] as const) {
            const write = { index, alias: image.alias, field, path: image.target.helm[field] };
            const earlier = written.find((w) => w.path === write.path);
            if (earlier) clashes.push([write, earlier]);
            written.push(write);
        }
        if (clashes.length === 0) return;
        const owner = (earlier: HelmWrite) => (earlier.index === index ? "this image's name" : `the ${earlier.field} of images[${earlier.index}] (${earlier.alias})`);
        const overwrite = "one update overwrites the other in that one Helm value";
        if (service.images?.[index].helm === undefined) {
            const shared = clashes.map(([write, earlier]) => `${write.path} is also ${owner(earlier)}`).join(", ");
            problems.push({
                key: `${imageAt}.helm`,
                value: undefined,
                problem: `this image then writes the defaults ${image.target.helm.name} and ${image.target.helm.tag}; ${shared}: ${overwrite}`,
                fix,
            });
            return;
        }
        for (const [write, earlier] of clashes) {
            problems.push({ key: `${imageAt}.helm.${write.field}`, value: write.path, problem: `is also ${owner(earlier)}: ${overwrite}`, fix });
        }
    });
    return problems;
}
