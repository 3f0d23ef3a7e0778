import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { executeGoTemplate } from "./support/goTemplate";
import { STACKS_TO_RENDER } from "./support/stacks";

/**
 * The pull secrets checked against each consumer's own matching rule, written here from the
 * upstream code rather than from lib/registries (which they check):
 * - kubelet (pkg/credentialprovider/keyring.go): a key without scheme and without a leading
 *   /v1/ or /v2/ matches an image if host labels and port are equal and the key's path is a
 *   string prefix of the image's; keys are tried longest first; Docker Hub images fall back to
 *   the key `index.docker.io`.
 * - Image Updater v1.2.2 (registry-scanner credentials.go): a key matches if it starts with the
 *   endpoint's API URL, with or without scheme; only the entry's `auth` is read.
 */

/** distribution/reference ParseNormalizedNamed, as both consumers normalise image names. */
function normalized(repository: string): { host: string; path: string } {
    const [first, ...rest] = repository.split("/");
    if (rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
        return { host: first, path: first === "docker.io" && rest.length === 1 ? `library/${rest[0]}` : rest.join("/") };
    }
    return { host: "docker.io", path: rest.length === 0 ? `library/${first}` : repository };
}

function kubeletKey(key: string): { host: string; path: string } {
    const url = new URL(/^https?:\/\//.test(key) ? key : `https://${key}`);
    let path = url.pathname;
    if (path.startsWith("/v1/") || path.startsWith("/v2/")) path = path.slice(3);
    return { host: url.host, path: path === "/" ? "" : path };
}

/** The keys kubelet would try for an image, in its order. */
function kubeletLookup(keys: readonly string[], repository: string): string[] {
    const image = normalized(repository);
    const matching = [...keys]
        .sort()
        .reverse()
        .filter((key) => {
            const k = kubeletKey(key);
            return k.host === image.host && `/${image.path}`.startsWith(k.path);
        });
    if (matching.length > 0) return matching;
    const dockerHub = image.host === "docker.io";
    return dockerHub ? keys.filter((key) => kubeletKey(key).host === "index.docker.io" && kubeletKey(key).path === "") : [];
}

/**
 * Values that break JSON, YAML or a template if pasted as text. A username gets no `:`, which
 * `auth` cannot carry (both consumers split it at the first colon); a password may.
 */
const HOSTILE = { username: `q"uo\\te\n{{ .x }}<&>`, password: `p:a"ss\\wo\trd\n%s ✓ \u0000` };

/** Each KV value the spec reads, made hostile and unique to its path, so the output tells which account an entry came from. */
function hostileData(spec: any): Record<string, string> {
    return Object.fromEntries(spec.data.map((d: any) => [d.secretKey, `${d.remoteRef.key}|${HOSTILE[d.remoteRef.property as keyof typeof HOSTILE]}`]));
}

interface AuthEntry {
    username: string;
    password: string;
    auth: string;
}

/** The `.dockerconfigjson` ESO would write for the spec, executed with Go text/template and Sprig, parsed as JSON. */
function executedAuths(spec: any, data = hostileData(spec)): Record<string, AuthEntry> {
    const output = executeGoTemplate(spec.target.template.data[".dockerconfigjson"], data);
    return JSON.parse(output).auths;
}

/** Each auths key with the Vault path of the account it holds. */
function accountsByKey(spec: any): Map<string, string> {
    return new Map(Object.entries(executedAuths(spec)).map(([key, entry]) => [key, entry.username.split("|")[0]]));
}

function dockerConfigSpecs(manifests: Manifest[]): any[] {
    return manifests.flatMap((m) => {
        const spec = m.kind === "ClusterExternalSecret" ? (m.body.spec as any).externalSecretSpec : m.kind === "ExternalSecret" ? (m.body.spec as any) : undefined;
        return spec?.target?.template?.type === "kubernetes.io/dockerconfigjson" ? [spec] : [];
    });
}

describe("the hostile credentials", () => {
    it("break a template that pastes them into JSON text, so the check below can fail", () => {
        const pasted = '{"auths":{"ghcr.io":{"username":"{{ .aUsername }}","password":"{{ .aPassword }}"}}}';
        const output = executeGoTemplate(pasted, { aUsername: HOSTILE.username, aPassword: HOSTILE.password });
        assert.throws(() => JSON.parse(output), SyntaxError);
    });
});

for (const target of STACKS_TO_RENDER) {
    describe(`pull secrets of ${target.label} as kubelet and Image Updater match them`, () => {
        let render: Render;
        let manifests: Manifest[];
        let images: { repository: string; pullSecret?: string }[];
        let registries: any[];
        before(async () => {
            render = await renderStack({ stack: target.stack, stackConfigDir: target.stackConfigDir });
            manifests = kubernetesManifests(render.run.resources);
            const updater = manifests.find((m) => m.kind === "ImageUpdater")!.body.spec as any;
            images = updater.applicationRefs.flatMap((ref: any) =>
                ref.images.map((i: any) => ({ repository: i.imageName.replace(/:[^/:]+$/, ""), pullSecret: i.commonUpdateSettings.pullSecret })),
            );
            registries = (render.run.resources.find((r) => r.inputs.chart === "argocd-image-updater")?.inputs.values as any)?.config.registries ?? [];
        });

        it("kubelet finds every credentialed image's own account first in the service namespaces' secret", () => {
            const ces = manifests.find((m) => m.kind === "ClusterExternalSecret")!.body.spec as any;
            const accounts = accountsByKey(ces.externalSecretSpec);
            for (const image of images.filter((i) => i.pullSecret)) {
                const [first] = kubeletLookup([...accounts.keys()], image.repository);
                assert.ok(first, `kubelet finds a key for ${image.repository} among ${[...accounts.keys()].join(", ")}`);
                const updaterSecret = manifests.find((m) => m.kind === "ExternalSecret" && `pullsecret:${m.namespace}/${m.name}` === image.pullSecret)!;
                const updaterAccounts = new Set(accountsByKey(updaterSecret.body.spec).values());
                assert.deepEqual([...updaterAccounts], [accounts.get(first)], `${image.repository}: the same account for kubelet and Image Updater`);
            }
        });

        it("Image Updater finds exactly one key, with auth, in each image's pull secret, for the endpoint it picks", () => {
            for (const image of images.filter((i) => i.pullSecret)) {
                const secret = manifests.find((m) => m.kind === "ExternalSecret" && `pullsecret:${m.namespace}/${m.name}` === image.pullSecret);
                assert.ok(secret, `${image.pullSecret} is rendered`);
                const auths = executedAuths(secret.body.spec);
                // Endpoint: exact host entry, else the longest prefix, else the host itself (Docker Hub for short names).
                const { host, path } = normalized(image.repository);
                const shortName = !image.repository.split("/")[0].includes(".");
                const full = `${host}/${path}`;
                const entry =
                    (shortName ? registries.find((r) => r.default) : registries.find((r) => r.prefix === host)) ??
                    registries.filter((r) => full.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
                const apiUrl: string = entry?.api_url ?? `https://${host === "docker.io" ? "registry-1.docker.io" : host}`;
                const keys = Object.keys(auths);
                const matching = keys.filter((k) => k.startsWith(apiUrl) || k.startsWith(apiUrl.replace(/^https?:\/\//, "")));
                assert.equal(matching.length, 1, `${image.repository} (${apiUrl}): ${keys.join(", ")}`);
                // Image Updater reads only `auth` and splits it at the first colon.
                const decoded = Buffer.from(auths[matching[0]].auth, "base64").toString("utf8");
                const colon = decoded.indexOf(":");
                assert.equal(decoded.slice(0, colon), auths[matching[0]].username);
                assert.equal(decoded.slice(colon + 1), auths[matching[0]].password);
            }
        });

        it("every .dockerconfigjson, executed as ESO does, is valid JSON carrying hostile credentials byte for byte", () => {
            const specs = dockerConfigSpecs(manifests);
            assert.ok(specs.length > 0);
            for (const spec of specs) {
                const data = hostileData(spec);
                const auths = executedAuths(spec, data);
                assert.ok(Object.keys(auths).length > 0);
                for (const [key, entry] of Object.entries(auths)) {
                    const path = entry.username.split("|")[0];
                    const id = spec.data.find((d: any) => d.remoteRef.key === path && d.remoteRef.property === "username").secretKey.replace(/Username$/, "");
                    assert.equal(entry.username, data[`${id}Username`], key);
                    assert.equal(entry.password, data[`${id}Password`], key);
                    assert.deepEqual([entry.username, entry.password], [`${path}|${HOSTILE.username}`, `${path}|${HOSTILE.password}`], `${key}: the account's own username and password`);
                    assert.equal(Buffer.from(entry.auth, "base64").toString("utf8"), `${entry.username}:${entry.password}`, key);
                }
            }
        });

        it("every registries.conf entry has an explicit limit (an entry without one is unlimited)", () => {
            for (const entry of registries) assert.ok(Number.isInteger(entry.limit) && entry.limit > 0, `${entry.name} has a limit`);
        });
    });
}
