/**
 * The LiquidSecurity key attestation blob (Cavium/Marvell "attestation v1"), as Google Cloud HSM
 * serves it gzip-compressed and Azure Managed HSM inside its attestation JSON.
 *
 * Layout, all integers big-endian (docs/attestation-vendors.md):
 *
 * ```
 * response header  u32 responseCode (0), u32 flags (3 = attributes + signature),
 *                  u32 totalSize (whole blob), u32 bufferSize (info header .. last object)
 * object handles   u64 per object (1 or 2)
 * info header      u16 objectVersion (1), u16 flags, u16 offset of object 1 (8), u16 offset of object 2 (0 if none)
 * object           u32 handle, u32 attribute count, u32 size of the attributes, then (u32 tag, u32 length, value)*
 * signature        256 bytes: RSA PKCS#1 v1.5 SHA-256 by the partition key over every byte before it
 * ```
 *
 * Every length and offset must agree with every other and leave no byte unaccounted for.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';
import type { Attributes } from './attributes.js';

/** Size of the partition key's RSA-2048 signature at the end of the blob. */
export const SIGNATURE_SIZE = 256;
/** Request flags: KEY_GEN_FLAG_GET_ATTR | KEY_GEN_FLAG_GET_ATTEST (header included in the signature). */
export const FLAGS_ATTRIBUTES_AND_SIGNATURE = 3;
const MAX_ATTRIBUTES = 256;

/** One attested object (a public or private key). */
export interface MarvellObject {
  handle: number;
  attributes: Attributes;
}

/** A parsed blob; `signedData` and `signature` are views into the inflated bytes. */
export interface MarvellBlob {
  objects: MarvellObject[];
  signedData: Uint8Array;
  signature: Uint8Array;
}

function fail(reason: string, field = 'statement'): never {
  throw new MalformedError('MARVELL_BLOB_INVALID', `attestation blob: ${reason}`, { field });
}

function readObject(
  view: DataView,
  start: number,
  end: number,
  handle: bigint,
  index: number,
): MarvellObject {
  const field = `objects[${index}]`;
  if (start + 12 > end) fail('object header truncated', field);
  const own = view.getUint32(start);
  if (BigInt(own) !== handle) fail(`handle ${own} differs from the header's ${handle}`, field);
  const count = view.getUint32(start + 4);
  const size = view.getUint32(start + 8);
  if (count > MAX_ATTRIBUTES) fail(`${count} attributes (at most ${MAX_ATTRIBUTES})`, field);
  if (start + 12 + size !== end) fail(`attribute size ${size} does not reach the next object`, field);
  const attributes = new Map<number, Uint8Array>();
  let p = start + 12;
  for (let i = 0; i < count; i++) {
    if (p + 8 > end) fail(`attribute ${i} truncated`, field);
    const tag = view.getUint32(p);
    const length = view.getUint32(p + 4);
    if (length > end - p - 8) fail(`attribute ${i} overruns the object`, field);
    if (attributes.has(tag)) fail(`attribute 0x${tag.toString(16)} repeated`, field);
    attributes.set(tag, new Uint8Array(view.buffer, view.byteOffset + p + 8, length));
    p += 8 + length;
  }
  if (p !== end) fail(`${end - p} bytes after the last attribute`, field);
  return { handle: own, attributes };
}

/**
 * Parses an inflated attestation blob.
 *
 * @throws MalformedError `MARVELL_BLOB_INVALID` naming the first inconsistency.
 */
export function parseMarvellBlob(data: Uint8Array): MarvellBlob {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 16 + 8 + 8 + SIGNATURE_SIZE) fail(`${data.length} bytes is too short`);
  const responseCode = view.getUint32(0);
  const flags = view.getUint32(4);
  const totalSize = view.getUint32(8);
  const bufferSize = view.getUint32(12);
  if (responseCode !== 0) fail(`response code ${responseCode} (the HSM reported an error)`);
  if (flags !== FLAGS_ATTRIBUTES_AND_SIGNATURE)
    fail(`request flags ${flags}, want 3 (attributes, signed header)`);
  if (totalSize !== data.length) fail(`totalSize ${totalSize} but ${data.length} bytes`);
  const info = totalSize - SIGNATURE_SIZE - bufferSize;
  if (bufferSize > totalSize || info < 24 || (info - 16) % 8 !== 0)
    fail(`bufferSize ${bufferSize} is inconsistent`);
  const handles: bigint[] = [];
  for (let p = 16; p < info; p += 8) handles.push(view.getBigUint64(p));
  if (handles.length > 2) fail(`${handles.length} object handles (at most 2)`);
  const objectVersion = view.getUint16(info);
  const infoFlags = view.getUint16(info + 2);
  const first = view.getUint16(info + 4);
  const second = view.getUint16(info + 6);
  if (objectVersion !== 1) fail(`object version ${objectVersion}, want 1`);
  if (infoFlags !== flags) fail(`info flags ${infoFlags} differ from the request flags ${flags}`);
  if (first !== 8) fail(`first object offset ${first}, want 8`);
  const end = info + bufferSize;
  const objects: MarvellObject[] = [];
  if (handles.length === 1) {
    if (second !== 0) fail(`second object offset ${second} but one handle`);
    objects.push(readObject(view, info + first, end, handles[0]!, 0));
  } else {
    if (second <= first || info + second > end) fail(`second object offset ${second} is out of range`);
    objects.push(readObject(view, info + first, info + second, handles[0]!, 0));
    objects.push(readObject(view, info + second, end, handles[1]!, 1));
  }
  return {
    objects,
    signedData: data.subarray(0, end),
    signature: data.subarray(end, end + SIGNATURE_SIZE),
  };
}
