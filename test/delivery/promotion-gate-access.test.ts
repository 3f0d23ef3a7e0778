import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { ciAccountKey, ciPolicy, ciPolicyKey } from "../../lib/ciAccount";
import { argoCdEnforcer, policyCsv } from "../support/argoCdRbac";
import { readText } from "./load";

const DOC = "docs/promotion-gate.md";

/** The ConfigMaps of the account as docs/promotion-gate.md gives them, by name. */
function documentedAccount(): Record<string, Record<string, string>> {
  const block = /```yaml\n(apiVersion: v1\nkind: ConfigMap[\s\S]*?)```/.exec(readText(DOC))?.[1];
  assert.ok(block, `${DOC} has no ConfigMap block`);
  const maps = parseAllDocuments(block).map((d) => d.toJS() as { metadata: { name: string }; data: Record<string, string> });
  return Object.fromEntries(maps.map((m) => [m.metadata.name, m.data]));
}

describe("the promotion gate's Argo CD account (docs/promotion-gate.md), evaluated with Argo CD's RBAC model", () => {
  const account = documentedAccount();
  let enforce: (sub: string, res: string, act: string, obj: string) => Promise<boolean>;

  before(async () => {
    // Beside the stacks' own CI accounts on a shared Argo CD, as both environments' stacks write them.
    const rbac: Record<string, string> = {
      "policy.csv": "",
      [ciPolicyKey("dev")]: ciPolicy("ci-dev", "dev", "services-dev"),
      [ciPolicyKey("prd")]: ciPolicy("ci-prd", "prd", "services-prd"),
      ...account["argocd-rbac-cm"],
    };
    const enforcer = await argoCdEnforcer(policyCsv(rbac));
    enforce = (sub, res, act, obj) => enforcer.enforce(sub, res, act, obj);
  });

  it("is an API-key account under keys of its own, which no stack writes", () => {
    assert.deepEqual(account["argocd-cm"], { [ciAccountKey("promotion-gate")]: "apiKey" });
    assert.deepEqual(Object.keys(account["argocd-rbac-cm"]), ["policy.promotion-gate.csv"]);
    for (const env of ["dev", "prd"]) assert.notEqual(ciPolicyKey(env), "policy.promotion-gate.csv");
  });

  for (const env of ["dev", "prd"]) {
    it(`gets ${env}'s Applications, in the control plane's namespace or another, and ${env}'s project, as argocd app get needs`, async () => {
      assert.equal(await enforce("promotion-gate", "applications", "get", `services-${env}/example-api-${env}`), true);
      assert.equal(await enforce("promotion-gate", "applications", "get", `services-${env}/apps/example-api-${env}`), true);
      assert.equal(await enforce("promotion-gate", "projects", "get", `services-${env}`), true);
    });

    it(`changes nothing of ${env}'s`, async () => {
      for (const action of ["sync", "create", "update", "delete", "override", "action/apps/Deployment/restart"]) {
        assert.equal(await enforce("promotion-gate", "applications", action, `services-${env}/example-api-${env}`), false, action);
      }
      assert.equal(await enforce("promotion-gate", "logs", "get", `services-${env}/example-api-${env}`), false);
      assert.equal(await enforce("promotion-gate", "exec", "create", `services-${env}/example-api-${env}`), false);
      assert.equal(await enforce("promotion-gate", "projects", "update", `services-${env}`), false);
    });
  }

  it("reaches no other project, cluster or repository", async () => {
    assert.equal(await enforce("promotion-gate", "applications", "get", "default/guestbook"), false);
    assert.equal(await enforce("promotion-gate", "projects", "get", "default"), false);
    assert.equal(await enforce("promotion-gate", "clusters", "get", "https://kubernetes.default.svc"), false);
    assert.equal(await enforce("promotion-gate", "repositories", "get", "*"), false);
    assert.equal(await enforce("promotion-gate", "accounts", "update", "*"), false);
  });

  it("leaves the CI accounts as they were", async () => {
    assert.equal(await enforce("ci-dev", "applications", "get", "services-prd/example-api-prd"), false);
    assert.equal(await enforce("ci-prd", "applications", "sync", "services-prd/example-api-prd"), true);
  });
});
