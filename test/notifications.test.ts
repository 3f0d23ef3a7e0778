import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { NOTIFICATION_TRIGGERS } from "../lib/notificationValues";
import { kubernetesManifests, reveal, type Manifest } from "../scripts/render/manifests";
import { isWrappedSecret } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { assertNoPlaintextSecrets } from "./support/leaks";
import { loadStackConfig } from "../stacks/config";
import { stackConfig, withOverrides, type Overrides } from "./support/config";
import { assertRejected } from "./support/rejection";

const PAT = "ghp_notificationsSentinel0123456789";
const GITHUB_TOKEN = "github_pat_notificationsSentinel0123456789";
const GITLAB_TOKEN = "glpat-notificationsSentinel0123456789";
const SENTINELS = [PAT, GITHUB_TOKEN, GITLAB_TOKEN];
const GITLAB: Overrides = { notifications: "gitlab", notificationsGitlabUrl: "https://gitlab.example.com", notificationsGitlabProjectId: 4242 };

function render(overrides: Overrides): Promise<Render> {
    return renderStack({ stack: "dev", adjust: (c) => withOverrides(c, overrides), secrets: { githubPullToken: PAT, githubNotificationsToken: GITHUB_TOKEN, gitlabToken: GITLAB_TOKEN } });
}

function argoCdValues(r: Render): any {
    const release = r.run.resources.find((x) => x.type === "kubernetes:helm.sh/v3:Release" && x.inputs.chart === "argo-cd");
    assert.ok(release, "argo-cd release rendered");
    assert.ok(!isWrappedSecret(release.inputs.values), "the values stay readable: nothing secret in them");
    return release.inputs.values;
}

function manifest(r: Render, kind: string, name: string): Manifest | undefined {
    return kubernetesManifests(r.run.resources).find((m) => m.kind === kind && m.name === name);
}

/** The notifications secret the stack writes to Vault, or undefined. */
function vaultData(r: Render): Record<string, string> | undefined {
    const secret = r.run.resources.find((x) => x.type === "vault:kv/secretV2:SecretV2" && reveal(x.inputs.name) === "cluster-stack/dev/notifications");
    if (!secret) return undefined;
    assert.ok(isWrappedSecret(secret.inputs.dataJson), "dataJson is a Pulumi secret");
    return JSON.parse(reveal(secret.inputs.dataJson) as string);
}

/** A rendered webhook body with every `{{...}}` replaced, parsed: the controller posts it as JSON. */
function bodyJson(template: any, service: string): Record<string, unknown> {
    return JSON.parse(String(template.webhook[service].body).replace(/\{\{.*?\}\}/g, "x"));
}

describe("notifications = github: commit statuses on the deploy repo", () => {
    let r: Render;
    let n: any;
    before(async () => {
        r = await render({ notifications: "github" });
        n = argoCdValues(r).notifications;
    });

    it("registers a webhook service to api.github.com that authenticates with $github-token", () => {
        assert.deepEqual(Object.keys(n.notifiers), ["service.webhook.github"]);
        assert.deepEqual(parse(n.notifiers["service.webhook.github"]), {
            url: "https://api.github.com",
            headers: [
                { name: "Authorization", value: "token $github-token" },
                { name: "Content-Type", value: "application/json" },
            ],
        });
    });

    it("lets ESO own argocd-notifications-secret and points links at this Argo CD", () => {
        assert.deepEqual(n.secret, { create: false });
        assert.equal(n.argocdUrl, "https://argocd.dev.example.com");
    });

    it("defines on-deployed (once per revision), on-sync-failed and on-health-degraded, each sending its own template", () => {
        assert.deepEqual(Object.keys(n.triggers).sort(), ["trigger.on-deployed", "trigger.on-health-degraded", "trigger.on-sync-failed"]);
        const deployed = parse(n.triggers["trigger.on-deployed"]);
        assert.equal(deployed.length, 1);
        assert.deepEqual(deployed[0].send, ["github-on-deployed"]);
        assert.match(deployed[0].when, /operationState\.phase in \['Succeeded'\] and app\.status\.health\.status == 'Healthy'/);
        assert.equal(deployed[0].oncePer, "app.status.operationState?.syncResult?.revision");
        assert.match(parse(n.triggers["trigger.on-sync-failed"])[0].when, /phase in \['Error', 'Failed'\]/);
        assert.deepEqual(parse(n.triggers["trigger.on-sync-failed"])[0].send, ["github-on-sync-failed"]);
        assert.equal(parse(n.triggers["trigger.on-health-degraded"])[0].when, "app.status.health.status == 'Degraded'");
        assert.deepEqual(parse(n.triggers["trigger.on-health-degraded"])[0].send, ["github-on-health-degraded"]);
        const descriptions = Object.values(n.triggers).map((t: any) => parse(t)[0].description);
        assert.ok(descriptions.every((d) => /^Application \w+/.test(d)), `each trigger says what happened to the Application: ${descriptions.join(" | ")}`);
        assert.equal(new Set(descriptions).size, 3);
    });

    it("posts a commit status for the synced revision, with success, failure/error and failure", () => {
        const statusTexts = new Set<string>();
        const expected = { "on-deployed": /^success$/, "on-sync-failed": /^\{\{if eq \.app\.status\.operationState\.phase "Error"\}\}error\{\{else\}\}failure\{\{end\}\}$/, "on-health-degraded": /^failure$/ };
        for (const trigger of NOTIFICATION_TRIGGERS) {
            const template = parse(n.templates[`template.github-${trigger}`]);
            const request = template.webhook.github;
            assert.equal(request.method, "POST", trigger);
            assert.equal(request.path, "/repos/{{call .repo.FullNameByRepoURL .app.spec.source.repoURL}}/statuses/{{.app.status.operationState.operation.sync.revision}}");
            const body = bodyJson(template, "github");
            assert.deepEqual(Object.keys(body).sort(), ["context", "description", "state", "target_url"], trigger);
            const raw = String(request.body);
            assert.match(/"state": "(.*)",/.exec(raw)?.[1] ?? "", expected[trigger], trigger);
            assert.match(raw, /"target_url": "\{\{\.context\.argocdUrl\}\}\/applications\/\{\{\.app\.metadata\.namespace\}\}\/\{\{\.app\.metadata\.name\}\}"/);
            assert.match(raw, /"context": "continuous-delivery\/\{\{\.app\.metadata\.name\}\}"/);
            statusTexts.add(String(body.description));
        }
        assert.ok([...statusTexts].every((text) => /^Argo CD: \w+/.test(text)), `each status tells what Argo CD saw: ${[...statusTexts].join(" | ")}`);
        assert.equal(statusTexts.size, 3, "a different text per trigger");
        assert.equal(Object.keys(n.templates).length, 3);
    });

    it("subscribes every Application to the three triggers on the github service (no recipient)", () => {
        assert.deepEqual(n.subscriptions, [{ recipients: ["github"], triggers: ["on-deployed", "on-sync-failed", "on-health-degraded"] }]);
    });

    it("writes its own token into argocd-notifications-secret as github-token, through a store only Argo CD's namespace can use", () => {
        const es = manifest(r, "ExternalSecret", "argocd-notifications-secret");
        assert.ok(es, "ExternalSecret rendered");
        assert.equal(es.namespace, "argocd");
        const spec = es.body.spec as any;
        assert.deepEqual(spec.data, [{ secretKey: "github-token", remoteRef: { key: "cluster-stack/dev/notifications", property: "token" } }]);
        assert.equal(spec.target.name, "argocd-notifications-secret");
        assert.deepEqual(spec.secretStoreRef, { kind: "SecretStore", name: "vault-notifications-dev" });
        const store = manifest(r, "SecretStore", "vault-notifications-dev")!;
        assert.equal(store.namespace, "argocd");
        assert.ok(es.resource.dependsOn.includes(store.resource.urn));
        assert.deepEqual(vaultData(r), { token: GITHUB_TOKEN }, "the notifications token, not the pull token");
    });

    it("never carries the tokens in plaintext in inputs, outputs or rendered files", () => assertNoPlaintextSecrets(r, SENTINELS));
});

describe("notifications = gitlab: deployments of one GitLab project", () => {
    let r: Render;
    let n: any;
    before(async () => {
        r = await render(GITLAB);
        n = argoCdValues(r).notifications;
    });

    it("registers the deployments API of the project as webhook service, with PRIVATE-TOKEN $gitlab-token", () => {
        assert.deepEqual(parse(n.notifiers["service.webhook.gitlab"]), {
            url: "https://gitlab.example.com/api/v4/projects/4242/deployments",
            headers: [
                { name: "PRIVATE-TOKEN", value: "$gitlab-token" },
                { name: "Content-Type", value: "application/json" },
            ],
        });
        assert.equal(n.notifiers["service.webhook.github"], undefined);
    });

    it("creates a deployment per trigger: environment = destination namespace, sha, ref, status", () => {
        const statuses = { "on-deployed": "success", "on-sync-failed": "failed", "on-health-degraded": "failed" };
        for (const trigger of NOTIFICATION_TRIGGERS) {
            const template = parse(n.templates[`template.gitlab-${trigger}`]);
            assert.equal(template.webhook.gitlab.method, "POST");
            assert.equal(template.webhook.gitlab.path, undefined, "the service URL is the endpoint");
            const body = bodyJson(template, "gitlab");
            assert.deepEqual(body, { environment: "x", sha: "x", ref: "x", tag: false, status: statuses[trigger] }, trigger);
            const raw = String(template.webhook.gitlab.body);
            assert.match(raw, /"environment": "\{\{\.app\.spec\.destination\.namespace\}\}"/);
            assert.match(raw, /"sha": "\{\{\.app\.status\.operationState\.operation\.sync\.revision\}\}"/);
            assert.match(raw, /"ref": "\{\{\.app\.spec\.source\.targetRevision\}\}"/);
            assert.deepEqual(parse(n.triggers[`trigger.${trigger}`])[0].send, [`gitlab-${trigger}`]);
        }
        assert.deepEqual(n.subscriptions, [{ recipients: ["gitlab"], triggers: [...NOTIFICATION_TRIGGERS] }]);
    });

    it("stores the GitLab token in its own Vault secret, as a secret, and hands only it to argocd-notifications-secret", () => {
        assert.deepEqual(vaultData(r), { token: GITLAB_TOKEN });
        const spec = manifest(r, "ExternalSecret", "argocd-notifications-secret")!.body.spec as any;
        assert.deepEqual(spec.data, [{ secretKey: "gitlab-token", remoteRef: { key: "cluster-stack/dev/notifications", property: "token" } }]);
    });

    it("never carries the token or the PAT in plaintext in inputs, outputs or rendered files", () => assertNoPlaintextSecrets(r, SENTINELS));
});

describe("notifications = none (the default)", () => {
    it("leaves the chart's notification values alone, creates no secret for them and stores no GitLab token", async () => {
        const r = await render({});
        assert.equal(argoCdValues(r).notifications, undefined);
        assert.equal(manifest(r, "ExternalSecret", "argocd-notifications-secret"), undefined);
        assert.equal(vaultData(r), undefined, "no notifications secret in Vault");
        assert.equal(manifest(r, "SecretStore", "vault-notifications-dev"), undefined, "and no store or Vault role for one");
        assertNoPlaintextSecrets(r, SENTINELS);
    });

    it("is what a stack that does not install Argo CD loads with", () => {
        const config = loadStackConfig(stackConfig("prd", { installArgoCd: false, notifications: "none" }));
        assert.equal(config.notifications.provider, "none");
    });
});

describe("notification config errors: stack, key, value and fix, before any resource", () => {
    interface Bad {
        name: string;
        overrides: Overrides;
        /** Drop this secret key (as if never set). */
        unsetSecret?: string;
        key: string;
        shown: string;
        problem: RegExp;
        fix: RegExp;
    }
    const cases: Bad[] = [
        { name: "gitlab without a project ID", overrides: { notifications: "gitlab" }, key: "notificationsGitlabProjectId", shown: "(not set)", problem: /required when notifications is gitlab/, fix: /pulumi config set notificationsGitlabProjectId .* -s dev/ },
        { name: "gitlab without a token", overrides: GITLAB, unsetSecret: "gitlabToken", key: "gitlabToken", shown: "(not set)", problem: /required when notifications is gitlab/, fix: /pulumi config set --secret gitlabToken .* -s dev/ },
        { name: "a project ID without gitlab", overrides: { notifications: "github", notificationsGitlabProjectId: 4242 }, key: "notificationsGitlabProjectId", shown: "4242", problem: /only applies when notifications is gitlab, but notifications is github/, fix: /pulumi config rm notificationsGitlabProjectId -s dev/ },
        { name: "notifications on a stack that does not install Argo CD", overrides: { notifications: "github", installArgoCd: false }, key: "notifications", shown: '"github"', problem: /owns argocd-notifications-cm.*installArgoCd is false/, fix: /pulumi config set notifications none -s dev/ },
        { name: "github commit statuses for a repo elsewhere", overrides: { notifications: "github", deployRepoUrl: "https://gitlab.example.com/acme/deploy.git" }, key: "notifications", shown: '"github"', problem: /api\.github\.com, but the deploy repo is on gitlab\.example\.com/, fix: /notifications gitlab/ },
        { name: "unknown provider", overrides: { notifications: "slack" }, key: "notifications", shown: '"slack"', problem: /must be none, github or gitlab/, fix: /pulumi config set notifications 'github' -s dev/ },
        { name: "GitLab URL with the API path", overrides: { ...GITLAB, notificationsGitlabUrl: "https://gitlab.example.com/api/v4" }, key: "notificationsGitlabUrl", shown: '"https://gitlab.example.com/api/v4"', problem: /without \/api\/v4/, fix: /notificationsGitlabUrl 'https:\/\/gitlab\.com'/ },
        { name: "GitLab URL over plain http", overrides: { ...GITLAB, notificationsGitlabUrl: "http://gitlab.example.com" }, key: "notificationsGitlabUrl", shown: '"http://gitlab.example.com"', problem: /https URL of the GitLab instance/, fix: /notificationsGitlabUrl/ },
        { name: "project path instead of a numeric ID", overrides: { ...GITLAB, notificationsGitlabProjectId: "acme/deploy" }, key: "notificationsGitlabProjectId", shown: '"acme/deploy"', problem: /numeric ID of a GitLab project .* not its path/, fix: /notificationsGitlabProjectId '12345'/ },
    ];

    for (const c of cases) {
        it(c.name, () =>
            assertRejected(
                {
                    stack: "dev",
                    secrets: { githubPullToken: PAT, gitlabToken: GITLAB_TOKEN },
                    adjust: (config) => withOverrides(config, c.unsetSecret ? { ...c.overrides, [c.unsetSecret]: undefined } : c.overrides),
                },
                { ...c, unprinted: SENTINELS },
            ),
        );
    }
});
