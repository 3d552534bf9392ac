#!/usr/bin/env bash
# Start a local Docker registry (Debian's docker-registry) on 127.0.0.1:$DBARENA_REGISTRY_PORT
# (default 5000), idempotently. Its storage lives under $DBARENA_STATE_DIR so pushed fixtures
# survive between runs. Registries on 127.0.0.0/8 are trusted over plain HTTP by the engine.
set -euo pipefail
SCRIPT_NAME=registry-up
. "$(dirname "$0")/lib.sh"

answers() { curl -fsS -m 2 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; }

if answers; then
  log "registry already answering at $REGISTRY_ADDR"
  exit 0
fi

if ! command -v docker-registry >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "docker-registry is not installed; as root: apt-get install docker-registry"
  command -v apt-get >/dev/null 2>&1 || die "docker-registry is not installed and apt-get is not available"
  log "installing docker-registry from the distribution's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker-registry >/dev/null || die "apt-get install docker-registry failed"
fi
# The Debian package also starts a system registry on :5000 through its init script when systemd
# runs; in containers it does not. Either way we only need *a* registry answering on our address.

mkdir -p "$STATE_DIR/registry"
config="$STATE_DIR/registry.yml"
cat >"$config" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML

log "starting docker-registry on $REGISTRY_ADDR (storage: $STATE_DIR/registry, log: $STATE_DIR/registry.log)"
nohup docker-registry serve "$config" >>"$STATE_DIR/registry.log" 2>&1 </dev/null &
disown || true

for _ in $(seq 1 80); do
  if answers; then log "registry answering at $REGISTRY_ADDR"; exit 0; fi
  sleep 0.25
done
tail -n 20 "$STATE_DIR/registry.log" >&2 || true
die "registry did not answer on $REGISTRY_ADDR within 20s (is the port taken? set DBARENA_REGISTRY_PORT)"
