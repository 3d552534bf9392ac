#!/usr/bin/env bash
# Make Podman's Docker-compatible API answer on $DBARENA_PODMAN_SOCKET (default
# /run/podman/podman.sock), idempotently, next to (never instead of) the Docker engine:
#  - not root: use the socket if it answers, else say what to do;
#  - root on a Debian-like system: install Debian's podman if missing, make sure its configuration
#    is written (below; the service is restarted only if that changed it and this script started
#    it), and run `podman system service` in the background with its log in a file.
# Podman keeps its own storage (/var/lib/containers), its own network (10.88.0.0/16, netavark) and
# its own socket, so dockerd's containers, images and bridge are untouched.
set -euo pipefail
SCRIPT_NAME=podman-up
. "$(dirname "$0")/lib.sh"

SOCKET=${DBARENA_PODMAN_SOCKET:-/run/podman/podman.sock}
PODMAN_LOG=${DBARENA_PODMAN_LOG:-/var/log/dbarena-podman.log}
WAIT_SECONDS=${DBARENA_ENGINE_WAIT:-60}

answers() { curl -fsS -m 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }

if [ "$(id -u)" != 0 ]; then
  answers && { log "podman answering at unix://$SOCKET"; exit 0; }
  die "nothing answers at unix://$SOCKET and starting rootful podman needs root." \
    "Start it yourself ('podman system service --time=0 unix://$SOCKET') or run this script as root."
fi

if ! command -v podman >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "podman is not installed and this is not a Debian-like system; install podman yourself."
  log "installing podman from the distribution's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # netavark (not the CNI plugins) is the network stack podman 4 is made for; the rest of the
  # recommends (buildah, slirp4netns, fuse-overlayfs, …) serve rootless use, which this is not.
  apt-get install -y -qq --no-install-recommends podman netavark aardvark-dns catatonit >/dev/null || die "apt-get install podman failed"
fi

config_changed=0
# Write a file only when its content differs, and remember that the service must be restarted:
# podman reads both files when the service starts.
put() {
  local file=$1 content=$2
  if [ "$(cat "$file" 2>/dev/null || true)" != "$content" ]; then
    mkdir -p "$(dirname "$file")"
    printf '%s\n' "$content" >"$file"
    config_changed=1
    log "wrote $file"
  fi
}

# dockerd trusts plain-HTTP registries on 127.0.0.0/8 (by address, so also under the name
# localhost); podman trusts none unless told. Both spellings, as the tests pull through both.
put /etc/containers/registries.conf.d/50-dbarena-local-registry.conf "# Written by dbarena's scripts/podman-up.sh: the local test registry speaks plain HTTP.
[[registry]]
location = \"$REGISTRY_ADDR\"
insecure = true

[[registry]]
location = \"localhost:$REGISTRY_PORT\"
insecure = true"

# Podman's defaults ask the runtime for rlimits (nofile 1048576, nproc 4194304) above what this
# machine allows, and every start then fails with "error setting rlimits for ready process:
# operation not permitted". Ask for what a container can get instead: at most this shell's hard
# limits, and for nproc at most 32768, the limit podman sets on itself (and so on conmon and
# runc; one more fails the same way). A drop-in rather than containers.conf, so a file of the
# user's own is left alone; podman 4.3 reads containers.conf.d/ after it.
hard_nofile=$(ulimit -Hn)
hard_nproc=$(ulimit -Hu)
cap() { if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi; }
nofile=$(cap "$hard_nofile" 1048576)
nproc=$(cap "$hard_nproc" 32768)
put /etc/containers/containers.conf.d/50-dbarena-ulimits.conf "# Written by dbarena's scripts/podman-up.sh: limits a container can get on this machine.
[containers]
default_ulimits = [
  \"nofile=$nofile:$nofile\",
  \"nproc=$nproc:$nproc\",
]"

# The service this script started, by its pid: never a process found by name, which could be
# someone else's podman.
PIDFILE=${DBARENA_PODMAN_PIDFILE:-/run/dbarena-podman-service.pid}
service_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

if [ "$config_changed" = 1 ]; then
  if pid=$(service_pid); then
    log "configuration changed: stopping the podman service this script started (pid $pid)"
    kill "$pid" || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  elif answers; then
    log "warning: configuration changed, but the podman service at unix://$SOCKET was not started here; restart it yourself"
  fi
fi

if answers; then
  log "podman already answering at unix://$SOCKET"
  exit 0
fi

if ! service_pid >/dev/null; then
  mkdir -p "$(dirname "$SOCKET")"
  rm -f "$SOCKET"
  log "starting podman system service in the background (socket: unix://$SOCKET, log: $PODMAN_LOG)"
  # Its conmons inherit the working directory and leave an "oom" file there after an
  # out-of-memory kill (conmon 2.1.6): keep them out of whatever directory this was run from.
  mkdir -p "$STATE_DIR/podman"
  cd "$STATE_DIR/podman"
  nohup podman system service --time=0 "unix://$SOCKET" >>"$PODMAN_LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  disown || true
fi

for _ in $(seq 1 $((WAIT_SECONDS * 4))); do
  if answers; then
    log "podman answering at unix://$SOCKET (Podman $(podman version --format '{{.Server.Version}}' 2>/dev/null || echo 'version unknown'))"
    exit 0
  fi
  sleep 0.25
done
tail -n 20 "$PODMAN_LOG" >&2 || true
die "podman did not answer within ${WAIT_SECONDS}s; see $PODMAN_LOG"
