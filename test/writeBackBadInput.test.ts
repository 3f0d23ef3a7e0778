import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveWriteBackTarget } from "../lib/writeBackTarget";
import { loadStackConfig } from "../stacks/config";
import { stackConfig, withOverrides, type Overrides } from "./support/config";
import { assertRejected, type Rejection } from "./support/rejection";

/** One write-back config that would write outside its environment or over another image's value, and what its error must say. */
interface BadWriteBack extends Rejection {
    name: string;
    stack: "dev" | "prd";
    overrides: Overrides;
}

const gitTo = (target: string) => ({ method: "git", target });
const api = (target: string, fields: Record<string, unknown> = {}) => ({ name: "example-api", image: "ghcr.io/example-org/example-api", writeBack: gitTo(target), ...fields });
const billing = { name: "billing", image: "ghcr.io/example-org/billing" };
const worker = (target: string) => ({ name: "worker", images: [{ alias: "main", repository: "ghcr.io/example-org/worker", kustomize: { name: "worker" } }], writeBack: gitTo(target) });

type HelmPaths = { name: string; tag: string } | undefined;
const platform = (web: HelmPaths, worker: HelmPaths) => ({
    name: "platform",
    images: [
        { alias: "web", repository: "ghcr.io/example-org/web", ...(web && { helm: web }) },
        { alias: "worker", repository: "ghcr.io/example-org/worker", ...(worker && { helm: worker }) },
    ],
});

const cases: BadWriteBack[] = [
    {
        name: "bare helmvalues: the values.yaml both environments read",
        stack: "dev",
        overrides: { services: [api("helmvalues")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues"',
        problem: /^resolves to services\/example-api\/values\.yaml, the values file every environment's Application of this service reads: a dev update would reach them all$/,
        fix: /^in Pulumi\.dev\.yaml, set target: helmvalues:values-dev\.yaml \(services\/example-api\/values-dev\.yaml, read by example-api-dev alone\), or drop target to write services\/example-api\/\.argocd-source-example-api-dev\.yaml$/,
    },
    {
        name: "the other environment's values file from a dev stack",
        stack: "dev",
        overrides: { services: [api("helmvalues:values-prd.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:values-prd.yaml"',
        problem: /resolves to services\/example-api\/values-prd\.yaml, the values file of environment prd, which example-api-dev does not read/,
        fix: /set target: helmvalues:values-dev\.yaml/,
    },
    {
        name: "a repository-rooted path to the other environment's values file",
        stack: "prd",
        overrides: { services: [api("helmvalues:/services/example-api/values-dev.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:/services/example-api/values-dev.yaml"',
        problem: /resolves to services\/example-api\/values-dev\.yaml, the values file of environment dev, which example-api-prd does not read/,
        fix: /^in Pulumi\.prd\.yaml, set target: helmvalues:values-prd\.yaml \(services\/example-api\/values-prd\.yaml/,
    },
    {
        name: "a ../ escape into another service's directory",
        stack: "dev",
        overrides: { services: [api("helmvalues:../billing/values-dev.yaml"), billing] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:../billing/values-dev.yaml"',
        problem: /resolves to services\/billing\/values-dev\.yaml, outside services\/example-api, the directory of example-api-dev: another service's or environment's files/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a repository-rooted path into another service's directory",
        stack: "dev",
        overrides: { services: [billing, api("helmvalues:/services/billing/values-dev.yaml")] },
        key: "services[1].writeBack.target",
        shown: '"helmvalues:/services/billing/values-dev.yaml"',
        problem: /resolves to services\/billing\/values-dev\.yaml, outside services\/example-api/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a rooted path with .. that Image Updater does not clean before the commit does",
        stack: "dev",
        overrides: { services: [api("helmvalues:/services/example-api/../billing/values-dev.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:/services/example-api/../billing/values-dev.yaml"',
        problem: /resolves to services\/billing\/values-dev\.yaml, outside services\/example-api/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a ../ escape out of the deploy repository",
        stack: "dev",
        overrides: { services: [api("helmvalues:../../../values-dev.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:../../../values-dev.yaml"',
        problem: /resolves to \.\.\/values-dev\.yaml, outside the deploy repository/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a file in the chart directory that the Application does not read",
        stack: "dev",
        overrides: { services: [api("helmvalues:image-tags.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:image-tags.yaml"',
        problem: /resolves to services\/example-api\/image-tags\.yaml, a file example-api-dev does not read \(it reads values\.yaml and values-dev\.yaml\)/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "the env values file with the .yml extension Argo CD is not told to read",
        stack: "dev",
        overrides: { services: [api("helmvalues:values-dev.yml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:values-dev.yml"',
        problem: /resolves to services\/example-api\/values-dev\.yml, a file example-api-dev does not read \(it reads values\.yaml and values-dev\.yaml\)/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a configured path: the default chart directory is another one",
        stack: "dev",
        overrides: { services: [api("helmvalues:/services/example-api/values-dev.yaml", { path: "charts/api" })] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:/services/example-api/values-dev.yaml"',
        problem: /outside charts\/api, the directory of example-api-dev/,
        fix: /\(charts\/api\/values-dev\.yaml, read by example-api-dev alone\), or drop target to write charts\/api\/\.argocd-source-example-api-dev\.yaml/,
    },
    {
        name: "a kustomize target in the shared base, outside the overlay",
        stack: "dev",
        overrides: { services: [worker("kustomization:../../base")] },
        key: "services[0].writeBack.target",
        shown: '"kustomization:../../base"',
        problem: /^resolves to the kustomization in services\/worker\/base, outside services\/worker\/overlays\/dev, the overlay worker-dev renders/,
        fix: /^in Pulumi\.dev\.yaml, set target: kustomization \(the overlay services\/worker\/overlays\/dev itself\), or drop target to write services\/worker\/overlays\/dev\/\.argocd-source-worker-dev\.yaml$/,
    },
    {
        name: "a kustomize target in the other environment's overlay",
        stack: "prd",
        overrides: { services: [worker("kustomization:/services/worker/overlays/dev")] },
        key: "services[0].writeBack.target",
        shown: '"kustomization:/services/worker/overlays/dev"',
        problem: /resolves to the kustomization in services\/worker\/overlays\/dev, outside services\/worker\/overlays\/prd/,
        fix: /the overlay services\/worker\/overlays\/prd itself/,
    },
    {
        name: "a kustomize target that names the overlay again under the overlay",
        stack: "dev",
        overrides: { services: [worker("kustomization:overlays/dev")] },
        key: "services[0].writeBack.target",
        shown: '"kustomization:overlays/dev"',
        problem: /resolves to the kustomization in services\/worker\/overlays\/dev\/overlays\/dev, a directory below services\/worker\/overlays\/dev, not the overlay worker-dev renders/,
        fix: /set target: kustomization/,
    },
    {
        name: "a target under the values file of the other environment's name, one directory down",
        stack: "dev",
        overrides: { services: [api("helmvalues:old/values-prd.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:old/values-prd.yaml"',
        problem: /resolves to services\/example-api\/old\/values-prd\.yaml, a file example-api-dev does not read/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "a backup of the other environment's values file",
        stack: "dev",
        overrides: { services: [api("helmvalues:values-prd.yaml.orig")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:values-prd.yaml.orig"',
        problem: /resolves to services\/example-api\/values-prd\.yaml\.orig, a file example-api-dev does not read/,
        fix: /helmvalues:values-dev\.yaml/,
    },
    {
        name: "the other environment's values file with the .yml extension",
        stack: "prd",
        overrides: { services: [api("helmvalues:values-dev.yml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:values-dev.yml"',
        problem: /resolves to services\/example-api\/values-dev\.yml, the values file of environment dev, which example-api-prd does not read/,
        fix: /helmvalues:values-prd\.yaml/,
    },
    {
        name: "a kustomize target naming the default override file as a directory",
        stack: "dev",
        overrides: { services: [worker("kustomization:.argocd-source-worker-dev.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"kustomization:.argocd-source-worker-dev.yaml"',
        problem: /^resolves to the kustomization in services\/worker\/overlays\/dev\/\.argocd-source-worker-dev\.yaml, a directory below services\/worker\/overlays\/dev/,
        fix: /set target: kustomization/,
    },
    {
        name: "a target on argocd write-back is named once, as not applying",
        stack: "dev",
        overrides: { services: [api("helmvalues:../billing/values-dev.yaml", { writeBack: { method: "argocd", target: "helmvalues:../billing/values-dev.yaml" } })] },
        key: "services[0].writeBack",
        shown: '"method":"argocd"',
        problem: /only apply to git write-back/,
        fix: /set method: git or drop branch\/target/,
        alone: true,
    },
    {
        name: "a kustomization target on a Helm service is named once, as the wrong kind",
        stack: "dev",
        overrides: { services: [api("kustomization:../billing")] },
        key: "services[0].writeBack.target",
        shown: '"kustomization:../billing"',
        problem: /^a Helm service writes back to helmvalues\[:\.\.\.\], not kustomization$/,
        fix: /use helmvalues:values-<env>\.yaml/,
        alone: true,
    },
    {
        name: "a helmvalues target on a kustomize service is named once, as the wrong kind",
        stack: "prd",
        overrides: { services: [worker("helmvalues:../../dev/values.yaml")] },
        key: "services[0].writeBack.target",
        shown: '"helmvalues:../../dev/values.yaml"',
        problem: /^a kustomize service writes back to kustomization\[:\.\.\.\], not helmvalues$/,
        fix: /use kustomization or drop target/,
        alone: true,
    },
    {
        name: "two images writing the same Helm tag path",
        stack: "dev",
        overrides: { services: [platform({ name: "web.image.repository", tag: "image.tag" }, { name: "worker.image.repository", tag: "image.tag" })] },
        key: "services[0].images[1].helm.tag",
        shown: '"image.tag"',
        problem: /^is also the tag of images\[0\] \(web\): one update overwrites the other in that one Helm value$/,
        fix: /^in Pulumi\.dev\.yaml, give images\[1\] \(worker\) paths of its own, e\.g\. helm: \{name: worker\.image\.repository, tag: worker\.image\.tag\}$/,
    },
    {
        name: "a tag path equal to another image's name path, with argocd write-back too",
        stack: "prd",
        overrides: { services: [{ ...platform({ name: "web.image", tag: "web.tag" }, { name: "worker.image", tag: "web.image" }), writeBack: { method: "argocd" } }] },
        key: "services[0].images[1].helm.tag",
        shown: '"web.image"',
        problem: /is also the name of images\[0\] \(web\)/,
        fix: /give images\[1\] \(worker\) paths of its own/,
    },
    {
        name: "two images both left on the default Helm paths",
        stack: "dev",
        overrides: { services: [platform(undefined, undefined)] },
        key: "services[0].images[1].helm",
        shown: "(not set)",
        problem: /^this image then writes the defaults image\.repository and image\.tag; image\.repository is also the name of images\[0\] \(web\), image\.tag is also the tag of images\[0\] \(web\)/,
        fix: /helm: \{name: worker\.image\.repository, tag: worker\.image\.tag\}/,
    },
    {
        name: "one image whose name and tag paths are the same",
        stack: "dev",
        overrides: { services: [platform({ name: "web.image.repository", tag: "web.image.tag" }, { name: "worker.image", tag: "worker.image" })] },
        key: "services[0].images[1].helm.tag",
        shown: '"worker.image"',
        problem: /is also this image's name/,
        fix: /give images\[1\] \(worker\) paths of its own/,
    },
];

describe("write-back outside its environment or onto another image's values: clear errors before any resource", () => {
    for (const c of cases) {
        it(c.name, () => assertRejected({ stack: c.stack, adjust: (config) => withOverrides(config, c.overrides) }, c));
    }
});

describe("write-back that stays in its environment and its image's values is accepted", () => {
    const accepted: { name: string; stack: "dev" | "prd"; service: Record<string, unknown>; writes: string }[] = [
        { name: "the env values file", stack: "dev", service: api("helmvalues:values-dev.yaml"), writes: "services/example-api/values-dev.yaml" },
        { name: "the env values file from the repository root", stack: "prd", service: api("helmvalues:/services/example-api/values-prd.yaml"), writes: "services/example-api/values-prd.yaml" },
        { name: "the env values file by a ./ path", stack: "dev", service: api("helmvalues:./values-dev.yaml"), writes: "services/example-api/values-dev.yaml" },
        { name: "the default file, named as a values file", stack: "dev", service: api("helmvalues:.argocd-source-example-api-dev.yaml"), writes: "services/example-api/.argocd-source-example-api-dev.yaml" },
        { name: "the env values file under a configured path", stack: "dev", service: api("helmvalues:/charts/api/values-dev.yaml", { path: "charts/api" }), writes: "charts/api/values-dev.yaml" },
        { name: "the overlay itself", stack: "dev", service: worker("kustomization"), writes: "services/worker/overlays/dev" },
        { name: "the overlay from the repository root", stack: "prd", service: worker("kustomization:/services/worker/overlays/prd"), writes: "services/worker/overlays/prd" },
        { name: "the overlay by .", stack: "dev", service: worker("kustomization:."), writes: "services/worker/overlays/dev" },
    ];
    for (const c of accepted) {
        it(`${c.name}: ${JSON.stringify((c.service.writeBack as { target: string }).target)}`, () => {
            const service = loadStackConfig(stackConfig(c.stack, { services: [c.service] })).services[0];
            assert.equal(resolveWriteBackTarget(service.writeBack.target, { name: service.appName, sourcePath: service.path }).path, c.writes);
        });
    }

    it("two images with Helm value paths of their own, one of them on the defaults", () => {
        const service = loadStackConfig(stackConfig("dev", { services: [platform(undefined, { name: "worker.image.repository", tag: "worker.image.tag" })] })).services[0];
        assert.deepEqual(
            service.images.map((i) => i.target),
            [{ helm: { name: "image.repository", tag: "image.tag" } }, { helm: { name: "worker.image.repository", tag: "worker.image.tag" } }],
        );
    });

    it("no target: the default .argocd-source-<app>.yaml, for Helm and kustomize", () => {
        const services = loadStackConfig(stackConfig("dev", { writeBackMethod: "git", services: [billing, { ...worker("kustomization"), writeBack: undefined }] })).services;
        assert.deepEqual(
            services.map((s) => [s.writeBack, resolveWriteBackTarget(s.writeBack.target, { name: s.appName, sourcePath: s.path }).path]),
            [
                [{ method: "git", branch: "main" }, "services/billing/.argocd-source-billing-dev.yaml"],
                [{ method: "git", branch: "main" }, "services/worker/overlays/dev/.argocd-source-worker-dev.yaml"],
            ],
        );
    });
});
