/**
 * The stock-tools recipe of VERIFY.md: a bash script that checks a package with sha256sum,
 * openssl 3, base64, od, sed, awk and grep only (docs/evidence.md, "By hand"). It needs the pinned
 * anchors from the reader's own trust file, never from the package, and checks: the package
 * signature (the root: SHA256SUMS), every file's digest and that nothing is unlisted, that the
 * witness statement names the fleet key set, the witness signature, the operator
 * counter-signature, the checkpoint signature, and the attestation and identity chains up to the
 * pinned vendor roots (with each attested key and attestation digest in the fleet key set).
 *
 * The test suite runs this exact text on good and tampered packages.
 */
import type { EvidenceView } from './view.js';

/** Attestation formats whose statement is one DER X.509 certificate `openssl verify` can check. */
export const X509_STATEMENT_FORMATS: ReadonlySet<string> = new Set([
  'emulated-x509/v1',
  'yubihsm2',
  'yubikey-piv',
]);

const HEAD = `#!/usr/bin/env bash
# Checks this evidence package with stock tools. Run it in the package's directory with the
# anchors pinned in YOUR trust file (never copy them from the package):
#   WITNESS_KEY   hex of the witness statement key (witness.statement_keys[].public_key)
#   LOG_KEY       the witness log's verifier key (witness.log_key)
#   OPERATOR_KEY  hex of the operator key (operator_keys[].public_key)
#   OPERATOR_ALG  its algorithm, ed25519 or p256
#   VENDOR_ROOTS  a file with the pinned HSM vendor root certificates (hsm_vendor_roots[].pem)
set -euo pipefail
export LC_ALL=C
for v in WITNESS_KEY LOG_KEY OPERATOR_KEY OPERATOR_ALG VENDOR_ROOTS; do
  [ -n "$(printenv "$v")" ] || { echo "set $v from your trust file" >&2; exit 2; }
done
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
hex2bin() { printf '%b' "$(printf '%s' "$1" | sed 's/../\\\\x&/g')"; }
pubkey() { # ALG HEX OUT: a raw public key as PEM
  case "$1" in
    ed25519) hex2bin "302a300506032b6570032100$2" ;;
    p256) hex2bin "3059301306072a8648ce3d020106082a8648ce3d030107034200$2" ;;
    *) echo "unknown algorithm $1" >&2; exit 2 ;;
  esac | openssl pkey -pubin -inform DER -out "$3"
}
verify_sig() { # ALG PEM MESSAGE SIGNATURE
  if [ "$1" = ed25519 ]; then openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in "$3" -sigfile "$4" >/dev/null
  else openssl dgst -sha256 -verify "$2" -signature "$4" "$3" >/dev/null; fi
}
hexof() { od -An -v -tx1 | tr -d ' \\n'; }

# 1. The root: SHA256SUMS is signed by the pinned operator key.
pubkey "$OPERATOR_ALG" "$OPERATOR_KEY" "$T/operator.pem"
{ printf 'fleet-ceremony evidence v1\\000'; openssl dgst -sha256 -binary SHA256SUMS; } > "$T/sums.msg"
verify_sig "$OPERATOR_ALG" "$T/operator.pem" "$T/sums.msg" SHA256SUMS.sig
echo "ok: SHA256SUMS is signed by the pinned operator key"

# 2. Every file has the digest SHA256SUMS lists, and no file is left out.
sha256sum --strict --quiet -c SHA256SUMS
find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\\./||' | sort > "$T/found"
cut -c67- SHA256SUMS | sort > "$T/listed"
cmp -s "$T/found" "$T/listed" || { echo "files differ from SHA256SUMS:" >&2; diff "$T/listed" "$T/found" >&2; exit 1; }
echo "ok: every file matches SHA256SUMS, none unlisted"

# 3. The witness statement is about this fleet key set (its SHA-256 is inside the statement).
KS=$(sha256sum < fleet-key-set.cbor | cut -c1-64)
hexof < witness/statement.bin | grep -q "$KS"
echo "ok: the witness statement names fleet key set $KS"

# 4. The witness signature.
pubkey ed25519 "$WITNESS_KEY" "$T/witness.pem"
verify_sig ed25519 "$T/witness.pem" witness/statement.bin witness/statement.sig
echo "ok: the witness signed the statement"

# 5. The operator counter-signature: over the context, SHA-256(statement) and the witness signature.
{ printf 'fleet-ceremony operator counter-signature v1\\000'; openssl dgst -sha256 -binary witness/statement.bin; cat witness/statement.sig; } > "$T/counter.msg"
verify_sig "$OPERATOR_ALG" "$T/operator.pem" "$T/counter.msg" witness/countersignature.sig
echo "ok: the operator counter-signed the witness signature"

# 6. The checkpoint signature: the note text is everything before the blank line; the signature
#    line is "— <log name> base64(4-byte key id || 64-byte Ed25519 signature)". The log key is
#    <name>+<key id>+<base64 of 0x01 || public key> (the base64 may itself hold "+").
LOG_NAME=$(printf '%s' "$LOG_KEY" | cut -d+ -f1)
LOG_ID=$(printf '%s' "$LOG_KEY" | cut -d+ -f2)
{ hex2bin 302a300506032b6570032100; printf '%s' "$LOG_KEY" | cut -d+ -f3- | base64 -d | tail -c 32; } | openssl pkey -pubin -inform DER -out "$T/log.pem"
sed '/^$/,$d' log/checkpoint > "$T/checkpoint.txt"
awk -v n="$LOG_NAME" '$1 == "—" && $2 == n { print $3; exit }' log/checkpoint | base64 -d > "$T/checkpoint.blob"
[ "$(head -c 4 "$T/checkpoint.blob" | hexof)" = "$LOG_ID" ] || { echo "no signature by the pinned log key" >&2; exit 1; }
tail -c 64 "$T/checkpoint.blob" > "$T/checkpoint.sig"
verify_sig ed25519 "$T/log.pem" "$T/checkpoint.txt" "$T/checkpoint.sig"
echo "ok: the checkpoint is signed by the pinned log key ($LOG_NAME)"
`;

const ATTESTATIONS = `
# 7. Attestations: every statement has the SHA-256 the fleet key set records for its key (named
#    by the file); every X.509 one also chains to a pinned vendor root and attests that key.
while read -r kind f; do
  [ -n "$f" ] || continue
  key=$(basename "$f" .statement | sed 's/~/:/g')
  grep -F -A5 "\\"keyId\\": \\"$key\\"," fleet-key-set.json > "$T/key.json"
  grep -qF "\\"attestationDigest\\": \\"$(sha256sum < "$f" | cut -c1-64)\\"" "$T/key.json"
  [ "$kind" = x509 ] || continue
  openssl x509 -inform DER -in "$f" -out "$T/leaf.pem"
  openssl verify -CAfile "$VENDOR_ROOTS" -untrusted "$(printf '%s' "$f" | sed 's/\\.statement$/.chain.pem/')" "$T/leaf.pem" >/dev/null
  pk=$(openssl x509 -in "$T/leaf.pem" -pubkey -noout | openssl pkey -pubin -outform DER | hexof \\
    | sed -e 's/^302a300506032b656e032100//' -e 's/^302a300506032b6570032100//' -e 's/^3059301306072a8648ce3d020106082a8648ce3d030107034200//')
  grep -qF "\\"publicKey\\": \\"$pk\\"" "$T/key.json"
done <<'LIST'
@LIST@
LIST
echo "ok: @ALL@ attestation digest(s) match the fleet key set; @COUNT@ X.509 attestation(s) chain to the pinned vendor roots and attest their keys"

# 8. Identity chains: each device certificate chains to a pinned vendor root.
for f in attestations/*/device-chain.pem; do
  [ -e "$f" ] || continue
  openssl verify -CAfile "$VENDOR_ROOTS" "$f" >/dev/null
done
echo "ok: the HSM identity chains end at the pinned vendor roots"
echo "ALL STOCK-TOOL CHECKS PASSED (the inclusion proof, the transcript sign-offs and the attestation policy need the verifier)"
`;

/** The recipe for the package `v` describes. */
export function stockToolsRecipe(v: EvidenceView): string {
  const all = v.manifest.attestations;
  const list = all
    .map((a) => `${X509_STATEMENT_FORMATS.has(a.format) ? 'x509' : 'other'} ${a.statement}`)
    .join('\n');
  const x509 = all.filter((a) => X509_STATEMENT_FORMATS.has(a.format)).length;
  return (
    HEAD +
    ATTESTATIONS.replace('@LIST@', () => list)
      .replace('@ALL@', String(all.length))
      .replace('@COUNT@', String(x509))
  );
}
