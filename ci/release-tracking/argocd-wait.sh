#!/usr/bin/env bash
# Waits until Argo CD reports the cluster-stack Applications Synced and Healthy, so a pipeline
# fails when a release does not come up. The Argo CD URL and the Application names come from
# the stack outputs (`argocdUrl`, `applications`), never from the pipeline definition.
#
# Exit codes: 0 every application is synced and healthy; 1 at least one is not (its status and
# resources are printed); 2 bad usage or unusable input (nothing was waited for).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: argocd-wait.sh [--stack <org/project/stack>] [--outputs-file <file>] [--app <name>]
                      [--timeout <seconds>] [--no-grpc-web] [--insecure]

Stack outputs, first found wins:
  --outputs-file <file>   JSON as printed by `pulumi stack output --json` (env STACK_OUTPUTS_FILE)
  STACK_OUTPUTS_JSON      the same JSON in an environment variable
  --stack <name>          run `pulumi stack output --json --stack <name>` (env PULUMI_STACK)

Options:
  --app <name>            wait for this application only (env ARGOCD_APP); default: all
  --timeout <seconds>     per application (env ARGOCD_WAIT_TIMEOUT, default 300)
  --no-grpc-web           talk gRPC instead of gRPC-web (env ARGOCD_GRPC_WEB=false)
  --insecure              skip TLS verification of the Argo CD server (env ARGOCD_INSECURE=true)

Requires ARGOCD_AUTH_TOKEN (a token of the stack's CI account), jq and the argocd CLI.
USAGE
}

die() {
  echo "argocd-wait: $*" >&2
  exit 2
}

stack="${PULUMI_STACK:-}"
outputs_file="${STACK_OUTPUTS_FILE:-}"
app="${ARGOCD_APP:-}"
timeout="${ARGOCD_WAIT_TIMEOUT:-300}"
grpc_web="${ARGOCD_GRPC_WEB:-true}"
insecure="${ARGOCD_INSECURE:-false}"

while [ "$#" -gt 0 ]; do
  case "$1" in
    -s | --stack | --outputs-file | -a | --app | -t | --timeout)
      [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"
      case "$1" in
        -s | --stack) stack="$2" ;;
        --outputs-file) outputs_file="$2" ;;
        -a | --app) app="$2" ;;
        -t | --timeout) timeout="$2" ;;
      esac
      shift 2
      ;;
    --grpc-web) grpc_web=true; shift ;;
    --no-grpc-web) grpc_web=false; shift ;;
    --insecure) insecure=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[[ "$timeout" =~ ^[1-9][0-9]*$ ]] || die "timeout must be a positive number of seconds, got '$timeout'"
[ -n "${ARGOCD_AUTH_TOKEN:-}" ] || die "ARGOCD_AUTH_TOKEN is not set; generate one with: argocd account generate-token --account <the ciAccount output, e.g. ci-dev>"
command -v jq >/dev/null || die "jq is required"
command -v argocd >/dev/null || die "the argocd CLI is required"

if [ -n "$outputs_file" ]; then
  [ -r "$outputs_file" ] || die "cannot read outputs file '$outputs_file'"
  outputs="$(cat -- "$outputs_file")"
elif [ -n "${STACK_OUTPUTS_JSON:-}" ]; then
  outputs="$STACK_OUTPUTS_JSON"
elif [ -n "$stack" ]; then
  command -v pulumi >/dev/null || die "pulumi CLI not found; pass --outputs-file instead"
  # Without --show-secrets secret outputs stay masked; this script needs none of them.
  outputs="$(pulumi stack output --json --stack "$stack")" || die "pulumi stack output failed for stack '$stack'"
else
  die "no stack outputs: pass --stack, --outputs-file or STACK_OUTPUTS_JSON (see --help)"
fi

jq -e 'type == "object"' >/dev/null 2>&1 <<<"$outputs" || die "stack outputs are not a JSON object"
argocd_url="$(jq -r '.argocdUrl // empty | strings' <<<"$outputs")"
[ -n "$argocd_url" ] || die "stack outputs have no argocdUrl"
jq -e '.applications | type == "array"' >/dev/null <<<"$outputs" || die "stack outputs have no applications list"

# argocd wants host[:port]; the scheme decides TLS and a path means Argo CD runs under a root path.
case "$argocd_url" in
  https://*) plaintext=false ;;
  http://*) plaintext=true ;;
  *) die "argocdUrl '$argocd_url' is not an http(s) URL" ;;
esac
rest="${argocd_url#*://}"
server="${rest%%/*}"
root_path="${rest#"$server"}"
root_path="${root_path%/}"
[ -n "$server" ] || die "argocdUrl '$argocd_url' has no host"

connection=(--server "$server")
if [ -n "$root_path" ]; then
  connection+=(--grpc-web-root-path "$root_path")
elif [ "$grpc_web" = true ]; then
  # Ingresses in front of Argo CD often do not pass HTTP/2 gRPC; gRPC-web goes over HTTP/1.1.
  connection+=(--grpc-web)
fi
[ "$plaintext" = false ] || connection+=(--plaintext)
[ "$insecure" != true ] || connection+=(--insecure)
# The token stays in ARGOCD_AUTH_TOKEN, which argocd reads itself: on the command line it would
# be visible to every process on the runner.

# name<TAB>namespace<TAB>url per application.
mapfile -t apps < <(jq -r '.applications[] | [.name, (.namespace // "argocd"), (.url // "")] | @tsv' <<<"$outputs")

if [ -n "$app" ]; then
  selected=()
  for entry in "${apps[@]}"; do
    [ "${entry%%$'\t'*}" != "$app" ] || selected+=("$entry")
  done
  if [ "${#selected[@]}" -eq 0 ]; then
    die "application '$app' is not in the stack outputs; known: $(jq -r '[.applications[].name] | join(", ")' <<<"$outputs")"
  fi
  apps=("${selected[@]}")
fi

if [ "${#apps[@]}" -eq 0 ]; then
  echo "argocd-wait: the stack outputs list no applications; nothing to wait for."
  exit 0
fi

failed=()
for entry in "${apps[@]}"; do
  IFS=$'\t' read -r name namespace url <<<"$entry"
  echo "==> Waiting up to ${timeout}s for ${namespace}/${name} to be Synced and Healthy (${url:-$argocd_url})"
  if argocd app wait "$name" --app-namespace "$namespace" --health --sync --timeout "$timeout" "${connection[@]}"; then
    echo "==> ${name}: Synced and Healthy"
  else
    failed+=("$name")
    echo "==> ${name}: NOT synced and healthy. Status:"
    argocd app get "$name" --app-namespace "$namespace" "${connection[@]}" || true
    echo "==> ${name}: resources:"
    argocd app resources "$name" --app-namespace "$namespace" "${connection[@]}" || true
    [ -z "$url" ] || echo "==> ${name}: details at ${url}"
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "argocd-wait: release failed for: ${failed[*]}" >&2
  exit 1
fi
echo "argocd-wait: all ${#apps[@]} application(s) Synced and Healthy."
