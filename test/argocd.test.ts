import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { ADMIN_PASSWORD_MTIME } from "../lib/argocdValues";
import { ARGO_CD_CHART } from "../lib/charts";
import { REDACTED, kubernetesManifests, reveal } from "../scripts/render/manifests";
import { isWrappedSecret } from "../scripts/render/mockRuntime";
import { renderStack, type Render } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";

function byType(render: Render, type: string) {
    return render.run.resources.filter((r) => r.type === type);
}

describe("ArgoCd component (dev stack under mocks)", () => {
    let render: Render;
    before(async () => {
        render = await renderStack({ stack: "dev" });
    });

    it("installs the pinned argo-cd chart into its own namespace", () => {
        const [release] = byType(render, "kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "argo-cd");
        assert.ok(release, "argo-cd release registered");
        assert.equal(release.inputs.version, ARGO_CD_CHART.version);
        assert.equal(release.inputs.version, "10.1.1");
        assert.deepEqual(release.inputs.repositoryOpts, { repo: "https://argoproj.github.io/argo-helm" });
        assert.equal(release.inputs.namespace, "argocd");
        assert.equal(release.inputs.name, "argocd");
        const namespaces = kubernetesManifests(render.run.resources).filter((m) => m.kind === "Namespace").map((m) => m.name);
        assert.ok(namespaces.includes("argocd"));
    });

    it("sets the chart values: domain, ingress with TLS and issuer, insecure server, no default role and no chart policy", () => {
        const release = byType(render, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "argo-cd")!;
        const values = reveal(release.inputs.values) as any;
        assert.equal(values.global.domain, "argocd.dev.example.com");
        assert.deepEqual(values.server.ingress, {
            enabled: true,
            ingressClassName: "nginx",
            tls: true,
            annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" },
        });
        assert.equal(values.configs.params["server.insecure"], true);
        assert.deepEqual(values.configs.rbac, { "policy.default": "", "policy.csv": "" });
        assert.deepEqual(values.configs.cm, { "admin.enabled": true }, "accounts come from each stack's own patch");
        assert.equal(values.configs.secret.argocdServerAdminPasswordMtime, ADMIN_PASSWORD_MTIME);
        // The chart takes an empty mtime as "now", and argocd-secret would change on every render.
        assert.match(ADMIN_PASSWORD_MTIME, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it("passes the admin password to the chart only as a secret bcrypt hash, outside the readable values", async () => {
        const release = byType(render, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "argo-cd")!;
        assert.ok(!isWrappedSecret(release.inputs.values), "values stay readable in previews");
        assert.equal((release.inputs.values as any).configs.secret.argocdServerAdminPassword, undefined);
        assert.ok(isWrappedSecret(release.inputs.valueYamlFiles), "the values file with the hash is secret");
        const [file] = reveal(release.inputs.valueYamlFiles) as { text: Promise<string> }[];
        const secretValues = parse(await file.text);
        assert.match(secretValues.configs.secret.argocdServerAdminPassword, /^\$2a\$/);
        const rendered = parse(render.files.get("manifests/release-argocd-argocd.yaml")!);
        assert.equal(rendered.valueYamlFiles, REDACTED);
        assert.equal(rendered.values.global.domain, "argocd.dev.example.com");
    });

    it("creates an AppProject confined to the deploy repo and this environment's namespaces", () => {
        const project = kubernetesManifests(render.run.resources).find((m) => m.kind === "AppProject")!;
        assert.equal(project.name, "services-dev");
        assert.equal(project.namespace, "argocd");
        const spec = project.body.spec as any;
        assert.deepEqual(spec.sourceRepos, ["https://github.com/example-org/deploy.git"]);
        assert.deepEqual(spec.destinations, [{ server: "https://kubernetes.default.svc", namespace: "example-api-dev" }]);
        const release = byType(render, "kubernetes:helm.sh/v3:Release").find((r) => r.inputs.chart === "argo-cd")!;
        assert.ok(project.resource.dependsOn.includes(release.urn), "AppProject waits for the chart that brings its CRD");
    });

    it("exports the URL, CI account, environment, and the admin password as a secret", () => {
        assert.deepEqual(render.run.outputs.argocdUrl, { value: "https://argocd.dev.example.com", secret: false });
        assert.deepEqual(render.run.outputs.ciAccount, { value: "ci-dev", secret: false });
        assert.deepEqual(render.run.outputs.environment, { value: "dev", secret: false });
        assert.equal(render.run.outputs.argocdAdminPassword.secret, true);
        assert.equal(JSON.parse(render.files.get("outputs.json")!).argocdAdminPassword, REDACTED);
    });

    it("parents every resource to a component, and the components to the stack", () => {
        const component = render.run.resources.find((r) => r.type === "cluster-stack:argocd:ArgoCd")!;
        assert.ok(component.urn.length > 0);
        for (const r of render.run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))) {
            assert.notEqual(r.parent, "", `${r.type} ${r.name} has a parent`);
            assert.ok(!r.parent.endsWith("pulumi:pulumi:Stack::cluster-stack-dev"), `${r.type} ${r.name} belongs to a component`);
        }
    });
});

describe("ArgoCd component on the second stack of a shared cluster", () => {
    it("installs nothing but the environment's AppProject, and exports no password", async () => {
        const render = await renderStack({ stack: "prd", adjust: (c) => withOverrides(c, { installArgoCd: false }) });
        assert.equal(byType(render, "kubernetes:helm.sh/v3:Release").filter((r) => r.inputs.chart === "argo-cd").length, 0);
        assert.equal(byType(render, "random:index/randomPassword:RandomPassword").length, 0);
        const project = kubernetesManifests(render.run.resources).find((m) => m.kind === "AppProject")!;
        assert.equal(project.name, "services-prd");
        assert.deepEqual(project.resource.dependsOn, []);
        assert.equal(render.run.outputs.argocdAdminPassword, undefined);
        assert.equal(render.run.outputs.argocdUrl.value, "https://argocd.prd.example.com");
    });
});
