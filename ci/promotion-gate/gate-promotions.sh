#!/usr/bin/env bash
# Runs the promotion gate for every image a pull request promotes: reads the commits' trailers
# (promotions.sh), maps each prd Application to its dev Application (<service>-prd ->
# <service>-dev), finds the image's full repository among what the prd Application runs
# (resolve-image.sh) and checks that the dev Application runs that tag (promotion-gate.sh).
# Commits come on stdin as promotions.sh reads them.
#
# Argo CD: ARGOCD_SERVER, ARGOCD_AUTH_TOKEN and ARGOCD_OPTS reach the dev Applications, and the
# prd ones too unless TARGET_ARGOCD_SERVER and TARGET_ARGOCD_AUTH_TOKEN name another Argo CD for
# them (TARGET_ARGOCD_OPTS, when set, replaces ARGOCD_OPTS there). Empty means unset.
#
# Exit codes: 0 every promotion passed, or there is none; 1 at least one did not; 2 the
# promotions could not be read or checked. The last line says what happened, in one line.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: git log -z --no-merges --format='%H%n%B' <base>..<head> | gate-promotions.sh [options]

  --require-trailers       every commit must carry Image-Updater trailers (an Image Updater branch)
  --min-age <duration>     dev must have run each image this long (see promotion-gate.sh)
  --source-env <name>      environment that must run the image first (default dev)
  --target-env <name>      environment the image is promoted to (default prd)
  --retry-for <duration>   check again until every promotion passes, up to this long
  --retry-every <duration> pause between checks (default 1m)
USAGE
}

die() {
  echo "promotion-gate: $*" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=duration.sh
. "$here/duration.sh"

require=()
min_age=()
source_env=dev
target_env=prd
retry_for=0
retry_every=60

while [ "$#" -gt 0 ]; do
  case "$1" in
    --min-age | --source-env | --target-env | --retry-for | --retry-every)
      [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
      case "$1" in
        --min-age) min_age=(--min-age "$2") ;;
        --source-env) source_env="$2" ;;
        --target-env) target_env="$2" ;;
        --retry-for) retry_for="$(seconds_of "$2")" || die "--retry-for must be a duration such as 20m, got '$2'" ;;
        --retry-every) retry_every="$(seconds_of "$2")" || die "--retry-every must be a duration such as 1m, got '$2'" ;;
      esac
      shift 2
      ;;
    --require-trailers) require=(--require-trailers); shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

for env in "$source_env" "$target_env"; do
  [[ "$env" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "environment names are lower-case words, got '$env'"
done
[ "$source_env" != "$target_env" ] || die "--source-env and --target-env are both '$source_env'"

promotions="$(bash "$here/promotions.sh" "${require[@]}")" || exit 2
# One check per Application, image and tag, however many commits name it.
promotions="$(awk -F '\t' '!seen[$2 FS $3 FS $4]++' <<<"$promotions")"
if [ -z "$promotions" ]; then
  echo "promotion-gate: these commits promote nothing (no Image-Updater trailers); nothing to check"
  exit 0
fi

# A token goes only to the server it belongs to.
if [ -n "${TARGET_ARGOCD_SERVER:-}${TARGET_ARGOCD_AUTH_TOKEN:-}" ] \
  && { [ -z "${TARGET_ARGOCD_SERVER:-}" ] || [ -z "${TARGET_ARGOCD_AUTH_TOKEN:-}" ]; }; then
  die "set TARGET_ARGOCD_SERVER and TARGET_ARGOCD_AUTH_TOKEN together, or neither"
fi
target_server="${TARGET_ARGOCD_SERVER:-${ARGOCD_SERVER:-}}"
target_token="${TARGET_ARGOCD_AUTH_TOKEN:-${ARGOCD_AUTH_TOKEN:-}}"
target_opts="${TARGET_ARGOCD_OPTS:-${ARGOCD_OPTS:-}}"

checks=()
while IFS=$'\t' read -r sha app image tag; do
  service="${app%-"$target_env"}"
  [ "$service" != "$app" ] && [ -n "$service" ] \
    || die "commit ${sha:0:12}: Image-Updater-App '$app' is not a $target_env Application (<service>-$target_env)"
  checks+=("$app"$'\t'"$image"$'\t'"$tag"$'\t'"$service-$source_env")
done <<<"$promotions"

# Runs every check once. Sets FAILED (one line per promotion that did not pass) and STATUS
# (0 all passed, 1 one was refused, 2 one could not be checked).
check_all() {
  FAILED=()
  STATUS=0
  local check app image tag source_app repository reason code
  for check in "${checks[@]}"; do
    IFS=$'\t' read -r app image tag source_app <<<"$check"
    echo "==> $app promotes $image:$tag; $source_app must run it"
    code=0
    # stderr (the one-line reason) is kept for the summary and shown; stdout goes through.
    repository="$(ARGOCD_SERVER="$target_server" ARGOCD_AUTH_TOKEN="$target_token" ARGOCD_OPTS="$target_opts" \
      bash "$here/resolve-image.sh" --app "$app" --image-name "$image" 2>"$errors")" || code=$?
    if [ "$code" -eq 0 ]; then
      bash "$here/promotion-gate.sh" --app "$source_app" --image "$repository" --tag "$tag" "${min_age[@]}" 2>"$errors" || code=$?
    fi
    if [ "$code" -ne 0 ]; then
      reason="$(tail -n 1 "$errors")"
      echo "$reason" >&2
      FAILED+=("$app $image:$tag: ${reason#*: }")
      [ "$code" -le "$STATUS" ] || STATUS="$code"
      [ "$STATUS" -le 2 ] || STATUS=2
    fi
  done
}

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
deadline=$(($(date -u +%s) + retry_for))
while :; do
  check_all
  [ "${#FAILED[@]}" -gt 0 ] || break
  [ "$(($(date -u +%s) + retry_every))" -le "$deadline" ] || break
  echo "==> ${#FAILED[@]} of ${#checks[@]} promotion(s) not yet proven in $source_env; checking again in $(human_duration "$retry_every")"
  sleep "$retry_every"
done

if [ "${#FAILED[@]}" -eq 0 ]; then
  echo "promotion-gate: ${#checks[@]} promotion(s) proven in $source_env"
  exit 0
fi
more=""
[ "${#FAILED[@]}" -eq 1 ] || more=" (and $((${#FAILED[@]} - 1)) more)"
echo "promotion-gate: not proven in $source_env: ${FAILED[0]}$more" >&2
exit "$STATUS"
