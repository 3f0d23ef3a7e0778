/**
 * The files mutation testing covers and, for each, the test files that exercise it. Every test
 * goes through the whole program, so an import graph would hand every target the full suite
 * (minutes per mutant); this table names the tests that check the file's behaviour directly.
 * components/ is left out: each file there constructs Pulumi resources and has no pure part, and
 * the lib/ files not listed are reached only through whole-stack renders (see README).
 */
const CONFIG_LOAD = ["test/config.test.ts", "test/configValues.test.ts", "test/badInput.test.ts", "test/hostileInput.test.ts"];

export const MUTATION_TARGETS: Readonly<Record<string, readonly string[]>> = {
    "lib/semver.ts": ["test/semver.test.ts", "test/semverEdges.test.ts", "test/semverGenerated.test.ts"],
    "lib/tagSelection.ts": ["test/tagSelection.test.ts", "test/semver.test.ts", "test/semverGenerated.test.ts", "test/channels.test.ts"],
    "lib/writeBackTarget.ts": ["test/writeBackTarget.test.ts", "test/writeBackBadInput.test.ts"],
    "stacks/config/rules.ts": [...CONFIG_LOAD, "test/configSchema.test.ts"],
    "stacks/config/load.ts": [...CONFIG_LOAD, "test/configSchema.test.ts"],
    "stacks/config/build.ts": CONFIG_LOAD,
    "stacks/config/formats.ts": CONFIG_LOAD,
    "stacks/config/registries.ts": [...CONFIG_LOAD, "test/credentialsBadInput.test.ts"],
    "stacks/config/credentialRules.ts": ["test/config.test.ts", "test/credentialsBadInput.test.ts", "test/credentialsAccepted.test.ts"],
    "stacks/config/confinementRules.ts": ["test/config.test.ts", "test/confinementBadInput.test.ts"],
    "stacks/config/transportRules.ts": CONFIG_LOAD,
    "stacks/config/writeBackRules.ts": ["test/config.test.ts", "test/writeBackBadInput.test.ts"],
};
