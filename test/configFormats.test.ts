import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { schemaProblems as problems } from "./support/schemaProblems";
import { cleanUrl, goDuration, repoRelativePath, singleLine, vaultPath } from "../stacks/config/formats";

const CONTROL = "must not contain control characters or line breaks: they would start new lines in the YAML, templates and policies it lands in";

describe("config formats: free text", () => {
    it("refuses the empty string and control characters, each with its reason", () => {
        assert.deepEqual(problems(singleLine, ""), ["must not be empty"]);
        assert.deepEqual(problems(singleLine, "a\nb"), [CONTROL]);
        assert.deepEqual(problems(singleLine, "a\u007fb"), [CONTROL]);
        assert.deepEqual(problems(singleLine, "any text: ✓ {{ }}"), []);
    });
});

describe("config formats: deploy-repo paths", () => {
    const DOT = "must not have '.' or '..' segments: it would leave the directory it names";
    for (const path of ["services/./api", "services/../billing", "..", "."]) {
        it(`refuses ${JSON.stringify(path)}`, () => assert.deepEqual(problems(repoRelativePath, path), [DOT]));
    }
    for (const path of [".github/api", "services/api..v2", "services/.api"]) {
        it(`accepts ${JSON.stringify(path)}: dots inside a segment are names`, () => assert.deepEqual(problems(repoRelativePath, path), []));
    }
});

describe("config formats: Vault paths", () => {
    const SHAPE = "must be a Vault path without leading or trailing '/', e.g. cluster-stack/dev";
    it("refuses a trailing or leading '/', and characters outside the path alphabet", () => {
        assert.deepEqual(problems(vaultPath, "cluster-stack/dev/"), [SHAPE]);
        assert.deepEqual(problems(vaultPath, "/cluster-stack/dev"), [SHAPE]);
        assert.deepEqual(problems(vaultPath, "cluster stack/dev"), [SHAPE]);
    });
    it("accepts segments of letters, digits, '_', '.' and '-'", () => {
        assert.deepEqual(problems(vaultPath, "cluster-stack/dev_1/v1.2"), []);
    });
});

describe("config formats: URLs", () => {
    const https = cleanUrl(["https"], "an https URL");
    it("refuses another scheme than the ones allowed", () => {
        assert.deepEqual(problems(https, "http://vault.example.com"), ["must be an https URL"]);
        assert.deepEqual(problems(cleanUrl(["https", "http"], "an http(s) URL"), "http://vault.example.com"), []);
    });
    it("refuses credentials, a user alone or a password alone", () => {
        const CREDENTIALS = "must not carry credentials (user:password@): they would be readable in plaintext; they belong in the secret keys";
        assert.deepEqual(problems(https, "https://ghp_token@github.com/acme/deploy"), [CREDENTIALS]);
        assert.deepEqual(problems(https, "https://:hunter2@github.com/acme/deploy"), [CREDENTIALS]);
    });
    it("refuses a query or fragment, even an empty one the URL parser drops", () => {
        assert.deepEqual(problems(https, "https://example.com/a?x=1"), ["must not have a query string (?...)"]);
        assert.deepEqual(problems(https, "https://example.com/a?"), ["must not have a query string (?...)"]);
        assert.deepEqual(problems(https, "https://example.com/a#"), ["must not have a fragment (#...)"]);
    });
});

describe("config formats: Go durations", () => {
    const period = goDuration(60_000, "1m");
    const FORMAT = "must be a Go duration such as 30s, 2m or 1h";
    it("accepts compound units and fractions of several digits", () => {
        for (const value of ["1h30m", "1.25h", "90s", "2m0.5s"]) assert.deepEqual(problems(period, value), [], value);
    });
    it("refuses text before or after the duration", () => {
        assert.deepEqual(problems(period, "every 5m"), [FORMAT]);
        assert.deepEqual(problems(period, "5m please"), [FORMAT]);
        assert.deepEqual(problems(period, "1.h"), [FORMAT]);
    });
    it("refuses a duration under the minimum, naming it", () => {
        assert.deepEqual(problems(period, "59s"), ["must be at least 1m: shorter periods hammer the registries, Vault and the API server"]);
    });
});
