import type { ConfigProblem } from "./errors";
import type { ConfigValues } from "./keys";

/**
 * Cross-key rules of the two delivery-feedback features: notifications (Argo CD reports back to
 * GitHub or GitLab) and push webhooks (registries and git call in instead of being polled).
 * Both configure objects only the stack that installs Argo CD owns, so both are refused on a
 * stack that does not.
 */
export function checkDeliveryRules(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    return [...checkNotifications(stack, prefix, values), ...checkPushWebhooks(stack, prefix, values)];
}

function checkNotifications(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const provider = values.notifications;
    if (provider !== "none" && !values.installArgoCd) {
        problems.push({
            key: `${prefix}notifications`,
            value: provider,
            problem: "only the stack that installs Argo CD configures notifications (it owns argocd-notifications-cm), but installArgoCd is false",
            fix: `pulumi config set notifications none -s ${stack}, and set notifications on the stack that installs Argo CD (its subscriptions cover every Application of the cluster)`,
        });
    }
    if (provider === "gitlab") {
        if (values.notificationsGitlabProjectId === undefined) {
            problems.push({
                key: `${prefix}notificationsGitlabProjectId`,
                value: undefined,
                problem: "is required when notifications is gitlab: it names the project whose deployments Argo CD records",
                fix: `pulumi config set notificationsGitlabProjectId <ID from the project's Settings > General> -s ${stack}`,
            });
        }
        if (values.gitlabToken === undefined) {
            problems.push({
                key: `${prefix}gitlabToken`,
                value: undefined,
                problem: "is required when notifications is gitlab: Argo CD authenticates to the deployments API with it",
                fix: `pulumi config set --secret gitlabToken <token with the api scope> -s ${stack}`,
            });
        }
    } else if (values.notificationsGitlabProjectId !== undefined) {
        problems.push({
            key: `${prefix}notificationsGitlabProjectId`,
            value: values.notificationsGitlabProjectId,
            problem: `only applies when notifications is gitlab, but notifications is ${provider}`,
            fix: `pulumi config rm notificationsGitlabProjectId -s ${stack}, or pulumi config set notifications gitlab -s ${stack}`,
        });
    }
    if (provider === "github") {
        const host = new URL(values.deployRepoUrl).host;
        if (host !== "github.com") {
            problems.push({
                key: `${prefix}notifications`,
                value: provider,
                problem: `posts commit statuses through api.github.com, but the deploy repo is on ${host}`,
                fix: `for a GitLab deploy repo: pulumi config set notifications gitlab -s ${stack} (with notificationsGitlabUrl and notificationsGitlabProjectId); otherwise notifications none`,
            });
        }
    }
    return problems;
}

function checkPushWebhooks(stack: string, prefix: string, values: ConfigValues): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (values.pushWebhooks && !values.installArgoCd) {
        problems.push({
            key: `${prefix}pushWebhooks`,
            value: true,
            problem: "the webhooks are served by the Image Updater and Argo CD this stack does not install (installArgoCd is false)",
            fix: `pulumi config set pushWebhooks false -s ${stack}, and turn it on for the stack that installs Argo CD: it serves every environment of the cluster`,
        });
    }
    if (values.pushWebhooks && values.imageUpdaterWebhookHostname === undefined) {
        problems.push({
            key: `${prefix}imageUpdaterWebhookHostname`,
            value: undefined,
            problem: "is required when pushWebhooks is true: registries send push events to https://<it>/webhook",
            fix: `pulumi config set imageUpdaterWebhookHostname image-updater.${stack}.example.com -s ${stack}`,
        });
    }
    if (!values.pushWebhooks && values.imageUpdaterWebhookHostname !== undefined) {
        problems.push({
            key: `${prefix}imageUpdaterWebhookHostname`,
            value: values.imageUpdaterWebhookHostname,
            problem: "only applies when pushWebhooks is true; nothing would serve it",
            fix: `pulumi config rm imageUpdaterWebhookHostname -s ${stack}, or pulumi config set pushWebhooks true -s ${stack}`,
        });
    }
    // argocdHostname is required, so an unset webhook host never equals it.
    if (values.imageUpdaterWebhookHostname === values.argocdHostname) {
        problems.push({
            key: `${prefix}imageUpdaterWebhookHostname`,
            value: values.imageUpdaterWebhookHostname,
            problem: "is also argocdHostname; the two ingresses need their own host (and certificate)",
            fix: `pick another host, e.g. pulumi config set imageUpdaterWebhookHostname image-updater.${stack}.example.com -s ${stack}`,
        });
    }
    return problems;
}
