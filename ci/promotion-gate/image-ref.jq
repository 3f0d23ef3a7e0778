# Container image references read the way Docker reads them (distribution/reference
# ParseNormalizedNamed), so that `nginx`, `docker.io/library/nginx` and
# `index.docker.io/library/nginx` are one repository. Included by promotion-gate.sh and
# resolve-image.sh with `jq -L <this directory> 'include "image-ref"; ...'`.

# "<name>[:<tag>][@<digest>]" -> {repository, path, tag, digest}. `repository` is
# "<registry>/<path>", Docker Hub spelled docker.io with its official images under library/.
# Without tag or digest the tag is latest, as for Docker; a digest alone leaves no tag.
def image_ref:
  index("@") as $at
  | (if $at == null then . else .[:$at] end) as $named
  | (if $at == null then null else .[$at + 1:] end) as $digest
  # A tag follows the last ':' after the last '/'; an earlier ':' is a registry port.
  | ($named | capture("^(?<name>.+?)(?::(?<tag>[^:/]+))?$")) as $parts
  | ($parts.name | split("/")) as $segments
  # The first segment is a registry only if it looks like a host (a '.', a port, localhost, or
  # upper case, which paths cannot have); otherwise the image is on Docker Hub.
  | (($segments | length) > 1
      and ($segments[0] | test("[.:]") or . == "localhost" or ascii_downcase != .)) as $has_registry
  | (if $has_registry then $segments[0] else "docker.io" end
      | if . == "index.docker.io" then "docker.io" else . end) as $registry
  | (if $has_registry then $segments[1:] else $segments end | join("/")) as $path
  | (if $registry == "docker.io" and ($path | contains("/") | not) then "library/" + $path else $path end) as $path
  | {
      repository: ($registry + "/" + $path),
      path: $path,
      tag: (if $parts.tag == null and $digest == null then "latest" else $parts.tag end),
      digest: $digest
    };

# The name Image Updater v1.2.2 gives a repository path in its commit template
# (ContainerImage.ImageName): the path with a leading library/ dropped.
def updater_image_name: ltrimstr("library/");
