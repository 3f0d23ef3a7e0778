import { z } from "zod";

/** A path under a Vault mount: segments of safe characters, no leading or trailing '/'. */
export const vaultPath = z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, "must be a Vault path without leading or trailing '/', e.g. cluster-stack/dev");
