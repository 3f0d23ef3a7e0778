import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderStack } from "../scripts/render/renderStack";
import { withOverrides, type Overrides } from "./support/config";
import { assertRejected, type Rejection } from "./support/rejection";

/**
 * Values a typo or an attacker could put in a stack file: credentials in URLs, plain-text
 * transport on a stable stack, paths that climb out of where they point, line breaks that start
 * new lines in YAML, templates, HCL or CSV, periods short enough to hammer a service, and
 * patterns Go's RE2 would not compile. Each is refused before any resource.
 */
interface Hostile extends Rejection {
    name: string;
    stack: "dev" | "prd";
    overrides?: Overrides;
    secrets?: Record<string, string>;
}

const service = (fields: Overrides) => [{ name: "example-api", image: "ghcr.io/example-org/example-api", ...fields }];
const image = (fields: Overrides) => [{ name: "example-api", images: [{ alias: "app", repository: "ghcr.io/example-org/example-api", ...fields }] }];
const LINE_BREAK = /control characters or line breaks/;
const DOT_SEGMENT = /'\.' or '\.\.' segments/;

const cases: Hostile[] = [
    // URLs with credentials, query or fragment
    { name: "deploy repo URL with a token in it", stack: "dev", overrides: { deployRepoUrl: "https://bot:ghp_leak123@github.com/example-org/deploy.git" }, key: "deployRepoUrl", shown: "https://[credentials]@github.com", problem: /must not carry credentials/, fix: /deployRepoUrl/, unprinted: ["ghp_leak123"] },
    { name: "deploy repo URL with a query", stack: "prd", overrides: { deployRepoUrl: "https://github.com/example-org/deploy.git?ref=evil" }, key: "deployRepoUrl", shown: "?ref=evil", problem: /must not have a query string/, fix: /deployRepoUrl/ },
    { name: "deploy repo URL with a fragment", stack: "dev", overrides: { deployRepoUrl: "https://github.com/example-org/deploy.git#other" }, key: "deployRepoUrl", shown: "#other", problem: /must not have a fragment/, fix: /deployRepoUrl/ },
    { name: "deploy repo over plain http", stack: "dev", overrides: { deployRepoUrl: "http://github.com/example-org/deploy.git" }, key: "deployRepoUrl", shown: "http://github.com", problem: /an https git URL/, fix: /deployRepoUrl/ },
    { name: "Vault address with a token in it", stack: "prd", overrides: { vaultAddress: "https://root:hvs.leak456@vault.example.com" }, key: "vaultAddress", shown: "https://[credentials]@vault", problem: /must not carry credentials/, fix: /vaultAddress/, unprinted: ["hvs.leak456"] },
    { name: "Vault address with a query", stack: "dev", overrides: { vaultAddress: "https://vault.example.com/?namespace=admin" }, key: "vaultAddress", shown: "namespace=admin", problem: /must not have a query string/, fix: /vaultAddress/ },
    { name: "GitLab URL with credentials", stack: "dev", overrides: { notifications: "gitlab", notificationsGitlabProjectId: "42", notificationsGitlabUrl: "https://bot:glpat-leak789@gitlab.example.com" }, secrets: { gitlabToken: "glpat-real" }, key: "notificationsGitlabUrl", shown: "[credentials]@gitlab", problem: /must not carry credentials/, fix: /notificationsGitlabUrl/, unprinted: ["glpat-leak789"] },
    { name: "GitLab URL with a fragment", stack: "dev", overrides: { notifications: "gitlab", notificationsGitlabProjectId: "42", notificationsGitlabUrl: "https://gitlab.example.com#x" }, secrets: { gitlabToken: "glpat-real" }, key: "notificationsGitlabUrl", shown: "#x", problem: /must not have a fragment/, fix: /notificationsGitlabUrl/ },
    { name: "registry host with credentials", stack: "dev", overrides: { registries: [{ host: "bot:pw@registry.example.com", credentials: "public" }] }, key: "registries[0].host", shown: "registry.example.com", problem: /no scheme, no path/, fix: /Pulumi\.dev\.yaml/ },
    { name: "registry prefix with a query", stack: "prd", overrides: { registries: [{ host: "ghcr.io", prefix: "ghcr.io/acme?tab=packages" }] }, key: "registries[0].prefix", shown: "tab=packages", problem: /must be <host>\/<path>/, fix: /Pulumi\.prd\.yaml/ },
    // Plain transport on a stack that takes stable releases only
    { name: "plain-http Vault on prd", stack: "prd", overrides: { vaultAddress: "http://vault.example.com:8200" }, key: "vaultAddress", shown: "http://vault", problem: /plain http on a stack that takes stable releases only/, fix: /https:\/\/vault\.example\.com:8200 -s prd, or, for a lab cluster, pulumi config set allowInsecureTransport true -s prd/ },
    { name: "the insecure-transport override not a boolean", stack: "prd", overrides: { allowInsecureTransport: "yes" }, key: "allowInsecureTransport", shown: '"yes"', problem: /not a boolean/, fix: /pulumi config set allowInsecureTransport 'false' -s prd/ },
    { name: "Argo CD without TLS on prd", stack: "prd", overrides: { ingressTls: false }, key: "ingressTls", shown: "false", problem: /admin password and CI tokens would cross the network in clear/, fix: /pulumi config set ingressTls true -s prd/ },
    // Paths that climb out of where they point
    { name: "Vault prefix climbing into prd", stack: "dev", overrides: { vaultPathPrefix: "cluster-stack/../prd" }, key: "vaultPathPrefix", shown: "cluster-stack/../prd", problem: DOT_SEGMENT, fix: /vaultPathPrefix/ },
    { name: "Vault prefix starting with ./", stack: "dev", overrides: { vaultPathPrefix: "./cluster-stack/dev" }, key: "vaultPathPrefix", shown: "./cluster-stack", problem: DOT_SEGMENT, fix: /vaultPathPrefix/ },
    { name: "registry Vault path climbing out", stack: "prd", overrides: { registries: [{ host: "ghcr.io" }, { host: "docker.io", credentials: "vault", vaultPath: "cluster-stack/prd/../../dev/dockerhub" }] }, key: "registries[1].vaultPath", shown: "../../dev", problem: DOT_SEGMENT, fix: /Pulumi\.prd\.yaml/ },
    { name: "KV mount ..", stack: "dev", overrides: { vaultKvMount: ".." }, key: "vaultKvMount", shown: '".."', problem: DOT_SEGMENT, fix: /vaultKvMount/ },
    { name: "absolute service path", stack: "dev", overrides: { services: service({ path: "/services/example-api" }) }, key: "services[0].path", shown: "/services/example-api", problem: /relative to the deploy repo's root/, fix: /Pulumi\.dev\.yaml/ },
    { name: "service path climbing out of the repo", stack: "prd", overrides: { services: service({ path: "services/../../etc" }) }, key: "services[0].path", shown: "services/../../etc", problem: DOT_SEGMENT, fix: /Pulumi\.prd\.yaml/ },
    { name: "service path with a trailing slash", stack: "dev", overrides: { services: service({ path: "services/example-api/" }) }, key: "services[0].path", shown: "services/example-api/", problem: /must not end in '\/'/, fix: /Pulumi\.dev\.yaml/ },
    // Line breaks and control characters
    { name: "revision with a line break", stack: "dev", overrides: { deployRepoRevision: "main\nproject: default" }, key: "deployRepoRevision", shown: "main\\nproject", problem: LINE_BREAK, fix: /deployRepoRevision/ },
    { name: "write-back branch with a carriage return", stack: "dev", overrides: { writeBackBranch: "main\r" }, key: "writeBackBranch", shown: "main\\r", problem: LINE_BREAK, fix: /writeBackBranch/ },
    { name: "commit author with a line break", stack: "prd", overrides: { gitCommitUser: "bot\nSigned-off-by: someone" }, key: "gitCommitUser", shown: "bot\\nSigned-off-by", problem: LINE_BREAK, fix: /gitCommitUser/ },
    { name: "Vault audience with a tab", stack: "dev", overrides: { vaultAuthAudience: "vault\tother" }, key: "vaultAuthAudience", shown: "vault\\tother", problem: LINE_BREAK, fix: /vaultAuthAudience/ },
    { name: "git user name with a line break", stack: "dev", overrides: { gitAuth: "token", gitUsername: "x-access-token\n" }, secrets: { gitToken: "github_pat_real" }, key: "gitUsername", shown: "x-access-token\\n", problem: LINE_BREAK, fix: /gitUsername/ },
    { name: "service write-back branch with a line break", stack: "prd", overrides: { services: service({ writeBack: { method: "git", branch: "main\n  x: y" } }) }, key: "services[0].writeBack.branch", shown: "main\\n", problem: LINE_BREAK, fix: /Pulumi\.prd\.yaml/ },
    { name: "ignoreTags entry with a line break", stack: "dev", overrides: { services: image({ ignoreTags: ["latest\n- dev"] }) }, key: "services[0].images[0].ignoreTags[0]", shown: "latest\\n", problem: LINE_BREAK, fix: /Pulumi\.dev\.yaml/ },
    { name: "service constraint with a line break", stack: "dev", overrides: { services: service({ imageConstraint: "~0\n" }) }, key: "services[0].imageConstraint", shown: "~0\\n", problem: LINE_BREAK, fix: /Pulumi\.dev\.yaml/ },
    { name: "pull token with a trailing newline (from a file)", stack: "dev", secrets: { githubPullToken: "ghp_tokenfromfile\n" }, key: "githubPullToken", shown: '"[secret]"', problem: /trailing newline/, fix: /githubPullToken/, unprinted: ["ghp_tokenfromfile"] },
    { name: "git token with a space", stack: "prd", overrides: { gitAuth: "token" }, secrets: { gitToken: "github_pat_one two" }, key: "gitToken", shown: '"[secret]"', problem: /one token without spaces/, fix: /gitToken/, unprinted: ["github_pat_one"] },
    // Periods too short
    { name: "poll interval of zero", stack: "dev", overrides: { imageUpdaterInterval: "0s" }, key: "imageUpdaterInterval", shown: '"0s"', problem: /at least 30s/, fix: /imageUpdaterInterval/ },
    { name: "poll interval of half a second", stack: "prd", overrides: { imageUpdaterInterval: "500ms" }, key: "imageUpdaterInterval", shown: '"500ms"', problem: /at least 30s/, fix: /imageUpdaterInterval/ },
    { name: "secret refresh every 10 seconds", stack: "dev", overrides: { secretRefreshInterval: "10s" }, key: "secretRefreshInterval", shown: '"10s"', problem: /at least 1m/, fix: /secretRefreshInterval/ },
    { name: "webhook rate limit of zero (unlimited upstream)", stack: "dev", overrides: { imageUpdaterWebhookRateLimit: 0 }, key: "imageUpdaterWebhookRateLimit", shown: "0", problem: /0 would turn the limit off/, fix: /imageUpdaterWebhookRateLimit/ },
    // Patterns Go's RE2 does not compile
    { name: "allowTags with a lookahead", stack: "dev", overrides: { services: service({ updateStrategy: "newest-build", allowTags: "regexp:^(?!latest).*$" }) }, key: "services[0].allowTags", shown: "(?!latest)", problem: /RE2 accepts: .*\(\?!/, fix: /regexp:<pattern>/ },
    { name: "allowTags with a backreference", stack: "prd", overrides: { services: service({ updateStrategy: "alphabetical", allowTags: "regexp:^(v)\\1[0-9]+$" }) }, key: "services[0].allowTags", shown: "regexp:^(v)", problem: /RE2 accepts: .*\\1/, fix: /regexp:<pattern>/ },
];

describe("hostile and mistyped values: refused before any resource, with stack, key, value and fix", () => {
    it(`has at least 30 cases (${cases.length})`, () => assert.ok(cases.length >= 30));
    for (const c of cases) {
        it(c.name, () => assertRejected({ stack: c.stack, secrets: c.secrets, adjust: (config) => withOverrides(config, c.overrides ?? {}) }, c));
    }
});

describe("what stays accepted", () => {
    const accepted: { name: string; stack: "dev" | "prd"; overrides: Overrides }[] = [
        { name: "plain-http Vault and no TLS on dev, which takes pre-releases", stack: "dev", overrides: { vaultAddress: "http://vault.example.com:8200", ingressTls: false } },
        { name: "the same on prd with the explicit override", stack: "prd", overrides: { vaultAddress: "http://vault.example.com:8200", ingressTls: false, allowInsecureTransport: true } },
        { name: "an RE2 pattern with classes and anchors", stack: "dev", overrides: { services: service({ updateStrategy: "newest-build", allowTags: "regexp:^sha-[0-9a-f]{7,40}$" }) } },
        { name: "a nested relative service path and a 30s poll", stack: "prd", overrides: { services: service({ path: "teams/payments/example-api" }), imageUpdaterInterval: "30s" } },
        { name: "a deploy repo URL without .git and a Vault address with port and trailing slash", stack: "dev", overrides: { deployRepoUrl: "https://github.com/example-org/deploy", vaultAddress: "https://vault.example.com:8200/" } },
    ];
    for (const a of accepted) {
        it(a.name, async () => {
            const r = await renderStack({ stack: a.stack, adjust: (config) => withOverrides(config, a.overrides) });
            assert.ok(r.run.resources.length > 0);
        });
    }
});
