#!/usr/bin/env bash
# GitLab side of the promotion gate (gitlab-ci.yml): in a merge request pipeline, runs
# gate-promotions.sh on the merge request's own commits. The job's result is what the merge
# check "Pipelines must succeed" requires. A merge request pipeline cannot be re-run from a
# schedule, so the job checks again for PROMOTION_GATE_WAIT before it fails.
#
# Exit codes: those of gate-promotions.sh; 0 also when an allowed user overrode the gate.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: gitlab-gate.sh   (in a merge request pipeline; everything comes from the environment)

GitLab's merge request variables (CI_MERGE_REQUEST_IID, _DIFF_BASE_SHA, _SOURCE_BRANCH_NAME,
_SOURCE_BRANCH_SHA, _SOURCE_PROJECT_ID, _LABELS, CI_PROJECT_ID, CI_COMMIT_SHA, GITLAB_USER_LOGIN),
a clone deep enough to reach the merge request's base (GIT_DEPTH: 0), and:
  PROMOTION_GATE_BRANCH_PREFIX   source branches of Image Updater (default image-updater-)
  PROMOTION_GATE_SOURCE_ENV      default dev
  PROMOTION_GATE_TARGET_ENV      default prd
  PROMOTION_GATE_MIN_AGE         e.g. 2h; empty: no minimum
  PROMOTION_GATE_WAIT            keep checking this long before failing, e.g. 30m; empty: once
  PROMOTION_GATE_WAIT_INTERVAL   pause between those checks (default 1m)
  PROMOTION_GATE_OVERRIDE_LABEL  default promotion-gate-override
  PROMOTION_GATE_OVERRIDERS      logins who override by running a pipeline on a merge request
                                 that carries the label, separated by spaces or commas
and Argo CD's as gate-promotions.sh reads them.
USAGE
}

die() {
  echo "gitlab-gate: $*" >&2
  exit 2
}

case "${1:-}" in
  "") ;;
  -h | --help) usage; exit 0 ;;
  *) die "unknown argument '$1' (see --help)" ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -n "${CI_MERGE_REQUEST_IID:-}" ] || die "not a merge request pipeline (CI_MERGE_REQUEST_IID is not set)"
[[ "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}" =~ ^[0-9a-f]{40}$ ]] || die "CI_MERGE_REQUEST_DIFF_BASE_SHA is not a commit"
# In a merged results pipeline CI_COMMIT_SHA is the merge with the target branch; the merge
# request's own commits end at its source branch.
head="${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-${CI_COMMIT_SHA:-}}"
[[ "$head" =~ ^[0-9a-f]{40}$ ]] || die "neither CI_MERGE_REQUEST_SOURCE_BRANCH_SHA nor CI_COMMIT_SHA is a commit"
command -v git >/dev/null || die "git is required"

label="${PROMOTION_GATE_OVERRIDE_LABEL:-promotion-gate-override}"
if [[ ",${CI_MERGE_REQUEST_LABELS:-}," == *",$label,"* ]]; then
  # The merge request's history keeps who added the label; the pipeline, who ran it.
  overriders=" $(tr ',' ' ' <<<"${PROMOTION_GATE_OVERRIDERS:-}") "
  if [ -n "${GITLAB_USER_LOGIN:-}" ] && [[ "$overriders" == *" $GITLAB_USER_LOGIN "* ]]; then
    echo "gitlab-gate: @$GITLAB_USER_LOGIN overrode the promotion gate on !$CI_MERGE_REQUEST_IID (label $label)"
    exit 0
  fi
  echo "gitlab-gate: $label is set, but this pipeline was started by @${GITLAB_USER_LOGIN:-unknown}, who is not in PROMOTION_GATE_OVERRIDERS; checking as usual"
fi

options=(--source-env "${PROMOTION_GATE_SOURCE_ENV:-dev}" --target-env "${PROMOTION_GATE_TARGET_ENV:-prd}")
[ -z "${PROMOTION_GATE_MIN_AGE:-}" ] || options+=(--min-age "$PROMOTION_GATE_MIN_AGE")
[ -z "${PROMOTION_GATE_WAIT:-}" ] || options+=(--retry-for "$PROMOTION_GATE_WAIT" --retry-every "${PROMOTION_GATE_WAIT_INTERVAL:-1m}")
# Image Updater pushes to this project; its branches must say what they promote.
prefix="${PROMOTION_GATE_BRANCH_PREFIX:-image-updater-}"
if [ "${CI_MERGE_REQUEST_SOURCE_PROJECT_ID:-}" = "${CI_PROJECT_ID:-}" ] \
  && [[ "${CI_MERGE_REQUEST_SOURCE_BRANCH_NAME:-}" == "$prefix"* ]]; then
  options+=(--require-trailers)
fi

commits="$(mktemp)"
trap 'rm -f "$commits"' EXIT
# Merge commits (an updated base) bring nothing of their own to promote.
git log -z --no-merges --format='%H%n%B' "$CI_MERGE_REQUEST_DIFF_BASE_SHA..$head" >"$commits" \
  || die "cannot read the commits $CI_MERGE_REQUEST_DIFF_BASE_SHA..$head; is the clone shallow (GIT_DEPTH)?"
echo "==> !$CI_MERGE_REQUEST_IID (${CI_MERGE_REQUEST_SOURCE_BRANCH_NAME:-?}): $(git rev-list --count --no-merges "$CI_MERGE_REQUEST_DIFF_BASE_SHA..$head") commit(s)"
bash "$here/gate-promotions.sh" "${options[@]}" <"$commits"
