import type { ServiceImage } from "../model/stackConfig";

/** What tag selection reads of an image: its strategy, constraint and tag filters. */
export type TagPolicy = Pick<ServiceImage, "updateStrategy" | "constraint" | "allowTags" | "ignoreTags">;
import { newestTag } from "./semver";

/** Which tag Image Updater would move an image to, given the registry's tags. */
export interface TagChoice {
    /** The tag it would deploy; undefined when no tag qualifies or it cannot be told from tags alone. */
    tag?: string;
    /** Why there is no definite tag, when there is none. */
    note?: string;
}

/** Image Updater's ignoreTags entries are globs where `*` matches any run of characters. */
function globToRegExp(glob: string): RegExp {
    return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Applies allowTags (`regexp:` or `any`) and ignoreTags, as the updater does before any strategy. */
export function eligibleTags(image: TagPolicy, tags: readonly string[]): string[] {
    const allow = image.allowTags && image.allowTags !== "any" ? new RegExp(image.allowTags.replace(/^regexp:/, "")) : undefined;
    const ignore = (image.ignoreTags ?? []).map(globToRegExp);
    return tags.filter((tag) => (!allow || allow.test(tag)) && !ignore.some((pattern) => pattern.test(tag)));
}

/**
 * Predicts the updater's choice for one image. `builtAt` (seconds, one per tag) orders tags for
 * newest-build; without it the tags are taken as listed oldest first, as a registry lists them.
 */
export function chooseTag(image: TagPolicy, tags: readonly string[], builtAt?: readonly number[]): TagChoice {
    const candidates = eligibleTags(image, tags);
    switch (image.updateStrategy) {
        case "semver": {
            const tag = newestTag(candidates, image.constraint);
            return tag === undefined ? { note: `no tag satisfies ${image.constraint}` } : { tag };
        }
        case "alphabetical": {
            const tag = [...candidates].sort().pop();
            return tag === undefined ? { note: "no tag passes allowTags/ignoreTags" } : { tag };
        }
        case "digest":
            return candidates.includes(image.constraint)
                ? { tag: image.constraint }
                : { note: `tracks the digest of ${image.constraint}, which is not among the tags` };
        case "newest-build": {
            const order = new Map(tags.map((tag, index) => [tag, builtAt?.[index] ?? index]));
            // A stable sort keeps the listed order among equal dates; the last one wins, as upstream.
            const tag = [...candidates].sort((a, b) => order.get(a)! - order.get(b)!).pop();
            return tag === undefined ? { note: "no tag passes allowTags/ignoreTags" } : { tag };
        }
    }
}
