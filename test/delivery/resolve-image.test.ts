import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Run, Sandbox, TOKEN, application, printed } from "./promotionGateFakes";

const SCRIPT = "resolve-image.sh";
const APP = "example-api-prd";
const LINK = "https://argocd.example.com/applications/argocd/example-api-prd";

describe("ci/promotion-gate/resolve-image.sh", () => {
  let box: Sandbox;
  const runs: Run[] = [];

  before(() => {
    box = new Sandbox();
  });
  beforeEach(() => box.reset());
  after(() => box.remove());

  /** Serves example-api-prd running `images` and resolves `name` against it. */
  function resolve(images: string[], name: string, env: Record<string, string | undefined> = {}): Run {
    box.serve("argocd.example.com", application(APP, { images }));
    const r = box.run(SCRIPT, ["--app", APP, "--image-name", name], env);
    runs.push(r);
    return r;
  }

  it("prints the one repository whose path is the trailer's image name", () => {
    const r = resolve(["ghcr.io/example-org/example-api:1.2.2", "docker.io/library/redis:7.4"], "example-org/example-api");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "ghcr.io/example-org/example-api\n");
    assert.deepEqual(r.calls.map((c) => [c.token, c.args]), [[TOKEN, ["app", "get", APP, "-o", "json"]]]);
  });

  it("counts one repository once, whatever its tags and spellings", () => {
    const r = resolve(["nginx:1.27.0", "docker.io/library/nginx:1.27.1@sha256:" + "d".repeat(64), "index.docker.io/library/nginx:1.26"], "nginx");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "docker.io/library/nginx\n");
  });

  describe("Docker Hub official images, which Image Updater names without library/", () => {
    for (const running of ["nginx:1.27", "library/nginx:1.27", "docker.io/library/nginx:1.27", "index.docker.io/library/nginx:1.27"]) {
      for (const name of ["nginx", "library/nginx"]) {
        it(`${name} in a trailer finds ${running}`, () => {
          const r = resolve([running], name);
          assert.equal(r.status, 0, r.stderr);
          assert.equal(r.stdout, "docker.io/library/nginx\n");
        });
      }
    }

    it("a Docker Hub organisation's image keeps its organisation", () => {
      const r = resolve(["acme/api:2.0.0"], "acme/api");
      assert.equal(r.stdout, "docker.io/acme/api\n");
      assert.equal(resolve(["acme/api:2.0.0"], "api").status, 1);
    });
  });

  it("finds an image on a registry with a port", () => {
    const r = resolve(["registry.example.com:5000/team/app:3.1.0"], "team/app");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "registry.example.com:5000/team/app\n");
  });

  it("does not take a longer or shorter path for the name", () => {
    for (const name of ["example-api", "org/example-org/example-api", "example-org/example"]) {
      assert.equal(resolve(["ghcr.io/example-org/example-api:1.0.0"], name).status, 1, name);
    }
  });

  it("reads a name with a registry as a path, which matches nothing", () => {
    const r = resolve(["ghcr.io/example-org/example-api:1.0.0"], "ghcr.io/example-org/example-api");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /runs no image named ghcr\.io\/example-org\/example-api/);
  });

  it("fails closed when no image has that name, listing what runs", () => {
    const r = resolve(["ghcr.io/example-org/example-web:1.0.0", "nginx:1.27"], "example-org/example-api");
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `resolve-image: ${APP} runs no image named example-org/example-api (it runs: ghcr.io/example-org/example-web:1.0.0, nginx:1.27) (${LINK})\n`,
    );
  });

  it("fails closed when the Application runs no image at all", () => {
    const r = resolve([], "example-org/example-api");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /runs no image named example-org\/example-api \(it runs: no image\)/);
  });

  it("fails closed when two registries hold a repository of that name", () => {
    const r = resolve(["ghcr.io/acme/api:1.0.0", "docker.io/acme/api:1.0.0", "quay.io/other/api:1.0.0"], "acme/api");
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `resolve-image: ${APP} runs 2 repositories named acme/api: docker.io/acme/api, ghcr.io/acme/api; the name cannot say which (${LINK})\n`,
    );
  });

  it("fails closed when an official image and a library/ path elsewhere share the name", () => {
    const r = resolve(["nginx:1.27", "ghcr.io/library/nginx:1.27"], "nginx");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /runs 2 repositories named nginx: docker\.io\/library\/nginx, ghcr\.io\/library\/nginx;/);
  });

  it("exits 2 for an Application Argo CD does not show", () => {
    const r = box.run(SCRIPT, ["--app", APP, "--image-name", "nginx"]);
    runs.push(r);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^resolve-image: Application example-api-prd not found, or this account may not read it \(https:\/\/argocd\.example\.com\/applications\?search=example-api-prd\)$/m);
  });

  it("exits 2 for a CLI error", () => {
    const r = resolve(["nginx:1.27"], "nginx", { FAKE_ARGOCD_ERROR: "rpc error: code = Unauthenticated desc = invalid session: token has invalid claims: token is expired" });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^resolve-image: argocd app get example-api-prd failed: rpc error: code = Unauthenticated/);
  });

  const usage: Array<[string, string[], Record<string, string | undefined>, RegExp]> = [
    ["a name with a tag", ["--app", APP, "--image-name", "nginx:1.27"], {}, /--image-name must be a repository path/],
    ["an upper-case name", ["--app", APP, "--image-name", "Example/API"], {}, /--image-name must be a repository path/],
    ["no token", ["--app", APP, "--image-name", "nginx"], { ARGOCD_AUTH_TOKEN: undefined }, /ARGOCD_AUTH_TOKEN is not set/],
    ["no Application", ["--image-name", "nginx"], {}, /--app must be an Application name, got ''/],
    ["an unknown option", ["--app", APP, "--image-name", "nginx", "--all"], {}, /unknown argument '--all'/],
  ];
  for (const [what, args, env, message] of usage) {
    it(`exits 2 for ${what}, before calling argocd`, () => {
      box.serve("argocd.example.com", application(APP, { images: ["nginx:1.27"] }));
      const r = box.run(SCRIPT, args, env);
      runs.push(r);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.calls.length, 0);
    });
  }

  it("never prints the token, in any of the runs above", () => {
    assert.ok(runs.length > 20, `only ${runs.length} runs recorded`);
    for (const r of runs) assert.ok(!printed(r).includes(TOKEN), printed(r));
  });
});
