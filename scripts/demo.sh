#!/usr/bin/env bash
# A full rehearsal ceremony on embedded defaults, then its offline verification:
#   scripts/demo.sh [--out DIR] [--hsm emulated|softhsm] [--witness URL ...]
# Installs what a fresh clone lacks (npm packages; SoftHSM2 for --hsm softhsm), builds when the
# build is missing or stale, then runs `fleet-ceremony demo` with the given flags.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$(pwd)"
cd "$root"
# shellcheck source=scripts/lib/install.sh
source scripts/lib/install.sh

fleet_require_node
for arg in "$@"; do
  if [[ $arg == softhsm || $arg == --hsm=softhsm ]]; then fleet_apt_install softhsm2-util=softhsm2; fi
done
fleet_npm_install
fleet_build_if_stale
cd "$here"
exec node "$root/dist/cli/main.js" demo "$@"
