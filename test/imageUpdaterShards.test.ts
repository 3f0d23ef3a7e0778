import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_SPEC_BYTES, imageUpdaterSpecs } from "../lib/imageUpdaterSpec";
import { kubernetesManifests } from "../scripts/render/manifests";
import { renderStack } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";

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

describe("a stack with a thousand services", () => {
    it("renders several ImageUpdater objects, each under the size limit, together tracking every Application", async () => {
        const services = Array.from({ length: 1000 }, (_, i) => ({ name: `service-${i}`, image: `ghcr.io/example-org/service-${i}` }));
        const render = await renderStack({ stack: "dev", adjust: (c) => withOverrides(c, { services }) });
        const manifests = kubernetesManifests(render.run.resources);
        const updaters = manifests.filter((m) => m.kind === "ImageUpdater").sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(updaters.map((u) => u.name), ["services-dev", "services-dev-2"]);
        for (const u of updaters) assert.ok(JSON.stringify(u.body.spec).length <= MAX_SPEC_BYTES, u.name);
        const tracked = updaters.flatMap((u) => (u.body.spec as any).applicationRefs.map((r: any) => r.namePattern)).sort();
        const apps = manifests.filter((m) => m.kind === "Application").map((m) => m.name).sort();
        assert.deepEqual(tracked, apps);
        for (const m of manifests) assert.ok(JSON.stringify(m.body).length <= MAX_SPEC_BYTES, `${m.kind} ${m.name} stays small enough`);
    });
});
