#!/usr/bin/env bash
# The project's test command: installs what a fresh machine lacks, then runs build, lint,
# type-check and every test suite. Usage: scripts/test.sh [--long]   (--long: full-size fuzz/load runs)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--long" ]]; then export FLEET_LONG_TESTS=1; shift; fi

# --- system packages (Debian) -------------------------------------------------------------
need=()
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pkcs11-tool >/dev/null 2>&1 || need+=(opensc)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- npm packages -------------------------------------------------------------------------
stamp=node_modules/.fleet-ceremony-lock
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# --- checks -------------------------------------------------------------------------------
npm run --silent build
npm run --silent lint
npm run --silent typecheck
mkdir -p .tmp
set +e
FLEET_TEST_CLI=dist npx vitest run --reporter=default --reporter=json --outputFile=.tmp/vitest.json "$@"
status=$?
set -e
node -e '
  const r = require("./.tmp/vitest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (r.numTotalTests === 0) { console.error("test.sh: no tests ran"); process.exit(1); }
' || status=1
exit $status
