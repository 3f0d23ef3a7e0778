import { parseArgs } from "node:util";
import { ciJwtRole, ciVaultName, ciVaultPolicy, type CiRole } from "../lib/ciVaultAccess";
import { loadStackConfig } from "../stacks/config";
import { exitOnConfigError, runCommand } from "./configErrorExit";
import { PROJECT_DIR } from "./render/renderStack";
import { mergeStackConfig } from "./render/stackConfigFiles";

const USAGE = `usage: npm run vault-ci -- --stack <name> --repository <owner>/<name> [--preview] [--branch main] [--jwt-mount jwt]

Prints the Vault commands (for a Vault admin) that let GitHub Actions deploy the stack: the
policy cluster-stack-deploy-<env> and the JWT role of the same name, bound to the repository,
the branch and the GitHub environment <env>. With --preview also cluster-stack-preview-<env>
for pull requests (GitHub environment <env>-preview). Paths and names come from the stack's
config; the audience is its vaultAddress, which the workflows request as vars.VAULT_ADDR.`;

function commands(stack: string, repository: string, branch: string, jwtMount: string, roles: CiRole[]): string {
    const config = loadStackConfig(mergeStackConfig(PROJECT_DIR, stack));
    const lines = [`# CI access to Vault ${config.vault.address} for stack ${stack} (environment ${config.environment}).`];
    for (const role of roles) {
        const name = ciVaultName(config.environment, role);
        const jwtRole = ciJwtRole(config.environment, role, { repository, branch, audience: config.vault.address });
        lines.push(
            `vault policy write ${name} - <<'POLICY'`,
            ciVaultPolicy(config.environment, config.vault, role).trimEnd(),
            "POLICY",
            `vault write auth/${jwtMount}/role/${name} - <<'ROLE'`,
            JSON.stringify(jwtRole, null, 2),
            "ROLE",
        );
    }
    if (config.vault.manageKvMount) {
        // Unmounting deletes every secret in the mount; CI gets no mount rights.
        console.error(`note: stack ${stack} sets vaultManageKvMount, which this policy does not allow: create the mount once as an admin and set vaultManageKvMount false.`);
    }
    return lines.join("\n");
}

function main(): number {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            repository: { type: "string" },
            branch: { type: "string", default: "main" },
            "jwt-mount": { type: "string", default: "jwt" },
            preview: { type: "boolean", default: false },
            help: { type: "boolean", short: "h" },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.stack || !/^[\w.-]+\/[\w.-]+$/.test(values.repository ?? "")) {
        console.error(USAGE);
        return 2;
    }
    const roles: CiRole[] = values.preview ? ["deploy", "preview"] : ["deploy"];
    try {
        console.log(commands(values.stack, values.repository!, values.branch, values["jwt-mount"], roles));
        return 0;
    } catch (error) {
        return exitOnConfigError(error);
    }
}

runCommand(main);
