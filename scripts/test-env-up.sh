#!/usr/bin/env bash
# Everything the integration tests need, idempotently: a Docker engine, the local registry and
# the fixture images in it. Safe to run again and again; a warm run takes seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/engine-up.sh"
bash "$here/registry-up.sh"
bash "$here/fixtures-build.sh"
