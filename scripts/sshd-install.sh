#!/usr/bin/env bash
# Install Debian's OpenSSH server for the remote-engine tests, idempotently, without starting it.
# The tests run their own sshd (127.0.0.1 only, a spare port, key auth, its own config and host
# key in a temporary folder: test/integration/remote-helpers.ts); a system-wide sshd on port 22,
# which the package's init script would start, is not wanted on a test machine.
set -euo pipefail
SCRIPT_NAME=sshd-install
. "$(dirname "$0")/lib.sh"

if [ -x /usr/sbin/sshd ]; then
  exit 0
fi
[ "$(id -u)" = 0 ] || die "openssh-server is not installed; as root: apt-get install openssh-server"
command -v apt-get >/dev/null 2>&1 || die "openssh-server is not installed and apt-get is not available"
log "installing openssh-server from the distribution's packages"
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d answering 101 is Debian's way to say "install, but start no service".
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then rm -f "$policy"; fi; }
trap cleanup EXIT
apt-get install -y -qq --no-install-recommends openssh-server >/dev/null 2>&1 || {
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
} || die "apt-get install openssh-server failed"
[ -x /usr/sbin/sshd ] || die "openssh-server installed but /usr/sbin/sshd is missing"
