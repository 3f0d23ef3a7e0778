import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type AppState, type Run, Sandbox, TOKEN, ago, application, commitHistory, printed, updateMessage } from "./promotionGateFakes";

const SCRIPT = "gate-promotions.sh";
const SERVER = "argocd.example.com";

describe("ci/promotion-gate/gate-promotions.sh", () => {
  let box: Sandbox;
  const runs: Run[] = [];

  before(() => {
    box = new Sandbox();
  });
  beforeEach(() => box.reset());
  after(() => box.remove());

  /** Runs the gate on commits with these messages. */
  function gate(messages: string[], args: string[] = [], env: Record<string, string | undefined> = {}): Run & { shas: string[] } {
    const { shas, log } = commitHistory(mkdtempSync(path.join(box.dir, "repo-")), messages);
    const r = box.run(SCRIPT, args, env, log);
    runs.push(r);
    return { ...r, shas };
  }
  const serve = (name: string, state: AppState, server = SERVER) => box.serve(server, application(name, state));
  /** The Applications argocd was asked for, in order. */
  const asked = (r: Run) => r.calls.map((c) => c.args[2]);
  const lastLine = (text: string) => text.trimEnd().split("\n").pop();

  it("resolves the image on the prd Application and gates it on the dev one", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"])]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(asked(r), ["example-api-prd", "example-api-dev"]);
    assert.match(r.stdout, /^==> example-api-prd promotes example-org\/example-api:1\.2\.3; example-api-dev must run it$/m);
    assert.match(r.stdout, /^promotion-gate: example-api-dev runs ghcr\.io\/example-org\/example-api:1\.2\.3, Synced and Healthy/m);
    assert.equal(lastLine(r.stdout), "promotion-gate: 1 promotion(s) proven in dev");
  });

  it("checks every promoted Application and image once, across commits", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2", "nginx:1.27.0"] });
    serve("example-web-prd", { images: ["ghcr.io/example-org/example-web:0.8.0"] });
    serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3", "nginx:1.27.1"] });
    serve("example-web-dev", { images: ["ghcr.io/example-org/example-web:0.9.0"] });
    const api = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"], ["nginx", "1.27.1"]);
    const r = gate([api, updateMessage("example-web-prd", ["example-org/example-web", "0.9.0"]), api]);
    assert.equal(r.status, 0, r.stderr);
    // git lists the newest commit first; the repeated one is checked there only.
    assert.deepEqual(asked(r), ["example-api-prd", "example-api-dev", "example-api-prd", "example-api-dev", "example-web-prd", "example-web-dev"]);
    assert.match(r.stdout, /runs docker\.io\/library\/nginx:1\.27\.1, Synced and Healthy/);
    assert.equal(lastLine(r.stdout), "promotion-gate: 3 promotion(s) proven in dev");
  });

  it("fails when dev does not run it yet, ending with the reason in one line", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-api-dev", { health: "Progressing", images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"])]);
    assert.equal(r.status, 1);
    assert.equal(
      lastLine(r.stderr),
      "promotion-gate: not proven in dev: example-api-prd example-org/example-api:1.2.3: example-api-dev does not run ghcr.io/example-org/example-api:1.2.3 Synced and Healthy: Progressing, not Healthy (https://argocd.example.com/applications/argocd/example-api-dev)",
    );
  });

  it("checks the rest after a failure and counts what else failed", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-web-prd", { images: ["ghcr.io/example-org/example-web:0.8.0"] });
    serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-web-dev", { sync: "OutOfSync", images: ["ghcr.io/example-org/example-web:0.9.0"] });
    const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]), updateMessage("example-web-prd", ["example-org/example-web", "0.9.0"])]);
    assert.equal(r.status, 1);
    assert.deepEqual(asked(r), ["example-web-prd", "example-web-dev", "example-api-prd", "example-api-dev"]);
    assert.match(lastLine(r.stderr) ?? "", /^promotion-gate: not proven in dev: example-web-prd example-org\/example-web:0\.9\.0: .*OutOfSync, not Synced.* \(and 1 more\)$/);
  });

  it("fails when the trailer's image is not found on the prd Application, without asking dev", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-web:1.0.0"] });
    serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"])]);
    assert.equal(r.status, 1);
    assert.deepEqual(asked(r), ["example-api-prd"]);
    assert.match(lastLine(r.stderr) ?? "", /: example-api-prd runs no image named example-org\/example-api \(it runs:/);
  });

  it("exits 2 when dev's Application cannot be read", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"])]);
    assert.equal(r.status, 2);
    assert.match(lastLine(r.stderr) ?? "", /Application example-api-dev not found, or this account may not read it/);
  });

  it("maps Applications between the environments it is given", () => {
    serve("example-api-production", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-api-staging", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
    const r = gate([updateMessage("example-api-production", ["example-org/example-api", "1.2.3"])], ["--source-env", "staging", "--target-env", "production"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(asked(r), ["example-api-production", "example-api-staging"]);
    assert.equal(lastLine(r.stdout), "promotion-gate: 1 promotion(s) proven in staging");
  });

  it("exits 2 for an Application that is not of the target environment, before asking Argo CD", () => {
    const r = gate([updateMessage("example-api-dev", ["example-org/example-api", "1.2.3"])]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Image-Updater-App 'example-api-dev' is not a prd Application \(<service>-prd\)/);
    assert.equal(r.calls.length, 0);
  });

  it("passes commits that promote nothing, unless trailers are required", () => {
    const plain = gate(["docs: typo\n"]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(lastLine(plain.stdout), "promotion-gate: these commits promote nothing (no Image-Updater trailers); nothing to check");
    assert.equal(plain.calls.length, 0);
    const required = gate(["docs: typo\n"], ["--require-trailers"]);
    assert.equal(required.status, 2);
    assert.match(required.stderr, /carries no Image-Updater trailers/);
  });

  it("exits 2 on trailers it cannot read, before asking Argo CD", () => {
    const r = gate(["build\n\nImage-Updater-App: example-api-prd\nImage-Updater-Tag: 1.2.3\n"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /where image-updater-image was expected/);
    assert.equal(r.calls.length, 0);
  });

  it("passes --min-age on to the gate", () => {
    serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
    serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"], history: [{ id: 1, deployedAt: ago(600) }] });
    const message = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);
    assert.equal(gate([message], ["--min-age", "1h"]).status, 1);
    assert.equal(gate([message], ["--min-age", "5m"]).status, 0);
  });

  describe("prd's Applications in another Argo CD", () => {
    const message = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);

    it("resolves on the target's server with the target's token and options, gates on the source's", () => {
      serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] }, "argocd.prd.example.com");
      serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = gate([message], [], {
        ARGOCD_OPTS: "--grpc-web",
        TARGET_ARGOCD_SERVER: "argocd.prd.example.com",
        TARGET_ARGOCD_AUTH_TOKEN: "prd-token",
        TARGET_ARGOCD_OPTS: "--grpc-web-root-path /argocd",
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        r.calls.map((c) => [c.server, c.token, c.opts, c.args[2]]),
        [
          ["argocd.prd.example.com", "prd-token", "--grpc-web-root-path /argocd", "example-api-prd"],
          [SERVER, TOKEN, "--grpc-web", "example-api-dev"],
        ],
      );
      assert.ok(!printed(r).includes("prd-token"));
    });

    it("takes the one Argo CD's options for both when the target has none, and empty settings as unset", () => {
      serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
      serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
      // What a workflow passes when the variables are not defined.
      const r = gate([message], [], { ARGOCD_OPTS: "--grpc-web", TARGET_ARGOCD_SERVER: "", TARGET_ARGOCD_AUTH_TOKEN: "", TARGET_ARGOCD_OPTS: "" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(r.calls.map((c) => [c.server, c.token, c.opts]), [
        [SERVER, TOKEN, "--grpc-web"],
        [SERVER, TOKEN, "--grpc-web"],
      ]);
    });

    for (const [what, env] of [
      ["a server without its token", { TARGET_ARGOCD_SERVER: "argocd.prd.example.com" }],
      ["a token without its server", { TARGET_ARGOCD_AUTH_TOKEN: "prd-token" }],
    ] as const) {
      it(`exits 2 on ${what}: no token goes to another server`, () => {
        const r = gate([message], [], env);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /set TARGET_ARGOCD_SERVER and TARGET_ARGOCD_AUTH_TOKEN together, or neither/);
        assert.equal(r.calls.length, 0);
      });
    }
  });

  describe("--retry-for", () => {
    const message = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);

    it("checks again until dev runs it", () => {
      serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
      box.serve(SERVER, application("example-api-dev", { health: "Progressing", images: ["ghcr.io/example-org/example-api:1.2.3"] }), 1);
      serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = gate([message], ["--retry-for", "10s", "--retry-every", "1s"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^==> 1 of 1 promotion\(s\) not yet proven in dev; checking again in 1s$/m);
      assert.deepEqual(asked(r), ["example-api-prd", "example-api-dev", "example-api-prd", "example-api-dev"]);
    });

    it("gives up when the time is over", () => {
      serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
      serve("example-api-dev", { health: "Degraded", images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = gate([message], ["--retry-for", "2s", "--retry-every", "1s"]);
      assert.equal(r.status, 1);
      // Checks start at 0s and at least 1s apart, and none starts when it would end the pause past 2s.
      const checks = asked(r).filter((a) => a === "example-api-dev").length;
      assert.ok(checks >= 2 && checks <= 3, `${checks} checks`);
      assert.match(lastLine(r.stderr) ?? "", /Degraded, not Healthy/);
    });

    it("checks once without it", () => {
      serve("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] });
      box.serve(SERVER, application("example-api-dev", { health: "Progressing" }), 1);
      serve("example-api-dev", { images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = gate([message]);
      assert.equal(r.status, 1);
      assert.equal(asked(r).length, 2);
    });
  });

  const usage: Array<[string[], RegExp]> = [
    [["--source-env", "prd"], /--source-env and --target-env are both 'prd'/],
    [["--target-env", "Prod"], /environment names are lower-case words, got 'Prod'/],
    [["--retry-for", "10"], /--retry-for must be a duration such as 20m/],
    [["--min-age"], /--min-age needs a value/],
    [["--wait"], /unknown argument '--wait'/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2 on ${args.join(" ")}`, () => {
      const r = gate([updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"])], args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.equal(r.calls.length, 0);
    });
  }

  it("never prints the token, in any of the runs above", () => {
    assert.ok(runs.length > 20, `only ${runs.length} runs recorded`);
    for (const r of runs) assert.ok(!printed(r).includes(TOKEN), printed(r));
  });
});
