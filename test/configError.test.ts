import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, type ConfigProblem } from "../stacks/config";

const problem = (value: unknown, key = "cluster-stack:deployRepoUrl"): ConfigProblem => ({ key, value, problem: "is wrong", fix: "set it right" });

/** The line that shows a problem's key and value. */
function shown(value: unknown): string {
    return new ConfigError("dev", [problem(value)]).message.split("\n")[1]!;
}

describe("ConfigError's message", () => {
    it("names the stack, counts the problems, and gives each its key, value, problem and fix", () => {
        const error = new ConfigError("prd", [problem("a"), problem(3, "cluster-stack:imageUpdaterWebhookRateLimit")]);
        assert.equal(
            error.message,
            [
                "Stack 'prd' has 2 configuration problems:",
                '  - cluster-stack:deployRepoUrl = "a": is wrong',
                "    fix: set it right",
                "  - cluster-stack:imageUpdaterWebhookRateLimit = 3: is wrong",
                "    fix: set it right",
                "No resource was created or changed.",
            ].join("\n"),
        );
        assert.equal(error.name, "ConfigError");
        assert.equal(error.stack, "prd");
    });

    it("says problem, singular, for one", () => {
        assert.match(new ConfigError("dev", [problem("a")]).message, /^Stack 'dev' has 1 configuration problem:\n/);
    });

    it("shows an unset value as (not set) and structured values as JSON", () => {
        assert.equal(shown(undefined), "  - cluster-stack:deployRepoUrl = (not set): is wrong");
        assert.equal(shown({ host: "ghcr.io" }), '  - cluster-stack:deployRepoUrl = {"host":"ghcr.io"}: is wrong');
    });

    it("masks the credentials of every URL in the value, whatever its scheme", () => {
        assert.equal(shown("https://bot:ghp_secret@github.com/acme/deploy.git"), '  - cluster-stack:deployRepoUrl = "https://[credentials]@github.com/acme/deploy.git": is wrong');
        const line = shown(["git+ssh://git:hunter2@example.com/a", "HTTP://ghp_token@Example.com/b"]);
        assert.equal(line, '  - cluster-stack:deployRepoUrl = ["git+ssh://[credentials]@example.com/a","HTTP://[credentials]@Example.com/b"]: is wrong');
    });

    it("keeps an @ that is not in a URL's credentials", () => {
        assert.equal(shown("https://example.com/@team"), '  - cluster-stack:deployRepoUrl = "https://example.com/@team": is wrong');
        assert.equal(shown("ops@example.com"), '  - cluster-stack:deployRepoUrl = "ops@example.com": is wrong');
    });

    it("cuts a value longer than 80 characters to 77 and an ellipsis, and shows one of 80 whole", () => {
        const long = "x".repeat(120);
        assert.equal(shown(long), `  - cluster-stack:deployRepoUrl = "${"x".repeat(76)}...: is wrong`);
        const exact = "y".repeat(78); // 80 with its quotes
        assert.equal(shown(exact), `  - cluster-stack:deployRepoUrl = "${exact}": is wrong`);
    });
});
