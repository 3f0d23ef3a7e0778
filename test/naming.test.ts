import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imageUpdaterName } from "../lib/naming";

describe("ImageUpdater object names", () => {
    it("the first shard is services-<env>, the next ones count on from -2", () => {
        assert.deepEqual([0, 1, 2].map((shard) => imageUpdaterName("prd", shard)), ["services-prd", "services-prd-2", "services-prd-3"]);
        assert.equal(imageUpdaterName("dev"), "services-dev");
    });
});
