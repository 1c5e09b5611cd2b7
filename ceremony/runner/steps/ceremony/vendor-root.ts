/**
 * The vendor roots a script pins (`hsms[].vendorRoot`, PEM files relative to the script) and the
 * check of an HSM's identity chain against one: the chain must end at exactly that certificate and
 * every signature and validity period on the way must check out.
 */
import { readFileSync, statSync } from 'node:fs';
import { hexEncode, pemDecodeAll, pemEncode } from '../../../codec/index.js';
import { parseCertificate, verifyChain } from '../../../attest/x509/index.js';
import { sha256 } from '../../../crypto/index.js';
import { UsageError, VerificationError, isCeremonyError } from '../../../errors.js';
import { scriptPath } from '../../devices.js';
import type { ScriptHsm } from '../../script/types.js';

/** Largest vendor root file read. */
const MAX_ROOT_FILE = 256 * 1024;

/**
 * The DER certificate of `hsm.vendorRoot` (the first CERTIFICATE block), or undefined when the
 * script pins none.
 * @throws UsageError `CEREMONY_VENDOR_ROOT_MISSING`; MalformedError `PEM_*` with the file.
 */
export function vendorRootOf(hsm: ScriptHsm, scriptDir: string): Uint8Array | undefined {
  if (hsm.vendorRoot === undefined) return undefined;
  const file = scriptPath(scriptDir, hsm.vendorRoot);
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile() || st.size > MAX_ROOT_FILE)
    throw new UsageError('CEREMONY_VENDOR_ROOT_MISSING', `hsms.${hsm.id}.vendorRoot: no such PEM file`, {
      file,
    });
  try {
    return pemDecodeAll(readFileSync(file, 'utf8'), 'CERTIFICATE', { lax: true })[0]!.der;
  } catch (e) {
    throw isCeremonyError(e) ? e.withFile(file) : e;
  }
}

/** One certificate of a verified chain, as recorded. */
export interface ChainEntry {
  subject: string;
  sha256: string;
}

/**
 * Verifies `chain` (device certificate first, root last) against the pinned `root` at `at`.
 * @returns the chain's subjects and digests, leaf first.
 * @throws VerificationError `CEREMONY_HSM_CHAIN_UNTRUSTED` naming the HSM and every failure.
 */
export async function checkIdentityChain(
  hsmId: string,
  chain: readonly Uint8Array[],
  root: Uint8Array,
  at: Date,
  emulated: boolean,
): Promise<ChainEntry[]> {
  const fail = (why: string): never => {
    throw new VerificationError('CEREMONY_HSM_CHAIN_UNTRUSTED', `HSM ${hsmId}: identity chain: ${why}`, {
      field: `hsms.${hsmId}.vendorRoot`,
    });
  };
  const last = chain[chain.length - 1];
  if (last === undefined)
    return fail('the device reports no identity chain, and the script pins a vendor root');
  if (hexEncode(sha256(last)) !== hexEncode(sha256(root)))
    fail('its last certificate is not the vendor root the script pins');
  const parsed = chain.map((der, i) => parseCertificate(der, `identityChain[${i}]`));
  const v = await verifyChain(parsed[0]!, parsed.slice(1, -1), {
    roots: [parsed[parsed.length - 1]!],
    at,
    emulatedRoot: emulated ? 'allow' : 'forbid',
  });
  if (!v.ok) fail(v.failures.map((f) => `${f.code}: ${f.reason}`).join('; ') || 'no path to the root');
  return chain.map((der, i) => ({ subject: parsed[i]!.subject, sha256: hexEncode(sha256(der)) }));
}

/** The chain as PEM text (one CERTIFICATE block per certificate), as `openssl verify` reads it. */
export function chainPem(chain: readonly Uint8Array[]): string {
  return chain.map((der) => pemEncode('CERTIFICATE', der)).join('');
}
