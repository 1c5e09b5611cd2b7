/**
 * Small helpers of the session suites: the typed error a call throws (sync or async), and editing
 * one field of an encoded CBOR message.
 */
import { decodeCbor, encodeCbor } from '../../../../ceremony/codec/index.js';
import type { CborInput, CborMap } from '../../../../ceremony/codec/index.js';
import { isCeremonyError } from '../../../../ceremony/errors.js';
import type { CeremonyError } from '../../../../ceremony/errors.js';

/** The typed error `f` throws; fails the test if it returns or throws something untyped. */
export function errorOf(f: () => unknown): CeremonyError {
  try {
    f();
  } catch (e) {
    if (isCeremonyError(e)) return e;
    throw new Error(`untyped error: ${String(e)}`, { cause: e });
  }
  throw new Error('expected an error, got a result');
}

/** The typed error the promise of `f` rejects with. */
export async function rejectionOf(f: () => Promise<unknown>): Promise<CeremonyError> {
  try {
    await f();
  } catch (e) {
    if (isCeremonyError(e)) return e;
    throw new Error(`untyped error: ${String(e)}`, { cause: e });
  }
  throw new Error('expected a rejection, got a result');
}

/** Decodes `bytes`, lets `edit` change the map, re-encodes deterministically. */
export function editCbor(bytes: Uint8Array, edit: (root: CborMap) => void): Uint8Array {
  const root = decodeCbor(bytes) as CborMap;
  edit(root);
  return encodeCbor(root as CborInput);
}

/** A copy of `bytes` with bit `bit` of byte `index` flipped. */
export function flip(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ (1 << bit);
  return out;
}
