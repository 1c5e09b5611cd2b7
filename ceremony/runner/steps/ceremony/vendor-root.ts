/**
 * The vendor roots a script pins (`hsms[].vendorRoot`: a PEM file relative to the script) and the
 * check of an HSM's identity chain against them. Every block of the file is a pinned root of that
 * HSM: CERTIFICATE blocks (root certificates; Marvell pins a manufacturer and an owner root) and
 * PUBLIC KEY blocks (a bare vendor key, like nShield's KWARN-1, for a format without X.509).
 * The identity chain must end at exactly one of its certificates, and every signature and
 * validity period on the way must check out.
 */
import { equalBytes, hexEncode, pemDecodeAll, pemEncode, utf8Decode } from '../../../codec/index.js';
import { decodeDer, parseCertificate, verifyChain } from '../../../attest/x509/index.js';
import { sha256 } from '../../../crypto/index.js';
import { MalformedError, VerificationError, isCeremonyError } from '../../../errors.js';
import { readFileBounded } from '../../../io/index.js';
import { scriptPath } from '../../devices.js';
import type { ScriptHsm } from '../../script/types.js';

/** Largest vendor root file read. */
const MAX_ROOT_FILE = 256 * 1024;

/** The PEM labels a vendor root file may hold. */
const ROOT_LABELS = ['CERTIFICATE', 'PUBLIC KEY'] as const;

/** One pinned root of an HSM: a DER certificate or a DER SubjectPublicKeyInfo. */
export interface VendorRoot {
  label: (typeof ROOT_LABELS)[number];
  der: Uint8Array;
}

/**
 * Every block of `hsm.vendorRoot`, in file order, or undefined when the script pins none.
 * @throws UsageError `CEREMONY_VENDOR_ROOT_MISSING`; MalformedError `CEREMONY_VENDOR_ROOT_INVALID`
 *   (a block of another label, or one that is not DER) and `PEM_*`, with the file.
 */
export function vendorRootsOf(hsm: ScriptHsm, scriptDir: string): VendorRoot[] | undefined {
  if (hsm.vendorRoot === undefined) return undefined;
  const file = scriptPath(scriptDir, hsm.vendorRoot);
  const field = `hsms.${hsm.id}.vendorRoot`;
  const bytes = readFileBounded(file, MAX_ROOT_FILE, {
    what: `vendor root file (${field})`,
    missingCode: 'CEREMONY_VENDOR_ROOT_MISSING',
    unreadableCode: 'CEREMONY_VENDOR_ROOT_MISSING',
    tooLargeCode: 'CEREMONY_VENDOR_ROOT_MISSING',
  });
  try {
    const text = utf8Decode(bytes, field);
    return pemDecodeAll(text, undefined, { lax: true, field }).map((b, i) => {
      if (!(ROOT_LABELS as readonly string[]).includes(b.label))
        throw new MalformedError(
          'CEREMONY_VENDOR_ROOT_INVALID',
          `${field}: block ${i + 1} is a ${b.label}; a vendor root file holds CERTIFICATE and PUBLIC KEY blocks only`,
          { field },
        );
      decodeDer(b.der, `${field}[${i}]`);
      return { label: b.label as VendorRoot['label'], der: b.der };
    });
  } catch (e) {
    throw isCeremonyError(e) ? e.withFile(file) : e;
  }
}

/** The pinned roots of `hsm` as `verifyAttestation` takes them (DER), or [] when it pins none. */
export function trustedRootsOf(hsm: ScriptHsm, scriptDir: string): Uint8Array[] {
  return (vendorRootsOf(hsm, scriptDir) ?? []).map((r) => r.der);
}

/** One certificate of a verified chain, as recorded. */
export interface ChainEntry {
  subject: string;
  sha256: string;
}

/**
 * Verifies `chain` (device certificate first, root last) against the HSM's pinned `roots` at `at`:
 * its last certificate must be byte-identical to one of the pinned certificates (PUBLIC KEY
 * blocks anchor no identity chain), and the path to it must verify.
 * @returns the chain's subjects and digests, leaf first, and the root it ended at.
 * @throws VerificationError `CEREMONY_HSM_CHAIN_UNTRUSTED` naming the HSM and every failure.
 */
export async function checkIdentityChain(
  hsmId: string,
  chain: readonly Uint8Array[],
  roots: readonly VendorRoot[],
  at: Date,
  emulated: boolean,
): Promise<{ entries: ChainEntry[]; root: Uint8Array }> {
  const fail = (why: string): never => {
    throw new VerificationError('CEREMONY_HSM_CHAIN_UNTRUSTED', `HSM ${hsmId}: identity chain: ${why}`, {
      field: `hsms.${hsmId}.vendorRoot`,
    });
  };
  const last = chain[chain.length - 1];
  if (last === undefined)
    return fail('the device reports no identity chain, and the script pins a vendor root');
  const root = roots.find((r) => r.label === 'CERTIFICATE' && equalBytes(r.der, last));
  if (root === undefined)
    return fail('its last certificate is not a vendor root certificate the script pins');
  const parsed = chain.map((der, i) => parseCertificate(der, `identityChain[${i}]`));
  const v = await verifyChain(parsed[0]!, parsed.slice(1, -1), {
    roots: [parsed[parsed.length - 1]!],
    at,
    emulatedRoot: emulated ? 'allow' : 'forbid',
  });
  if (!v.ok) fail(v.failures.map((f) => `${f.code}: ${f.reason}`).join('; ') || 'no path to the root');
  return {
    entries: chain.map((der, i) => ({ subject: parsed[i]!.subject, sha256: hexEncode(sha256(der)) })),
    root: root.der,
  };
}

/** The chain as PEM text (one CERTIFICATE block per certificate), as `openssl verify` reads it. */
export function chainPem(chain: readonly Uint8Array[]): string {
  return chain.map((der) => pemEncode('CERTIFICATE', der)).join('');
}
