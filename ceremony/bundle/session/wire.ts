/**
 * Strict reading of one session-protocol message (docs/session-protocol.md, "Encoding"): bounded
 * deterministic CBOR (docs/codec.md §1, at most depth 1), a map with exactly the known integer
 * keys, the version checked first, and typed field readers whose errors name each field by its
 * protocol name (`response.share`, not `response.3`).
 *
 * Portable: no `node:` imports.
 */
import { decodeCbor, expectBytes, expectText, expectUint, expectUint64 } from '../../codec/index.js';
import type { CborMap, CborValue, LengthBounds } from '../../codec/index.js';
import { MalformedError } from '../../errors.js';
import { SESSION_PROTOCOL_VERSION } from './protocol.js';
import type { SessionErrorCode } from './protocol.js';
import { decoding, malformed } from './session-errors.js';

/** The fields of a decoded message, read by protocol name. */
export class MessageFields<N extends string> {
  constructor(
    private readonly map: CborMap,
    private readonly path: string,
    private readonly keys: Readonly<Record<N, number>>,
  ) {}

  private value(name: N): CborValue {
    return this.map.get(this.keys[name]) as CborValue;
  }

  /** Whether the optional field `name` is present. */
  has(name: N): boolean {
    return this.map.has(this.keys[name]);
  }

  /** A byte-string field. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`. */
  bytes(name: N, bounds: LengthBounds): Uint8Array {
    return expectBytes(this.value(name), `${this.path}.${name}`, bounds);
  }

  /** A text field matching `pattern`. @throws MalformedError `FIELD_TYPE`, `FIELD_LENGTH`, `FIELD_PATTERN`. */
  text(name: N, pattern: RegExp): string {
    return expectText(this.value(name), `${this.path}.${name}`, { pattern });
  }

  /** A text field, or `null`. */
  textOrNull(name: N, pattern: RegExp): string | null {
    return this.value(name) === null ? null : this.text(name, pattern);
  }

  /** An unsigned integer field within bounds. @throws MalformedError `FIELD_TYPE`, `FIELD_RANGE`. */
  uint(name: N, min: number, max: number): number {
    return expectUint(this.value(name), `${this.path}.${name}`, { min, max });
  }

  /** An unsigned integer field up to 2^64 − 1, at least `min`. @throws MalformedError `FIELD_TYPE`, `FIELD_RANGE`. */
  uint64(name: N, min: bigint): bigint {
    return expectUint64(this.value(name), `${this.path}.${name}`, { min });
  }
}

/** How to read one kind of message. */
export interface MessageSpec<N extends string> {
  /** Dotted root of the field names in errors, e.g. `response`. */
  path: string;
  /** The code every malformation is reported under. */
  code: SessionErrorCode;
  maxBytes: number;
  keys: Readonly<Record<N, number>>;
  /** Fields that may be absent; every other field is required. */
  optional?: readonly NoInfer<N>[];
  /** Whether key 0 is the protocol version (checked before anything else is read). */
  versioned: boolean;
}

function checkVersion(map: CborMap, path: string): void {
  const v = map.get(0);
  if (typeof v === 'number' && v !== SESSION_PROTOCOL_VERSION) {
    throw new MalformedError<SessionErrorCode>(
      'SESSION_VERSION_UNSUPPORTED',
      `${path}.version: got ${v}, this implementation speaks version ${SESSION_PROTOCOL_VERSION}`,
      { field: `${path}.version` },
    );
  }
}

/**
 * Decodes `bytes` as the message `spec` describes; the caller reads the fields inside
 * {@link decoding} so every reader error is reported under `spec.code`.
 *
 * @throws MalformedError `spec.code` (with the codec's reason and code in the message), or
 *   `SESSION_VERSION_UNSUPPORTED` for a well-formed map whose version is not 1.
 */
export function decodeMessage<N extends string>(bytes: Uint8Array, spec: MessageSpec<N>): MessageFields<N> {
  const { path, code, keys } = spec;
  return decoding(code, path, () => {
    if (!(bytes instanceof Uint8Array)) malformed(code, path, 'want a Uint8Array');
    const root = decodeCbor(bytes, { maxBytes: spec.maxBytes, maxDepth: 1, field: path });
    if (!(root instanceof Map)) malformed(code, path, 'want a CBOR map');
    if (spec.versioned) checkVersion(root, path);
    const names = Object.keys(keys) as N[];
    const byKey = new Map(names.map((n) => [keys[n], n]));
    const unknown = [...root.keys()].filter((k) => typeof k !== 'number' || !byKey.has(k));
    if (unknown.length > 0) malformed(code, `${path}.${String(unknown[0])}`, 'unknown field');
    const missing = names.filter((n) => !root.has(keys[n]) && !(spec.optional ?? []).includes(n));
    if (missing.length > 0)
      malformed(
        code,
        `${path}.${missing[0]!}`,
        `missing required field (all missing: ${missing.join(', ')})`,
      );
    return new MessageFields(root, path, keys);
  });
}
