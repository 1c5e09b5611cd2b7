/**
 * Small helpers of the bundle suites: the error code a call throws, fuzz run counts (CI-sized by
 * default, larger with FLEET_LONG_TESTS=1), and editing one field of an encoded CBOR item.
 */
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import type { CborInput, CborKey } from '../../../ceremony/codec/index.js';
import { isCeremonyError } from '../../../ceremony/errors.js';
import type { CeremonyError } from '../../../ceremony/errors.js';

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

/** The code of the typed error `f` throws. */
export const codeOf = (f: () => unknown): string => errorOf(f).code;

/** The code of the cause of the typed error `f` throws (the underlying reason). */
export const causeCodeOf = (f: () => unknown): string | undefined => {
  const c = errorOf(f).cause;
  return isCeremonyError(c) ? c.code : undefined;
};

/** Fast-check run count: `n` by default, `n × factor` with FLEET_LONG_TESTS=1. */
export const runs = (n: number, factor = 40): number =>
  process.env['FLEET_LONG_TESTS'] === '1' ? n * factor : n;

/** A decoded CBOR map being edited (values of any encodable type may be set). */
export type EditMap = Map<CborKey, unknown>;

/** Decodes `bytes`, lets `edit` change the value tree, re-encodes deterministically. */
export function editCbor(bytes: Uint8Array, edit: (root: EditMap) => void): Uint8Array {
  const root = decodeCbor(bytes) as EditMap;
  edit(root);
  return encodeCbor(root as CborInput);
}

/** The map at a path of integer keys and array indexes, e.g. `[6, 0]` = keys[0]. */
export function at(root: EditMap, ...path: number[]): EditMap {
  let v: unknown = root;
  for (const k of path) v = Array.isArray(v) ? (v[k] as unknown) : (v as EditMap).get(k);
  return v as EditMap;
}
