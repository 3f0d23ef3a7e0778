import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_SPEC_BYTES } from "../lib/imageUpdaterSpec";
import { kubernetesManifests } from "../scripts/render/manifests";
import { renderStack } from "../scripts/render/renderStack";
import { withOverrides } from "./support/config";

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
