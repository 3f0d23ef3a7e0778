#!/usr/bin/env bash
# GitHub side of the promotion gate (github-workflow.yml): reads a pull request's commits through
# the API (never checking out or running the pull request's code), runs gate-promotions.sh on
# them and sets the commit status `promotion-gate` on its head commit, which branch protection
# requires. --open re-checks every open Image Updater pull request, so that one opened before
# dev had the image (or before --min-age passed) turns green without a new push.
#
# Exit codes: with --pull-request, that of gate-promotions.sh; with --open, 0 once every status
# is set. 2 when GitHub cannot be read or written.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: github-gate.sh --pull-request <number> [--labeled-by <login>]
       github-gate.sh --open

  --pull-request <number>  check this pull request
  --labeled-by <login>     the event added the override label, by this user
  --open                   re-check every open pull request from an Image Updater branch that
                           does not carry the override label

Environment (GitHub Actions sets the first three):
  GITHUB_REPOSITORY              owner/name of the deploy repo
  GH_TOKEN                       token for gh: contents read, pull-requests read, statuses write
  PROMOTION_GATE_STATUS_URL      link of the commit status (the workflow run)
  PROMOTION_GATE_BRANCH_PREFIX   head branches of Image Updater (default image-updater-)
  PROMOTION_GATE_SOURCE_ENV      default dev
  PROMOTION_GATE_TARGET_ENV      default prd
  PROMOTION_GATE_MIN_AGE         e.g. 2h; empty: no minimum
  PROMOTION_GATE_OVERRIDE_LABEL  default promotion-gate-override
  PROMOTION_GATE_OVERRIDERS      logins whose override label counts, separated by spaces or commas
and Argo CD's as gate-promotions.sh reads them.
USAGE
}

die() {
  echo "github-gate: $*" >&2
  exit 2
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
number=""
labeled_by=""
open=false

while [ "$#" -gt 0 ]; do
  case "$1" in
    --pull-request | --labeled-by)
      [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
      case "$1" in
        --pull-request) number="$2" ;;
        --labeled-by) labeled_by="$2" ;;
      esac
      shift 2
      ;;
    --open) open=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ "$open" = true ] || [[ "$number" =~ ^[1-9][0-9]*$ ]] || die "pass --pull-request <number> or --open (see --help)"
[ "$open" = false ] || [ -z "$number" ] || die "--pull-request and --open exclude each other"
[[ "${GITHUB_REPOSITORY:-}" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "GITHUB_REPOSITORY must be owner/name"
command -v gh >/dev/null || die "the gh CLI is required"
command -v jq >/dev/null || die "jq is required"

repo="$GITHUB_REPOSITORY"
prefix="${PROMOTION_GATE_BRANCH_PREFIX:-image-updater-}"
label="${PROMOTION_GATE_OVERRIDE_LABEL:-promotion-gate-override}"
options=(--source-env "${PROMOTION_GATE_SOURCE_ENV:-dev}" --target-env "${PROMOTION_GATE_TARGET_ENV:-prd}")
[ -z "${PROMOTION_GATE_MIN_AGE:-}" ] || options+=(--min-age "$PROMOTION_GATE_MIN_AGE")

# Sets the commit status; GitHub cuts nothing itself and refuses a description over 140 characters.
set_status() {
  local sha="$1" state="$2" description="$3"
  [ "${#description}" -le 140 ] || description="${description:0:137}..."
  gh api --method POST "repos/$repo/statuses/$sha" -f state="$state" -f context=promotion-gate \
    -f description="$description" -f target_url="${PROMOTION_GATE_STATUS_URL:-}" >/dev/null \
    || die "cannot set the commit status on $sha"
}

# Checks one pull request (its JSON from the pulls API) and sets its status; returns the gate's exit code.
check_pull_request() {
  local pr="$1" number sha ref from_here require=() commits log code verdict
  number="$(jq -r '.number' <<<"$pr")"
  sha="$(jq -r '.head.sha' <<<"$pr")"
  ref="$(jq -r '.head.ref' <<<"$pr")"
  from_here="$(jq -r --arg repo "$repo" '.head.repo.full_name == $repo' <<<"$pr")"
  [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || die "pull request #$number has no head commit"
  # Image Updater pushes to this repository; its branches must say what they promote.
  if [ "$from_here" = true ] && [[ "$ref" == "$prefix"* ]]; then
    require=(--require-trailers)
  fi
  echo "==> pull request #$number ($ref, ${sha:0:12})"

  commits="$(mktemp)"
  log="$(mktemp)"
  # Merge commits (an updated base) bring nothing of their own to promote.
  gh api --paginate "repos/$repo/pulls/$number/commits?per_page=100" \
    | jq -j '.[] | select((.parents | length) < 2) | .sha + "\n" + .commit.message + "\u0000"' >"$commits" \
    || die "cannot read the commits of pull request #$number"
  code=0
  bash "$here/gate-promotions.sh" "${require[@]}" "${options[@]}" <"$commits" >"$log" 2>&1 || code=$?
  cat "$log"
  # The gate's last line is its verdict, e.g. "promotion-gate: not proven in dev: ...".
  verdict="$(tail -n 1 "$log")"
  verdict="${verdict#promotion-gate: }"
  rm -f "$commits" "$log"
  case "$code" in
    0) set_status "$sha" success "$verdict" ;;
    1) set_status "$sha" failure "$verdict" ;;
    *) set_status "$sha" error "${verdict:-the gate could not run}" ;;
  esac
  return "$code"
}

if [ "$open" = true ]; then
  pulls="$(gh api --paginate "repos/$repo/pulls?state=open&per_page=100")" || die "cannot list the open pull requests"
  selected="$(jq -c --arg repo "$repo" --arg prefix "$prefix" --arg override "$label" '.[]
    | select(.head.repo.full_name == $repo and (.head.ref | startswith($prefix)))
    | select(any(.labels[]?; .name == $override) | not)' <<<"$pulls")" || die "cannot read the list of open pull requests"
  mapfile -t candidates < <(printf '%s' "$selected" | grep .)
  echo "github-gate: ${#candidates[@]} open Image Updater pull request(s) to check"
  for pr in "${candidates[@]}"; do
    check_pull_request "$pr" || true
  done
  exit 0
fi

pr="$(gh api "repos/$repo/pulls/$number")" || die "cannot read pull request #$number"
sha="$(jq -r '.head.sha' <<<"$pr")"
if [ -n "$labeled_by" ]; then
  # The label overrides only when one of the named people added it; the pull request's timeline
  # keeps who did and when, the status says it was overridden.
  overriders=" $(tr ',' ' ' <<<"${PROMOTION_GATE_OVERRIDERS:-}") "
  if [[ "$overriders" == *" $labeled_by "* ]]; then
    echo "github-gate: @$labeled_by overrode the promotion gate on pull request #$number (label $label)"
    set_status "$sha" success "overridden by @$labeled_by (label $label)"
    exit 0
  fi
  echo "github-gate: @$labeled_by added $label but is not in PROMOTION_GATE_OVERRIDERS; checking as usual"
fi
set_status "$sha" pending "checking that ${PROMOTION_GATE_SOURCE_ENV:-dev} runs what this promotes"
check_pull_request "$pr"
