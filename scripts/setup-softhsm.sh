#!/usr/bin/env bash
# Creates a self-contained SoftHSM2 environment for rehearsals and CI.
#
# Usage: scripts/setup-softhsm.sh DIR LABEL [LABEL...]
#   eval "$(FLEET_SOFTHSM_PIN=... FLEET_SOFTHSM_SO_PIN=... scripts/setup-softhsm.sh .hsm hsm-a hsm-b hsm-c)"
#
# - Installs softhsm2 (apt-get, as root or with sudo) when softhsm2-util is missing.
# - Writes DIR/softhsm2.conf and the token directory DIR/tokens (mode 0700); refuses a DIR that
#   already holds either (no overwrites).
# - Initialises one token per LABEL. PINs come from the environment, never from arguments:
#     FLEET_SOFTHSM_PIN_<LABEL>  user PIN of that token (LABEL upper-cased, non-alphanumerics as _)
#     FLEET_SOFTHSM_PIN          user PIN of every other token
#     FLEET_SOFTHSM_SO_PIN       security-officer PIN of every token
#   PINs are never printed. softhsm2-util takes them as arguments, so they are visible to other
#   local users in the process list while it runs: use this script for rehearsals, not production.
# - Prints, on stdout, shell assignments for eval: SOFTHSM2_CONF and FLEET_PKCS11_MODULE.
#   Everything else goes to stderr.
set -euo pipefail

die() { echo "setup-softhsm.sh: $*" >&2; exit 2; }

(($# >= 2)) || die "usage: setup-softhsm.sh DIR LABEL [LABEL...]"
dir=$1; shift
[[ -n ${FLEET_SOFTHSM_SO_PIN:-} ]] || die "set FLEET_SOFTHSM_SO_PIN (the security-officer PIN)"

# --- install softhsm2 where missing (Debian/Ubuntu) ----------------------------------------
if ! command -v softhsm2-util >/dev/null 2>&1; then
  echo "setup-softhsm.sh: installing softhsm2" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends softhsm2 >&2
fi

# --- find the module ---------------------------------------------------------------------------
module=${FLEET_PKCS11_MODULE:-}
if [[ -z $module ]]; then
  for candidate in \
    /usr/lib/softhsm/libsofthsm2.so \
    /usr/lib/"$(uname -m)"-linux-gnu/softhsm/libsofthsm2.so \
    /usr/lib64/pkcs11/libsofthsm2.so \
    /usr/lib/pkcs11/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so \
    /opt/homebrew/lib/softhsm/libsofthsm2.so; do
    if [[ -f $candidate ]]; then module=$candidate; break; fi
  done
fi
if [[ -z $module ]] && command -v dpkg >/dev/null 2>&1; then
  module=$(dpkg -L libsofthsm2 2>/dev/null | grep '/libsofthsm2\.so$' | head -n1 || true)
fi
[[ -n $module && -f $module ]] || die "libsofthsm2.so not found; set FLEET_PKCS11_MODULE"

# --- configuration and tokens ----------------------------------------------------------------
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/softhsm2.conf
tokens=$dir/tokens
[[ ! -e $conf && ! -e $tokens ]] || die "$dir already holds softhsm2.conf or tokens/; refusing to overwrite"
mkdir -m 700 "$tokens"
umask 077
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
  "$tokens" >"$conf"
export SOFTHSM2_CONF=$conf

for label in "$@"; do
  var=FLEET_SOFTHSM_PIN_$(printf '%s' "$label" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9' '_')
  pin=${!var:-${FLEET_SOFTHSM_PIN:-}}
  [[ -n $pin ]] || die "no PIN for token '$label': set $var or FLEET_SOFTHSM_PIN"
  softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$FLEET_SOFTHSM_SO_PIN" >/dev/null \
    || die "could not initialise token '$label'"
  echo "setup-softhsm.sh: initialised token '$label'" >&2
done

printf 'export SOFTHSM2_CONF=%q\n' "$conf"
printf 'export FLEET_PKCS11_MODULE=%q\n' "$module"
