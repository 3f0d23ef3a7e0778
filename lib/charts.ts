/** A Helm chart pinned to one version. */
export interface PinnedChart {
    chart: string;
    version: string;
    repository: string;
    /** Version of the application the chart ships, for the record and for schema selection. */
    appVersion: string;
}

/** argo-cd 10.1.1 ships Argo CD v3.4.4: newest stable; v3.5.0 regressed ignoreApplicationDifferences. */
export const ARGO_CD_CHART: PinnedChart = {
    chart: "argo-cd",
    version: "10.1.1",
    repository: "https://argoproj.github.io/argo-helm",
    appVersion: "v3.4.4",
};
