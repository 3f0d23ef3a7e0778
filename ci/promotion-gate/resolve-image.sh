#!/usr/bin/env bash
# Maps an image name from Image Updater's commit trailers (the repository path without registry:
# example-org/example-api, or nginx for a Docker Hub official image) to the full repository, by
# finding it among the images the prd Application runs. Prints that repository, e.g.
# ghcr.io/example-org/example-api or docker.io/library/nginx.
#
# Exit codes: 0 exactly one repository matches; 1 none or several do (one line on stderr says
# which, with the Application's link); 2 bad usage or nothing could be checked.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: resolve-image.sh --app <application> --image-name <name>

  --app <application>    the Application that runs the image, e.g. example-api-prd
  --image-name <name>    repository path without registry, as in an Image-Updater-Image trailer

Requires ARGOCD_SERVER, ARGOCD_AUTH_TOKEN (an account that may get the Application and its
project), jq and the argocd CLI; ARGOCD_OPTS adds CLI options. The argocd CLI reads all three.
USAGE
}

die() {
  echo "resolve-image: $*" >&2
  exit 2
}

refuse() {
  echo "resolve-image: $*" >&2
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=argocd-app.sh
. "$here/argocd-app.sh"

app=""
name=""

while [ "$#" -gt 0 ]; do
  case "$1" in
    --app | --image-name)
      [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
      case "$1" in
        --app) app="$2" ;;
        --image-name) name="$2" ;;
      esac
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ "$app" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "--app must be an Application name, got '$app'"
# Docker's path grammar: lower-case components joined by '/'.
[[ "$name" =~ ^[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$ ]] \
  || die "--image-name must be a repository path without registry or tag, got '$name'"
[ -n "${ARGOCD_SERVER:-}" ] || die "ARGOCD_SERVER is not set; set it to the Argo CD host, e.g. argocd.example.com"
[ -n "${ARGOCD_AUTH_TOKEN:-}" ] || die "ARGOCD_AUTH_TOKEN is not set; see docs/promotion-gate.md for the read-only account it belongs to"
command -v jq >/dev/null || die "jq is required"
command -v argocd >/dev/null || die "the argocd CLI is required"

read_application "$app"
json="$APPLICATION_JSON"
link="https://${ARGOCD_SERVER}/applications/$(jq -r '.metadata.namespace' <<<"$json")/${app}"

# Image Updater drops a leading library/ from any path, so compare without it on both sides.
mapfile -t repositories < <(jq -r -L "$here" --arg name "$name" 'include "image-ref";
  [.status.summary.images[]? | image_ref
    | select((.path | updater_image_name) == ($name | updater_image_name)) | .repository]
  | unique[]' <<<"$json")

case "${#repositories[@]}" in
  1) echo "${repositories[0]}" ;;
  0)
    images="$(jq -r '.status.summary.images // [] | join(", ")' <<<"$json")"
    refuse "$app runs no image named $name (it runs: ${images:-no image}) ($link)"
    ;;
  *) refuse "$app runs ${#repositories[@]} repositories named $name: $(printf '%s, ' "${repositories[@]}" | sed 's/, $//'); the name cannot say which ($link)" ;;
esac
