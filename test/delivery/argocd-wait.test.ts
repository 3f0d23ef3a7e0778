import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";

const SCRIPT = path.resolve(__dirname, "../../ci/release-tracking/argocd-wait.sh");
const TOKEN = "ci-token-value";

/** Stack outputs in the shape the main program exports. */
const OUTPUTS = {
  environment: "dev",
  argocdUrl: "https://argocd.dev.example.com",
  argocdAdminPassword: "[secret]",
  ciAccount: "ci",
  applications: [
    {
      name: "example-api-dev",
      namespace: "argocd",
      url: "https://argocd.dev.example.com/applications/argocd/example-api-dev",
      imageConstraint: "~0-0",
    },
    {
      name: "example-web-dev",
      namespace: "argocd",
      url: "https://argocd.dev.example.com/applications/argocd/example-web-dev",
      imageConstraint: "~0-0",
    },
  ],
};

// Fake CLIs: log tool, the token they see and argv as one line of unit-separated fields;
// argocd fails `app wait` for the applications listed in FAKE_UNHEALTHY.
const FAKE_PULUMI = `#!/usr/bin/env bash
{ printf 'pulumi\x1f\x1f'; printf '%s\x1f' "$@"; echo; } >> "$FAKE_LOG"
if [ -n "\${FAKE_PULUMI_FAIL:-}" ]; then echo "error: no stack named 'x' found" >&2; exit 255; fi
cat "$FAKE_OUTPUTS"
`;
const FAKE_ARGOCD = `#!/usr/bin/env bash
{ printf 'argocd\x1f%s\x1f' "\${ARGOCD_AUTH_TOKEN:-}"; printf '%s\x1f' "$@"; echo; } >> "$FAKE_LOG"
case "$1 $2" in
  "app wait")
    for bad in \${FAKE_UNHEALTHY:-}; do
      if [ "$3" = "$bad" ]; then echo "FATA[0300] timed out (300s) waiting for app \\"$3\\"" >&2; exit 20; fi
    done
    echo "Health Status: Healthy" ;;
  "app get") echo "Name: argocd/$3"; echo "Health Status: Degraded" ;;
  "app resources") echo "apps Deployment poc-dev $3 Synced Degraded" ;;
esac
`;

interface Call {
  tool: "pulumi" | "argocd";
  token: string;
  args: string[];
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}

let dir: string;

function run(args: string[], env: Record<string, string | undefined> = {}, outputs: unknown = OUTPUTS): Run {
  const log = path.join(dir, `calls-${Math.random().toString(36).slice(2)}.jsonl`);
  const outputsFile = path.join(dir, "outputs.json");
  writeFileSync(outputsFile, typeof outputs === "string" ? outputs : JSON.stringify(outputs));
  writeFileSync(log, "");
  const base: Record<string, string | undefined> = {
    PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
    HOME: dir,
    FAKE_LOG: log,
    FAKE_OUTPUTS: outputsFile,
    ARGOCD_AUTH_TOKEN: TOKEN,
  };
  const merged = { ...base, ...env };
  const cleanEnv = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const res = spawnSync("bash", [SCRIPT, ...args], { env: cleanEnv, encoding: "utf8" });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line): Call => {
      const [tool, token, ...args] = line.split("\x1f");
      args.pop(); // every field, the last one too, ends with a separator
      return { tool: tool as Call["tool"], token, args };
    });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, calls };
}

const argocdCalls = (r: Run, sub: string) => r.calls.filter((c) => c.tool === "argocd" && c.args[1] === sub);

describe("ci/release-tracking/argocd-wait.sh", () => {
  before(() => {
    const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
    assert.equal(jq.status, 0, "jq must be installed: the script parses the stack outputs with it");
    dir = mkdtempSync(path.join(tmpdir(), "argocd-wait-"));
    const bin = path.join(dir, "bin");
    spawnSync("mkdir", ["-p", bin]);
    for (const [name, body] of [
      ["pulumi", FAKE_PULUMI],
      ["argocd", FAKE_ARGOCD],
    ]) {
      writeFileSync(path.join(bin, name), body);
      chmodSync(path.join(bin, name), 0o755);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the stack outputs with pulumi and waits for every application", () => {
    const r = run(["--stack", "example-org/cluster-stack/dev"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.calls.filter((c) => c.tool === "pulumi").map((c) => c.args),
      [["stack", "output", "--json", "--stack", "example-org/cluster-stack/dev"]],
    );
    const waits = argocdCalls(r, "wait");
    assert.deepEqual(
      waits.map((c) => c.args),
      ["example-api-dev", "example-web-dev"].map((app) => [
        "app", "wait", app, "--app-namespace", "argocd", "--health", "--sync", "--timeout", "300",
        "--server", "argocd.dev.example.com", "--grpc-web",
      ]),
    );
    assert.equal(argocdCalls(r, "get").length, 0);
    assert.match(r.stdout, /all 2 application\(s\) Synced and Healthy/);
  });

  it("hands the token to argocd through ARGOCD_AUTH_TOKEN, never on the command line", () => {
    const r = run(["--stack", "s"]);
    assert.equal(r.status, 0, r.stderr);
    for (const call of r.calls.filter((c) => c.tool === "argocd")) {
      assert.equal(call.token, TOKEN);
      assert.ok(!call.args.includes(TOKEN), `token on argv: ${call.args.join(" ")}`);
    }
  });

  it("exits 1 and prints status and resources of the application that did not come up", () => {
    const r = run(["--stack", "s"], { FAKE_UNHEALTHY: "example-api-dev" });
    assert.equal(r.status, 1);
    // The healthy application is still waited for, so one run reports every failure.
    assert.deepEqual(argocdCalls(r, "wait").map((c) => c.args[2]), ["example-api-dev", "example-web-dev"]);
    assert.deepEqual(argocdCalls(r, "get").map((c) => c.args.slice(0, 5)), [
      ["app", "get", "example-api-dev", "--app-namespace", "argocd"],
    ]);
    assert.deepEqual(argocdCalls(r, "resources").map((c) => c.args[2]), ["example-api-dev"]);
    assert.match(r.stdout, /Health Status: Degraded/);
    assert.match(r.stdout, /details at https:\/\/argocd\.dev\.example\.com\/applications\/argocd\/example-api-dev/);
    assert.match(r.stderr, /release failed for: example-api-dev$/m);
  });

  it("waits for one named application only", () => {
    const r = run(["--stack", "s", "--app", "example-web-dev", "--timeout", "600"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(argocdCalls(r, "wait").map((c) => [c.args[2], c.args[c.args.indexOf("--timeout") + 1]]), [
      ["example-web-dev", "600"],
    ]);
  });

  it("exits 2 for an application the stack does not have, listing the known ones", () => {
    const r = run(["--stack", "s", "--app", "nope-dev"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'nope-dev' is not in the stack outputs; known: example-api-dev, example-web-dev/);
    assert.equal(argocdCalls(r, "wait").length, 0);
  });

  it("reads outputs from a file without pulumi and derives plaintext and root path from the URL", () => {
    const outputs = { ...OUTPUTS, argocdUrl: "http://argocd.internal:8080/argocd/" };
    const r = run(["--outputs-file", path.join(dir, "outputs.json"), "--app", "example-api-dev"], {}, outputs);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.calls.filter((c) => c.tool === "pulumi").length, 0);
    const [wait] = argocdCalls(r, "wait");
    assert.deepEqual(wait.args.slice(wait.args.indexOf("--server")), [
      "--server", "argocd.internal:8080", "--grpc-web-root-path", "/argocd", "--plaintext",
    ]);
  });

  it("takes outputs from STACK_OUTPUTS_JSON and honours --no-grpc-web and the application namespace", () => {
    const outputs = {
      ...OUTPUTS,
      applications: [{ name: "svc-prd", namespace: "apps", url: "", imageConstraint: "~0" }],
    };
    const r = run(["--no-grpc-web"], { STACK_OUTPUTS_JSON: JSON.stringify(outputs) }, "not used");
    assert.equal(r.status, 0, r.stderr);
    const [wait] = argocdCalls(r, "wait");
    assert.equal(wait.args[wait.args.indexOf("--app-namespace") + 1], "apps");
    assert.ok(!wait.args.includes("--grpc-web"));
  });

  const usageErrors: Array<[string, string[], Record<string, string | undefined>, unknown, RegExp]> = [
    ["no token", ["--stack", "s"], { ARGOCD_AUTH_TOKEN: undefined }, OUTPUTS, /ARGOCD_AUTH_TOKEN is not set/],
    ["pulumi failing", ["--stack", "s"], { FAKE_PULUMI_FAIL: "1" }, OUTPUTS, /pulumi stack output failed for stack 's'/],
    ["no source of outputs", [], {}, OUTPUTS, /no stack outputs/],
    ["outputs without argocdUrl", ["--stack", "s"], {}, { applications: [] }, /no argocdUrl/],
    ["outputs without applications", ["--stack", "s"], {}, { argocdUrl: "https://a" }, /no applications list/],
    ["outputs that are not JSON", ["--stack", "s"], {}, "Current stack outputs (0):", /not a JSON object/],
    ["a non-http URL", ["--stack", "s"], {}, { ...OUTPUTS, argocdUrl: "argocd.example.com" }, /not an http\(s\) URL/],
    ["a bad timeout", ["--stack", "s", "--timeout", "5m"], {}, OUTPUTS, /timeout must be a positive number/],
    ["an unknown flag", ["--stack", "s", "--wait"], {}, OUTPUTS, /unknown argument '--wait'/],
  ];
  for (const [what, args, env, outputs, message] of usageErrors) {
    it(`exits 2 without waiting on ${what}`, () => {
      const r = run(args, env, outputs);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(argocdCalls(r, "wait").length, 0);
    });
  }

  it("exits 0 with a notice when the stack has no applications", () => {
    const r = run(["--stack", "s"], {}, { ...OUTPUTS, applications: [] });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /nothing to wait for/);
    assert.equal(r.calls.filter((c) => c.tool === "argocd").length, 0);
  });
});
