import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecordedResource } from "../scripts/render/mockRuntime";
import { renderStack } from "../scripts/render/renderStack";
import { withOverrides, type Overrides } from "./support/config";
import { assertRejected } from "./support/rejection";

/** One bad stack config: what the user wrote and what the error must say about it. */
interface BadInput {
    name: string;
    stack: "dev" | "prd";
    overrides: Overrides;
    /** The value stored as plaintext although the key is secret. */
    plaintextSecret?: boolean;
    /** Fully qualified key (with the field path for services) the problem names. */
    key: string;
    /** Text of the value as the message shows it. */
    shown: string;
    problem: RegExp;
    fix: RegExp;
}

const svc = (fields: Record<string, unknown>) => [{ name: "example-api", image: "ghcr.io/example-org/example-api", ...fields }];

const cases: BadInput[] = [
    { name: "invalid constraint", stack: "dev", overrides: { imageConstraint: ">= bar" }, key: "imageConstraint", shown: '">= bar"', problem: /not a valid constraint: .*"bar" at position 3/, fix: /~0 \(stable 0\.x\)/ },
    { name: "prd constraint admitting pre-releases", stack: "prd", overrides: { imageConstraint: "~0-0" }, key: "imageConstraint", shown: '"~0-0"', problem: /admits pre-release tags, but allowPrereleases is false/, fix: /allowPrereleases true -s prd/ },
    { name: "prd service constraint admitting pre-releases", stack: "prd", overrides: { services: svc({ imageConstraint: ">=1.0.0-0" }) }, key: "services[0].imageConstraint", shown: '">=1.0.0-0"', problem: /admits pre-release/, fix: /~0/ },
    { name: "invalid per-image constraint", stack: "dev", overrides: { services: [{ name: "a", images: [{ alias: "app", repository: "ghcr.io/acme/a", constraint: "~1.x.y" }] }] }, key: "services[0].images[0].constraint", shown: '"~1.x.y"', problem: /not a valid constraint/, fix: /semver constraint/ },
    { name: "duplicate service", stack: "dev", overrides: { services: [...svc({}), ...svc({})] }, key: "services[1].name", shown: '"example-api"', problem: /listed twice/, fix: /merge the two entries in Pulumi\.dev\.yaml/ },
    { name: "service name not DNS-1123", stack: "dev", overrides: { services: [{ name: "Example_API", image: "ghcr.io/acme/a" }] }, key: "services[0].name", shown: '"Example_API"', problem: /DNS-1123/, fix: /"example-api"/ },
    { name: "namespace name over 63 characters after -<env>", stack: "prd", overrides: { services: [{ name: "a".repeat(61), image: "ghcr.io/acme/a" }] }, key: "services[0].name", shown: "aaaa", problem: /-prd' .* longer than the 63/, fix: /at most 59 characters/ },
    { name: "environment not a DNS label", stack: "dev", overrides: { environment: "Dev" }, key: "environment", shown: '"Dev"', problem: /DNS-1123 label/, fix: /pulumi config set environment 'dev' -s dev/ },
    { name: "environment too long to suffix names", stack: "dev", overrides: { environment: "development-eu-west" }, key: "environment", shown: '"development-eu-west"', problem: /at most 12/, fix: /environment/ },
    { name: "deploy repo URL not https", stack: "dev", overrides: { deployRepoUrl: "git@github.com:acme/deploy.git" }, key: "deployRepoUrl", shown: '"git@github.com:acme/deploy.git"', problem: /https git URL/, fix: /pulumi config set deployRepoUrl/ },
    { name: "deploy repo URL without repository", stack: "dev", overrides: { deployRepoUrl: "https://github.com/acme" }, key: "deployRepoUrl", shown: '"https://github.com/acme"', problem: /<owner>\/<repo>/, fix: /deployRepoUrl/ },
    { name: "unknown key", stack: "dev", overrides: { imageContraint: "~0" }, key: "imageContraint", shown: '"~0"', problem: /not a key of this project/, fix: /did you mean 'imageConstraint'/ },
    { name: "wrong type: boolean", stack: "prd", overrides: { allowPrereleases: "no" }, key: "allowPrereleases", shown: '"no"', problem: /not a boolean/, fix: /pulumi config set allowPrereleases 'false' -s prd/ },
    { name: "wrong type: integer", stack: "dev", overrides: { registryRateLimit: "fast" }, key: "registryRateLimit", shown: '"fast"', problem: /not an integer/, fix: /registryRateLimit '20'/ },
    { name: "wrong type: structured", stack: "dev", overrides: { services: "example-api" }, key: "services", shown: '"example-api"', problem: /structured YAML/, fix: /--path services/ },
    { name: "missing pull token", stack: "prd", overrides: { githubPullToken: undefined }, key: "githubPullToken", shown: "(not set)", problem: /is required/, fix: /pulumi config set --secret githubPullToken/ },
    { name: "pull token in plaintext", stack: "dev", overrides: { githubPullToken: "ghp_plaintextTokenValue" }, plaintextSecret: true, key: "githubPullToken", shown: '"[secret]"', problem: /plaintext/, fix: /rotate it/ },
    { name: "bad allowTags regexp", stack: "dev", overrides: { services: svc({ updateStrategy: "newest-build", allowTags: "regexp:^sha-[0-9a-f+$" }) }, key: "services[0].allowTags", shown: "regexp:^sha-", problem: /not a regular expression Go.s RE2 accepts/, fix: /regexp:\^sha-\[0-9a-f\]\+\$/ },
    { name: "allowTags without regexp: prefix", stack: "dev", overrides: { services: svc({ allowTags: "^sha-[0-9a-f]+$" }) }, key: "services[0].allowTags", shown: '"^sha-[0-9a-f]+$"', problem: /'any' or 'regexp:<pattern>'/, fix: /regexp:/ },
    { name: "unknown strategy (0.x name)", stack: "dev", overrides: { services: svc({ updateStrategy: "latest" }) }, key: "services[0].updateStrategy", shown: '"latest"', problem: /latest is now newest-build/, fix: /Pulumi\.dev\.yaml/ },
    { name: "conflicting write-back options", stack: "dev", overrides: { services: svc({ writeBack: { method: "argocd", branch: "main" } }) }, key: "services[0].writeBack", shown: "argocd", problem: /only apply to git write-back/, fix: /method: git or drop branch\/target/ },
    { name: "writeBackBranch with argocd write-back", stack: "dev", overrides: { writeBackMethod: "argocd", writeBackBranch: "image-updates" }, key: "writeBackBranch", shown: '"image-updates"', problem: /writeBackMethod is argocd/, fix: /pulumi config rm writeBackBranch -s dev/ },
    { name: "kustomization target on a Helm service", stack: "dev", overrides: { services: svc({ writeBack: { method: "git", target: "kustomization" } }) }, key: "services[0].writeBack.target", shown: '"kustomization"', problem: /Helm service writes back to helmvalues/, fix: /helmvalues:values-<env>\.yaml/ },
    { name: "digest strategy without a tag", stack: "dev", overrides: { services: svc({ updateStrategy: "digest" }) }, key: "services[0].imageConstraint", shown: "(not set)", problem: /one mutable tag/, fix: /dev-canary/ },
    { name: "newest-build without allowTags", stack: "dev", overrides: { services: svc({ updateStrategy: "newest-build" }) }, key: "services[0].allowTags", shown: "(not set)", problem: /'latest' included/, fix: /allowTags: regexp:/ },
    { name: "image and images together", stack: "dev", overrides: { services: svc({ images: [{ alias: "app", repository: "ghcr.io/acme/a" }] }) }, key: "services[0].image", shown: "ghcr.io", problem: /mutually exclusive/, fix: /exactly one/ },
    { name: "Helm and kustomize images in one service", stack: "dev", overrides: { services: [{ name: "a", images: [{ alias: "web", repository: "ghcr.io/acme/web" }, { alias: "proxy", repository: "ghcr.io/acme/proxy", kustomize: { name: "proxy" } }] }] }, key: "services[0].images[1].kustomize", shown: "proxy", problem: /either Helm or kustomize/, fix: /split the service/ },
    { name: "duplicate image alias", stack: "dev", overrides: { services: [{ name: "a", images: [{ alias: "app", repository: "ghcr.io/acme/a" }, { alias: "app", repository: "ghcr.io/acme/b" }] }] }, key: "services[0].images[1].alias", shown: '"app"', problem: /used twice/, fix: /own alias/ },
    { name: "image repository with a tag", stack: "dev", overrides: { services: svc({ image: "ghcr.io/acme/a:1.0" }) }, key: "services[0].image", shown: '"ghcr.io/acme/a:1.0"', problem: /without tag/, fix: /Pulumi\.dev\.yaml/ },
    { name: "Argo CD hostname with a scheme", stack: "dev", overrides: { argocdHostname: "https://argocd.example.com" }, key: "argocdHostname", shown: '"https://argocd.example.com"', problem: /no scheme/, fix: /argocdHostname 'argocd\.dev\.example\.com'/ },
    { name: "Vault address with a path", stack: "dev", overrides: { vaultAddress: "https://vault.example.com/v1/secret" }, key: "vaultAddress", shown: '"https://vault.example.com/v1/secret"', problem: /no path/, fix: /vaultAddress/ },
    { name: "Vault path prefix with a leading slash", stack: "dev", overrides: { vaultPathPrefix: "/cluster-stack/dev" }, key: "vaultPathPrefix", shown: '"/cluster-stack/dev"', problem: /without leading or trailing/, fix: /vaultPathPrefix/ },
    { name: "poll interval not a duration", stack: "dev", overrides: { imageUpdaterInterval: "2 minutes" }, key: "imageUpdaterInterval", shown: '"2 minutes"', problem: /Go duration/, fix: /imageUpdaterInterval '2m'/ },
    { name: "unknown log level", stack: "dev", overrides: { imageUpdaterLogLevel: "verbose" }, key: "imageUpdaterLogLevel", shown: '"verbose"', problem: /trace, debug, info, warn, error/, fix: /imageUpdaterLogLevel/ },
    { name: "commit e-mail not an address", stack: "dev", overrides: { gitCommitEmail: "bot" }, key: "gitCommitEmail", shown: '"bot"', problem: /e-mail/, fix: /gitCommitEmail/ },
    { name: "unknown service field", stack: "dev", overrides: { services: svc({ replicas: 2 }) }, key: "services[0]", shown: "replicas", problem: /replicas/, fix: /Pulumi\.dev\.yaml/ },
];

describe("bad input: clear errors before any resource", () => {
    it(`covers at least 25 cases (${cases.length})`, () => {
        assert.ok(cases.length >= 25);
    });

    it("control: a valid config does register resources into the same sink", async () => {
        const registered: RecordedResource[] = [];
        await renderStack({ stack: "dev", registered });
        assert.ok(registered.length > 10);
    });

    for (const c of cases) {
        it(c.name, () =>
            assertRejected(
                {
                    stack: c.stack,
                    adjust: (config) => {
                        const adjusted = withOverrides(config, c.overrides);
                        const secretKeys = new Set(adjusted.secretKeys);
                        if (c.plaintextSecret) for (const key of Object.keys(c.overrides)) secretKeys.delete(`${config.project}:${key}`);
                        return { ...adjusted, secretKeys };
                    },
                },
                c,
            ),
        );
    }
});
