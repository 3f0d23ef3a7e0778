/**
 * The files mutation testing covers and, for each, the test files that exercise it. Every test
 * goes through the whole program, so an import graph would hand every target the full suite
 * (minutes per mutant); this table names the tests that check the file's behaviour directly.
 *
 * Covered: every file of lib/ and stacks/config/ but those MUTATION_EXCLUDED names, and none of
 * components/: each file there constructs Pulumi resources from what lib/ computes and has no
 * pure part of its own.
 */
const CONFIG_LOAD = ["test/config.test.ts", "test/configValues.test.ts", "test/badInput.test.ts", "test/hostileInput.test.ts"];
const CREDENTIALS_CONFIG = ["test/config.test.ts", "test/credentialsBadInput.test.ts", "test/credentialsAccepted.test.ts"];
const SECRETS_CHAIN = ["test/secrets.test.ts", "test/esoTemplates.test.ts", "test/pullSecretKeys.test.ts"];
const CHART_VALUES = ["test/helmValues.test.ts", "test/releases.test.ts"];

export const MUTATION_TARGETS: Readonly<Record<string, readonly string[]>> = {
    "lib/semver.ts": ["test/semver.test.ts", "test/semverEdges.test.ts", "test/semverGenerated.test.ts"],
    "lib/tagSelection.ts": ["test/tagSelection.test.ts", "test/semver.test.ts", "test/semverGenerated.test.ts"],
    "lib/writeBackTarget.ts": ["test/writeBackTarget.test.ts", "test/writeBackBadInput.test.ts", "test/writeBackRendered.test.ts"],
    "lib/appProject.ts": ["test/confinement.test.ts", "test/confinementBadInput.test.ts", "test/blastRadius.test.ts"],
    "lib/applicationSpec.ts": ["test/applications.test.ts", "test/protection.test.ts", "test/promotionWriteBack.test.ts"],
    "lib/argocdValues.ts": ["test/argocd.test.ts", "test/webhooks.test.ts", "test/notifications.test.ts", ...CHART_VALUES],
    "lib/charts.ts": ["test/argocd.test.ts", "test/schemas.test.ts", ...CHART_VALUES],
    "lib/ciAccount.ts": ["test/confinement.test.ts", "test/sharedCluster.test.ts", "test/confinementBadInput.test.ts"],
    "lib/ciVaultAccess.ts": ["test/delivery/ciVaultAccess.test.ts"],
    "lib/externalSecretSpecs.ts": [...SECRETS_CHAIN, "test/blastRadius.test.ts", "test/notifications.test.ts"],
    "lib/externalSecretsValues.ts": CHART_VALUES,
    "lib/imageUpdaterSpec.ts": ["test/imageUpdaterShards.test.ts", "test/applications.test.ts", "test/writeBackRendered.test.ts", "test/promotionWriteBack.test.ts"],
    "lib/imageUpdaterValues.ts": ["test/imageUpdaterValues.test.ts", "test/applications.test.ts", "test/webhooks.test.ts", "test/secrets.test.ts", ...CHART_VALUES],
    "lib/naming.ts": ["test/naming.test.ts", "test/applications.test.ts", "test/secrets.test.ts", "test/confinement.test.ts"],
    "lib/notificationValues.ts": ["test/notifications.test.ts", "test/helmValues.test.ts"],
    "lib/promotion.ts": ["test/promotionWriteBack.test.ts"],
    "lib/pullSecrets.ts": ["test/pullSecrets.test.ts", ...SECRETS_CHAIN],
    "lib/pushWebhooks.ts": ["test/webhooks.test.ts"],
    "lib/registries.ts": ["test/registries.test.ts", "test/pullSecrets.test.ts", ...SECRETS_CHAIN, "test/credentialsAccepted.test.ts"],
    "lib/vaultAccess.ts": ["test/vaultAccess.test.ts", "test/secrets.test.ts", "test/blastRadius.test.ts", "test/sharedCluster.test.ts"],
    // checkRules runs every rule family, so each family's bad-input tests check that it is called.
    "stacks/config/rules.ts": [
        "test/configRules.test.ts",
        ...CONFIG_LOAD,
        "test/credentialsBadInput.test.ts",
        "test/confinementBadInput.test.ts",
        "test/writeBackBadInput.test.ts",
        "test/promotionWriteBack.test.ts",
        "test/webhooks.test.ts",
    ],
    "stacks/config/load.ts": [...CONFIG_LOAD, "test/configSchema.test.ts"],
    "stacks/config/build.ts": ["test/configBuild.test.ts", "test/configRules.test.ts", ...CONFIG_LOAD],
    "stacks/config/keys.ts": ["test/configExamples.test.ts", "test/configKeySchemas.test.ts", ...CONFIG_LOAD, "test/configSchema.test.ts"],
    "stacks/config/services.ts": ["test/configFieldSchemas.test.ts", ...CONFIG_LOAD, "test/writeBackBadInput.test.ts"],
    "stacks/config/formats.ts": ["test/configFormats.test.ts", ...CONFIG_LOAD],
    "stacks/config/errors.ts": ["test/configError.test.ts", ...CONFIG_LOAD],
    "stacks/config/confinement.ts": ["test/configFieldSchemas.test.ts", "test/config.test.ts", "test/confinementBadInput.test.ts"],
    "stacks/config/registries.ts": ["test/configFieldSchemas.test.ts", ...CONFIG_LOAD, "test/credentialsBadInput.test.ts"],
    "stacks/config/credentialRules.ts": CREDENTIALS_CONFIG,
    "stacks/config/confinementRules.ts": ["test/config.test.ts", "test/confinementBadInput.test.ts"],
    "stacks/config/transportRules.ts": CONFIG_LOAD,
    "stacks/config/writeBackRules.ts": ["test/config.test.ts", "test/writeBackBadInput.test.ts"],
    "stacks/config/deliveryRules.ts": ["test/notifications.test.ts", "test/webhooks.test.ts", ...CONFIG_LOAD],
};

/** Files of lib/ and stacks/config/ that are not mutated, and why. */
export const MUTATION_EXCLUDED: Readonly<Record<string, string>> = {
    "stacks/config/runtime.ts": "reads Pulumi's config store, which exists only inside `pulumi up`",
    "stacks/config/index.ts": "re-exports only",
};
