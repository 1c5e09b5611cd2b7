/**
 * `entrust-nshield`: Entrust nShield key attestation bundles (docs/attestation-vendors.md).
 *
 * Evidence: `statement` is the bundle JSON exactly as `nfkmattest` wrote it; `chain` must be empty.
 * Trust: the warrant root key, KWARN-1, pinned in `options.trustedRoots` as a DER
 * SubjectPublicKeyInfo (ECDSA P-521); certificates there are ignored by this format.
 *
 * The warrant carries no validity periods, so `verificationTime` is `options.now` whether or not
 * `validateAtAttestationTime` is set. The format carries no challenge.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes, hexEncode } from '../../../codec/index.js';
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
} from '../../types.js';
import { selfContainedStatement } from '../../x509/evidence.js';
import { parseSpki } from '../../x509/spki.js';
import { readBundle } from './bundle.js';
import { checkModuleState, checkSignature, checkWarrant, checkWorldBinding } from './checks.js';
import { parseKeyGeneration } from './keygen.js';
import type { NcoreKey } from './keys.js';
import { keyHash, ncoreKeySpki, readKey } from './keys.js';
import { parseModuleState } from './modstate.js';
import { NcoreReader } from './ncore.js';

/** The format id. */
export const NSHIELD_FORMAT = 'entrust-nshield';

function readWholeKey(bytes: Uint8Array, field: string): NcoreKey {
  const r = new NcoreReader(bytes, field);
  const key = readKey(r);
  r.end();
  return key;
}

/** The pinned P-521 keys among `trustedRoots` (entries that are not P-521 SPKIs are skipped). */
function pinnedKeys(trustedRoots: readonly Uint8Array[]): Extract<NcoreKey, { type: 'ecdsa' }>[] {
  const out: Extract<NcoreKey, { type: 'ecdsa' }>[] = [];
  for (const der of trustedRoots) {
    try {
      const key = parseSpki(der, 'trustedRoots[]');
      if (key.type !== 'ec' || key.curve !== 'P-521' || key.publicKey[0] !== 4) continue;
      const coord = (o: number): bigint => BigInt(`0x${hexEncode(key.publicKey.subarray(o, o + 66))}`);
      out.push({ type: 'ecdsa', curve: 'P-521', x: coord(1), y: coord(67) });
    } catch {
      // Not an SPKI (e.g. a certificate pinned for another format): not a warrant root.
    }
  }
  return out;
}

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  const at = options.now;
  let parsed;
  try {
    const bundle = readBundle(selfContainedStatement(evidence, 'the bundle carries its own warrant'));
    const state = parseModuleState(bundle.modstatemsg);
    const knso = readWholeKey(bundle.knsopub, 'knsopub');
    const key = readWholeKey(bundle.pubkeydata, 'pubkeydata');
    const gen = parseKeyGeneration(bundle.kcmsg, key, bundle.hkm, state.hknso);
    parsed = { bundle, state, knso, key, gen };
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(NSHIELD_FORMAT, at, 'ATTEST_MALFORMED', `${e.message}`);
  }
  const { bundle, state, knso, key, gen } = parsed;
  const failures: AttestationFailure[] = [];
  const warrant = checkWarrant(bundle, pinnedKeys(options.trustedRoots), failures);
  checkModuleState(bundle, warrant, state, knso, failures);
  checkWorldBinding(bundle, state, knso, failures);
  checkSignature(state.kml, bundle.kcsig, bundle.kcmsg, 'kcsig (by the module KML)', failures);
  const hka = keyHash(key);
  if (typeof hka === 'string') failures.push(failure('ATTEST_ALGORITHM_UNSUPPORTED', hka));
  else if (!equalBytes(hka, gen.hka)) {
    failures.push(
      failure('ATTEST_ATTRIBUTE_MISMATCH', 'the key hash in kcmsg is not the hash of pubkeydata'),
    );
  }
  const spki = ncoreKeySpki(key);
  if (spki === undefined)
    failures.push(
      failure('ATTEST_ALGORITHM_UNSUPPORTED', `pubkeydata: a ${key.type} key has no usable SPKI`),
    );
  const acl = gen.acl;
  for (const r of acl.refusals) failures.push({ code: 'ATTEST_NSHIELD_ACL_REFUSED', reason: `ACL: ${r}` });
  if (acl.exportable)
    failures.push(failure('ATTEST_KEY_EXPORTABLE', 'ACL: a permission group grants ExportAsPlain'));
  if (acl.recoverable) {
    failures.push(
      failure(
        'ATTEST_KEY_EXPORTABLE',
        'ACL: the key is recoverable: the Administrator Card Set can load it elsewhere (security-officer group or MakeArchiveBlob)',
      ),
    );
  }
  const exportable = acl.exportable || acl.recoverable;
  failures.push(...challengeFailures(options.expectedChallenge, 'unsupported'));
  const esn = warrant?.esn ?? state.esn;
  return finish({
    format: NSHIELD_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Entrust',
    model: 'nShield',
    serial: esn,
    firmware: '',
    ...(spki === undefined ? {} : { publicKey: { spki, sha256: sha256(spki) } }),
    origin: 'generated',
    exportable,
    attributes: {
      algorithm:
        key.type === 'rsa'
          ? `rsa-${key.n.toString(2).length}`
          : key.type === 'ecdsa'
            ? `ec-${key.curve.replace('-', '').toLowerCase()}`
            : key.type,
      protection: acl.protection,
      recoverable: String(acl.recoverable),
      warrantType: warrant?.type ?? '',
      physicalSerial: warrant?.physicalSerial ?? '',
      approvals: warrant?.approvals.join('; ') ?? '',
    },
    chain:
      warrant === undefined
        ? []
        : [
            `KML of module ${esn}`,
            `KLF2 of module ${esn} (${warrant.type})`,
            ...warrant.path.slice(1, -1).reverse(),
            warrant.path[0]!,
          ],
    // No X.509 path: the warrant is a chain of bare keys, so `path` is absent.
    verificationTime: at,
    verificationTimeSource: 'now',
    failures,
  });
}

/** Entrust nShield key attestation bundles. */
export const nshieldFormat: AttestationFormat = { id: NSHIELD_FORMAT, verify };
