import { ParseDuration } from "locutus/golang/time/ParseDuration";
import { RE2JS } from "re2js";
import { z } from "zod";

/**
 * Formats shared by several keys. Free text ends up in YAML, Go templates, Vault HCL and Argo CD's
 * CSV policy; a control character or line break there starts a new line of the program's
 * choosing, so no free-text value may carry one.
 */

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A non-empty string without control characters or line breaks. */
export const singleLine = z
    .string()
    .min(1, "must not be empty")
    .refine((value) => !CONTROL.test(value), "must not contain control characters or line breaks: they would start new lines in the YAML, templates and policies it lands in");

/** `.` or `..` as a path segment, which a resolver would turn into another path than the one written. */
function hasDotSegment(path: string): boolean {
    return path.split("/").some((segment) => segment === "." || segment === "..");
}

/** A path under a Vault mount: segments of safe characters, no leading or trailing '/', no `.`/`..` segments. */
export const vaultPath = z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "must be a Vault path without leading or trailing '/', e.g. cluster-stack/dev")
    .refine((path) => !hasDotSegment(path), "must not have '.' or '..' segments: Vault would resolve them to another path than the policy names");

/** A directory of the deploy repo, relative to its root. */
export const repoRelativePath = singleLine
    .refine((path) => !path.startsWith("/"), "must be relative to the deploy repo's root, without a leading '/'")
    .refine((path) => !hasDotSegment(path), "must not have '.' or '..' segments: it would leave the directory it names")
    .refine((path) => !path.endsWith("/") && !path.includes("//"), "must not end in '/' or contain '//'");

/**
 * An http(s) URL without credentials, query or fragment: the URL is written into objects anyone
 * with read access sees, and a query or fragment would change what the consumer appends to it.
 */
export function cleanUrl(schemes: readonly ("https" | "http")[], what: string) {
    return singleLine.superRefine((value, ctx) => {
        let url: URL;
        try {
            url = new URL(value);
        } catch {
            ctx.addIssue({ code: "custom", message: `must be ${what}` });
            return;
        }
        if (!schemes.includes(url.protocol.slice(0, -1) as "https" | "http")) {
            ctx.addIssue({ code: "custom", message: `must be ${what}` });
        } else if (url.username || url.password) {
            ctx.addIssue({ code: "custom", message: "must not carry credentials (user:password@): they would be readable in plaintext; they belong in the secret keys" });
        } else if (url.search || value.includes("?")) {
            ctx.addIssue({ code: "custom", message: "must not have a query string (?...)" });
        } else if (url.hash || value.includes("#")) {
            ctx.addIssue({ code: "custom", message: "must not have a fragment (#...)" });
        }
    });
}

/** A Go duration (time.ParseDuration) of at least `minimumMs`, e.g. for poll and refresh intervals. */
export function goDuration(minimumMs: number, minimumText: string) {
    const format = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
    return z
        .string()
        .regex(format, "must be a Go duration such as 30s, 2m or 1h")
        .refine(
            (value) => !format.test(value) || ParseDuration(value) >= minimumMs,
            `must be at least ${minimumText}: shorter periods hammer the registries, Vault and the API server`,
        );
}

/** A regular expression as Go's regexp (RE2) compiles it: no lookaround, no backreferences. */
export function re2Problem(pattern: string): string | undefined {
    try {
        RE2JS.compile(pattern);
        return undefined;
    } catch (error) {
        return (error as Error).message;
    }
}
