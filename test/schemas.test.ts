import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { EXTERNAL_SECRETS_CHART } from "../lib/charts";
import { PINNED_FILES, SCHEMA_PINS, SchemasUnavailableError, resolveSchemaDir, type PinnedFile } from "../scripts/conformance/schemaDir";
import { SchemaCatalog, prepare } from "../scripts/conformance/schemas";
import { formatViolations, kubernetesObjects, validateObjects, type KubernetesObject, type ValidationReport } from "../scripts/conformance/validate";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { ROOT_STACKS, STACKS_TO_RENDER as RENDERS } from "./support/stacks";

const FAKE_FILES: PinnedFile[] = [
    { path: "crds/a/one.yaml", url: "https://example.invalid/v1.0.0/one.yaml" },
    { path: "kubernetes/v1.34/two.json", url: "https://example.invalid/release-1.34/two.json" },
];

function tempCheckout(): { root: string; projectDir: string; sharedDir: string; cacheDir: string } {
    const root = mkdtempSync(path.join(tmpdir(), "schemas-"));
    const projectDir = path.join(root, "checkout");
    mkdirSync(projectDir);
    return { root, projectDir, sharedDir: path.join(root, "shared", "schemas"), cacheDir: path.join(projectDir, ".cache", "schemas") };
}

function fill(dir: string, files: PinnedFile[] = FAKE_FILES): void {
    for (const file of files) {
        mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
        writeFileSync(path.join(dir, file.path), `from ${dir}`);
    }
}

/** A fetch that records what it was asked and serves `body(url)`, or fails like a machine without network. */
function stubFetch(body: (url: string) => string | Error | number) {
    const requested: string[] = [];
    const fetch = async (url: string) => {
        requested.push(url);
        const result = body(url);
        if (result instanceof Error) throw result;
        if (typeof result === "number") return { ok: false, status: result, text: async () => "" };
        return { ok: true, status: 200, text: async () => result };
    };
    return { fetch, requested };
}

const noNetwork = () => stubFetch(() => new TypeError("fetch failed: getaddrinfo ENOTFOUND raw.githubusercontent.com"));

describe("schema location: SCHEMAS_DIR, else ../shared/schemas, else the download cache", () => {
    it("uses SCHEMAS_DIR first, even when the shared folder exists", async () => {
        const t = tempCheckout();
        const explicit = path.join(t.root, "explicit");
        fill(explicit);
        fill(t.sharedDir);
        const net = noNetwork();
        const found = await resolveSchemaDir({ projectDir: t.projectDir, env: { SCHEMAS_DIR: explicit }, files: FAKE_FILES, fetch: net.fetch });
        assert.deepEqual(found, { dir: explicit, source: "SCHEMAS_DIR" });
        assert.deepEqual(net.requested, []);
    });

    it("a SCHEMAS_DIR missing a file is an error naming it, not a fallback", async () => {
        const t = tempCheckout();
        const explicit = path.join(t.root, "explicit");
        fill(explicit, FAKE_FILES.slice(0, 1));
        fill(t.sharedDir);
        await assert.rejects(
            resolveSchemaDir({ projectDir: t.projectDir, env: { SCHEMAS_DIR: explicit }, files: FAKE_FILES, fetch: noNetwork().fetch }),
            (error: unknown) => {
                assert.ok(error instanceof SchemasUnavailableError);
                assert.deepEqual(error.missing, ["kubernetes/v1.34/two.json"]);
                assert.match(error.message, /not in SCHEMAS_DIR=/);
                return true;
            },
        );
    });

    it("uses <checkout>/../shared/schemas when SCHEMAS_DIR is unset", async () => {
        const t = tempCheckout();
        fill(t.sharedDir);
        const net = noNetwork();
        const found = await resolveSchemaDir({ projectDir: t.projectDir, env: {}, files: FAKE_FILES, fetch: net.fetch });
        assert.deepEqual(found, { dir: t.sharedDir, source: "shared" });
        assert.deepEqual(net.requested, []);
    });

    it("otherwise downloads every pinned file into .cache/schemas once, then reuses the cache", async () => {
        const t = tempCheckout();
        const net = stubFetch((url) => `content of ${url}`);
        const found = await resolveSchemaDir({ projectDir: t.projectDir, env: {}, files: FAKE_FILES, fetch: net.fetch });
        assert.deepEqual(found, { dir: t.cacheDir, source: "download" });
        assert.deepEqual(net.requested, FAKE_FILES.map((f) => f.url));
        for (const file of FAKE_FILES) {
            assert.equal(readFileSync(path.join(t.cacheDir, file.path), "utf8"), `content of ${file.url}`);
        }
        const again = stubFetch(() => assert.fail("a complete cache must not be downloaded again"));
        assert.deepEqual(await resolveSchemaDir({ projectDir: t.projectDir, env: {}, files: FAKE_FILES, fetch: again.fetch }), found);
    });

    it("without schemas and without network: fails naming every missing file and the three ways to provide them", async () => {
        const t = tempCheckout();
        await assert.rejects(resolveSchemaDir({ projectDir: t.projectDir, env: {}, files: FAKE_FILES, fetch: noNetwork().fetch }), (error: unknown) => {
            assert.ok(error instanceof SchemasUnavailableError);
            for (const file of FAKE_FILES) assert.ok(error.message.includes(file.path) && error.message.includes(file.url), `names ${file.path} and its URL`);
            assert.match(error.message, /ENOTFOUND/);
            assert.match(error.message, /SCHEMAS_DIR/);
            assert.ok(error.message.includes(t.sharedDir), "names the shared folder");
            assert.ok(error.message.includes(t.cacheDir), "names the cache");
            return true;
        });
        const leftovers = existsSync(t.cacheDir) ? readdirSync(t.cacheDir, { recursive: true }) : [];
        assert.ok(!leftovers.some((f) => String(f).endsWith(".yaml") || String(f).endsWith(".json")), "no partial file counts as cached");
    });

    it("an HTTP error is a failure too, and files that did download stay cached", async () => {
        const t = tempCheckout();
        const net = stubFetch((url) => (url.endsWith("two.json") ? 404 : "ok"));
        await assert.rejects(resolveSchemaDir({ projectDir: t.projectDir, env: {}, files: FAKE_FILES, fetch: net.fetch }), /two\.json.*HTTP 404/);
        assert.ok(existsSync(path.join(t.cacheDir, "crds/a/one.yaml")));
    });

    it("pins every upstream file to a tag or release branch of its repository", () => {
        const tags = [
            SCHEMA_PINS.argoCd.appVersion,
            SCHEMA_PINS.imageUpdater.appVersion,
            SCHEMA_PINS.externalSecrets.appVersion,
            `release-${SCHEMA_PINS.kubernetes.release}`,
            `${SCHEMA_PINS.argoCd.chart}-${SCHEMA_PINS.argoCd.chartVersion}`,
            `${SCHEMA_PINS.imageUpdater.chart}-${SCHEMA_PINS.imageUpdater.chartVersion}`,
        ];
        assert.equal(new Set(PINNED_FILES.map((f) => f.path)).size, PINNED_FILES.length, "no path twice");
        for (const file of PINNED_FILES) {
            assert.match(file.url, /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\//, file.url);
            const ref = file.url.split("/")[5];
            assert.ok(tags.includes(ref), `${file.url} is pinned to one of ${tags.join(", ")}, not '${ref}'`);
        }
    });
});


function releaseVersion(render: Render, chart: string): string | undefined {
    return render.run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart)?.inputs.version as string | undefined;
}

function violationsOf(report: ValidationReport): string {
    return `${report.violations.length} violation(s):\n${formatViolations(report.violations)}`;
}

describe("every Kubernetes object the program declares passes its upstream schema", () => {
    let catalog: SchemaCatalog;
    let schemaDir: string;
    const renders = new Map<string, Render>();
    before(async () => {
        schemaDir = (await resolveSchemaDir()).dir;
        catalog = new SchemaCatalog(schemaDir);
        for (const r of RENDERS) renders.set(r.label, await renderStack({ stack: r.stack, stackConfigDir: r.stackConfigDir }));
    });

    it("finds the committed stacks by glob", () => {
        assert.ok(ROOT_STACKS.length >= 2, `stack files found: ${ROOT_STACKS.join(", ")}`);
    });

    for (const r of RENDERS) {
        it(`${r.label}: no violation, and objects were validated`, () => {
            const report = validateObjects(kubernetesObjects(renders.get(r.label)!.run.resources), catalog);
            assert.ok(report.validated > 0, `${r.label}: no object validated`);
            assert.deepEqual(report.violations, [], violationsOf(report));
        });
    }

    it("the maximal fixture emits every kind any committed stack emits", () => {
        const kinds = (label: string) => new Set(kubernetesObjects(renders.get(label)!.run.resources).map((o) => `${o.body.apiVersion} ${o.body.kind}`));
        const maximal = kinds(RENDERS.at(-1)!.label);
        for (const r of RENDERS.slice(0, -1)) {
            for (const kind of kinds(r.label)) assert.ok(maximal.has(kind), `${r.label} emits ${kind}, the maximal fixture does not`);
        }
    });

    it("each pinned chart is the one whose Chart.yaml ships the pinned release", () => {
        for (const pin of [SCHEMA_PINS.argoCd, SCHEMA_PINS.imageUpdater]) {
            const chartFile = parse(readFileSync(path.join(schemaDir, "helm", pin.chart, "Chart.yaml"), "utf8")) as { version: unknown; appVersion: unknown };
            assert.deepEqual({ version: String(chartFile.version), appVersion: String(chartFile.appVersion) }, { version: pin.chartVersion, appVersion: pin.appVersion }, pin.chart);
        }
        // ESO releases its chart and its application under one version number.
        assert.equal(SCHEMA_PINS.externalSecrets.appVersion, `v${EXTERNAL_SECRETS_CHART.version}`);
    });

    it("the CRD schemas are those of the charts the program installs", () => {
        const maximal = renders.get(RENDERS.at(-1)!.label)!;
        assert.equal(releaseVersion(maximal, SCHEMA_PINS.argoCd.chart), SCHEMA_PINS.argoCd.chartVersion, "argo-cd chart vs Argo CD CRDs");
        assert.equal(releaseVersion(maximal, SCHEMA_PINS.imageUpdater.chart), SCHEMA_PINS.imageUpdater.chartVersion, "argocd-image-updater chart vs ImageUpdater CRD");
        const eso = releaseVersion(maximal, "external-secrets");
        assert.ok(eso === undefined || `v${eso}` === SCHEMA_PINS.externalSecrets.appVersion, `external-secrets chart ${eso} vs ESO CRDs ${SCHEMA_PINS.externalSecrets.appVersion}`);
    });

    describe("catches what the API server would reject", () => {
        function check(body: Record<string, unknown>) {
            return validateObjects([{ label: `${String(body.kind)} test`, body }], catalog);
        }
        function assertViolation(report: ValidationReport, path: string, rule: RegExp) {
            assert.ok(
                report.violations.some((v) => v.path === path && rule.test(v.rule)),
                `expected ${path}: ${rule} in\n${formatViolations(report.violations) || "(no violation)"}`,
            );
        }
        function renderedObject(kind: string): KubernetesObject {
            const object = kubernetesObjects(renders.get(RENDERS[0].label)!.run.resources).find((o) => o.body.kind === kind);
            assert.ok(object, `the render declares a ${kind}`);
            return structuredClone(object);
        }

        it("an AppProject of the program with spec.destinations: 'x'", () => {
            const project = renderedObject("AppProject");
            (project.body.spec as Record<string, unknown>).destinations = "x";
            const report = validateObjects([project], catalog);
            assert.equal(report.violations.length, 1, violationsOf(report));
            assert.equal(report.violations[0].object, project.label);
            assertViolation(report, "/spec/destinations", /must be array/);
        });

        it("an Application of the program without spec.destination", () => {
            const application = renderedObject("Application");
            delete (application.body.spec as Record<string, unknown>).destination;
            const report = validateObjects([application], catalog);
            assertViolation(report, "/spec/destination", /required/);
        });

        it("misspelt fields, in spec and in metadata", () => {
            const report = check({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: { name: "p", namespace: "argocd", label: { a: "b" } },
                spec: { sourceRepo: ["https://example.com/x.git"] },
            });
            assertViolation(report, "/spec/sourceRepo", /unknown field/);
            assertViolation(report, "/metadata/label", /unknown field/);
        });

        it("names: missing, not DNS-1123, a dotted Namespace; bad label keys and values", () => {
            assertViolation(check({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "a" } }), "/metadata/name", /required/);
            assertViolation(check({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name", namespace: "a" } }), "/metadata/name", /DNS-1123 subdomain/);
            assertViolation(check({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a.b" } }), "/metadata/name", /DNS-1123 label/);
            const labels = check({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a", labels: { "-x": "y", ok: "has space" } } });
            assertViolation(labels, "/metadata/labels/-x", /key name/);
            assertViolation(labels, "/metadata/labels/ok", /value "has space"/);
            assert.deepEqual(check({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "cluster-stack:dev:reader" } }).violations, []);
        });

        it("formats and types of built-in kinds: base64 Secret data, integer ports", () => {
            assertViolation(check({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "a" }, data: { token: "not base64!" } }), "/data/token", /format "byte"/);
            const ingress = (port: unknown) => ({
                apiVersion: "networking.k8s.io/v1",
                kind: "Ingress",
                metadata: { name: "i", namespace: "a" },
                spec: { rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "s", port } } }] } }] },
            });
            assert.deepEqual(check(ingress({ number: 80 })).violations, []);
            assertViolation(check(ingress({ number: "80" })), "/spec/rules/0/http/paths/0/backend/service/port/number", /must be integer/);
        });

        it("int-or-string and preserved unknown fields in a CRD stay accepted; a wrong type does not", () => {
            const application = (count: unknown) => ({
                apiVersion: "argoproj.io/v1alpha1",
                kind: "Application",
                metadata: { name: "a", namespace: "argocd" },
                spec: {
                    project: "default",
                    destination: { server: "https://kubernetes.default.svc", namespace: "a" },
                    sources: [
                        { repoURL: "https://example.com/x.git", helm: { valuesObject: { anything: { goes: [1, "two"] } } } },
                        { repoURL: "https://example.com/y.git", kustomize: { replicas: [{ name: "web", count }] } },
                    ],
                },
            });
            for (const count of [2, "3"]) {
                const report = check(application(count));
                assert.deepEqual(report.violations, [], `count ${JSON.stringify(count)}: ${violationsOf(report)}`);
            }
            assertViolation(check(application(true)), "/spec/sources/1/kustomize/replicas/0/count", /must be integer|must be string/);
        });

        it("prepares OpenAPI nullable and int-or-string for ajv", () => {
            assert.deepEqual(prepare({ type: "string", nullable: true, format: "date-time" }, "crd", "t"), { type: ["string", "null"], format: "date-time" });
            assert.deepEqual(prepare({ "x-kubernetes-int-or-string": true }, "crd", "t"), { "x-kubernetes-int-or-string": true, type: ["integer", "string"] });
            assert.throws(() => prepare({ type: "string", format: "ipv7" }, "builtin", "some.json X"), /some\.json X uses format 'ipv7'/);
        });

        it("an unknown kind fails, naming it; so does a version the CRD no longer serves", () => {
            const unknown = check({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "a" } });
            assert.equal(unknown.validated, 0);
            assertViolation(unknown, "/", /example\.com\/v1 Widget: no schema/);
            const old = check({ apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", metadata: { name: "e", namespace: "a" }, spec: {} });
            assertViolation(old, "/", /does not serve v1beta1.*served: v1/);
        });
    });
});
