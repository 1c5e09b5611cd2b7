/**
 * The generation-time ACL of an nShield key (M_ACL inside `kcmsg`), evaluated as Entrust's
 * attestation application note says: what can recover, export or misuse the key.
 *
 * - A permission group certified by the security officer's key (HKNSO), or a MakeArchiveBlob
 *   action, makes the key **recoverable**: the Administrator Card Set can load it without its own
 *   protection.
 * - ExportAsPlain makes it **exportable**. SetAppData, ExpandACL, UseAsBlobKey, UseAsKM and
 *   UseAsLoaderKey are refused, as are unknown permission bits, a group certified by another key,
 *   and a working blob not under the module key (HKM) or allowing a null key token.
 * - The weakest working-blob protection is reported: `module` (weakest: no card or passphrase
 *   needed), `softcard` or `cardset`.
 *
 * Anything this reader does not recognise (flags, use limits, actions) is malformed, not ignored.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../../../codec/bytes.js';
import type { NcoreReader } from './ncore.js';
import { MECH_SHA1_HASH } from './ncore.js';

const PERM_EXPORT_AS_PLAIN = 0x4;
/** SetAppData, ExpandACL, UseAsBlobKey, UseAsKM, UseAsLoaderKey. */
const FORBIDDEN: ReadonlyArray<[number, string]> = [
  [0x10, 'SetAppData'],
  [0x40, 'ExpandACL'],
  [0x400, 'UseAsBlobKey'],
  [0x800, 'UseAsKM'],
  [0x4000, 'UseAsLoaderKey'],
];
const KNOWN_PERMS = 0xffff;
const PROTECTION = ['module', 'softcard', 'cardset'] as const;

/** The ACL's verdict. */
export interface AclVerdict {
  recoverable: boolean;
  exportable: boolean;
  /** Weakest working-blob protection, or `non-persistent` when no working blob may be made. */
  protection: (typeof PROTECTION)[number] | 'non-persistent';
  /** Every other refusal, as text. */
  refusals: string[];
}

interface Blob {
  flags: number;
  kmhash: Uint8Array | undefined;
  tokenFlags: number | undefined;
}

function blobFile(r: NcoreReader): void {
  const flags = r.u32();
  if ((flags & ~0x3) !== 0) r.fail(`unsupported blob file flags 0x${flags.toString(16)}`);
  if (flags & 0x1) r.u32(); // devs
  if (flags & 0x2) r.hash(); // ACL hash
}

/**
 * Reads an ACL at the reader's position and evaluates it.
 *
 * @param hkm - hash of the trusted module key; `hknso` - hash of the security officer key.
 * @throws MalformedError `NSHIELD_NCORE_INVALID` for anything not understood.
 */
export function readAcl(r: NcoreReader, hkm: Uint8Array, hknso: Uint8Array): AclVerdict {
  const v: AclVerdict = { recoverable: false, exportable: false, protection: 'non-persistent', refusals: [] };
  let weakest: number = PROTECTION.length;
  const groups = r.count(12);
  for (let g = 0; g < groups; g++) {
    const flags = r.u32();
    if ((flags & ~0x6f) !== 0) r.fail(`unsupported permission group flags 0x${flags.toString(16)}`);
    const limits = r.count(8);
    for (let l = 0; l < limits; l++) {
      const type = r.u32();
      if (type === 1 || type === 6) {
        r.hash(); // Global or Auth limit: id hash, maximum
        r.u32();
      } else if (type === 3) {
        r.u32(); // Time limit, seconds
      } else {
        r.fail(`unsupported use limit ${type}`);
      }
    }
    const perms: number[] = [];
    const blobs: Blob[] = [];
    let archive = false;
    const actions = r.count(8);
    for (let a = 0; a < actions; a++) {
      const type = r.u32();
      if (type === 1) {
        perms.push(r.u32());
      } else if (type === 2) {
        const bf = r.u32();
        if ((bf & ~0x7f) !== 0) r.fail(`unsupported MakeBlob flags 0x${bf.toString(16)}`);
        const kmhash = bf & 0x4 ? r.hash() : undefined;
        if (bf & 0x8) r.hash(); // token hash
        let tokenFlags: number | undefined;
        if (bf & 0x10) {
          tokenFlags = r.u32();
          r.u32(); // shares needed
          r.u32(); // shares total
          r.u32(); // time limit
        }
        if (bf & 0x40) blobFile(r);
        blobs.push({ flags: bf, kmhash, tokenFlags });
      } else if (type === 3) {
        const af = r.u32();
        if ((af & ~0x3) !== 0) r.fail(`unsupported MakeArchiveBlob flags 0x${af.toString(16)}`);
        r.u32(); // mechanism
        if (af & 0x1) r.hash(); // archiving key hash
        if (af & 0x2) blobFile(r);
        archive = true;
      } else if (type === 5 || type === 47) {
        const df = r.u32();
        r.u32(); // role
        const mech = r.u32();
        const others = r.u32();
        if (df !== 0 || others !== 0) r.fail('key derivation with parameters or other keys');
        if (mech !== 29)
          v.refusals.push(`key derivation mechanism ${mech} (only public-from-private is allowed)`);
      } else {
        r.fail(`unsupported ACL action ${type}`);
      }
    }
    const certifiers: Uint8Array[] = [];
    if (flags & 0x1) certifiers.push(r.hash());
    if (flags & 0x4) {
      certifiers.push(r.hash());
      r.u32();
    }
    if (flags & 0x8) r.string(); // module serial
    if (flags & 0x40) {
      r.expect(MECH_SHA1_HASH, 'certifier key hash mechanism');
      certifiers.push(r.hash());
      r.u32();
    }
    if (certifiers.length > 0) {
      if (certifiers.every((c) => equalBytes(c, hknso))) v.recoverable = true;
      else v.refusals.push('a permission group needs certification by a key other than the security officer');
      continue;
    }
    if (archive) v.recoverable = true;
    for (const p of perms) {
      if (p & ~KNOWN_PERMS)
        v.refusals.push(`unknown operation permissions 0x${(p & ~KNOWN_PERMS).toString(16)}`);
      if (p & PERM_EXPORT_AS_PLAIN) v.exportable = true;
      for (const [bit, name] of FORBIDDEN)
        if (p & bit) v.refusals.push(`forbidden operation permission ${name}`);
    }
    for (const b of blobs) {
      if ((b.flags & 0x1) === 0 && (b.flags & 0x8) === 0)
        v.refusals.push('a working blob is neither module- nor token-protected');
      else if (b.kmhash === undefined || !equalBytes(b.kmhash, hkm))
        v.refusals.push('a working blob is not under the module key');
      else if (b.flags & 0x20) v.refusals.push('a working blob allows a null module key token');
      else if (b.flags & 0x8 && b.tokenFlags === undefined)
        v.refusals.push('a token-protected working blob lacks token parameters');
      else weakest = Math.min(weakest, b.flags & 0x1 ? 0 : b.tokenFlags! & 0x4 ? 1 : 2);
    }
  }
  if (weakest < PROTECTION.length) v.protection = PROTECTION[weakest]!;
  return v;
}
