import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Call, type Run, Sandbox, TOKEN, application, printed, updateMessage } from "./promotionGateFakes";

const SCRIPT = "github-gate.sh";
const REPO = "example-org/deploy";
const GH_TOKEN = "gh-sentinel-7d2b";
const RUN_URL = "https://github.com/example-org/deploy/actions/runs/42";

/**
 * Fake gh: `gh api [--paginate] <endpoint>` answers <FAKE_GH>/<endpoint with / ? & = as _>.json,
 * or 404; `gh api --method POST ...` (a commit status) succeeds unless FAKE_GH_POST_FAIL is set.
 * Logs like the fake argocd: tool, token, no server or options, argv.
 */
const FAKE_GH = `#!/usr/bin/env bash
{ printf 'gh\\x1f%s\\x1f\\x1f\\x1f' "\${GH_TOKEN:-}"; printf '%s\\x1f' "$@"; echo; } >> "$FAKE_LOG"
[ "$1" = api ] || { echo "fake gh: unexpected call: $*" >&2; exit 99; }
shift
method=GET
endpoint=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --paginate) shift ;;
    -f) shift 2 ;;
    *) endpoint="$1"; shift ;;
  esac
done
if [ "$method" = POST ]; then
  if [ -n "\${FAKE_GH_POST_FAIL:-}" ]; then echo "gh: Resource not accessible by integration (HTTP 403)" >&2; exit 1; fi
  echo '{"state":"ok"}'
  exit 0
fi
file="$FAKE_GH/$(printf '%s' "$endpoint" | tr '/?&=' '____').json"
[ -f "$file" ] || { echo "gh: Not Found (HTTP 404)" >&2; exit 1; }
cat "$file"
`;

const sha = (n: number) => n.toString(16).padStart(40, "a");

interface Pull {
  number: number;
  ref: string;
  from?: string;
  labels?: string[];
  commits: Array<{ message: string; parents?: number }>;
}

describe("ci/promotion-gate/github-gate.sh", () => {
  let box: Sandbox;
  let gh: string;
  const runs: Run[] = [];

  before(() => {
    box = new Sandbox({ gh: FAKE_GH });
    gh = path.join(box.dir, "gh");
  });
  beforeEach(() => {
    box.reset();
    rmSync(gh, { recursive: true, force: true });
    mkdirSync(gh);
  });
  after(() => box.remove());

  const answer = (endpoint: string, body: unknown) => writeFileSync(path.join(gh, `${endpoint.replace(/[/?&=]/g, "_")}.json`), JSON.stringify(body));
  const pullJson = (p: Pull) => ({
    number: p.number,
    head: { sha: sha(p.number), ref: p.ref, repo: { full_name: p.from ?? REPO } },
    base: { ref: "main" },
    labels: (p.labels ?? []).map((name) => ({ name })),
  });
  /** Publishes the pull request and its commits (a page each), as the API returns them. */
  function publish(p: Pull) {
    answer(`repos/${REPO}/pulls/${p.number}`, pullJson(p));
    answer(
      `repos/${REPO}/pulls/${p.number}/commits?per_page=100`,
      p.commits.map((c, i) => ({ sha: sha(p.number * 100 + i), commit: { message: c.message }, parents: Array.from({ length: c.parents ?? 1 }, (_, k) => ({ sha: sha(k) })) })),
    );
  }
  function run(args: string[], env: Record<string, string | undefined> = {}): Run {
    const r = box.run(SCRIPT, args, { FAKE_GH: gh, GITHUB_REPOSITORY: REPO, GH_TOKEN, PROMOTION_GATE_STATUS_URL: RUN_URL, ...env });
    runs.push(r);
    return r;
  }
  /** The commit statuses set: [sha, state, description]. */
  const statuses = (r: Run) =>
    r.calls
      .filter((c) => c.tool === "gh" && c.args.includes("POST"))
      .map((c: Call): [sha: string, state: string, description: string] => {
        const field = (name: string) => c.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
        const endpoint = c.args[c.args.indexOf("--method") + 2];
        assert.match(endpoint, /^repos\/example-org\/deploy\/statuses\/[0-9a-f]{40}$/);
        assert.equal(field("context"), "promotion-gate");
        assert.equal(field("target_url"), RUN_URL);
        return [endpoint.split("/").pop() ?? "", field("state") ?? "", field("description") ?? ""];
      });
  const argocdAsked = (r: Run) => r.calls.filter((c) => c.tool === "argocd").map((c) => c.args[2]);

  const API = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);
  const servePair = (dev: Parameters<typeof application>[1]) => {
    box.serve("argocd.example.com", application("example-api-prd", { images: ["ghcr.io/example-org/example-api:1.2.2"] }));
    box.serve("argocd.example.com", application("example-api-dev", dev));
  };
  const UPDATER_BRANCH = "image-updater-argocd-example-api-prd-" + "e".repeat(64);

  describe("--pull-request", () => {
    it("sets pending, then success once dev runs every promoted image", () => {
      publish({ number: 7, ref: UPDATER_BRANCH, commits: [{ message: API }] });
      servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = run(["--pull-request", "7"]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(statuses(r), [
        [sha(7), "pending", "checking that dev runs what this promotes"],
        [sha(7), "success", "1 promotion(s) proven in dev"],
      ]);
      assert.deepEqual(argocdAsked(r), ["example-api-prd", "example-api-dev"]);
      assert.match(r.stdout, /^==> pull request #7 \(image-updater-argocd-example-api-prd-e+, aaaaaaaaaaaa\)$/m);
    });

    it("reads the pull request and its commits through the API with the workflow's token", () => {
      publish({ number: 7, ref: UPDATER_BRANCH, commits: [{ message: API }] });
      servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = run(["--pull-request", "7"]);
      const reads = r.calls.filter((c) => c.tool === "gh" && !c.args.includes("POST"));
      assert.deepEqual(reads.map((c) => [c.token, c.args]), [
        [GH_TOKEN, ["api", `repos/${REPO}/pulls/7`]],
        [GH_TOKEN, ["api", "--paginate", `repos/${REPO}/pulls/7/commits?per_page=100`]],
      ]);
    });

    it("sets failure with the reason when dev does not run it, cut to GitHub's 140 characters", () => {
      publish({ number: 8, ref: UPDATER_BRANCH, commits: [{ message: API }] });
      servePair({ health: "Progressing", images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = run(["--pull-request", "8"]);
      assert.equal(r.status, 1);
      const [, [, state, description]] = statuses(r);
      assert.equal(state, "failure");
      assert.equal(description.length, 140);
      assert.ok(description.startsWith("not proven in dev: example-api-prd example-org/example-api:1.2.3: example-api-dev does not run ghcr.io/example-org/example-"));
      assert.ok(description.endsWith("..."));
      assert.match(r.stdout + r.stderr, /Progressing, not Healthy/);
    });

    it("sets error for an Image Updater branch whose commit carries no trailers", () => {
      publish({ number: 9, ref: UPDATER_BRANCH, commits: [{ message: API }, { message: "fix by hand\n" }] });
      const r = run(["--pull-request", "9"]);
      assert.equal(r.status, 2);
      assert.deepEqual(statuses(r)[1], [sha(9), "error", `promotions: commit ${sha(901).slice(0, 12)} carries no Image-Updater trailers`]);
      assert.deepEqual(argocdAsked(r), []);
    });

    it("passes another branch's pull request that promotes nothing, without asking Argo CD", () => {
      publish({ number: 10, ref: "fix-values", commits: [{ message: "values: more replicas\n" }] });
      const r = run(["--pull-request", "10"]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(statuses(r)[1], [sha(10), "success", "these commits promote nothing (no Image-Updater trailers); nothing to check"]);
      assert.deepEqual(argocdAsked(r), []);
    });

    it("gates trailers on any branch", () => {
      publish({ number: 11, ref: "cherry-pick-api", commits: [{ message: API }] });
      servePair({ images: ["ghcr.io/example-org/example-api:1.2.2"] });
      const r = run(["--pull-request", "11"]);
      assert.equal(r.status, 1);
      assert.equal(statuses(r)[1][1], "failure");
    });

    it("does not require trailers of a fork's branch that only has Image Updater's name", () => {
      publish({ number: 12, ref: UPDATER_BRANCH, from: "someone/deploy", commits: [{ message: "docs\n" }] });
      const r = run(["--pull-request", "12"]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(statuses(r)[1][1], "success");
    });

    it("skips merge commits, which bring the base branch's own promotions", () => {
      const older = updateMessage("example-web-prd", ["example-org/example-web", "0.1.0"]);
      publish({ number: 13, ref: UPDATER_BRANCH, commits: [{ message: API }, { message: older, parents: 2 }] });
      servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
      const r = run(["--pull-request", "13"]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(argocdAsked(r), ["example-api-prd", "example-api-dev"]);
    });

    it("honours the override label from a listed user: success naming them, nothing checked", () => {
      publish({ number: 14, ref: UPDATER_BRANCH, labels: ["promotion-gate-override"], commits: [{ message: API }] });
      const r = run(["--pull-request", "14", "--labeled-by", "bob"], { PROMOTION_GATE_OVERRIDERS: "alice, bob" });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(statuses(r), [[sha(14), "success", "overridden by @bob (label promotion-gate-override)"]]);
      assert.deepEqual(argocdAsked(r), []);
      assert.match(r.stdout, /@bob overrode the promotion gate on pull request #14/);
    });

    for (const [who, overriders] of [
      ["someone not listed", "alice, carol"],
      ["someone whose name only starts a listed one", "alice,bobby"],
      ["anyone, when nobody is listed", undefined],
    ] as const) {
      it(`ignores the override label from ${who}`, () => {
        publish({ number: 15, ref: UPDATER_BRANCH, labels: ["promotion-gate-override"], commits: [{ message: API }] });
        servePair({ health: "Degraded", images: ["ghcr.io/example-org/example-api:1.2.3"] });
        const r = run(["--pull-request", "15", "--labeled-by", "bob"], { PROMOTION_GATE_OVERRIDERS: overriders });
        assert.equal(r.status, 1);
        assert.match(r.stdout, /@bob added promotion-gate-override but is not in PROMOTION_GATE_OVERRIDERS; checking as usual/);
        assert.equal(statuses(r)[1][1], "failure");
      });
    }

    it("exits 2 when the pull request cannot be read, setting nothing", () => {
      const r = run(["--pull-request", "404"]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^github-gate: cannot read pull request #404$/m);
      assert.deepEqual(statuses(r), []);
    });

    it("exits 2 when the commits cannot be read", () => {
      answer(`repos/${REPO}/pulls/16`, pullJson({ number: 16, ref: UPDATER_BRANCH, commits: [] }));
      const r = run(["--pull-request", "16"]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot read the commits of pull request #16/);
    });

    it("exits 2 when the status cannot be set", () => {
      publish({ number: 17, ref: "docs", commits: [{ message: "docs\n" }] });
      const r = run(["--pull-request", "17"], { FAKE_GH_POST_FAIL: "1" });
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`cannot set the commit status on ${sha(17)}`));
    });
  });

  describe("--open", () => {
    it("checks each open Image Updater pull request of this repository without the override label", () => {
      const pulls = [
        { number: 21, ref: UPDATER_BRANCH, commits: [{ message: API }] },
        { number: 22, ref: "image-updater-argocd-example-web-prd-" + "f".repeat(64), commits: [{ message: updateMessage("example-web-prd", ["example-org/example-web", "0.9.0"]) }] },
        { number: 23, ref: "fix-values", commits: [{ message: API }] },
        { number: 24, ref: UPDATER_BRANCH, from: "someone/deploy", commits: [{ message: API }] },
        { number: 25, ref: UPDATER_BRANCH, labels: ["promotion-gate-override"], commits: [{ message: API }] },
      ];
      pulls.forEach(publish);
      answer(`repos/${REPO}/pulls?state=open&per_page=100`, pulls.map(pullJson));
      servePair({ images: ["ghcr.io/example-org/example-api:1.2.3"] });
      box.serve("argocd.example.com", application("example-web-prd", { images: ["ghcr.io/example-org/example-web:0.8.0"] }));
      box.serve("argocd.example.com", application("example-web-dev", { sync: "OutOfSync", images: ["ghcr.io/example-org/example-web:0.9.0"] }));
      const r = run(["--open"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^github-gate: 2 open Image Updater pull request\(s\) to check$/m);
      // No pending first: a re-check must not hold back a pull request that is already green.
      assert.deepEqual(
        statuses(r).map(([s, state]) => [s, state]),
        [
          [sha(21), "success"],
          [sha(22), "failure"],
        ],
      );
    });

    it("exits 2 when the open pull requests cannot be listed", () => {
      const r = run(["--open"]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot list the open pull requests/);
    });
  });

  const usage: Array<[string[], Record<string, string | undefined>, RegExp]> = [
    [[], {}, /pass --pull-request <number> or --open/],
    [["--pull-request", "7; id"], {}, /pass --pull-request <number> or --open/],
    [["--pull-request", "7", "--open"], {}, /--pull-request and --open exclude each other/],
    [["--open"], { GITHUB_REPOSITORY: "deploy" }, /GITHUB_REPOSITORY must be owner\/name/],
    [["--pull-request", "7", "--force"], {}, /unknown argument '--force'/],
  ];
  for (const [args, env, message] of usage) {
    it(`exits 2 on ${JSON.stringify(args)} ${JSON.stringify(env)}`, () => {
      const r = run(args, env);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.deepEqual(r.calls, []);
    });
  }

  it("never prints the Argo CD or the GitHub token, in any of the runs above", () => {
    assert.ok(runs.length > 15, `only ${runs.length} runs recorded`);
    for (const r of runs) {
      for (const secret of [TOKEN, GH_TOKEN]) assert.ok(!printed(r).includes(secret), printed(r));
    }
  });
});
