import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { imageUpdaterSpecs } from "../lib/imageUpdaterSpec";

const ref = (i: number, padding = 0) => ({ namePattern: `service-${i}-dev`, images: [{ alias: "app", imageName: `ghcr.io/example-org/service-${i}:~0`.padEnd(padding, "x") }] });

describe("ImageUpdater specs split by size", () => {
    it("keeps a usual stack in one object", () => {
        const refs = Array.from({ length: 20 }, (_, i) => ref(i));
        assert.deepEqual(imageUpdaterSpecs(refs), [{ applicationRefs: refs }]);
    });

    it("splits in order, every shard under the limit, none empty, nothing lost", () => {
        const refs = Array.from({ length: 50 }, (_, i) => ref(i, 180));
        const specs = imageUpdaterSpecs(refs, 2000);
        assert.ok(specs.length > 1);
        for (const spec of specs) {
            const shard = spec.applicationRefs as unknown[];
            assert.ok(shard.length > 0);
            assert.ok(JSON.stringify(shard).length <= 2000, `${JSON.stringify(shard).length} bytes`);
        }
        assert.deepEqual(specs.flatMap((s) => s.applicationRefs as unknown[]), refs);
    });

    it("fills a shard up to the limit exactly, each ref counted with its separator", () => {
        const [a, b] = [ref(1, 100), ref(2, 100)];
        const bytes = Buffer.byteLength(JSON.stringify(a)) + 1;
        assert.deepEqual(imageUpdaterSpecs([a], bytes), [{ applicationRefs: [a] }]);
        assert.deepEqual(imageUpdaterSpecs([a, b], 2 * bytes), [{ applicationRefs: [a, b] }]);
        assert.deepEqual(imageUpdaterSpecs([a, b], 2 * bytes - 1), [{ applicationRefs: [a] }, { applicationRefs: [b] }]);
    });

    it("refuses a single applicationRef larger than the limit, naming it", () => {
        assert.throws(() => imageUpdaterSpecs([ref(1, 3000)], 2000), /applicationRef of service-1-dev alone is \d+ bytes/);
    });
});
