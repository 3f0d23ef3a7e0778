import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, beforeEach, describe, it } from "node:test";
import { type AppState, type Run, Sandbox, TOKEN, ago, application, printed } from "./promotionGateFakes";

const SCRIPT = "promotion-gate.sh";
const APP = "example-api-dev";
const IMAGE = "ghcr.io/example-org/example-api";
const LINK = "https://argocd.example.com/applications/argocd/example-api-dev";

describe("ci/promotion-gate/promotion-gate.sh", () => {
  let box: Sandbox;
  const runs: Run[] = [];

  before(() => {
    assert.equal(spawnSync("jq", ["--version"]).status, 0, "jq must be installed: the gate reads Argo CD's JSON with it");
    box = new Sandbox();
  });
  beforeEach(() => box.reset());
  after(() => box.remove());

  /** Serves example-api-dev in the given state and runs the gate; every run is kept for the token check. */
  function gate(state: AppState, args: string[], env: Record<string, string | undefined> = {}): Run {
    box.serve("argocd.example.com", application(APP, state));
    const r = box.run(SCRIPT, args, env);
    runs.push(r);
    return r;
  }
  const running = (...images: string[]): AppState => ({ images });
  const check = (image: string, tag: string, ...more: string[]) => ["--app", APP, "--image", image, "--tag", tag, ...more];

  it("passes when the Application runs exactly that image and tag, Synced and Healthy", () => {
    const r = gate(running(`${IMAGE}:1.2.3`, "docker.io/library/redis:7.4"), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `promotion-gate: ${APP} runs ${IMAGE}:1.2.3, Synced and Healthy (${LINK})\n`);
    assert.equal(r.stderr, "");
  });

  it("asks argocd for the Application as JSON, handing the token over in the environment", () => {
    const r = gate(running(`${IMAGE}:1.2.3`), check(IMAGE, "1.2.3"));
    assert.deepEqual(r.calls.map((c) => [c.tool, c.token, c.server, c.args]), [
      ["argocd", TOKEN, "argocd.example.com", ["app", "get", APP, "-o", "json"]],
    ]);
  });

  it("passes for a running reference that also carries a digest", () => {
    const r = gate(running(`${IMAGE}:1.2.3@sha256:${"a".repeat(64)}`), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 0, r.stderr);
  });

  for (const [what, tag] of [
    ["another tag", "1.2.2"],
    ["a pre-release of the tag", "1.2.3-rc.1"],
    ["a tag that only starts the same", "1.2.30"],
    ["a tag the promoted one only starts", "1.2"],
  ]) {
    it(`refuses ${what} (${tag} running, 1.2.3 promoted), listing what runs`, () => {
      const r = gate(running(`${IMAGE}:${tag}`, "nginx:1.27"), check(IMAGE, "1.2.3"));
      assert.equal(r.status, 1);
      assert.equal(r.stdout, "");
      assert.equal(
        r.stderr,
        `promotion-gate: ${APP} does not run ${IMAGE}:1.2.3 Synced and Healthy: image not running (it runs: ${IMAGE}:${tag}, nginx:1.27) (${LINK})\n`,
      );
    });
  }

  it("refuses another image with that tag", () => {
    const r = gate(running("ghcr.io/example-org/example-web:1.2.3", "ghcr.io/other-org/example-api:1.2.3"), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image not running \(it runs: ghcr\.io\/example-org\/example-web:1\.2\.3, ghcr\.io\/other-org\/example-api:1\.2\.3\)/);
  });

  it("refuses the same path on another registry", () => {
    const r = gate(running("docker.io/example-org/example-api:1.2.3"), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image not running/);
  });

  it("refuses a reference pinned by digest alone: it names no tag", () => {
    const r = gate(running(`${IMAGE}@sha256:${"b".repeat(64)}`), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image not running/);
  });

  it("refuses an Application that runs no image, saying so", () => {
    const r = gate(running(), check(IMAGE, "1.2.3"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /image not running \(it runs: no image\)/);
  });

  describe("reads a repository as Docker does", () => {
    const spellings = ["nginx", "docker.io/library/nginx", "index.docker.io/library/nginx", "library/nginx", "docker.io/nginx"];
    for (const promoted of spellings) {
      for (const runs of ["nginx", "docker.io/library/nginx", "index.docker.io/library/nginx"]) {
        it(`${promoted} is ${runs}`, () => {
          const r = gate(running(`${runs}:1.27.1`), check(promoted, "1.27.1"));
          assert.equal(r.status, 0, r.stderr);
          assert.match(r.stdout, /runs docker\.io\/library\/nginx:1\.27\.1, Synced and Healthy/);
        });
      }
    }

    it("an image without a tag is :latest, as for Docker", () => {
      assert.equal(gate(running("nginx"), check("nginx", "latest")).status, 0);
      assert.equal(gate(running("nginx"), check("nginx", "1.27.1")).status, 1);
    });

    it("a registry with a port is not a tag", () => {
      const r = gate(running("registry.example.com:5000/team/app:2.0.0"), check("registry.example.com:5000/team/app", "2.0.0"));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(gate(running("registry.example.com:5000/team/app:2.0.0"), check("registry.example.com/team/app", "2.0.0")).status, 1);
    });

    it("localhost is a registry, not a Docker Hub organisation", () => {
      assert.equal(gate(running("localhost/team/app:2.0.0"), check("localhost/team/app", "2.0.0")).status, 0);
      assert.equal(gate(running("localhost/team/app:2.0.0"), check("docker.io/localhost/team/app", "2.0.0")).status, 1);
    });

    it("a Docker Hub organisation image is not an official one", () => {
      assert.equal(gate(running("acme/nginx:1.0.0"), check("nginx", "1.0.0")).status, 1);
      assert.equal(gate(running("acme/nginx:1.0.0"), check("docker.io/acme/nginx", "1.0.0")).status, 0);
    });
  });

  for (const [sync, health, expected] of [
    ["OutOfSync", "Healthy", "OutOfSync, not Synced"],
    ["Synced", "Progressing", "Progressing, not Healthy"],
    ["Synced", "Degraded", "Degraded, not Healthy"],
    ["Synced", "Missing", "Missing, not Healthy"],
    ["Unknown", "Suspended", "Unknown, not Synced; Suspended, not Healthy"],
  ]) {
    it(`refuses ${sync}/${health} even with the image running`, () => {
      const r = gate({ sync, health, images: [`${IMAGE}:1.2.3`] }, check(IMAGE, "1.2.3"));
      assert.equal(r.status, 1);
      assert.equal(r.stderr, `promotion-gate: ${APP} does not run ${IMAGE}:1.2.3 Synced and Healthy: ${expected} (${LINK})\n`);
    });
  }

  it("names every failed condition in one line", () => {
    const r = gate({ sync: "OutOfSync", health: "Degraded", images: [`${IMAGE}:1.2.2`] }, check(IMAGE, "1.2.3"));
    assert.equal(r.status, 1);
    assert.equal(r.stderr.split("\n").length, 2);
    assert.match(r.stderr, /: OutOfSync, not Synced; Degraded, not Healthy; image not running \(it runs: ghcr\.io\/example-org\/example-api:1\.2\.2\) \(https:/);
  });

  it("refuses an Application that was never reconciled (no status)", () => {
    box.serve("argocd.example.com", { metadata: { name: APP, namespace: "argocd" } });
    const r = box.run(SCRIPT, check(IMAGE, "1.2.3"));
    runs.push(r);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Unknown, not Synced; Unknown, not Healthy; image not running \(it runs: no image\)/);
  });

  it("links the Application in its own namespace", () => {
    const r = gate({ namespace: "apps", sync: "OutOfSync", images: [`${IMAGE}:1.2.3`] }, check(IMAGE, "1.2.3"));
    assert.match(r.stderr, /\(https:\/\/argocd\.example\.com\/applications\/apps\/example-api-dev\)$/m);
  });

  describe("--min-age", () => {
    const aged = (history: AppState["history"], operationState?: AppState["operationState"]): AppState => ({
      images: [`${IMAGE}:1.2.3`],
      history,
      operationState,
    });

    it("passes once the last sync is older than the minimum", () => {
      const r = gate(aged([{ id: 4, deployedAt: ago(3 * 3600) }, { id: 5, deployedAt: ago(2 * 3600 + 300) }]), check(IMAGE, "1.2.3", "--min-age", "2h"));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /runs ghcr\.io\/example-org\/example-api:1\.2\.3, Synced and Healthy, for 2h5m since its last sync at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(https:/);
    });

    it("refuses while the last sync is younger than the minimum, saying how long it has run", () => {
      const r = gate(aged([{ id: 1, deployedAt: ago(86400) }, { id: 2, deployedAt: ago(40 * 60) }]), check(IMAGE, "1.2.3", "--min-age", "1h"));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^promotion-gate: example-api-dev has run ghcr\.io\/example-org\/example-api:1\.2\.3 for 40m since its last sync at \S+Z, less than --min-age 1h \(https:/);
    });

    it("dates from the newest history entry by id, whatever the order", () => {
      const r = gate(aged([{ id: 9, deployedAt: ago(10 * 60) }, { id: 3, deployedAt: ago(5 * 86400) }]), check(IMAGE, "1.2.3", "--min-age", "1d"));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /for 10m since its last sync/);
    });

    it("counts a later operation (a selective sync is not in the history) from its end", () => {
      const r = gate(
        aged([{ id: 1, deployedAt: ago(5 * 86400) }], { phase: "Succeeded", startedAt: ago(20 * 60), finishedAt: ago(15 * 60) }),
        check(IMAGE, "1.2.3", "--min-age", "30m"),
      );
      assert.equal(r.status, 1);
      assert.match(r.stderr, /for 15m since its last sync/);
    });

    it("counts an operation still running from its start", () => {
      const r = gate(aged([{ id: 1, deployedAt: ago(5 * 86400) }], { phase: "Running", startedAt: ago(90) }), check(IMAGE, "1.2.3", "--min-age", "1m"));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /for 1m since/);
      const younger = gate(aged([{ id: 1, deployedAt: ago(5 * 86400) }], { phase: "Running", startedAt: ago(30) }), check(IMAGE, "1.2.3", "--min-age", "1m"));
      assert.equal(younger.status, 1);
    });

    it("refuses when Argo CD recorded no sync to date the image from", () => {
      const r = gate(aged(undefined), check(IMAGE, "1.2.3", "--min-age", "30m"));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /has recorded no sync to date it from, so --min-age 30m cannot pass/);
    });

    it("still refuses an unhealthy Application first", () => {
      const r = gate({ ...aged([{ id: 1, deployedAt: ago(5 * 86400) }]), health: "Degraded" }, check(IMAGE, "1.2.3", "--min-age", "1h"));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /Degraded, not Healthy/);
    });

    for (const bad of ["30", "2 h", "0m", "1w", "-5m", "1h30m"]) {
      it(`exits 2 on the duration '${bad}'`, () => {
        const r = gate(running(`${IMAGE}:1.2.3`), check(IMAGE, "1.2.3", "--min-age", bad));
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--min-age must be a duration such as 30m, 2h or 1d/);
        assert.equal(r.calls.length, 0);
      });
    }
  });

  describe("when nothing can be checked, exits 2", () => {
    it("for an Application Argo CD does not show (missing, or not readable by the account)", () => {
      const r = box.run(SCRIPT, check(IMAGE, "1.2.3"));
      runs.push(r);
      assert.equal(r.status, 2);
      assert.equal(
        r.stderr,
        "promotion-gate: Application example-api-dev not found, or this account may not read it (https://argocd.example.com/applications?search=example-api-dev)\n",
      );
    });

    it("for a CLI error, with its last line", () => {
      const r = gate(running(`${IMAGE}:1.2.3`), check(IMAGE, "1.2.3"), {
        FAKE_ARGOCD_ERROR: 'time="2026-01-01T00:00:00Z" level=fatal msg="rpc error: code = Unavailable desc = connection error: dial tcp: lookup argocd.example.com: no such host"',
      });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^promotion-gate: argocd app get example-api-dev failed: .*code = Unavailable.*no such host" \(https:\/\/argocd\.example\.com\/applications\?search=example-api-dev\)\n$/);
    });

    for (const [what, text] of [
      ["text instead of JSON", "Name: argocd/example-api-dev\nHealth Status: Healthy\n"],
      ["another Application", JSON.stringify(application("example-web-dev", { images: [`${IMAGE}:1.2.3`] }))],
    ]) {
      it(`for ${what}`, () => {
        box.serveText("argocd.example.com", APP, text);
        const r = box.run(SCRIPT, check(IMAGE, "1.2.3"));
        runs.push(r);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^promotion-gate: argocd app get example-api-dev printed no Application \(https:/);
      });
    }

    const usage: Array<[string, string[], Record<string, string | undefined>, RegExp]> = [
      ["no token", check(IMAGE, "1.2.3"), { ARGOCD_AUTH_TOKEN: undefined }, /ARGOCD_AUTH_TOKEN is not set/],
      ["no server", check(IMAGE, "1.2.3"), { ARGOCD_SERVER: undefined }, /ARGOCD_SERVER is not set/],
      ["an image with its tag", check(`${IMAGE}:1.2.3`, "1.2.3"), {}, /--image takes the repository without its tag/],
      ["an image with a digest", check(`${IMAGE}@sha256:${"c".repeat(64)}`, "1.2.3"), {}, /--image must be a repository/],
      ["a tag that is not one", check(IMAGE, "1.2.3 || true"), {}, /--tag must be an image tag/],
      ["an Application name that is not one", ["--app", "Example_API", "--image", IMAGE, "--tag", "1"], {}, /--app must be an Application name/],
      ["a missing tag", ["--app", APP, "--image", IMAGE], {}, /--tag must be an image tag, got ''/],
      ["an option without its value", ["--app"], {}, /--app needs a value/],
      ["an unknown option", [...check(IMAGE, "1.2.3"), "--insecure"], {}, /unknown argument '--insecure'/],
    ];
    for (const [what, args, env, message] of usage) {
      it(`for ${what}, before calling argocd`, () => {
        const r = gate(running(`${IMAGE}:1.2.3`), args, env);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(r.calls.length, 0);
      });
    }
  });

  it("prints its usage with --help", () => {
    const r = box.run(SCRIPT, ["--help"]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: promotion-gate\.sh --app <application> --image <repository> --tag <tag> \[--min-age <duration>\]/);
  });

  it("never prints the token, in any of the runs above", () => {
    assert.ok(runs.length > 30, `only ${runs.length} runs recorded`);
    for (const r of runs) assert.ok(!printed(r).includes(TOKEN), printed(r));
    for (const call of runs.flatMap((r) => r.calls)) {
      assert.equal(call.token, TOKEN);
      assert.ok(!call.args.includes(TOKEN), call.args.join(" "));
    }
  });
});
