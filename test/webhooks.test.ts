import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { REDACTED, kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import { isWrappedSecret, type RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { assertNoPlaintextSecrets } from "./support/leaks";
import { withOverrides, type Overrides } from "./support/config";
import { assertRejected } from "./support/rejection";

const PAT = "ghp_webhooksSentinel0123456789";
const HOST = "image-updater.dev.example.com";
const ON: Overrides = { pushWebhooks: true, imageUpdaterWebhookHostname: HOST };
/** The values the mock runtime gives the generated secrets (RandomPassword.result of each). */
const GENERATED = {
    ghcr: "mock-password-image-updater-ghcr-webhook-secret",
    dockerHub: "mock-password-image-updater-dockerHub-webhook-secret",
    argocdGit: "mock-password-argocd-git-webhook-secret",
};
const SENTINELS = [PAT, ...Object.values(GENERATED)];

function render(overrides: Overrides): Promise<Render> {
    return renderStack({ stack: "dev", adjust: (c) => withOverrides(c, overrides), secrets: { githubPullToken: PAT } });
}

function release(r: Render, chart: string): RecordedResource {
    const found = r.run.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === chart);
    assert.ok(found, `${chart} release rendered`);
    return found;
}

function manifest(r: Render, kind: string, name: string): Manifest | undefined {
    return kubernetesManifests(r.run.resources).find((m) => m.kind === kind && m.name === name);
}

function passwords(r: Render): RecordedResource[] {
    return r.run.resources.filter((x) => x.type === "random:index/randomPassword:RandomPassword");
}

async function argoCdSecretValues(r: Render): Promise<any> {
    const files = release(r, "argo-cd").inputs.valueYamlFiles;
    assert.ok(isWrappedSecret(files), "the Argo CD values file is a secret");
    const [file] = reveal(files) as { text: Promise<string> }[];
    return parse(await file.text);
}

describe("push webhooks on (dev, TLS at the ingress)", () => {
    let r: Render;
    before(async () => {
        r = await render(ON);
    });

    it("starts the updater's webhook server and keeps the poll interval as configured", () => {
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs, ["--interval", "2m", "--enable-webhook"]);
    });

    it("exposes /webhook on its own host through the chart's ingress, with TLS and the cluster issuer", () => {
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.ingress, {
            enabled: true,
            ingressClassName: "nginx",
            hostname: HOST,
            path: "/webhook",
            annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" },
            tls: [{ secretName: "argocd-image-updater-webhook-tls", hosts: [HOST] }],
        });
    });

    it("generates one secret per registry and one for git, all RandomPasswords without special characters", () => {
        const names = passwords(r).map((p) => p.name).sort();
        assert.deepEqual(names, ["argocd-admin-password", "argocd-git-webhook-secret", "image-updater-dockerHub-webhook-secret", "image-updater-ghcr-webhook-secret"]);
        for (const p of passwords(r).filter((x) => x.name.includes("webhook"))) {
            assert.equal(p.inputs.special, false, `${p.name}: Docker Hub's secret goes into a query string`);
            assert.ok((p.inputs.length as number) >= 32, p.name);
        }
    });

    it("stores the registry secrets, secret, in argocd-image-updater-secret under the keys the chart maps to the pod", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret");
        assert.ok(secret, "Secret rendered");
        assert.equal(secret.namespace, "argocd");
        const inputs = secret.resource.inputs;
        assert.ok(isWrappedSecret(inputs.stringData) || Object.values(inputs.stringData as object).every(isWrappedSecret), "stringData is secret");
        assert.deepEqual(reveal(inputs.stringData), { "webhook.ghcr-secret": GENERATED.ghcr, "webhook.docker-secret": GENERATED.dockerHub });
        assert.equal(secret.body.stringData, REDACTED);
    });

    it("creates that secret before the release: the pod reads it into its environment once, at start", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret")!.resource;
        assert.ok(release(r, "argocd-image-updater").dependsOn.includes(secret.urn));
        assert.ok(secret.dependsOn.includes(release(r, "argo-cd").urn), "after the chart that creates the namespace");
    });

    it("passes Argo CD's GitHub webhook secret in the secret values file, never in the readable values", async () => {
        const values = release(r, "argo-cd").inputs.values as any;
        assert.ok(!isWrappedSecret(values), "values stay readable");
        assert.equal(values.configs.secret.githubSecret, undefined);
        const secretValues = await argoCdSecretValues(r);
        assert.equal(secretValues.configs.secret.githubSecret, GENERATED.argocdGit);
        assert.match(secretValues.configs.secret.argocdServerAdminPassword, /^\$2a\$/, "the admin hash is still there");
    });

    it("exports the webhook URLs in the clear and the secrets only as a Pulumi secret", () => {
        assert.deepEqual(r.run.outputs.pushWebhooks, {
            value: {
                ghcr: `https://${HOST}/webhook?type=ghcr.io`,
                dockerHub: `https://${HOST}/webhook?type=docker.io`,
                argocdGit: "https://argocd.dev.example.com/api/webhook",
            },
            secret: false,
        });
        const secrets = r.run.outputs.pushWebhookSecrets;
        assert.equal(secrets.secret, true);
        assert.deepEqual(secrets.value, {
            ...GENERATED,
            dockerHubUrlWithSecret: `https://${HOST}/webhook?type=docker.io&secret=${GENERATED.dockerHub}`,
        });
        const outputs = JSON.parse(r.files.get("outputs.json")!);
        assert.equal(outputs.pushWebhookSecrets, REDACTED);
        assert.equal(outputs.pushWebhooks.ghcr, `https://${HOST}/webhook?type=ghcr.io`);
    });

    it("never carries a generated secret or the PAT in plaintext in inputs, outputs or rendered files", () => assertNoPlaintextSecrets(r, SENTINELS));
});

describe("push webhooks on, without TLS and with another poll interval", () => {
    it("serves plain http, without the TLS block or issuer, and keeps imageUpdaterInterval", async () => {
        const r = await render({ ...ON, ingressTls: false, imageUpdaterInterval: "10m" });
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs, ["--interval", "10m", "--enable-webhook"]);
        assert.deepEqual(values.ingress.tls, []);
        assert.deepEqual(values.ingress.annotations, {});
        assert.equal((r.run.outputs.pushWebhooks.value as any).ghcr, `http://${HOST}/webhook?type=ghcr.io`);
        assert.equal((r.run.outputs.pushWebhooks.value as any).argocdGit, "http://argocd.dev.example.com/api/webhook");
    });
});

describe("push webhooks off (the default)", () => {
    it("polls only: no webhook server, ingress, secret, generated webhook secret or webhook output", async () => {
        const r = await render({});
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs, ["--interval", "2m"]);
        assert.equal(values.ingress, undefined);
        assert.equal(manifest(r, "Secret", "argocd-image-updater-secret"), undefined);
        assert.deepEqual(passwords(r).map((p) => p.name), ["argocd-admin-password"]);
        assert.equal((await argoCdSecretValues(r)).configs.secret.githubSecret, undefined);
        assert.equal(r.run.outputs.pushWebhooks, undefined);
        assert.equal(r.run.outputs.pushWebhookSecrets, undefined);
    });
});

describe("push webhook config errors: stack, key, value and fix, before any resource", () => {
    const cases: { name: string; overrides: Overrides; key: string; shown: string; problem: RegExp; fix: RegExp }[] = [
        { name: "pushWebhooks without a host", overrides: { pushWebhooks: true }, key: "imageUpdaterWebhookHostname", shown: "(not set)", problem: /required when pushWebhooks is true/, fix: /pulumi config set imageUpdaterWebhookHostname image-updater\.dev\.example\.com -s dev/ },
        { name: "a host without pushWebhooks", overrides: { imageUpdaterWebhookHostname: HOST }, key: "imageUpdaterWebhookHostname", shown: `"${HOST}"`, problem: /only applies when pushWebhooks is true/, fix: /pulumi config rm imageUpdaterWebhookHostname -s dev/ },
        { name: "pushWebhooks on a stack that does not install Argo CD", overrides: { ...ON, installArgoCd: false }, key: "pushWebhooks", shown: "true", problem: /does not install \(installArgoCd is false\)/, fix: /pulumi config set pushWebhooks false -s dev/ },
        { name: "the Argo CD host for the updater too", overrides: { ...ON, imageUpdaterWebhookHostname: "argocd.dev.example.com" }, key: "imageUpdaterWebhookHostname", shown: '"argocd.dev.example.com"', problem: /also argocdHostname/, fix: /pick another host/ },
        { name: "a URL instead of a host", overrides: { ...ON, imageUpdaterWebhookHostname: `https://${HOST}/webhook` }, key: "imageUpdaterWebhookHostname", shown: `"https://${HOST}/webhook"`, problem: /no scheme, no path/, fix: /pulumi config set imageUpdaterWebhookHostname 'image-updater\.dev\.example\.com' -s dev/ },
        { name: "pushWebhooks not a boolean", overrides: { pushWebhooks: "yes" }, key: "pushWebhooks", shown: '"yes"', problem: /not a boolean/, fix: /pulumi config set pushWebhooks 'true' -s dev/ },
    ];

    for (const c of cases) {
        it(c.name, () => assertRejected({ stack: "dev", secrets: { githubPullToken: PAT }, adjust: (config) => withOverrides(config, c.overrides) }, c));
    }
});
