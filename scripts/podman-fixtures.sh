#!/usr/bin/env bash
# Make the fixture images Podman holds the registry's current ones.
#
# Podman keeps what it pulled, and a create pulls only what is missing (as `docker run` does). The
# fixtures in the local registry are rebuilt by scripts/fixtures-build.sh (with dockerd) when their
# inputs change, so without this the podman test project ran on whatever fixture Podman pulled
# first: on this machine its PostgreSQL 17/18 and MariaDB 11.4/11.8 were builds 6 hours older than
# the registry's, PostgreSQL 18's with pg_dump 15 instead of 18. Every tag from the registry whose
# digest differs from the registry's is pulled again; one that is current costs one HEAD request.
set -euo pipefail
SCRIPT_NAME=podman-fixtures
. "$(dirname "$0")/lib.sh"

HOST=${DBARENA_PODMAN_HOST:-unix://${DBARENA_PODMAN_SOCKET:-/run/podman/podman.sock}}
case $HOST in
unix://*) SOCKET=${HOST#unix://} ;;
*) die "DBARENA_PODMAN_HOST=$HOST: only a unix socket is supported here." ;;
esac

api() { curl -fsS -m 600 --unix-socket "$SOCKET" "$@"; }

# The manifest digest the registry serves for repo:tag, as Podman records it in RepoDigests.
registry_digest() { # repo tag
  curl -fsS -m 5 -I -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/$1/manifests/$2" | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'
}

# One line per tag Podman holds from the local registry (under either spelling of its address,
# as the tests pull through both): "tag digest,digest,...".
held=$(api http://d/images/json | node -e '
  let text = "";
  process.stdin.on("data", chunk => (text += chunk)).on("end", () => {
    const prefixes = process.argv.slice(1);
    for (const image of JSON.parse(text)) {
      for (const tag of image.RepoTags ?? []) {
        if (prefixes.some(prefix => tag.startsWith(prefix))) console.log(tag, (image.RepoDigests ?? []).join(","));
      }
    }
  });
' "$REGISTRY_ADDR/" "localhost:$REGISTRY_PORT/")

refreshed=0
while read -r tag digests; do
  [ -n "$tag" ] || continue
  reference=${tag#*/}
  repo=${reference%:*} name_tag=${reference##*:}
  # A tag the registry no longer has is left alone: nothing newer exists to pull.
  want=$(registry_digest "$repo" "$name_tag" 2>/dev/null) || continue
  [ -n "$want" ] || continue
  case ",$digests," in *"@$want,"*) continue ;; esac
  log "$tag: Podman's copy is not the registry's ($want); pulling it again"
  api -X POST "http://d/images/create?fromImage=${tag%:*}&tag=$name_tag" >/dev/null
  refreshed=$((refreshed + 1))
done <<<"$held"

if [ "$refreshed" -gt 0 ]; then
  # The replaced builds, now untagged, would otherwise fill the disk one fixture rebuild at a time.
  api -X POST 'http://d/images/prune?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D' >/dev/null
  log "$refreshed fixture tag(s) refreshed in Podman"
else
  log "Podman's fixture images are the registry's"
fi
