import { stringify } from "yaml";
import type { NotificationSettings } from "../model/stackConfig";

/**
 * Argo CD notifications as argo-cd chart 10.x values (`notifications.*`): one webhook service,
 * three triggers and a template per trigger, subscribed globally so every Application of the
 * Argo CD reports without per-Application annotations. The chart writes notifiers, templates and
 * triggers as argocd-notifications-cm keys, so each value is the YAML text the controller parses.
 */

/** Triggers every provider reports, in the order a deployment can reach them. */
export const NOTIFICATION_TRIGGERS = ["on-deployed", "on-sync-failed", "on-health-degraded"] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

/** The secret the notifications controller reads `$<key>` references from (the chart's default name). */
export const NOTIFICATIONS_SECRET_NAME = "argocd-notifications-secret";

/** Key of the token in NOTIFICATIONS_SECRET_NAME, per provider. */
export const NOTIFICATIONS_TOKEN_KEY = { github: "github-token", gitlab: "gitlab-token" } as const;

/** The key of NOTIFICATIONS_SECRET_NAME the provider's notifier reads its token from; undefined without notifications. */
export function notificationsTokenKey(settings: NotificationSettings): string | undefined {
    return settings.provider === "none" ? undefined : NOTIFICATIONS_TOKEN_KEY[settings.provider];
}

/** Conditions as in Argo CD's notifications catalog; on-deployed fires once per synced revision. */
const TRIGGER_CONDITIONS: Record<NotificationTrigger, { description: string; when: string; oncePer?: string }> = {
    "on-deployed": {
        description: "Application is synced and healthy. Triggered once per commit.",
        oncePer: "app.status.operationState?.syncResult?.revision",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'",
    },
    "on-sync-failed": {
        description: "Application syncing has failed",
        when: "app.status.operationState != nil and app.status.operationState.phase in ['Error', 'Failed']",
    },
    "on-health-degraded": {
        description: "Application has degraded",
        when: "app.status.health.status == 'Degraded'",
    },
};

/** The deploy repo commit Argo CD synced: the commit a status or deployment is recorded for. */
const SYNCED_REVISION = "{{.app.status.operationState.operation.sync.revision}}";

/** UI link of the Application, as in the stack outputs (`<argocdUrl>/applications/<namespace>/<name>`). */
const APPLICATION_LINK = "{{.context.argocdUrl}}/applications/{{.app.metadata.namespace}}/{{.app.metadata.name}}";

/** GitHub commit status state per trigger; an Error phase (Argo CD could not run the sync) is `error`. */
const GITHUB_STATES: Record<NotificationTrigger, { state: string; description: string }> = {
    "on-deployed": { state: "success", description: "Deployed and healthy" },
    "on-sync-failed": { state: '{{if eq .app.status.operationState.phase "Error"}}error{{else}}failure{{end}}', description: "Sync failed" },
    "on-health-degraded": { state: "failure", description: "Degraded after deployment" },
};

/** GitLab deployment status per trigger (the API knows running, success, failed, canceled). */
const GITLAB_STATES: Record<NotificationTrigger, string> = {
    "on-deployed": "success",
    "on-sync-failed": "failed",
    "on-health-degraded": "failed",
};

function githubTemplate(trigger: NotificationTrigger): Record<string, unknown> {
    const { state, description } = GITHUB_STATES[trigger];
    // Written out: the sync-failed state's template action quotes "Error", which JSON.stringify would escape.
    const body = [
        "{",
        `  "state": "${state}",`,
        `  "description": "Argo CD: ${description}",`,
        `  "target_url": "${APPLICATION_LINK}",`,
        `  "context": "continuous-delivery/{{.app.metadata.name}}"`,
        "}",
    ].join("\n");
    return {
        webhook: {
            github: {
                method: "POST",
                path: `/repos/{{call .repo.FullNameByRepoURL .app.spec.source.repoURL}}/statuses/${SYNCED_REVISION}`,
                body,
            },
        },
    };
}

function gitlabTemplate(trigger: NotificationTrigger): Record<string, unknown> {
    // GitLab groups deployments by environment: the destination namespace is <service>-<env>.
    const body = JSON.stringify(
        {
            environment: "{{.app.spec.destination.namespace}}",
            sha: SYNCED_REVISION,
            ref: "{{.app.spec.source.targetRevision}}",
            tag: false,
            status: GITLAB_STATES[trigger],
        },
        null,
        2,
    );
    return { webhook: { gitlab: { method: "POST", body } } };
}

/** The webhook service (`service.webhook.<name>`); `$<key>` is resolved from NOTIFICATIONS_SECRET_NAME. */
function notifier(settings: Exclude<NotificationSettings, { provider: "none" }>): Record<string, string> {
    if (settings.provider === "github") {
        return {
            "service.webhook.github": stringify({
                url: "https://api.github.com",
                headers: [
                    { name: "Authorization", value: `token $${NOTIFICATIONS_TOKEN_KEY.github}` },
                    { name: "Content-Type", value: "application/json" },
                ],
            }),
        };
    }
    return {
        "service.webhook.gitlab": stringify({
            url: `${settings.gitlabUrl}/api/v4/projects/${settings.projectId}/deployments`,
            headers: [
                { name: "PRIVATE-TOKEN", value: `$${NOTIFICATIONS_TOKEN_KEY.gitlab}` },
                { name: "Content-Type", value: "application/json" },
            ],
        }),
    };
}

/** Template name of one trigger, e.g. `github-on-deployed`. */
export function templateName(provider: "github" | "gitlab", trigger: NotificationTrigger): string {
    return `${provider}-${trigger}`;
}

/**
 * `notifications.*` values of the argo-cd chart, or `{}` when the stack reports nowhere. The
 * chart must not create argocd-notifications-secret: External Secrets Operator writes it from Vault.
 */
export function notificationValues(settings: NotificationSettings, argocdUrl: string): Record<string, unknown> {
    if (settings.provider === "none") return {};
    const provider = settings.provider;
    const render = provider === "github" ? githubTemplate : gitlabTemplate;
    const templates = Object.fromEntries(NOTIFICATION_TRIGGERS.map((t) => [`template.${templateName(provider, t)}`, stringify(render(t), { lineWidth: 0 })]));
    const triggers = Object.fromEntries(
        NOTIFICATION_TRIGGERS.map((t) => [`trigger.${t}`, stringify([{ ...TRIGGER_CONDITIONS[t], send: [templateName(provider, t)] }], { lineWidth: 0 })]),
    );
    return {
        notifications: {
            argocdUrl,
            secret: { create: false },
            notifiers: notifier(settings),
            templates,
            triggers,
            // A webhook service takes no recipient: `github` alone is service github, recipient "".
            subscriptions: [{ recipients: [provider], triggers: [...NOTIFICATION_TRIGGERS] }],
        },
    };
}
