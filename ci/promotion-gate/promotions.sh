#!/usr/bin/env bash
# Lists what a pull request promotes, from the trailers Image Updater writes into the last
# paragraph of its commit message, one group per changed image:
#
#   Image-Updater-App: example-api-prd
#   Image-Updater-Image: example-org/example-api
#   Image-Updater-Tag: 1.2.3
#
# Reads commits on stdin as NUL-separated records "<sha>\n<message>" (what
# `git log -z --format='%H%n%B'` prints) and prints one line per group:
# "<sha>\t<application>\t<image name>\t<tag>". Trailers are read by git itself
# (`git interpret-trailers --parse`), so what counts as a trailer is what git says.
#
# Exit codes: 0 read (possibly nothing); 2 a group is incomplete, out of order or malformed,
# Image-Updater lines stand outside the trailer block, or --require-trailers found a commit
# without them: a promotion that cannot be read is never passed.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: git log -z --no-merges --format='%H%n%B' <base>..<head> | promotions.sh [--require-trailers]

  --require-trailers   every commit must carry at least one group (an Image Updater branch)
USAGE
}

die() {
  echo "promotions: $*" >&2
  exit 2
}

require=false
while [ "$#" -gt 0 ]; do
  case "$1" in
    --require-trailers) require=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
command -v git >/dev/null || die "git is required"

KEYS=(image-updater-app image-updater-image image-updater-tag)
commits=0

while IFS= read -r -d '' record || [ -n "$record" ]; do
  record="${record#$'\n'}"
  [ -n "$record" ] || continue
  sha="${record%%$'\n'*}"
  message=""
  [[ "$record" != *$'\n'* ]] || message="${record#*$'\n'}"
  [[ "$sha" =~ ^[0-9a-f]{7,64}$ ]] || die "expected records '<sha>\\n<message>', got '${sha:0:60}'"
  commits=$((commits + 1))
  short="${sha:0:12}"

  # --no-divider: a commit message has no patch after a '---' line to stop at.
  mapfile -t trailers < <(printf '%s\n' "$message" | git interpret-trailers --parse --no-divider)
  expected=0
  groups=0
  values=()
  for trailer in "${trailers[@]}"; do
    key="${trailer%%:*}"
    value="${trailer#*:}"
    value="${value#"${value%%[![:space:]]*}"}"
    key="${key,,}"
    [[ "$key" == image-updater-* ]] || continue
    [ "$key" = "${KEYS[$expected]}" ] \
      || die "commit $short: trailer '$trailer' where ${KEYS[$expected]} was expected; each image needs Image-Updater-App, -Image and -Tag in that order"
    values[$expected]="$value"
    expected=$(((expected + 1) % 3))
    [ "$expected" -eq 0 ] || continue
    [[ "${values[0]}" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || die "commit $short: Image-Updater-App '${values[0]}' is not an Application name"
    [[ "${values[1]}" =~ ^[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*$ ]] \
      || die "commit $short: Image-Updater-Image '${values[1]}' is not a repository path without registry"
    [[ "${values[2]}" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "commit $short: Image-Updater-Tag '${values[2]}' is not an image tag"
    printf '%s\t%s\t%s\t%s\n' "$sha" "${values[0]}" "${values[1]}" "${values[2]}"
    groups=$((groups + 1))
  done
  [ "$expected" -eq 0 ] || die "commit $short: the last Image-Updater group stops before ${KEYS[$expected]}"

  # git reads trailers from the last paragraph only: a group above a blank line would go unchecked.
  written="$(printf '%s\n' "$message" | grep -ciE "^(${KEYS[0]}|${KEYS[1]}|${KEYS[2]})[[:space:]]*:" || true)"
  [ "$written" -eq $((groups * 3)) ] \
    || die "commit $short: $((written - groups * 3)) Image-Updater line(s) outside the trailer block (the last paragraph); no blank line may separate the groups"
  [ "$require" = false ] || [ "$groups" -gt 0 ] || die "commit $short carries no Image-Updater trailers"
done

[ "$require" = false ] || [ "$commits" -gt 0 ] || die "no commits to read"
