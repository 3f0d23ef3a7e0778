import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { GATE_DIR, commitHistory, updateMessage } from "./promotionGateFakes";

const SCRIPT = path.join(GATE_DIR, "promotions.sh");

const UPDATE = updateMessage("example-api-prd", ["example-org/example-api", "1.2.3"]);

describe("ci/promotion-gate/promotions.sh", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** Commits the messages on a fresh repository; returns their SHAs and `git log -z` of them. */
  function history(messages: string[]) {
    const dir = mkdtempSync(path.join(tmpdir(), "promotions-"));
    dirs.push(dir);
    return commitHistory(dir, messages);
  }

  const run = (input: Buffer | string, args: string[] = []) => spawnSync("bash", [SCRIPT, ...args], { input, encoding: "utf8" });

  /** Lines "<sha>\t<app>\t<image>\t<tag>" for the commits, newest first as git log lists them. */
  function promotions(messages: string[], args: string[] = []) {
    const { shas, log } = history(messages);
    const r = run(log, args);
    return { ...r, shas, rows: r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")) };
  }

  it("reads the group Image Updater's template writes", () => {
    const r = promotions([UPDATE], ["--require-trailers"]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.rows, [[r.shas[0], "example-api-prd", "example-org/example-api", "1.2.3"]]);
    assert.equal(r.stderr, "");
  });

  it("reads one group per image of a commit, in order", () => {
    const message = `build: promote example-api-prd

Image-Updater-App: example-api-prd
Image-Updater-Image: example-org/example-api
Image-Updater-Tag: 1.2.3
Image-Updater-App: example-api-prd
Image-Updater-Image: nginx
Image-Updater-Tag: 1.27.1
`;
    const r = promotions([message]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.rows.map((row) => row.slice(1)), [
      ["example-api-prd", "example-org/example-api", "1.2.3"],
      ["example-api-prd", "nginx", "1.27.1"],
    ]);
  });

  it("reads every commit of the range", () => {
    const r = promotions([UPDATE, UPDATE.replaceAll("example-api", "example-web").replace("Tag: 1.2.3", "Tag: 0.9.0")]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.rows, [
      [r.shas[1], "example-web-prd", "example-org/example-web", "0.9.0"],
      [r.shas[0], "example-api-prd", "example-org/example-api", "1.2.3"],
    ]);
  });

  it("ignores other trailers around the groups and takes keys in any case, as git does", () => {
    const message = `build: promote

Signed-off-by: Image Updater <noreply@example.com>
image-updater-app: example-api-prd
IMAGE-UPDATER-IMAGE: example-org/example-api
Image-Updater-Tag:   1.2.3
Co-authored-by: someone <someone@example.com>
`;
    const r = promotions([message]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.rows[0].slice(1), ["example-api-prd", "example-org/example-api", "1.2.3"]);
  });

  it("is not stopped by a '---' line in the body, which is no patch divider in a commit", () => {
    const r = promotions([UPDATE.replace("Image Updater updates", "---\nImage Updater updates")]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.rows.length, 1);
  });

  it("prints nothing for commits without trailers, unless they are required", () => {
    const plain = promotions(["docs: typo\n\nSigned-off-by: a <a@example.com>\n"]);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout, "");
    const required = promotions([UPDATE, "fixup: hand edit\n"], ["--require-trailers"]);
    assert.equal(required.status, 2);
    assert.equal(required.stderr, `promotions: commit ${required.shas[1].slice(0, 12)} carries no Image-Updater trailers\n`);
  });

  it("requires at least one commit when trailers are required", () => {
    const r = run("", ["--require-trailers"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no commits to read/);
    assert.equal(run("").status, 0);
  });

  describe("refuses, exit 2, what it cannot read for certain", () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        "groups split by a blank line (git reads the last paragraph only, so the first group would go unchecked)",
        UPDATE + "\nImage-Updater-App: example-api-prd\nImage-Updater-Image: nginx\nImage-Updater-Tag: 1.27.1\n",
        /3 Image-Updater line\(s\) outside the trailer block \(the last paragraph\); no blank line may separate the groups/,
      ],
      [
        "Image-Updater lines in the body only",
        "build: promote\n\nImage-Updater-App: example-api-prd\nImage-Updater-Image: nginx\nImage-Updater-Tag: 1.27.1\n\nThanks.\n",
        /3 Image-Updater line\(s\) outside the trailer block/,
      ],
      [
        "a group out of order",
        "build\n\nImage-Updater-Image: nginx\nImage-Updater-App: example-api-prd\nImage-Updater-Tag: 1\n",
        /trailer 'Image-Updater-Image: nginx' where image-updater-app was expected/,
      ],
      ["a group without its tag", "build\n\nImage-Updater-App: example-api-prd\nImage-Updater-Image: nginx\n", /the last Image-Updater group stops before image-updater-tag/],
      [
        "a key the gate does not know",
        "build\n\nImage-Updater-App: example-api-prd\nImage-Updater-Images: nginx\nImage-Updater-Tag: 1\n",
        /trailer 'Image-Updater-Images: nginx' where image-updater-image was expected/,
      ],
      ["an Application name that is not one", UPDATE.replace("App: example-api-prd", "App: Example API"), /Image-Updater-App 'Example API' is not an Application name/],
      ["an image with its tag", UPDATE.replace("Image: example-org/example-api", "Image: example-org/example-api:1.2.3"), /Image-Updater-Image 'example-org\/example-api:1\.2\.3' is not a repository path/],
      ["a tag with shell in it", UPDATE.replace("Tag: 1.2.3", "Tag: 1.2.3$(id)"), /Image-Updater-Tag '1\.2\.3\$\(id\)' is not an image tag/],
      ["an empty tag", UPDATE.replace("Tag: 1.2.3", "Tag:"), /Image-Updater-Tag '' is not an image tag/],
    ];
    for (const [what, message, expected] of cases) {
      it(what, () => {
        const r = promotions([message]);
        assert.equal(r.status, 2, r.stdout);
        assert.match(r.stderr, new RegExp(`^promotions: commit ${r.shas[0].slice(0, 12)}:? `));
        assert.match(r.stderr, expected);
      });
    }

    it("input that is not git log's records", () => {
      const r = run("not a sha\nmessage\0");
      assert.equal(r.status, 2);
      assert.match(r.stderr, /expected records '<sha>\\n<message>', got 'not a sha'/);
    });
  });
});
