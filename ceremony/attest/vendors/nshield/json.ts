/**
 * A strict reader for the nShield attestation bundle's JSON: one object whose values are all
 * strings of printable ASCII without escapes (base64url fields, names), keys unique, whitespace
 * only space and newline. Each bundle thus has few spellings, none of them one bit apart.
 *
 * Written here because `JSON.parse` silently keeps the last of two equal keys.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

/** Bound on a bundle's size; real bundles are 6–7 KiB. */
export const MAX_BUNDLE_BYTES = 64 * 1024;

const ascii = new TextDecoder('utf-8', { fatal: true });

function fail(reason: string, offset: number): never {
  throw new MalformedError(
    'NSHIELD_BUNDLE_MALFORMED',
    `attestation bundle JSON: ${reason} at byte ${offset}`,
    {
      field: 'statement',
    },
  );
}

/**
 * Parses `{"key": "value", ...}` into a map in key order.
 *
 * @throws MalformedError `NSHIELD_BUNDLE_MALFORMED` for anything else (other value types, escapes,
 *   non-ASCII, repeated keys, trailing data).
 * @example readFlatJson(new TextEncoder().encode('{"root": "KWARN-1"}')).get('root') === 'KWARN-1'
 */
export function readFlatJson(bytes: Uint8Array): Map<string, string> {
  if (bytes.length > MAX_BUNDLE_BYTES) fail(`larger than ${MAX_BUNDLE_BYTES} bytes`, 0);
  let i = 0;
  const ws = (): void => {
    while (bytes[i] === 0x20 || bytes[i] === 0x0a) i++;
  };
  const expect = (c: string): void => {
    if (bytes[i] !== c.charCodeAt(0)) fail(`expected '${c}'`, i);
    i++;
  };
  const string = (): string => {
    expect('"');
    const start = i;
    while (i < bytes.length && bytes[i] !== 0x22) {
      const c = bytes[i]!;
      if (c < 0x20 || c > 0x7e || c === 0x5c) fail('only printable ASCII without escapes is accepted', i);
      i++;
    }
    const text = ascii.decode(bytes.subarray(start, i));
    expect('"');
    return text;
  };
  const out = new Map<string, string>();
  ws();
  expect('{');
  ws();
  if (bytes[i] === 0x7d) {
    i++;
  } else {
    for (;;) {
      ws();
      const key = string();
      if (out.has(key)) fail(`key "${key}" repeated`, i);
      ws();
      expect(':');
      ws();
      out.set(key, string());
      ws();
      if (bytes[i] === 0x2c) {
        i++;
        continue;
      }
      expect('}');
      break;
    }
  }
  ws();
  if (i !== bytes.length) fail('trailing data', i);
  return out;
}
