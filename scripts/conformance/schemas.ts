import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parseAllDocuments } from "yaml";
import { KUBERNETES_OPENAPI_DIR, PINNED_FILES } from "./schemaDir";

/**
 * The schemas the API server applies to each kind the program emits: a CRD's openAPIV3Schema
 * for its served version, or the Kubernetes OpenAPI v3 component for a built-in kind, both
 * made to behave as the API server does (see `prepare`).
 */

type Schema = Record<string, unknown>;

/** The schema of one kind, compiled. */
export interface KindSchema {
    apiVersion: string;
    kind: string;
    /** File (relative to the schema directory) the schema comes from. */
    source: string;
    validate: ValidateFunction;
}

/** Why no schema applies to a kind: the validator reports this as a violation, never a pass. */
export interface MissingSchema {
    apiVersion: string;
    kind: string;
    reason: string;
}

const ID_BASE = "https://schemas.cluster-stack.invalid/";
const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const CORE_FILE = `${KUBERNETES_OPENAPI_DIR}/api__v1_openapi.json`;

/** Formats the upstream schemas use; any other format is a schema this code has not been taught. */
const FORMATS: Record<string, { type: "number" | "string"; validate: (value: never) => boolean }> = {
    int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
    double: { type: "number", validate: () => true },
    float: { type: "number", validate: () => true },
    // Secret data and CA bundles: the API server decodes them as standard base64.
    byte: { type: "string", validate: (s: string) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) },
    // The oneOf beside it already limits the value to an integer or a string.
    "int-or-string": { type: "string", validate: () => true },
};
const KNOWN_FORMATS = new Set([...Object.keys(FORMATS), "date-time"]);

function isObject(value: unknown): value is Schema {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Which rules of the API server a schema follows. */
type Dialect = "crd" | "builtin";

/**
 * Copies a schema so that ajv applies it as the API server does:
 * - `nullable: true` (OpenAPI 3.0) admits null;
 * - `x-kubernetes-int-or-string` admits an integer or a string;
 * - unknown fields fail: the API server drops them (or rejects them under strict field
 *   validation), so a misspelt field would silently do nothing. A CRD object without
 *   `properties` keeps nothing unless it preserves unknown fields; a built-in object schema
 *   without `properties` (RawExtension, FieldsV1) is free-form.
 * Value-only subschemas (inside allOf/anyOf/oneOf/not) are left open: they constrain values,
 * they do not list fields.
 */
export function prepare(schema: unknown, dialect: Dialect, where: string, valueOnly = false): unknown {
    if (Array.isArray(schema)) return schema.map((item) => prepare(item, dialect, where, valueOnly));
    if (!isObject(schema)) return schema;
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema)) {
        if (key === "properties" || key === "patternProperties" || key === "definitions") {
            out[key] = isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, prepare(v, dialect, where)])) : value;
        } else if (key === "allOf" || key === "anyOf" || key === "oneOf" || key === "not") {
            out[key] = prepare(value, dialect, where, true);
        } else if (key === "items" || key === "additionalProperties") {
            out[key] = prepare(value, dialect, where);
        } else if (key === "default" || key === "example" || key === "enum" || key === "x-kubernetes-group-version-kind") {
            out[key] = value;
        } else if (isObject(value) || Array.isArray(value)) {
            out[key] = prepare(value, dialect, where, valueOnly);
        } else {
            out[key] = value;
        }
    }
    if (typeof out.format === "string" && !KNOWN_FORMATS.has(out.format)) {
        throw new Error(`${where} uses format '${out.format}', which the conformance check does not know; add it to FORMATS in scripts/conformance/schemas.ts.`);
    }
    if (out.nullable === true) {
        delete out.nullable;
        if (typeof out.type === "string") out.type = [out.type, "null"];
        else if (out.type === undefined && (out.allOf || out.anyOf || out.oneOf || out.$ref)) return { anyOf: [{ type: "null" }, out] };
    }
    if (out["x-kubernetes-int-or-string"] === true && out.type === undefined && out.anyOf === undefined && out.oneOf === undefined) {
        out.type = ["integer", "string"];
    }
    const preserves = out["x-kubernetes-preserve-unknown-fields"] === true;
    if (!valueOnly && !preserves && out.additionalProperties === undefined) {
        if (out.properties !== undefined || (dialect === "crd" && out.type === "object")) {
            out.additionalProperties = false;
        }
    }
    if (out["x-kubernetes-embedded-resource"] === true && isObject(out.properties)) {
        out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...out.properties };
    }
    return out;
}

function readYamlDocuments(file: string): unknown[] {
    return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => doc.toJSON());
}

/** `argoproj.io/v1alpha1` -> group `argoproj.io`, version `v1alpha1`; `v1` -> core group `""`. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
    const slash = apiVersion.indexOf("/");
    return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The Kubernetes OpenAPI v3 file of a group/version, as upstream names it. */
export function kubernetesOpenApiFile(group: string, version: string): string {
    return `${KUBERNETES_OPENAPI_DIR}/${group === "" ? `api__${version}` : `apis__${group}__${version}`}_openapi.json`;
}

interface Crd {
    file: string;
    group: string;
    kind: string;
    versions: { name: string; served: boolean; schema?: Schema }[];
}

/** Reads the CRD a pinned file declares, and makes sure the file really defines it. */
function readCrd(dir: string, file: string, expected: { group: string; kind: string }): Crd {
    const crd = readYamlDocuments(path.join(dir, file)).find(
        (doc) => isObject(doc) && doc.kind === "CustomResourceDefinition",
    ) as { spec: { group: string; names: { kind: string }; versions: Crd["versions"] } } | undefined;
    if (!crd || crd.spec.group !== expected.group || crd.spec.names.kind !== expected.kind) {
        throw new Error(`${path.join(dir, file)} should define the CRD of ${expected.kind}.${expected.group}; it does not (a wrong or truncated file?)`);
    }
    return { file, group: crd.spec.group, kind: crd.spec.names.kind, versions: crd.spec.versions };
}

/**
 * Every schema in one schema directory, compiled on first use (a few kinds out of large
 * files: parsing and compiling only what the program emits keeps the tests fast).
 */
export class SchemaCatalog {
    private readonly ajv: Ajv;
    private readonly compiled = new Map<string, KindSchema | MissingSchema>();
    private readonly documents = new Map<string, Schema>();

    /** @param dir a schema directory as `resolveSchemaDir` returns it. */
    constructor(readonly dir: string) {
        // strict: false because the upstream schemas carry x-kubernetes-* keywords and OpenAPI
        // fields ajv does not know; formats are checked by `prepare` instead.
        this.ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, logger: false });
        addFormats(this.ajv, ["date-time"]);
        for (const [name, format] of Object.entries(FORMATS)) this.ajv.addFormat(name, format as never);
    }

    /** The compiled schema of a kind, or why there is none. */
    lookup(apiVersion: string, kind: string): KindSchema | MissingSchema {
        const key = `${apiVersion}/${kind}`;
        let found = this.compiled.get(key);
        if (!found) {
            found = this.find(apiVersion, kind);
            this.compiled.set(key, found);
        }
        return found;
    }

    private find(apiVersion: string, kind: string): KindSchema | MissingSchema {
        const { group, version } = splitApiVersion(apiVersion);
        const pinned = PINNED_FILES.find((f) => f.crd?.group === group && f.crd.kind === kind);
        if (pinned?.crd) return this.fromCrd(readCrd(this.dir, pinned.path, pinned.crd), apiVersion, version);
        const file = kubernetesOpenApiFile(group, version);
        if (!existsSync(path.join(this.dir, file))) {
            return {
                apiVersion,
                kind,
                reason: `no schema: no pinned CRD defines ${kind} in group '${group}', and ${file} is not among the schema files (add it to PINNED_FILES in scripts/conformance/schemaDir.ts if ${apiVersion} is a built-in API)`,
            };
        }
        return this.fromOpenApi(file, apiVersion, group, version, kind);
    }

    private fromCrd(crd: Crd, apiVersion: string, version: string): KindSchema | MissingSchema {
        const served = crd.versions.filter((v) => v.served).map((v) => v.name);
        const entry = crd.versions.find((v) => v.name === version);
        if (!entry || !entry.served) {
            return {
                apiVersion,
                kind: crd.kind,
                reason: `${crd.file} does not serve ${version}${entry ? " (defined, served: false)" : ""}; served: ${served.join(", ") || "none"}`,
            };
        }
        const raw = entry.schema?.openAPIV3Schema;
        if (!isObject(raw)) return { apiVersion, kind: crd.kind, reason: `${crd.file} has no openAPIV3Schema for ${version}` };
        this.loadDocument(CORE_FILE);
        const schema = prepare(raw, "crd", `${crd.file} ${version}`) as Schema;
        // The API server checks metadata of every object as ObjectMeta, whatever the CRD says.
        schema.properties = { ...(schema.properties as Schema), metadata: { $ref: `${ID_BASE}${CORE_FILE}#/components/schemas/${OBJECT_META}` } };
        schema.$id = `${ID_BASE}${crd.file}/${version}`;
        return { apiVersion, kind: crd.kind, source: crd.file, validate: this.ajv.compile(schema) };
    }

    private fromOpenApi(file: string, apiVersion: string, group: string, version: string, kind: string): KindSchema | MissingSchema {
        const schemas = this.loadDocument(file);
        const matches = Object.entries(schemas).filter(([, schema]) =>
            ((schema as Schema)["x-kubernetes-group-version-kind"] as { group: string; version: string; kind: string }[] | undefined)?.some(
                (gvk) => gvk.group === group && gvk.version === version && gvk.kind === kind,
            ),
        );
        // Shared option types (DeleteOptions...) list every group; the object type has its own name.
        const match = matches.find(([name]) => name.endsWith(`.${kind}`)) ?? matches[0];
        if (!match) return { apiVersion, kind, reason: `no schema: ${file} defines no kind ${kind} in ${apiVersion}` };
        const validate = this.ajv.compile({ $ref: `${ID_BASE}${file}#/components/schemas/${match[0]}` });
        return { apiVersion, kind, source: `${file} ${match[0]}`, validate };
    }

    /** Parses an OpenAPI document once and registers its prepared schemas; returns them as upstream wrote them. */
    private loadDocument(file: string): Schema {
        const loaded = this.documents.get(file);
        if (loaded) return loaded;
        const document = JSON.parse(readFileSync(path.join(this.dir, file), "utf8")) as { components: { schemas: Schema } };
        const upstream = document.components.schemas;
        const schemas = Object.fromEntries(Object.entries(upstream).map(([name, schema]) => [name, prepare(schema, "builtin", `${file} ${name}`)]));
        this.ajv.addSchema({ $id: `${ID_BASE}${file}`, components: { schemas } });
        this.documents.set(file, upstream);
        return upstream;
    }
}
