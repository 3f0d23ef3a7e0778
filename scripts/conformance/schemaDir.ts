import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ARGO_CD_CHART, EXTERNAL_SECRETS_CHART, IMAGE_UPDATER_CHART } from "../../lib/charts";

/**
 * Where the upstream schemas come from. The files are not committed (they are large and
 * belong to their upstream projects); the tests find them in one of three places, in order:
 * `SCHEMAS_DIR`, `../shared/schemas` beside the checkout, or a download into `.cache/schemas`.
 */

/**
 * Versions the schema files are pinned to: those of the charts the program installs, so bumping a
 * chart in lib/charts.ts makes the conformance tests look for that release's schemas.
 */
export const SCHEMA_PINS = {
    /** argo-cd chart and the Argo CD release it ships (its CRDs are that release's). */
    argoCd: { chart: ARGO_CD_CHART.chart, chartVersion: ARGO_CD_CHART.version, appVersion: ARGO_CD_CHART.appVersion },
    /** argocd-image-updater chart and the Image Updater release it ships. */
    imageUpdater: { chart: IMAGE_UPDATER_CHART.chart, chartVersion: IMAGE_UPDATER_CHART.version, appVersion: IMAGE_UPDATER_CHART.appVersion },
    /** ESO release whose CRDs serve `external-secrets.io/v1`. */
    externalSecrets: { appVersion: EXTERNAL_SECRETS_CHART.appVersion },
    /** Kubernetes minor whose OpenAPI v3 describes the built-in kinds. */
    kubernetes: { release: "1.34" },
} as const;

/** One upstream file, by its path inside the schema directory and the tagged URL it comes from. */
export interface PinnedFile {
    path: string;
    url: string;
    /** For a CRD file: the kind it defines, so a check parses only the CRDs it needs. */
    crd?: { group: string; kind: string };
}

const RAW = "https://raw.githubusercontent.com";
const { argoCd, imageUpdater, externalSecrets, kubernetes } = SCHEMA_PINS;

/** Path of the Argo CD CRD directory for the pinned release. */
export const ARGO_CD_CRD_DIR = `crds/argo-cd/${argoCd.appVersion}`;
/** Path of the Image Updater CRD directory for the pinned release. */
export const IMAGE_UPDATER_CRD_DIR = `crds/argocd-image-updater/${imageUpdater.appVersion}`;
/** Path of the ESO CRD directory. */
export const EXTERNAL_SECRETS_CRD_DIR = "crds/external-secrets";
/** Path of the Kubernetes OpenAPI v3 directory for the pinned release. */
export const KUBERNETES_OPENAPI_DIR = `kubernetes/v${kubernetes.release}`;

/** Every file the conformance checks read, with its upstream source (see SOURCES.md in the shared folder). */
export const PINNED_FILES: readonly PinnedFile[] = [
    ...["Application", "AppProject", "ApplicationSet"].map((kind) => ({
        path: `${ARGO_CD_CRD_DIR}/${kind.toLowerCase()}-crd.yaml`,
        url: `${RAW}/argoproj/argo-cd/${argoCd.appVersion}/manifests/crds/${kind.toLowerCase()}-crd.yaml`,
        crd: { group: "argoproj.io", kind },
    })),
    {
        path: `${IMAGE_UPDATER_CRD_DIR}/argocd-image-updater.argoproj.io_imageupdaters.yaml`,
        url: `${RAW}/argoproj-labs/argocd-image-updater/${imageUpdater.appVersion}/config/crd/bases/argocd-image-updater.argoproj.io_imageupdaters.yaml`,
        crd: { group: "argocd-image-updater.argoproj.io", kind: "ImageUpdater" },
    },
    ...["ExternalSecret", "ClusterExternalSecret", "SecretStore", "ClusterSecretStore"].map((kind) => ({
        path: `${EXTERNAL_SECRETS_CRD_DIR}/external-secrets.io_${kind.toLowerCase()}s.yaml`,
        url: `${RAW}/external-secrets/external-secrets/${externalSecrets.appVersion}/config/crds/bases/external-secrets.io_${kind.toLowerCase()}s.yaml`,
        crd: { group: "external-secrets.io", kind },
    })),
    ...["api__v1", "apis__networking.k8s.io__v1", "apis__rbac.authorization.k8s.io__v1"].map((name) => ({
        path: `${KUBERNETES_OPENAPI_DIR}/${name}_openapi.json`,
        url: `${RAW}/kubernetes/kubernetes/release-${kubernetes.release}/api/openapi-spec/v3/${name}_openapi.json`,
    })),
    ...[argoCd, imageUpdater].flatMap((chart) =>
        ["Chart.yaml", "values.yaml"].map((file) => ({
            path: `helm/${chart.chart}/${file}`,
            url: `${RAW}/argoproj/argo-helm/${chart.chart}-${chart.chartVersion}/charts/${chart.chart}/${file}`,
        })),
    ),
];

/** Where the schema directory was found. */
export type SchemaSource = "SCHEMAS_DIR" | "shared" | "download";

/** A usable schema directory holding every pinned file. */
export interface SchemaDir {
    dir: string;
    source: SchemaSource;
}

/** What `resolveSchemaDir` looks at; every field has a default so tests can stub each one. */
export interface ResolveOptions {
    /** The checkout (default: this project). */
    projectDir?: string;
    /** Environment to read `SCHEMAS_DIR` from (default `process.env`). */
    env?: Readonly<Record<string, string | undefined>>;
    /** Download cache (default `<projectDir>/.cache/schemas`). */
    cacheDir?: string;
    /** HTTP client for the download (default the global fetch). */
    fetch?: (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
    /** The files to provide (default PINNED_FILES). */
    files?: readonly PinnedFile[];
}

/** No schema directory could be found or filled: names what is missing and the three ways to provide it. */
export class SchemasUnavailableError extends Error {
    constructor(
        readonly missing: readonly string[],
        reason: string,
        cacheDir: string,
        sharedDir: string,
    ) {
        super(
            [
                `Upstream schemas are missing (${reason}):`,
                ...missing.slice(0, 20).map((file) => `  - ${file}`),
                ...(missing.length > 20 ? [`  ... and ${missing.length - 20} more`] : []),
                "Provide them in one of three ways:",
                "  1. set SCHEMAS_DIR to a directory with this layout (see the shared SOURCES.md);",
                `  2. put them in ${sharedDir} (beside the checkout);`,
                `  3. allow network access once: they are downloaded from their pinned upstream tags into ${cacheDir}.`,
            ].join("\n"),
        );
        this.name = "SchemasUnavailableError";
    }
}

const PROJECT_DIR = path.resolve(__dirname, "../..");

function missingIn(dir: string, files: readonly PinnedFile[]): string[] {
    return files.filter((file) => !existsSync(path.join(dir, file.path))).map((file) => file.path);
}

function isDirectory(dir: string): boolean {
    return existsSync(dir) && statSync(dir).isDirectory();
}

/**
 * Finds the schema directory: `SCHEMAS_DIR`, else `<checkout>/../shared/schemas`, else the
 * download cache, filled from the pinned upstream URLs. A directory that is chosen must hold
 * every pinned file: a partial one is an error naming the missing files, never a silent skip.
 */
export async function resolveSchemaDir(options: ResolveOptions = {}): Promise<SchemaDir> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const env = options.env ?? process.env;
    const cacheDir = options.cacheDir ?? path.join(projectDir, ".cache", "schemas");
    const sharedDir = path.resolve(projectDir, "..", "shared", "schemas");
    const files = options.files ?? PINNED_FILES;
    const fail = (missing: string[], reason: string) => new SchemasUnavailableError(missing, reason, cacheDir, sharedDir);

    const fromEnv = env.SCHEMAS_DIR;
    if (fromEnv) {
        const dir = path.resolve(fromEnv);
        // An explicit choice is never overridden by a fallback: a wrong SCHEMAS_DIR must show.
        if (!isDirectory(dir)) throw fail(files.map((f) => f.path), `SCHEMAS_DIR=${fromEnv} is not a directory`);
        const missing = missingIn(dir, files);
        if (missing.length > 0) throw fail(missing, `not in SCHEMAS_DIR=${dir}`);
        return { dir, source: "SCHEMAS_DIR" };
    }

    if (isDirectory(sharedDir)) {
        const missing = missingIn(sharedDir, files);
        if (missing.length > 0) throw fail(missing, `not in ${sharedDir}`);
        return { dir: sharedDir, source: "shared" };
    }

    const missing = missingIn(cacheDir, files);
    const download = options.fetch ?? globalThis.fetch;
    const failures: string[] = [];
    for (const file of files.filter((f) => missing.includes(f.path))) {
        try {
            const response = await download(file.url);
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            writeAtomically(path.join(cacheDir, file.path), await response.text());
        } catch (error) {
            failures.push(`${file.path} <- ${file.url} (${error instanceof Error ? error.message : String(error)})`);
        }
    }
    if (failures.length > 0) throw fail(failures, "no SCHEMAS_DIR, no shared folder, and the download failed");
    return { dir: cacheDir, source: "download" };
}

// A crash mid-download must not leave a truncated file that later counts as present.
function writeAtomically(file: string, content: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    writeFileSync(partial, content);
    renameSync(partial, file);
}
