import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

/**
 * The `verify <file> <pin variable> <what>` shell function the GitLab templates define before
 * each download, run in POSIX sh (the jobs' busybox sh in alpine) against a file and its pin.
 */
export function describeChecksumVerifier(verifier: string): void {
  describe("verify", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, "argocd-linux-amd64");
    writeFileSync(file, "argocd binary");
    chmodSync(file, 0o644);
    const sha = createHash("sha256").update("argocd binary").digest("hex");
    const run = (pin?: string) =>
      spawnSync("sh", ["-c", `${verifier}\nverify "$1" ARGOCD_SHA256 "argocd-linux-amd64 v3.4.4"\necho verified`, "sh", file], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, ...(pin === undefined ? {} : { ARGOCD_SHA256: pin }) },
      });

    it("passes the file whose SHA-256 is pinned", () => {
      const r = run(sha);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /verified$/m);
    });

    it("stops the job on another file", () => {
      const r = run("0".repeat(64));
      assert.notEqual(r.status, 0);
      assert.doesNotMatch(r.stdout, /verified$/m);
    });

    it("stops the job when the pin is unset, naming the variable and what to pin", () => {
      const r = run();
      assert.equal(r.status, 1);
      assert.match(r.stderr, /the CI\/CD variable ARGOCD_SHA256 is not set; set it to the SHA-256 of argocd-linux-amd64 v3\.4\.4/);
      assert.doesNotMatch(r.stdout, /verified/);
    });
  });
}
