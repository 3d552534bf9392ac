#!/usr/bin/env bash
# Make a Docker Engine reachable, idempotently.
#  1. If DOCKER_HOST or the default socket already answers, use it and do nothing else.
#  2. Otherwise, as root on a Debian-like system: install docker.io if dockerd is missing,
#     start dockerd in the background (log to a file, clear a stale pid file) and wait for it.
# Prints what it did; exits non-zero with a message saying what to do when it cannot.
set -euo pipefail

log() { printf 'engine-up: %s\n' "$*" >&2; }
die() { printf 'engine-up: error: %s\n' "$*" >&2; exit 1; }

DOCKERD_LOG=${DBARENA_DOCKERD_LOG:-/var/log/dbarena-dockerd.log}
WAIT_SECONDS=${DBARENA_ENGINE_WAIT:-60}
address=${DOCKER_HOST:-unix:///var/run/docker.sock}

answers() {
  # `docker version` talks to the engine; the client alone would not prove anything.
  timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if command -v docker >/dev/null 2>&1 && answers; then
  log "engine already answering at $address ($(docker version --format 'Engine {{.Server.Version}}, API {{.Server.APIVersion}}'))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix:///var/run/docker.sock}" != "" ]; then
  die "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine (or unset DOCKER_HOST to let this script start a local one)."
fi

[ "$(id -u)" = 0 ] || die "no Docker engine answers at $address and starting one needs root." \
  "Start Docker (e.g. 'sudo systemctl start docker') or run this script as root."

if ! command -v dockerd >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "dockerd is not installed and this is not a Debian-like system; install Docker Engine yourself."
  log "installing docker.io from the distribution's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null || die "apt-get install docker.io failed"
fi

start_dockerd() {
  # A dockerd that was killed leaves its pid file behind and the next one refuses to start.
  if [ -f /var/run/docker.pid ]; then
    pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
      log "removing stale /var/run/docker.pid"
      rm -f /var/run/docker.pid
    fi
  fi
  log "starting dockerd in the background (log: $DOCKERD_LOG)"
  nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  disown || true
}

# A dockerd that is still shutting down (it stops its containers first) neither answers nor
# lets a new one start: wait for it to go, then start a fresh one.
if pgrep -x dockerd >/dev/null 2>&1; then
  log "dockerd is running but not answering yet; waiting"
else
  start_dockerd
fi

for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
  if answers; then
    log "engine answering at $address ($(docker version --format 'Engine {{.Server.Version}}, API {{.Server.APIVersion}}'))"
    exit 0
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    start_dockerd
  fi
  sleep 0.25
done
tail -n 20 "$DOCKERD_LOG" >&2 || true
die "dockerd did not answer within ${WAIT_SECONDS}s; see $DOCKERD_LOG"
