import { z } from "zod";
import { podSecurityLevels } from "../../model/stackConfig";

/** One namespaced kind a stack admits into its AppProject beyond the defaults: exact, no globs. */
export const admittedKindSchema = z
    .object({
        group: z
            .string()
            .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/, 'must be an API group such as monitoring.coreos.com, or "" for the core API (no wildcards)'),
        kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be a Kind such as ServiceMonitor (no wildcards)"),
    })
    .strict();

export const podSecuritySchema = z.enum(podSecurityLevels, { error: "must be baseline or restricted (privileged is not offered for service namespaces)" });
