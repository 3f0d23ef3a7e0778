import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { renderFiles } from "../scripts/render/manifests";
import { runUnderMocks, type ProgramRun, type RecordedResource } from "../scripts/render/mockRuntime";

class Thing extends pulumi.CustomResource {
    constructor(name: string, opts: pulumi.CustomResourceOptions = {}) {
        super("test:index:Thing", name, {}, opts);
    }
}

class Group extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("test:index:Group", name, {}, opts);
    }
}

/** Resources with every deletion option set, and one with none, so each recorded value is told apart from its default. */
function program(): Record<string, unknown> {
    const parent = new Group("group", { protect: true });
    const kept = new Thing("kept", { protect: true, retainOnDelete: true, ignoreChanges: ["spec.replicas"] });
    new Thing("swapped", { deletedWith: kept, deleteBeforeReplace: true });
    new Thing("replaced-after", { deleteBeforeReplace: false });
    new Thing("inherits", { parent });
    new Thing("plain");
    return {};
}

describe("mock runtime: deletion options as the engine receives them", () => {
    let run: ProgramRun;
    const byName = (name: string): RecordedResource => {
        const resource = run.resources.find((r) => r.name === name);
        assert.ok(resource, `${name} recorded`);
        return resource;
    };

    it("records protect, retainOnDelete, deletedWith, deleteBeforeReplace and ignoreChanges", async () => {
        run = await runUnderMocks({ stack: "test", project: "test", values: {}, secretKeys: new Set() }, program);
        const kept = byName("kept");
        assert.equal(kept.protect, true);
        assert.equal(kept.retainOnDelete, true);
        assert.deepEqual(kept.ignoreChanges, ["spec.replicas"]);
        assert.equal(kept.deletedWith, "");
        assert.equal(kept.deleteBeforeReplace, undefined);

        const swapped = byName("swapped");
        assert.equal(swapped.deletedWith, kept.urn);
        assert.match(kept.urn, /::kept$/);
        assert.equal(swapped.deleteBeforeReplace, true);
        assert.equal(swapped.protect, false);
        assert.equal(byName("replaced-after").deleteBeforeReplace, false, "an explicit false is kept apart from unset");
    });

    it("records protect passed down from a component parent, as the SDK sends it", () => {
        assert.equal(byName("inherits").protect, true);
        assert.equal(byName("group").protect, true);
    });

    it("records the defaults when no option is set", () => {
        const plain = byName("plain");
        assert.deepEqual(
            { protect: plain.protect, retainOnDelete: plain.retainOnDelete, deletedWith: plain.deletedWith, deleteBeforeReplace: plain.deleteBeforeReplace, ignoreChanges: plain.ignoreChanges },
            { protect: false, retainOnDelete: false, deletedWith: "", deleteBeforeReplace: undefined, ignoreChanges: [] },
        );
    });

    it("resources.json carries them: protect and retainOnDelete always, the others when set", () => {
        const written = JSON.parse(renderFiles(run).get("resources.json")!) as Record<string, unknown>[];
        const entry = (name: string) => written.find((r) => r.name === name)!;
        assert.equal(entry("kept").protect, true);
        assert.equal(entry("kept").retainOnDelete, true);
        assert.deepEqual(entry("kept").ignoreChanges, ["spec.replicas"]);
        assert.equal(entry("swapped").deletedWith, byName("kept").urn);
        assert.equal(entry("swapped").deleteBeforeReplace, true);
        assert.equal(entry("replaced-after").deleteBeforeReplace, false);
        const plain = entry("plain");
        assert.equal(plain.protect, false);
        assert.equal(plain.retainOnDelete, false);
        assert.ok(!("deletedWith" in plain) && !("deleteBeforeReplace" in plain) && !("ignoreChanges" in plain), JSON.stringify(plain));
    });
});
