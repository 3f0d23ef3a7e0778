/** KV v2 serves a secret's data under `<mount>/data/<path>`; ESO reads nothing else. */
export function kvDataPath(mount: string, secretPath: string): string {
    return `${mount}/data/${secretPath}`;
}

/** Read on exactly one KV v2 secret: no list, no metadata, no other path. */
export function readOnlyPolicy(mount: string, secretPath: string): string {
    return `path "${kvDataPath(mount, secretPath)}" {\n  capabilities = ["read"]\n}\n`;
}
