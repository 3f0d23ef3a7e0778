import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScript } from "../support/cli";

describe("npm run vault-ci", () => {
  it("prints the policy and JWT role commands of a stack, with the preview role on request", () => {
    const result = runScript("vaultCi", ["--stack", "dev", "--repository", "example-org/cluster-stack", "--preview"]);
    assert.equal(result.status, 0, result.stderr);
    const written = [...result.stdout.matchAll(/^vault (policy write \S+|write \S+) - <<'/gm)].map((m) => m[1]);
    assert.deepEqual(written, [
      "policy write cluster-stack-deploy-dev",
      "write auth/jwt/role/cluster-stack-deploy-dev",
      "policy write cluster-stack-preview-dev",
      "write auth/jwt/role/cluster-stack-preview-dev",
    ]);
    const role = JSON.parse(/auth\/jwt\/role\/cluster-stack-deploy-dev - <<'ROLE'\n([\s\S]*?)\nROLE/.exec(result.stdout)![1]);
    assert.deepEqual(role.bound_audiences, ["https://vault.example.com"], "the audience is the stack's vaultAddress");
  });

  it("refuses a repository that is not <owner>/<name>", () => {
    const result = runScript("vaultCi", ["--stack", "prd", "--repository", "cluster-stack"]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: npm run vault-ci/);
  });
});
