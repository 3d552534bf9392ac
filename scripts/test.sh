#!/usr/bin/env bash
# The one test command (npm test): typecheck, unit tests, then the integration tests against a
# real engine, registry and database servers, which this brings up first, and a subset of them
# again against a second real engine, Podman.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
# Missing or older than the lock file (npm rewrites node_modules/.package-lock.json on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
# The typecheck (tsc, one core, about 15 s) runs beside lint, build and the unit tests; its verdict
# is awaited before anything touches an engine.
typecheck_log=$(mktemp)
npx tsc -p tsconfig.json --noEmit >"$typecheck_log" 2>&1 &
typecheck_pid=$!
trap 'rm -f "$typecheck_log"' EXIT
echo "== lint (biome: rules and formatting; no line over 160 characters)"
npm run --silent lint
echo "== build"
node scripts/build.mjs
echo "== unit tests"
npx vitest run --project unit --project unit-mocks
echo "== typecheck"
typecheck=0
wait "$typecheck_pid" || typecheck=$?
cat "$typecheck_log"
if [ "$typecheck" -ne 0 ]; then
  echo "== failed: the typecheck (tsc) found errors" >&2
  exit 1
fi
echo "== test environment (engine, registry, fixtures)"
if ! bash scripts/test-env-up.sh; then
  echo "Integration tests need a Docker engine. Run as root on Debian/Ubuntu (this script then installs and starts one)," >&2
  echo "or start Docker yourself / set DOCKER_HOST, and run npm test again." >&2
  exit 1
fi
echo "== integration tests"
npx vitest run --project integration
# The Podman project runs beside the isolated one: they use different engines (the isolated tests
# count and restart dockerd's objects only; Podman keeps its own storage, network and socket), and
# one after the other they took a sixth of the whole run. Its output is printed when it ends.
echo "== second engine: Podman (its Docker-compatible API on its own socket), beside the isolated tests"
# A Podman of your own (rootless, another socket): set DBARENA_PODMAN_HOST to it and this uses it as is.
if [ -z "${DBARENA_PODMAN_HOST:-}" ]; then
  if ! bash scripts/podman-up.sh; then
    echo "The podman project runs integration tests against Podman too. Run as root on Debian/Ubuntu (scripts/podman-up.sh then" >&2
    echo "installs and starts it), or start 'podman system service' yourself and set DBARENA_PODMAN_HOST to its socket." >&2
    exit 1
  fi
  export DBARENA_PODMAN_HOST=unix://${DBARENA_PODMAN_SOCKET:-/run/podman/podman.sock}
fi
# The fixtures it pulled before may be older builds than the registry's now.
bash scripts/podman-fixtures.sh
podman_log=$(mktemp)
trap 'rm -f "$podman_log" "$typecheck_log"' EXIT
npx vitest run --project podman >"$podman_log" 2>&1 &
podman_pid=$!
echo "== isolated integration tests (nothing-left-behind checks, signals, engine restart)"
isolated=0
npx vitest run --project isolated || isolated=$?
podman=0
wait "$podman_pid" || podman=$?
echo "== second engine: Podman — its output"
cat "$podman_log"
if [ "$isolated" -ne 0 ] || [ "$podman" -ne 0 ]; then
  echo "== failed: isolated exit $isolated, podman exit $podman" >&2
  exit 1
fi
echo "== all tests passed in $((SECONDS - t0))s"
