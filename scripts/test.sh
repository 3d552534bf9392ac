#!/usr/bin/env bash
# The one test command (npm test): typecheck, unit tests, then the integration tests against a
# real engine, registry and database servers, which this brings up first.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
# Missing or older than the lock file (npm rewrites node_modules/.package-lock.json on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
echo "== lint (biome: rules and formatting; no line over 160 characters)"
npm run --silent lint
echo "== build"
npx tsc -p tsconfig.build.json
echo "== unit tests"
npx vitest run --project unit
echo "== test environment (engine, registry, fixtures)"
if ! bash scripts/test-env-up.sh; then
  echo "Integration tests need a Docker engine. Run as root on Debian/Ubuntu (this script then installs and starts one)," >&2
  echo "or start Docker yourself / set DOCKER_HOST, and run npm test again." >&2
  exit 1
fi
echo "== integration tests"
npx vitest run --project integration
echo "== isolated integration tests (nothing-left-behind checks, signals, engine restart)"
npx vitest run --project isolated
echo "== all tests passed in $((SECONDS - t0))s"
