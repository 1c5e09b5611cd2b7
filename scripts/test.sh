#!/usr/bin/env bash
# The project's test command: installs what a fresh machine lacks, then runs build, lint,
# type-check and every test suite. Usage: scripts/test.sh [--long]   (--long: full-size fuzz/load runs)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--long" ]]; then export FLEET_LONG_TESTS=1; shift; fi

# --- what a fresh machine lacks (scripts/lib/install.sh, shared with scripts/demo.sh) ---------
# shellcheck source=scripts/lib/install.sh
source scripts/lib/install.sh
fleet_require_node
fleet_apt_install softhsm2-util=softhsm2 openssl=openssl pkcs11-tool=opensc chromium=chromium \
  pdftoppm=poppler-utils zbarimg=zbar-tools
fleet_npm_install

# --- checks -------------------------------------------------------------------------------
npm run --silent build
npm run --silent build:verifier
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
