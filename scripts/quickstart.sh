#!/usr/bin/env bash
# One command from a fresh clone to a running dbarena:
#   bash scripts/quickstart.sh            # opens the dashboard (or lists containers without a terminal)
#   bash scripts/quickstart.sh create postgres
#
# It installs the npm dependencies and builds if needed, makes a Docker engine reachable
# (scripts/engine-up.sh), and, when official images cannot be pulled here (no route to the public
# registry), starts the local registry with the fixture images and points dbarena at it through
# ~/.config/dbarena/config.json. On a machine with Docker and internet it just runs dbarena.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { printf 'quickstart: %s\n' "$*" >&2; }

# npm rewrites node_modules/.package-lock.json on every install: older than the lock means stale.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
elif [ ! -f dist/cli.js ]; then
  npm run --silent build >&2
fi

bash scripts/engine-up.sh

config_dir=${XDG_CONFIG_HOME:-$HOME/.config}/dbarena
if [ -z "${DBARENA_REGISTRY:-}" ] && ! grep -qs '"registry"' "$config_dir/config.json"; then
  # `docker manifest inspect` asks the registry without pulling anything.
  if timeout 10 docker manifest inspect postgres:18-alpine >/dev/null 2>&1; then
    log "official images are reachable; using them"
  else
    log "official images are not reachable from here; using a local registry with fixture images"
    bash scripts/registry-up.sh
    bash scripts/fixtures-build.sh
    mkdir -p "$config_dir"
    printf '{\n  "registry": "127.0.0.1:%s"\n}\n' "${DBARENA_REGISTRY_PORT:-5000}" >"$config_dir/config.json"
    log "wrote $config_dir/config.json (registry mirror for every dbarena command)"
  fi
elif grep -qs '"registry": "127.0.0.1' "$config_dir/config.json"; then
  # The local registry does not survive a reboot; bring it back (fixtures are cached).
  bash scripts/registry-up.sh
  bash scripts/fixtures-build.sh
fi

# Put `dbarena` on PATH for the next commands (a symlink to this checkout).
if ! command -v dbarena >/dev/null 2>&1; then
  npm link --no-audit --no-fund >/dev/null 2>&1 && log "linked: dbarena is now on your PATH" || log "could not npm link; run it as node $root/dist/cli.js"
fi

exec node "$root/dist/cli.js" "$@"
