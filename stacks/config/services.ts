import { z } from "zod";
import { updateStrategies } from "../../model/stackConfig";
import { repoRelativePath, singleLine } from "./formats";

const strategy = z.enum(updateStrategies, {
    error: `must be one of ${updateStrategies.join(", ")} (0.x names: latest is now newest-build, name is now alphabetical)`,
});

/** `[host[:port]/]path`: Docker Hub short names (`nginx`, `acme/api`) included, no tag or digest. */
const imageRepository = z
    .string()
    .regex(
        /^([a-z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
        "must be an image repository without tag, e.g. ghcr.io/acme/example-api or nginx",
    );

/** `regexp:<pattern>` (or a bare pattern, which Image Updater treats the same). */
const tagMatcher = singleLine;

const valuePath = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be a dotted Helm value path such as image.tag");

/** One image of a service, as tracked by Image Updater. */
export const imageSchema = z
    .object({
        alias: z.string().regex(/^[a-z][a-z0-9]*$/, "must be lower-case letters and digits, starting with a letter"),
        repository: imageRepository,
        constraint: singleLine.optional(),
        updateStrategy: strategy.optional(),
        allowTags: tagMatcher.optional(),
        ignoreTags: z.array(singleLine).optional(),
        helm: z.object({ name: valuePath, tag: valuePath }).strict().optional(),
        kustomize: z.object({ name: singleLine }).strict().optional(),
    })
    .strict();

/** How Image Updater records a new tag. */
export const writeBackSchema = z
    .object({
        method: z.enum(["git", "argocd"], { error: "must be git or argocd" }),
        branch: singleLine.optional(),
        target: z
            .string()
            .regex(/^(kustomization|helmvalues)(:.+)?$/, "must be kustomization[:<dir>] or helmvalues[:<file>]")
            .optional(),
    })
    .strict();

/** One service of the deploy repo; becomes the Application `<name>-<environment>`. */
export const serviceSchema = z
    .object({
        name: z.string(),
        path: repoRelativePath.optional(),
        image: imageRepository.optional(),
        images: z.array(imageSchema).min(1, "must list at least one image").optional(),
        imageConstraint: singleLine.optional(),
        updateStrategy: strategy.optional(),
        allowTags: tagMatcher.optional(),
        ignoreTags: z.array(singleLine).optional(),
        writeBack: writeBackSchema.optional(),
    })
    .strict();

export type RawService = z.output<typeof serviceSchema>;
