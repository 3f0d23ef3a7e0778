/**
 * What a write-back commit tells a promotion gate: git trailers (the commit message's last
 * paragraph), one group per changed image, so a deploy-repo workflow can read which Application
 * takes which image and tag (ci/promotion-gate, docs/promotion-gate.md).
 */

/** Trailer keys, in the order each group lists them. */
export const PROMOTION_TRAILERS = {
    application: "Image-Updater-App",
    image: "Image-Updater-Image",
    tag: "Image-Updater-Tag",
} as const;

/**
 * Image Updater v1.2.2's commit message template (Go text/template, no extra functions:
 * cmd/common.go parses it bare), over `.AppName` and `.AppChanges` (`.Image` is the repository
 * without its registry, `.OldTag`, `.NewTag`). One line per image for the history, then the
 * trailers.
 */
export const COMMIT_MESSAGE_TEMPLATE = [
    "build: automatic update of {{ .AppName }}",
    "",
    "{{ range .AppChanges -}}",
    "updates image {{ .Image }} tag '{{ .OldTag }}' to '{{ .NewTag }}'",
    "{{ end }}",
    "{{- range .AppChanges }}",
    `${PROMOTION_TRAILERS.application}: {{ $.AppName }}`,
    `${PROMOTION_TRAILERS.image}: {{ .Image }}`,
    `${PROMOTION_TRAILERS.tag}: {{ .NewTag }}`,
    "{{- end }}",
    "",
].join("\n");

/**
 * The branch Image Updater v1.2.2 pushes a pull-request write-back to, as a Go template over
 * `.AppNamespace`, `.AppName` and `.SHA256` (a hash of the changed images and tags). It is fixed
 * upstream (pkg/argocd/git.go); the `<base>:<template>` branch form is refused in pull-request mode
 * (pkg/argocd/argocd.go), so `branch` names only the base. One branch per Application and change
 * set: two services, or two updates of one, never share a pull request.
 */
export const PULL_REQUEST_BRANCH_TEMPLATE = "image-updater-{{.AppNamespace}}-{{.AppName}}-{{.SHA256}}";
