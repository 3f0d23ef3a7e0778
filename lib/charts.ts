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

/** argocd-image-updater 1.2.4 ships v1.2.2: newest chart; 1.x is driven by ImageUpdater resources. */
export const IMAGE_UPDATER_CHART: PinnedChart = {
    chart: "argocd-image-updater",
    version: "1.2.4",
    repository: "https://argoproj.github.io/argo-helm",
    appVersion: "v1.2.2",
};

/** external-secrets 2.9.0 (ESO v2.9.0): newest release; serves external-secrets.io/v1 only. */
export const EXTERNAL_SECRETS_CHART: PinnedChart = {
    chart: "external-secrets",
    version: "2.9.0",
    repository: "https://charts.external-secrets.io",
    appVersion: "v2.9.0",
};
