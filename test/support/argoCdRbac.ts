import { newEnforcer, newModelFromString, StringAdapter, type Enforcer } from "casbin";

/**
 * Argo CD v3.4's RBAC enforcer, rebuilt from its model (assets/model.conf) with casbin: policy
 * lines in Argo CD's CSV form, subjects bound with `g`, allow unless denied. Argo CD's
 * `globOrRegexMatch` in its default glob mode is gobwas/glob without separators, so `*` also
 * spans '/'; the policies here use only `*` and `?`.
 */
const ARGO_CD_MODEL = `
[request_definition]
r = sub, res, act, obj
[policy_definition]
p = sub, res, act, obj, eft
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))
[matchers]
m = g(r.sub, p.sub) && globOrRegexMatch(r.res, p.res) && globOrRegexMatch(r.act, p.act) && globOrRegexMatch(r.obj, p.obj)
`;

function globMatch(value: string, pattern: string): boolean {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(value);
}

/**
 * argocd-rbac-cm's data as Argo CD v3.4 reads it (util/rbac PolicyCSV): `policy.csv`, then
 * every other `policy.<name>.csv` in key order.
 */
export function policyCsv(data: Record<string, string>): string {
    const extra = Object.keys(data)
        .filter((key) => key.startsWith("policy.") && key.endsWith(".csv") && key !== "policy.csv")
        .sort();
    return [data["policy.csv"] ?? "", ...extra.map((key) => data[key])].join("\n");
}

/** An enforcer over the given policy CSV; `enforce(subject, resource, action, object)` as Argo CD asks. */
export async function argoCdEnforcer(csv: string): Promise<Enforcer> {
    const lines = csv
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line !== "" && !line.startsWith("#"));
    const enforcer = await newEnforcer(newModelFromString(ARGO_CD_MODEL), new StringAdapter(lines.join("\n")));
    await enforcer.addFunction("globOrRegexMatch", (value: string, pattern: string) => globMatch(value, pattern));
    return enforcer;
}
