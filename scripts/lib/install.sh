# Shared by scripts/test.sh and scripts/demo.sh (sourced, not run): install what a fresh machine
# lacks. Debian/Ubuntu packages through apt-get (as root, or with sudo), npm packages from the
# lock file. Nothing is installed that is already there.

# fleet_require_node: Node.js >= 20.19 must be on PATH (it is not installed from here: use your
# distribution's or nodejs.org's packages, or nvm).
fleet_require_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "$(basename "$0"): Node.js >= 20.19 is required (https://nodejs.org); it is not on PATH" >&2
    exit 2
  fi
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "$(basename "$0"): Node.js >= 20.19 is required; this is $(node --version)" >&2
    exit 2
  fi
}

# fleet_apt_install COMMAND=PACKAGE ...: installs PACKAGE for each COMMAND not on PATH.
fleet_apt_install() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null 2>&1 || need+=("${pair#*=}")
  done
  ((${#need[@]})) || return 0
  echo "$(basename "$0"): installing ${need[*]}" >&2
  local sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# fleet_npm_install: `npm ci` when node_modules is missing or was installed from another lock file
# (a stamp in node_modules records the lock file it was installed from).
fleet_npm_install() {
  local stamp=node_modules/.fleet-ceremony-lock
  if [[ ! -d node_modules || ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
    echo "$(basename "$0"): installing npm packages (npm ci)" >&2
    npm ci --no-audit --no-fund
    cp package-lock.json "$stamp"
  fi
}

# fleet_build_if_stale: `npm run build` when dist/ is missing or older than a source file.
fleet_build_if_stale() {
  if [[ ! -f dist/cli/main.js ]] || [[ -n $(find ceremony templates package.json tsconfig.json tsconfig.build.json -newer dist/cli/main.js -print -quit) ]]; then
    echo "$(basename "$0"): building (npm run build)" >&2
    npm run --silent build
  fi
}
