# Shared settings and helpers for the scripts that bring up the test environment.
# Sourced, not run.
log() { printf '%s: %s\n' "${SCRIPT_NAME:-dbarena}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${SCRIPT_NAME:-dbarena}" "$*" >&2; exit 1; }

REGISTRY_PORT=${DBARENA_REGISTRY_PORT:-5000}
REGISTRY_ADDR=127.0.0.1:$REGISTRY_PORT
# Outside the repository on purpose: a fresh clone (as CI makes) reuses what an earlier run built.
STATE_DIR=${DBARENA_STATE_DIR:-/var/lib/dbarena-test}
CACHE_DIR=${DBARENA_FIXTURE_CACHE:-/var/cache/dbarena-fixtures}
