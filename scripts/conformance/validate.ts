import type { ErrorObject } from "ajv";
import { reveal } from "../render/manifests";
import type { RecordedResource } from "../render/mockRuntime";
import type { SchemaCatalog } from "./schemas";

/** A Kubernetes object to check, with its real values (secrets revealed, so formats are checked). */
export interface KubernetesObject {
    /** `kind namespace/name` as messages show it. */
    label: string;
    body: Record<string, unknown>;
}

/** One way an object would be rejected (or silently changed) by the API server. */
export interface Violation {
    /** `kind namespace/name` of the object. */
    object: string;
    /** JSON path inside the object, e.g. `/spec/destinations`. */
    path: string;
    /** The rule it breaks, e.g. `must be array (type)`. */
    rule: string;
}

/** The outcome of validating a set of objects. */
export interface ValidationReport {
    /** Objects checked against a schema (Helm releases are not Kubernetes objects: not counted). */
    validated: number;
    violations: Violation[];
}

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** `kind namespace/name` (`-` for cluster-scoped or unnamed). */
export function objectLabel(body: Record<string, unknown>): string {
    const metadata = (body.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "-";
    const name = typeof metadata.name === "string" ? metadata.name : "(no name)";
    return `${String(body.kind)} ${namespace}/${name}`;
}

/**
 * The Kubernetes objects among registered resources, as the provider would send them: the
 * same selection as the render's manifests (custom `kubernetes:` resources), minus Helm
 * releases: those are not Kubernetes objects (their values are checked against the chart).
 */
export function kubernetesObjects(resources: readonly RecordedResource[]): KubernetesObject[] {
    return resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== HELM_RELEASE)
        .map((r) => {
            const body = reveal(r.inputs) as Record<string, unknown>;
            return { label: objectLabel(body), body };
        });
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

type NameRule = (name: string) => string | undefined;

const label1123: NameRule = (n) => (DNS1123_LABEL.test(n) && n.length <= 63 ? undefined : "must be a DNS-1123 label (at most 63 of a-z, 0-9, '-', alphanumeric at both ends)");
const subdomain1123: NameRule = (n) =>
    DNS1123_SUBDOMAIN.test(n) && n.length <= 253 ? undefined : "must be a DNS-1123 subdomain (at most 253 of a-z, 0-9, '-', '.', alphanumeric at both ends)";
const label1035: NameRule = (n) => (DNS1035_LABEL.test(n) && n.length <= 63 ? undefined : "must be a DNS-1035 label (at most 63 of a-z, 0-9, '-', starting with a letter)");
// RBAC objects are named by path segment (system:controller:... is a valid ClusterRole name).
const pathSegment: NameRule = (n) => (n !== "." && n !== ".." && !/[/%]/.test(n) ? undefined : "must be a path segment (no '/', no '%', not '.' or '..')");

/** Name rules of the API server where a kind is stricter or looser than a DNS-1123 subdomain. */
const NAME_RULES: Record<string, NameRule> = {
    Namespace: label1123,
    Service: label1035,
    Role: pathSegment,
    ClusterRole: pathSegment,
    RoleBinding: pathSegment,
    ClusterRoleBinding: pathSegment,
};

function qualifiedKeyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return "key prefix must be a DNS-1123 subdomain";
    if (name.length > 63 || !QUALIFIED_NAME.test(name)) return "key name must be at most 63 of A-Z, a-z, 0-9, '-', '_', '.', alphanumeric at both ends";
    return undefined;
}

function metadataViolations(object: KubernetesObject): Violation[] {
    const violations: Violation[] = [];
    const add = (path: string, rule: string) => violations.push({ object: object.label, path, rule });
    const metadata = object.body.metadata as Record<string, unknown> | undefined;
    const kind = String(object.body.kind);
    if (typeof metadata?.name !== "string" || metadata.name === "") {
        add("/metadata/name", "required: every object needs an explicit name (no auto-naming)");
    } else {
        const problem = (NAME_RULES[kind] ?? subdomain1123)(metadata.name);
        if (problem) add("/metadata/name", `${JSON.stringify(metadata.name)} ${problem}`);
    }
    if (typeof metadata?.namespace === "string") {
        const problem = label1123(metadata.namespace);
        if (problem) add("/metadata/namespace", `${JSON.stringify(metadata.namespace)} ${problem}`);
    }
    for (const field of ["labels", "annotations"] as const) {
        const map = metadata?.[field];
        if (map === null || typeof map !== "object") continue;
        for (const [key, value] of Object.entries(map)) {
            const keyProblem = qualifiedKeyProblem(key);
            if (keyProblem) add(`/metadata/${field}/${key}`, `${JSON.stringify(key)}: ${keyProblem}`);
            if (field === "labels" && typeof value === "string" && value !== "" && (value.length > 63 || !QUALIFIED_NAME.test(value))) {
                add(`/metadata/labels/${key}`, `value ${JSON.stringify(value)} must be at most 63 of A-Z, a-z, 0-9, '-', '_', '.', alphanumeric at both ends`);
            }
        }
    }
    return violations;
}

function describe(error: ErrorObject): { path: string; rule: string } {
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
        case "additionalProperties":
            return {
                path: `${error.instancePath}/${String(params.additionalProperty)}`,
                rule: "unknown field: not in the schema (the API server drops it, or rejects it under strict field validation)",
            };
        case "required":
            return { path: `${error.instancePath}/${String(params.missingProperty)}`, rule: "required field is missing" };
        default:
            return { path: error.instancePath || "/", rule: `${error.message ?? "invalid"} (${error.keyword} ${JSON.stringify(params)})` };
    }
}

/** Checks one object: names and labels as the API server checks them, then its kind's schema. */
export function validateObject(object: KubernetesObject, catalog: SchemaCatalog): { validated: boolean; violations: Violation[] } {
    const { apiVersion, kind } = object.body;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
        return { validated: false, violations: [{ object: object.label, path: "/", rule: "apiVersion and kind are required strings" }] };
    }
    const violations = metadataViolations(object);
    const schema = catalog.lookup(apiVersion, kind);
    if (!("validate" in schema)) {
        violations.push({ object: object.label, path: "/", rule: `${apiVersion} ${kind}: ${schema.reason}` });
        return { validated: false, violations };
    }
    if (!schema.validate(object.body)) {
        for (const error of schema.validate.errors ?? []) violations.push({ object: object.label, ...describe(error) });
    }
    return { validated: true, violations };
}

/** Validates every object; an object whose kind has no schema is a violation, never a pass. */
export function validateObjects(objects: readonly KubernetesObject[], catalog: SchemaCatalog): ValidationReport {
    const report: ValidationReport = { validated: 0, violations: [] };
    for (const object of objects) {
        const result = validateObject(object, catalog);
        if (result.validated) report.validated += 1;
        report.violations.push(...result.violations);
    }
    return report;
}

/** One line per violation: `kind namespace/name: path: rule`. */
export function formatViolations(violations: readonly Violation[]): string {
    return violations.map((v) => `${v.object}: ${v.path}: ${v.rule}`).join("\n");
}
