import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { ciGithubEnvironment, ciJwtRole, ciVaultName, ciVaultPolicy, type CiRole } from "../../lib/ciVaultAccess";
import type { RecordedResource } from "../../scripts/render/mockRuntime";
import { PROJECT_DIR, renderStack } from "../../scripts/render/renderStack";
import { loadStackConfig } from "../../stacks/config";
import type { StackConfig } from "../../model/stackConfig";
import { STACKS_TO_RENDER } from "../support/stacks";
import { readText } from "./load";

/** One Vault API call: an ACL capability on a path. */
interface Request {
  path: string;
  capability: string;
}

const WRITE = ["create", "read", "update", "delete"];
const on = (p: string, capabilities: string[]): Request[] => capabilities.map((capability) => ({ path: p, capability }));

/**
 * The calls the Vault provider (terraform-provider-vault 5.x) makes for what the program declared:
 * a KV v2 secret is written, read and deleted under `<mount>/data/`, and its metadata read back;
 * policies live under `sys/policies/acl/`, Kubernetes-auth roles under `auth/<mount>/role/`.
 */
function vaultRequests(resources: readonly RecordedResource[]): Request[] {
  return resources.flatMap((r): Request[] => {
    const inputs = r.inputs as Record<string, string>;
    switch (r.type) {
      case "vault:kv/secretV2:SecretV2":
        return [...on(`${inputs.mount}/data/${inputs.name}`, WRITE), ...on(`${inputs.mount}/metadata/${inputs.name}`, ["read"])];
      case "vault:index/policy:Policy":
        return on(`sys/policies/acl/${inputs.name}`, WRITE);
      case "vault:kubernetes/authBackendRole:AuthBackendRole":
        return on(`auth/${inputs.backend}/role/${inputs.roleName}`, WRITE);
      case "vault:index/mount:Mount":
        return on(`sys/mounts/${inputs.path}`, WRITE);
      default:
        assert.ok(!r.type.startsWith("vault:"), `no Vault calls known for ${r.type}: add them here`);
        return [];
    }
  });
}

/** Parses our HCL: `path "<p>" { capabilities = [...] }` blocks. */
function parsePolicy(hcl: string): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  for (const m of hcl.matchAll(/^path "([^"]+)" \{\n {2}capabilities = \[([^\]]*)\]\n\}$/gm)) {
    rules.set(m[1], [...m[2].matchAll(/"(\w+)"/g)].map((c) => c[1]));
  }
  return rules;
}

/** Vault's ACL check for our rules: an exact path, or a prefix glob ending in `*`. */
function allows(policy: Map<string, string[]>, request: Request): boolean {
  return [...policy].some(
    ([rule, capabilities]) =>
      (rule.endsWith("*") ? request.path.startsWith(rule.slice(0, -1)) : request.path === rule) && capabilities.includes(request.capability),
  );
}

const denied = (policy: Map<string, string[]>, requests: Request[]) =>
  requests.filter((r) => !allows(policy, r)).map((r) => `${r.capability} ${r.path}`);

interface Rendered {
  config: StackConfig;
  requests: Request[];
}

async function render(stack: string, stackConfigDir?: string): Promise<Rendered> {
  const { config, run } = await renderStack({ stack, stackConfigDir });
  return { config: loadStackConfig(config), requests: vaultRequests(run.resources) };
}

const deployPolicy = ({ config }: Rendered) => parsePolicy(ciVaultPolicy(config.environment, config.vault, "deploy"));

for (const target of STACKS_TO_RENDER) {
  describe(`CI deploy identity for ${target.label}`, () => {
    let stack: Rendered;
    before(async () => {
      stack = await render(target.stack, target.stackConfigDir);
    });

    it("is allowed every Vault call pulumi up makes, except mounting the KV engine", () => {
      assert.ok(stack.requests.length > 0, "the stack writes nothing to Vault");
      const mounts = stack.requests.filter((r) => r.path.startsWith("sys/mounts/"));
      assert.equal(mounts.length > 0, stack.config.vault.manageKvMount);
      assert.deepEqual(denied(deployPolicy(stack), stack.requests), [...new Set(mounts.map((r) => `${r.capability} ${r.path}`))]);
    });

    it("cannot rewrite its own policy or any JWT role", () => {
      const policy = deployPolicy(stack);
      const own = ciVaultName(stack.config.environment, "deploy");
      for (const p of [`sys/policies/acl/${own}`, `sys/policies/acl/${ciVaultName(stack.config.environment, "preview")}`, `auth/jwt/role/${own}`]) {
        assert.deepEqual(denied(policy, on(p, WRITE)), on(p, WRITE).map((r) => `${r.capability} ${r.path}`), p);
      }
    });
  });
}

describe("CI deploy identities of two environments in one Vault", () => {
  const fixtures = path.join(PROJECT_DIR, "test", "fixtures", "shared-cluster");
  let dev: Rendered;
  let prd: Rendered;
  before(async () => {
    [dev, prd] = await Promise.all([render("dev", fixtures), render("prd", fixtures)]);
  });

  it("neither may touch anything the other environment's stack writes", () => {
    assert.deepEqual(
      prd.requests.filter((r) => allows(deployPolicy(dev), r)),
      [],
    );
    assert.deepEqual(
      dev.requests.filter((r) => allows(deployPolicy(prd), r)),
      [],
    );
  });
});

describe("CI preview identity", () => {
  it("may only create the provider's child token: a preview reads and writes nothing in Vault", async () => {
    const { config, requests } = await render("dev");
    const policy = parsePolicy(ciVaultPolicy(config.environment, config.vault, "preview"));
    assert.deepEqual([...policy], [["auth/token/create", ["update"]]]);
    assert.equal(denied(policy, requests).length, requests.length);
  });
});

describe("CI JWT roles", () => {
  const options = { repository: "example-org/cluster-stack", audience: "https://vault.example.com", branch: "main" };
  const claims = (env: string, role: CiRole) => ciJwtRole(env, role, options).bound_claims;

  it("bind the deploy role to the repository, main and the environment's own GitHub environment", () => {
    assert.deepEqual(claims("prd", "deploy"), { repository: "example-org/cluster-stack", environment: "prd", ref: "refs/heads/main" });
    assert.equal(ciJwtRole("prd", "deploy", options).bound_subject, "repo:example-org/cluster-stack:environment:prd");
  });

  it("bind the preview role to the <env>-preview GitHub environment of the repository, on any ref", () => {
    assert.deepEqual(claims("dev", "preview"), { repository: "example-org/cluster-stack", environment: "dev-preview" });
    assert.equal(ciGithubEnvironment("dev", "preview"), "dev-preview");
  });

  it("log in with the job's GitHub token as a plain JWT, identified by its subject, for an hour at most", () => {
    for (const role of ["deploy", "preview"] as const) {
      const { role_type, user_claim, token_ttl, token_max_ttl } = ciJwtRole("prd", role, options);
      assert.deepEqual({ role_type, user_claim, token_ttl, token_max_ttl }, { role_type: "jwt", user_claim: "sub", token_ttl: "1h", token_max_ttl: "1h" }, role);
    }
  });

  it("come with policies that open by naming the role and what it is for", async () => {
    const { config } = await render("dev");
    assert.match(ciVaultPolicy(config.environment, config.vault, "deploy"), /^# cluster-stack-deploy-dev: what `pulumi up` of dev does in Vault\.\n\n# /);
    assert.match(ciVaultPolicy(config.environment, config.vault, "preview"), /^# cluster-stack-preview-dev: `pulumi preview` reads nothing in Vault .*\n\n# /);
  });

  it("match claims exactly, audience included, and give the role's own policy only", () => {
    for (const role of ["deploy", "preview"] as const) {
      const jwt = ciJwtRole("dev", role, options);
      assert.equal(jwt.bound_claims_type, "string");
      assert.deepEqual(jwt.bound_audiences, [options.audience]);
      assert.deepEqual(jwt.token_policies, [ciVaultName("dev", role)]);
    }
  });
});

describe("docs/ci-access.md", () => {
  it("shows the deploy policy exactly as it is generated for Pulumi.dev.yaml", async () => {
    const { config } = await render("dev");
    assert.ok(readText("docs/ci-access.md").includes(ciVaultPolicy(config.environment, config.vault, "deploy")), "regenerate it with npm run vault-ci");
  });
});
