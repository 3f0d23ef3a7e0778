import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { REDACTED, kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import { isWrappedSecret, type RecordedResource } from "../scripts/render/mockRuntime";
import path from "node:path";
import { PROJECT_DIR, renderStack, type Render } from "../scripts/render/renderStack";
import { assertNoPlaintextSecrets } from "./support/leaks";
import { withOverrides, type Overrides } from "./support/config";
import { assertRejected } from "./support/rejection";

const PAT = "ghp_webhooksSentinel0123456789";
const HOST = "image-updater.dev.example.com";
const ON: Overrides = { pushWebhooks: true, imageUpdaterWebhookHostname: HOST };
/** Image Updater v1.2.2's six webhook handlers (cmd/common.go) and the secret keys chart 1.2.4 reads. */
const HANDLER_KEYS = {
    ghcr: "webhook.ghcr-secret",
    dockerHub: "webhook.docker-secret",
    quay: "webhook.quay-secret",
    harbor: "webhook.harbor-secret",
    aliyunAcr: "webhook.aliyun-acr-secret",
    cloudEvents: "webhook.cloudevents-secret",
};
/** Argo CD v3.4's six git webhook providers, as argo-cd chart 10.1.1's configs.secret keys. */
const ARGO_CD_PROVIDER_KEYS = ["githubSecret", "gitlabSecret", "bitbucketServerSecret", "bitbucketUUID", "gogsSecret", "azureDevops"];
/** The values the mock runtime gives the generated secrets (RandomPassword.result of each). */
const updaterSecret = (handler: string) => `mock-password-image-updater-${handler}-webhook-secret`;
const argoCdSecret = (key: string) => `mock-password-argocd-webhook-${key}`;
const SENTINELS = [PAT, ...Object.keys(HANDLER_KEYS).map(updaterSecret), argoCdSecret("githubSecret"), argoCdSecret("gitlabSecret")];

function render(overrides: Overrides, stack = "dev", stackConfigDir?: string, secrets: Record<string, string> = {}): Promise<Render> {
    return renderStack({ stack, stackConfigDir, adjust: (c) => withOverrides(c, overrides), secrets: { githubPullToken: PAT, ...secrets } });
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

async function assertArgoCdProvidersLocked(r: Render): Promise<void> {
    const secret = (await argoCdSecretValues(r)).configs.secret;
    for (const key of ARGO_CD_PROVIDER_KEYS.filter((k) => k !== "azureDevops")) assert.equal(secret[key], argoCdSecret(key), key);
    assert.deepEqual(secret.azureDevops, { username: argoCdSecret("azureDevopsUsername"), password: argoCdSecret("azureDevopsPassword") });
    assert.match(secret.argocdServerAdminPassword, /^\$2a\$/, "the admin hash is still there");
    const values = release(r, "argo-cd").inputs.values as any;
    assert.ok(!isWrappedSecret(values), "values stay readable");
    for (const key of ARGO_CD_PROVIDER_KEYS) assert.equal(values.configs.secret[key], undefined, `${key} only in the secret file`);
}

describe("push webhooks on (dev: ghcr.io images, TLS at the ingress)", () => {
    let r: Render;
    before(async () => {
        r = await render(ON);
    });

    it("starts the updater's webhook server in plain HTTP behind the ingress, rate-limited, and keeps the poll interval", () => {
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs, ["--interval", "2m", "--enable-webhook", "--disable-tls", "--webhook-ratelimit-allowed", "120"]);
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

    it("generates a secret for every updater handler and every Argo CD git provider, all without special characters", () => {
        const names = passwords(r).map((p) => p.name).sort();
        const expected = [
            "argocd-admin-password",
            ...ARGO_CD_PROVIDER_KEYS.filter((k) => k !== "azureDevops").map((k) => `argocd-webhook-${k}`),
            "argocd-webhook-azureDevopsUsername",
            "argocd-webhook-azureDevopsPassword",
            ...Object.keys(HANDLER_KEYS).map((h) => `image-updater-${h}-webhook-secret`),
        ].sort();
        assert.deepEqual(names, expected);
        for (const p of passwords(r).filter((x) => x.name.includes("webhook"))) {
            assert.equal(p.inputs.special, false, `${p.name}: query-string secrets must survive a URL`);
            assert.ok((p.inputs.length as number) >= 32, p.name);
        }
    });

    it("stores a secret for each of the six handlers, under the keys the chart maps (and CloudEvents' through extraEnv)", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret");
        assert.ok(secret, "Secret rendered");
        assert.equal(secret.namespace, "argocd");
        assert.ok(isWrappedSecret(secret.resource.inputs.stringData), "stringData is secret");
        assert.deepEqual(
            reveal(secret.resource.inputs.stringData),
            Object.fromEntries(Object.entries(HANDLER_KEYS).map(([handler, key]) => [key, updaterSecret(handler)])),
        );
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraEnv, [
            { name: "CLOUDEVENTS_WEBHOOK_SECRET", valueFrom: { secretKeyRef: { name: "argocd-image-updater-secret", key: "webhook.cloudevents-secret" } } },
        ]);
    });

    it("renders the Secret's keys for review, every value masked", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret")!;
        assert.deepEqual(secret.body.stringData, Object.fromEntries(Object.values(HANDLER_KEYS).map((key) => [key, REDACTED])));
        const file = r.files.get("manifests/secret-argocd-argocd-image-updater-secret.yaml")!;
        assert.match(file, /webhook\.cloudevents-secret: "\[secret\]"/);
    });

    it("creates that secret before the release: the pod reads it into its environment once, at start", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret")!.resource;
        assert.ok(release(r, "argocd-image-updater").dependsOn.includes(secret.urn));
        assert.ok(secret.dependsOn.includes(release(r, "argo-cd").urn), "after the chart that creates the namespace");
    });

    it("locks every git provider of Argo CD's webhook endpoint, in the secret values file only", () => assertArgoCdProvidersLocked(r));

    it("exports the URL and secret of the handlers in use only (ghcr), and the deploy repo's (GitHub) secret for Argo CD", () => {
        assert.deepEqual(r.run.outputs.pushWebhooks, {
            value: { ghcr: `https://${HOST}/webhook?type=ghcr.io`, argocdGit: "https://argocd.dev.example.com/api/webhook" },
            secret: false,
        });
        const secrets = r.run.outputs.pushWebhookSecrets;
        assert.equal(secrets.secret, true);
        assert.deepEqual(secrets.value, { ghcr: updaterSecret("ghcr"), argocdGit: argoCdSecret("githubSecret") });
        const outputs = JSON.parse(r.files.get("outputs.json")!);
        assert.equal(outputs.pushWebhookSecrets, REDACTED);
        assert.equal(outputs.pushWebhooks.ghcr, `https://${HOST}/webhook?type=ghcr.io`);
    });

    it("never carries a generated secret or the PAT in plaintext in inputs, outputs or rendered files", () => assertNoPlaintextSecrets(r, SENTINELS));
});

describe("push webhooks on the maximal fixture (ghcr.io, Docker Hub, quay.io and a private registry)", () => {
    let r: Render;
    before(async () => {
        r = await render({}, "maximal", path.join(PROJECT_DIR, "test", "fixtures"));
    });

    it("hands out ghcr, Docker Hub and Quay (query-secret registries also as a URL with the secret), nothing for the others", () => {
        const base = "https://image-updater.maximal.example.com/webhook";
        assert.deepEqual(r.run.outputs.pushWebhooks.value, {
            ghcr: `${base}?type=ghcr.io`,
            dockerHub: `${base}?type=docker.io`,
            quay: `${base}?type=quay.io`,
            argocdGit: "https://argocd.maximal.example.com/api/webhook",
        });
        const secrets = r.run.outputs.pushWebhookSecrets.value as Record<string, string>;
        assert.deepEqual(Object.keys(secrets).sort(), ["argocdGit", "dockerHub", "dockerHubUrlWithSecret", "ghcr", "quay", "quayUrlWithSecret"]);
        assert.equal(secrets.dockerHubUrlWithSecret, `${base}?type=docker.io&secret=${updaterSecret("dockerHub")}`);
        assert.equal(secrets.quayUrlWithSecret, `${base}?type=quay.io&secret=${updaterSecret("quay")}`);
    });

    it("still locks every handler, in use or not", () => {
        const secret = manifest(r, "Secret", "argocd-image-updater-secret")!;
        assert.deepEqual(Object.keys(reveal(secret.resource.inputs.stringData) as object).sort(), Object.values(HANDLER_KEYS).sort());
    });

    it("sets the rate limit and a plain-HTTP hop, which is what the chart's ingress speaks to the pod", () => {
        const values = release(r, "argocd-image-updater").inputs.values as any;
        const args: string[] = values.extraArgs;
        assert.equal(args[args.indexOf("--webhook-ratelimit-allowed") + 1], "120");
        assert.ok(args.includes("--disable-tls"), "v1.2.2 serves TLS 1.3 with a self-signed certificate unless told otherwise");
        assert.equal(values.ingress.annotations["nginx.ingress.kubernetes.io/backend-protocol"], undefined, "HTTP to the backend");
    });
});

describe("push webhooks with another rate limit, and on a GitLab deploy repo", () => {
    it("passes imageUpdaterWebhookRateLimit and hands out GitLab's secret for Argo CD", async () => {
        const gitlab = { ...ON, imageUpdaterWebhookRateLimit: 30, deployRepoUrl: "https://gitlab.example.com/example-org/deploy.git", gitAuth: "token" };
        const r = await render(gitlab, "dev", undefined, { gitToken: "glpat-sentinel" });
        const args: string[] = (release(r, "argocd-image-updater").inputs.values as any).extraArgs;
        assert.deepEqual(args.slice(args.indexOf("--webhook-ratelimit-allowed")), ["--webhook-ratelimit-allowed", "30"]);
        assert.equal((r.run.outputs.pushWebhookSecrets.value as any).argocdGit, argoCdSecret("gitlabSecret"));
    });
});

describe("push webhooks on, without TLS and with another poll interval", () => {
    it("serves plain http, without the TLS block or issuer, and keeps imageUpdaterInterval", async () => {
        const r = await render({ ...ON, ingressTls: false, imageUpdaterInterval: "10m" });
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs.slice(0, 2), ["--interval", "10m"]);
        assert.deepEqual(values.ingress.tls, []);
        assert.deepEqual(values.ingress.annotations, {});
        assert.equal((r.run.outputs.pushWebhooks.value as any).ghcr, `http://${HOST}/webhook?type=ghcr.io`);
        assert.equal((r.run.outputs.pushWebhooks.value as any).argocdGit, "http://argocd.dev.example.com/api/webhook");
    });
});

describe("push webhooks off (the default)", () => {
    let r: Render;
    before(async () => {
        r = await render({});
    });

    it("polls only: no webhook server, ingress, updater secret or webhook output", () => {
        const values = release(r, "argocd-image-updater").inputs.values as any;
        assert.deepEqual(values.extraArgs, ["--interval", "2m"]);
        assert.equal(values.ingress, undefined);
        assert.equal(values.extraEnv, undefined);
        assert.equal(manifest(r, "Secret", "argocd-image-updater-secret"), undefined);
        assert.equal(passwords(r).filter((p) => p.name.startsWith("image-updater-")).length, 0);
        assert.equal(r.run.outputs.pushWebhooks, undefined);
        assert.equal(r.run.outputs.pushWebhookSecrets, undefined);
    });

    it("still locks Argo CD's /api/webhook, which its ingress serves either way", () => assertArgoCdProvidersLocked(r));
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
