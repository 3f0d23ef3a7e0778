import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { describeChecksumVerifier } from "./checksumVerifier";
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

  const setup = job.before_script ?? [];
  const verifier = setup.find((entry) => entry.includes("verify() {"));

  it("installs what the script needs: bash, jq, argocd, and pulumi unless outputs come from a file", () => {
    const text = setup.join("\n");
    assert.match(text, /apk add --no-cache bash curl jq/);
    assert.match(text, /releases\/download\/\$\{ARGOCD_VERSION\}\/argocd-linux-amd64/);
    assert.match(text, /if \[ -z "\$STACK_OUTPUTS_FILE" \]; then\s+archive="pulumi-v\$\{PULUMI_VERSION\}-linux-x64\.tar\.gz"/);
    assert.doesNotMatch(text, /\| *(ba)?sh\b/, "no downloaded installer is piped into a shell");
  });

  it("checks every download against its pinned SHA-256 variable before using it", () => {
    const downloads = setup.filter((entry) => /\bcurl -/.test(entry));
    const pins = downloads.map((entry) => {
      const lines = entry.split("\n").map((l) => l.trim());
      const curl = lines.findIndex((l) => l.startsWith("curl -"));
      const verify = lines.findIndex((l) => l.startsWith("verify "));
      const use = lines.findIndex((l) => /^(install|tar|ARGOCD_WAIT_SCRIPT=)/.test(l));
      assert.ok(curl >= 0 && curl < verify && verify < use, `download, verify, then use:\n${entry}`);
      // The file curl writes (-o <file>, or -O: the URL's last segment) is the file verified.
      const written = /-o "?([^" ]+)"?/.exec(lines[curl])?.[1] ?? /O "[^"]*\/([^/"]+)"$/.exec(lines[curl])?.[1];
      const [, file, pin] = /^verify "?([^" ]+)"? (\w+) /.exec(lines[verify]) ?? [];
      assert.equal(file, written, lines[curl]);
      return pin;
    });
    assert.deepEqual(pins, ["ARGOCD_SHA256", "PULUMI_SHA256", "ARGOCD_WAIT_SCRIPT_SHA256"]);
    assert.ok(setup.indexOf(verifier!) < setup.indexOf(downloads[0]), "verify is defined before the first download");
  });

  it("pins no checksum in the template: the including project sets them", () => {
    for (const name of ["ARGOCD_SHA256", "PULUMI_SHA256", "ARGOCD_WAIT_SCRIPT_SHA256"]) {
      assert.ok(!(name in (job.variables ?? {})), `${name} would override nothing and pin nothing`);
    }
  });

  describeChecksumVerifier(verifier!);

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
