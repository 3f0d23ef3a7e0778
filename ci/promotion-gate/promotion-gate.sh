#!/usr/bin/env bash
# Promotion gate: passes only when Argo CD shows the dev Application running the exact image tag
# that a pull request is about to promote to prd, Synced and Healthy (and, with --min-age, for at
# least that long). See docs/promotion-gate.md.
#
# Exit codes: 0 the Application runs the tag, Synced and Healthy; 1 it does not, or not for
# --min-age (one line on stderr says which condition failed, with the Application's link);
# 2 bad usage or nothing could be checked (no token, CLI error, Application not found).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: promotion-gate.sh --app <application> --image <repository> --tag <tag> [--min-age <duration>]

  --app <application>    the Application that must run the image, e.g. example-api-dev
  --image <repository>   repository without tag, e.g. ghcr.io/example-org/example-api or nginx
                         (compared as Docker reads it: nginx is docker.io/library/nginx)
  --tag <tag>            the exact tag, e.g. 1.2.3 (1.2.3-rc.1 and 1.2.30 are other tags)
  --min-age <duration>   the Application must have run it at least this long: <n>s, <n>m, <n>h or
                         <n>d, measured from its last sync (Argo CD dates syncs, not images)

Requires ARGOCD_SERVER (host[:port]) and ARGOCD_AUTH_TOKEN (a token of an account that may get
the Application and its project), jq and the argocd CLI; ARGOCD_OPTS adds CLI options such as
--grpc-web. The argocd CLI reads all three itself.
USAGE
}

die() {
  echo "promotion-gate: $*" >&2
  exit 2
}

refuse() {
  echo "promotion-gate: $*" >&2
  exit 1
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=argocd-app.sh
. "$here/argocd-app.sh"
# shellcheck source=duration.sh
. "$here/duration.sh"

app=""
image=""
tag=""
min_age=""

while [ "$#" -gt 0 ]; do
  case "$1" in
    --app | --image | --tag | --min-age)
      [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
      case "$1" in
        --app) app="$2" ;;
        --image) image="$2" ;;
        --tag) tag="$2" ;;
        --min-age) min_age="$2" ;;
      esac
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ "$app" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "--app must be an Application name, got '$app'"
[[ "$image" =~ ^[A-Za-z0-9][A-Za-z0-9._/:-]*$ ]] || die "--image must be a repository such as ghcr.io/org/app, got '$image'"
[[ "${image##*/}" != *:* ]] || die "--image takes the repository without its tag, got '$image'; pass the tag with --tag"
# Docker's tag grammar.
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "--tag must be an image tag, got '$tag'"
min_age_seconds=0
if [ -n "$min_age" ]; then
  min_age_seconds="$(seconds_of "$min_age")" || die "--min-age must be a duration such as 30m, 2h or 1d, got '$min_age'"
fi
[ -n "${ARGOCD_SERVER:-}" ] || die "ARGOCD_SERVER is not set; set it to the Argo CD host, e.g. argocd.example.com"
[ -n "${ARGOCD_AUTH_TOKEN:-}" ] || die "ARGOCD_AUTH_TOKEN is not set; see docs/promotion-gate.md for the read-only account it belongs to"
command -v jq >/dev/null || die "jq is required"
command -v argocd >/dev/null || die "the argocd CLI is required"

read_application "$app"
json="$APPLICATION_JSON"
link="https://${ARGOCD_SERVER}/applications/$(jq -r '.metadata.namespace' <<<"$json")/${app}"
wanted="$(jq -nr -L "$here" --arg image "$image" 'include "image-ref"; $image | image_ref | .repository'):${tag}"

sync="$(jq -r '.status.sync.status // "Unknown"' <<<"$json")"
health="$(jq -r '.status.health.status // "Unknown"' <<<"$json")"
running="$(jq -r -L "$here" --arg image "$image" --arg tag "$tag" 'include "image-ref";
  ($image | image_ref | .repository) as $repository
  | [.status.summary.images[]? | image_ref | select(.repository == $repository and .tag == $tag)] | length > 0' <<<"$json")"

problems=()
[ "$sync" = Synced ] || problems+=("$sync, not Synced")
[ "$health" = Healthy ] || problems+=("$health, not Healthy")
if [ "$running" != true ]; then
  images="$(jq -r '.status.summary.images // [] | join(", ")' <<<"$json")"
  problems+=("image not running (it runs: ${images:-no image})")
fi
if [ "${#problems[@]}" -gt 0 ]; then
  refuse "$app does not run $wanted Synced and Healthy: $(printf '%s; ' "${problems[@]}" | sed 's/; $//') ($link)"
fi

if [ "$min_age_seconds" -gt 0 ]; then
  # Argo CD records when each full sync finished (status.history, newest last) and the last
  # operation of any kind (status.operationState: also a selective or failed sync, or one still
  # running). Neither says which images a sync changed, so the image has run at least since the
  # later of the two and perhaps longer: a later sync of anything restarts the clock.
  since="$(jq -r '[(.status.history // [] | max_by(.id) | .deployedAt?),
      (.status.operationState // null | if . == null then null else .finishedAt // .startedAt end)]
    | map(select(. != null) | fromdateiso8601) | max // empty' <<<"$json" 2>/dev/null)" \
    || die "$app: cannot read the times of its syncs ($link)"
  [ -n "$since" ] || refuse "$app runs $wanted, but Argo CD has recorded no sync to date it from, so --min-age $min_age cannot pass ($link)"
  at="$(jq -nr --argjson t "$since" '$t | todate')"
  age=$(($(date -u +%s) - since))
  if [ "$age" -lt "$min_age_seconds" ]; then
    refuse "$app has run $wanted for $(human_duration "$age") since its last sync at $at, less than --min-age $min_age ($link)"
  fi
  echo "promotion-gate: $app runs $wanted, Synced and Healthy, for $(human_duration "$age") since its last sync at $at ($link)"
else
  echo "promotion-gate: $app runs $wanted, Synced and Healthy ($link)"
fi
