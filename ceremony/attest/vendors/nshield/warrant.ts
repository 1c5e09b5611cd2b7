/**
 * The nShield warrant: a DDDS list `[root name, certificate, …]` where each certificate is
 * `{Payload, Signature}`, signed with ECDSA P-521 / SHA-512 (132-byte `r || s`) by the key the
 * previous one delegated to, the first by the pinned root (KWARN-1). Every certificate but the last
 * is a `Delegation` (naming the next key); the last is the module's information certificate, which
 * names its electronic serial number (ESN) and its key KLF2.
 *
 * Both `ModuleInformation` and `FieldUpgradeModuleInformation` end a warrant. Entrust notes that
 * the latter "depend[s] on signatures made using legacy DSA-1024 keys"; every signature *checked
 * here* is P-521, so it is accepted and the result says which type it was
 * (docs/attestation-vendors.md, caveats).
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';
import type { DddsValue } from './ddds.js';
import { DddsMap, decodeDdds, isSym, Sym } from './ddds.js';
import type { NcoreKey } from './keys.js';
import { verifyP521 } from './keys.js';

/** Most certificates a warrant may hold (KWARN-1 → delegations → module information). */
const MAX_CERTIFICATES = 8;

/** What a verified warrant says about the module. */
export interface Warrant {
  /** The module's KLF2 public key (ECDSA P-521), which signs its state certificate. */
  klf2: Extract<NcoreKey, { type: 'ecdsa' }>;
  esn: string;
  physicalSerial: string | undefined;
  type: 'ModuleInformation' | 'FieldUpgradeModuleInformation';
  /** Approvals as text, e.g. `FIPS140 2 3 MultiChipEmbedded`. */
  approvals: string[];
  /** The keys the warrant passes through, root first, as text for the result's chain. */
  path: string[];
}

/** A refusal of a well-formed warrant (a signature or a policy check failed). */
export class WarrantRefusal extends Error {}

function malformed(reason: string): never {
  throw new MalformedError('NSHIELD_WARRANT_MALFORMED', `warrant: ${reason}`, { field: 'warrant' });
}

function p521Key(v: DddsValue | undefined, what: string): Extract<NcoreKey, { type: 'ecdsa' }> {
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    !isSym(v[0], 'ECDSA') ||
    !isSym(v[1], 'Public') ||
    !isSym(v[2], 'NISTP521') ||
    !Array.isArray(v[3]) ||
    v[3].length !== 2 ||
    typeof v[3][0] !== 'bigint' ||
    typeof v[3][1] !== 'bigint'
  ) {
    malformed(`${what} is not an ECDSA NISTP521 public key`);
  }
  return { type: 'ecdsa', curve: 'P-521', x: v[3][0], y: v[3][1] };
}

function checkMech(v: DddsValue | undefined, what: string): void {
  const ok =
    Array.isArray(v) &&
    v.length === 2 &&
    isSym(v[0], 'ECDSA') &&
    Array.isArray(v[1]) &&
    v[1].length === 2 &&
    isSym(v[1][0], 'EMSA1') &&
    isSym(v[1][1], 'SHA512');
  if (!ok) malformed(`${what} is not ECDSA EMSA1 SHA512`);
}

function text(v: DddsValue | undefined): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Sym) return v.name;
  if (Array.isArray(v)) return v.map(text).join(' ');
  malformed('approval is not text');
}

/**
 * Verifies a warrant under `root` (named `rootName`).
 *
 * @throws MalformedError `NSHIELD_WARRANT_MALFORMED` when it cannot be read;
 *   {@link WarrantRefusal} when a signature does not verify.
 */
export function verifyWarrant(
  encoded: Uint8Array,
  root: Extract<NcoreKey, { type: 'ecdsa' }>,
  rootName: string,
): Warrant {
  const list = decodeDdds(encoded, 'warrant');
  if (!Array.isArray(list) || list.length < 2 || list.length > MAX_CERTIFICATES + 1) {
    malformed('not a list of a root name and certificates');
  }
  if (!isSym(list[0], rootName)) malformed(`not rooted at ${rootName}`);
  let key = root;
  const path = [rootName];
  for (let i = 1; i < list.length; i++) {
    const cert = list[i];
    const sig = cert instanceof DddsMap ? cert.get('Signature') : undefined;
    const payload = cert instanceof DddsMap ? cert.get('Payload') : undefined;
    if (
      !(cert instanceof DddsMap) ||
      cert.entries.length !== 2 ||
      !(sig instanceof Uint8Array) ||
      !(payload instanceof Uint8Array)
    ) {
      malformed(`certificate ${i} is not {Payload, Signature}`);
    }
    if (sig.length !== 132) malformed(`certificate ${i} signature is ${sig.length} bytes, want 132`);
    let r = 0n;
    let s = 0n;
    for (let j = 0; j < 66; j++) r = (r << 8n) | BigInt(sig[j]!);
    for (let j = 66; j < 132; j++) s = (s << 8n) | BigInt(sig[j]!);
    if (!verifyP521(key, r, s, payload)) {
      throw new WarrantRefusal(`certificate ${i} does not verify under ${path[path.length - 1]}`);
    }
    const body = decodeDdds(payload, `warrant[${i}].Payload`);
    if (!(body instanceof DddsMap)) malformed(`certificate ${i} payload is not a map`);
    const type = body.get('WarrantCertificateType');
    if (i < list.length - 1) {
      if (!isSym(type, 'Delegation')) malformed(`certificate ${i} is not a Delegation`);
      checkMech(body.get('SigMech'), `certificate ${i} SigMech`);
      key = p521Key(body.get('DelegateKey'), `certificate ${i} DelegateKey`);
      path.push(`Delegation ${i}`);
      continue;
    }
    if (!isSym(type, 'ModuleInformation') && !isSym(type, 'FieldUpgradeModuleInformation')) {
      malformed(`the last certificate is not module information`);
    }
    checkMech(body.get('KLF2mech'), 'KLF2mech');
    const esn = body.get('ElectronicSerialNumber');
    const physical = body.get('PhysicalSerialNumber');
    const approvals = body.get('Approvals') ?? [];
    if (typeof esn !== 'string') malformed('module information has no ElectronicSerialNumber');
    if (physical !== undefined && typeof physical !== 'string')
      malformed('PhysicalSerialNumber is not a string');
    if (!Array.isArray(approvals)) malformed('Approvals is not a list');
    return {
      klf2: p521Key(body.get('KLF2pub'), 'KLF2pub'),
      esn,
      physicalSerial: physical,
      type: (type as Sym).name as Warrant['type'],
      approvals: approvals.map(text),
      path: [...path, `${(type as Sym).name} ESN ${esn}`],
    };
  }
  malformed('no module information certificate');
}
