import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ROOT, loadYaml, readText } from "./load";

interface GitlabJob {
  image?: string | { name: string };
  variables?: Record<string, string>;
  before_script?: string[];
  script?: string[];
}

const template = loadYaml<Record<string, GitlabJob>>("ci/release-tracking/gitlab-ci.yml");
const job = template[".argocd-wait"];
const script = readText("ci/release-tracking/argocd-wait.sh");

describe("ci/release-tracking/gitlab-ci.yml", () => {
  it("defines only the hidden .argocd-wait job, so including it adds no job by itself", () => {
    assert.deepEqual(Object.keys(template), [".argocd-wait"]);
  });

  it("runs the shared script with bash", () => {
    assert.deepEqual(job.script, ['bash "$ARGOCD_WAIT_SCRIPT"']);
    assert.equal(job.variables?.ARGOCD_WAIT_SCRIPT, "ci/release-tracking/argocd-wait.sh");
    assert.ok(existsSync(path.join(ROOT, job.variables.ARGOCD_WAIT_SCRIPT)));
  });

  it("installs what the script needs: bash, jq, a checksum-verified argocd, and pulumi unless outputs come from a file", () => {
    const setup = (job.before_script ?? []).join("\n");
    assert.match(setup, /apk add --no-cache bash curl jq/);
    assert.match(setup, /argocd-linux-amd64[\s\S]*cli_checksums\.txt[\s\S]*sha256sum -c/);
    assert.match(setup, /if \[ -z "\$STACK_OUTPUTS_FILE" \]; then\s+curl -fsSL https:\/\/get\.pulumi\.com \| sh -s -- --version "\$PULUMI_VERSION"/);
  });

  it("pins the image and tool versions", () => {
    assert.match(String(job.image), /^[\w./-]+:\d+\.\d+$/);
    assert.match(job.variables?.ARGOCD_VERSION ?? "", /^v\d+\.\d+\.\d+$/);
    assert.match(job.variables?.PULUMI_VERSION ?? "", /^\d+\.\d+\.\d+$/);
  });

  it("exposes the script's inputs as variables and keeps the token out of the template", () => {
    const inputs = ["PULUMI_STACK", "ARGOCD_APP", "ARGOCD_WAIT_TIMEOUT", "ARGOCD_GRPC_WEB", "STACK_OUTPUTS_FILE"];
    for (const name of inputs) {
      assert.ok(name in (job.variables ?? {}), `variable ${name} missing`);
      assert.match(script, new RegExp(`\\$\\{${name}[:}]`), `argocd-wait.sh does not read ${name}`);
    }
    assert.equal(job.variables?.ARGOCD_WAIT_TIMEOUT, "300");
    assert.ok(!("ARGOCD_AUTH_TOKEN" in (job.variables ?? {})), "the token belongs in masked CI/CD variables");
    assert.ok(!("PULUMI_ACCESS_TOKEN" in (job.variables ?? {})));
  });
});
