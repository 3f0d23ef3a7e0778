import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { kubernetesManifests, type Manifest } from "../scripts/render/manifests";
import { renderStack, type Render } from "../scripts/render/renderStack";
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

/** `"<key>" (dict "username" .<id>Username ...`: each auths key of a dockerconfigjson template with its account id. */
function templateAccounts(template: string): Map<string, string> {
    return new Map([...template.matchAll(/"([^"]+)" \(dict "username" \.(\w+)Username /g)].map(([, key, id]) => [key, id]));
}

function accountPath(spec: any, id: string): string {
    return spec.data.find((d: any) => d.secretKey === `${id}Username`).remoteRef.key;
}

function dockerTemplate(spec: any): string {
    return spec.target.template.data[".dockerconfigjson"];
}

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
            const accounts = templateAccounts(dockerTemplate(ces.externalSecretSpec));
            for (const image of images.filter((i) => i.pullSecret)) {
                const [first] = kubeletLookup([...accounts.keys()], image.repository);
                assert.ok(first, `kubelet finds a key for ${image.repository} among ${[...accounts.keys()].join(", ")}`);
                const updaterSecret = manifests.find((m) => m.kind === "ExternalSecret" && `pullsecret:${m.namespace}/${m.name}` === image.pullSecret)!;
                const updaterSpec = updaterSecret.body.spec as any;
                const [updaterId] = templateAccounts(dockerTemplate(updaterSpec)).values();
                assert.equal(accountPath(ces.externalSecretSpec, accounts.get(first)!), accountPath(updaterSpec, updaterId), `${image.repository}: the same account for kubelet and Image Updater`);
            }
        });

        it("Image Updater finds exactly one key, with auth, in each image's pull secret, for the endpoint it picks", () => {
            for (const image of images.filter((i) => i.pullSecret)) {
                const secret = manifests.find((m) => m.kind === "ExternalSecret" && `pullsecret:${m.namespace}/${m.name}` === image.pullSecret);
                assert.ok(secret, `${image.pullSecret} is rendered`);
                const template = dockerTemplate(secret.body.spec);
                assert.match(template, /"auth" \(printf "%s:%s"/);
                // Endpoint: exact host entry, else the longest prefix, else the host itself (Docker Hub for short names).
                const { host, path } = normalized(image.repository);
                const shortName = !image.repository.split("/")[0].includes(".");
                const full = `${host}/${path}`;
                const entry =
                    (shortName ? registries.find((r) => r.default) : registries.find((r) => r.prefix === host)) ??
                    registries.filter((r) => full.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
                const apiUrl: string = entry?.api_url ?? `https://${host === "docker.io" ? "registry-1.docker.io" : host}`;
                const keys = [...templateAccounts(template).keys()];
                const matching = keys.filter((k) => k.startsWith(apiUrl) || k.startsWith(apiUrl.replace(/^https?:\/\//, "")));
                assert.equal(matching.length, 1, `${image.repository} (${apiUrl}): ${keys.join(", ")}`);
            }
        });

        it("builds every .dockerconfigjson in one toJson action: no credential is pasted into JSON text", () => {
            const templates = manifests.flatMap((m) => {
                const spec = m.kind === "ClusterExternalSecret" ? (m.body.spec as any).externalSecretSpec : m.kind === "ExternalSecret" ? (m.body.spec as any) : undefined;
                return spec?.target?.template?.type === "kubernetes.io/dockerconfigjson" ? [dockerTemplate(spec)] : [];
            });
            assert.ok(templates.length > 0);
            for (const template of templates) {
                assert.match(template, /^\{\{ toJson \(dict "auths" \(dict .*\)\) \}\}$/);
                assert.equal(template.match(/\{\{/g)!.length, 1, "a single action, nothing outside it");
            }
        });

        it("every registries.conf entry has an explicit limit (an entry without one is unlimited)", () => {
            for (const entry of registries) assert.ok(Number.isInteger(entry.limit) && entry.limit > 0, `${entry.name} has a limit`);
        });
    });
}
