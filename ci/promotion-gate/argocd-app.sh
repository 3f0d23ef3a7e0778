# Sourced by promotion-gate.sh and resolve-image.sh: reads one Application with the argocd CLI.
# The CLI takes its server, token and options from ARGOCD_SERVER, ARGOCD_AUTH_TOKEN and
# ARGOCD_OPTS, so the token never appears on a command line. The caller defines die.

# Link to the Argo CD application list filtered by name, for when the Application is unknown.
search_link() {
  echo "https://${ARGOCD_SERVER}/applications?search=$1"
}

# Sets APPLICATION_JSON to `argocd app get <name> -o json`, or dies with the reason in one line.
read_application() {
  local name="$1" errors status=0
  errors="$(mktemp)"
  APPLICATION_JSON="$(argocd app get "$name" -o json 2>"$errors")" || status=$?
  if [ "$status" -ne 0 ]; then
    local reason
    reason="$(grep -v '^[[:space:]]*$' "$errors" | tail -n 1 || true)"
    rm -f "$errors"
    # Argo CD answers permission denied for an Application that does not exist, so that a
    # caller cannot probe for names; a NotFound comes only when the project was given.
    if [[ "$reason" == *"code = PermissionDenied"* || "$reason" == *"code = NotFound"* ]]; then
      die "Application $name not found, or this account may not read it ($(search_link "$name"))"
    fi
    die "argocd app get $name failed: ${reason:-exit status $status} ($(search_link "$name"))"
  fi
  rm -f "$errors"
  jq -e --arg name "$name" '.metadata.name == $name and (.metadata.namespace | type == "string")' >/dev/null 2>&1 <<<"$APPLICATION_JSON" \
    || die "argocd app get $name printed no Application ($(search_link "$name"))"
}
