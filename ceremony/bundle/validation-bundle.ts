/**
 * The validation bundle on the wire (DESIGN §4; bytes in docs/formats.md, "Validation bundle"):
 * deterministic CBOR carrying the fleet key set bytes, the witness statement, its signature and key
 * id, the operator counter-signature and key id, and the log inclusion proof in binary form.
 * Decoding is strict all the way down: the fleet key set, the statement and the checkpoint note
 * are decoded too, and each kind of failure has its own code.
 *
 * Portable: no `node:` imports.
 */
import { decodeCbor, encodeCbor } from '../codec/index.js';
import type { CborMap } from '../codec/index.js';
import { isCeremonyError, MalformedError } from '../errors.js';
import { decodeSignatureMessage, MAX_STATEMENT_BYTES } from '../statement/index.js';
import type { SignatureMessage } from '../statement/index.js';
import { parseCheckpoint, parseNote } from '../tlog/index.js';
import type { Checkpoint } from '../tlog/index.js';
import { asBytes, asMap, asText, asUint, asUint64, asUsage, checkKeys, malformed } from './fields.js';
import { decodeFleetKeySet } from './fleet-key-set-decode.js';
import {
  BUNDLE_KEYS,
  MAX_BUNDLE_CHECKPOINT_BYTES,
  MAX_BUNDLE_PROOF_HASHES,
  MAX_VALIDATION_BUNDLE_BYTES,
  PROOF_KEYS,
  VALIDATION_BUNDLE_VERSION,
} from './validation-bundle-schema.js';
import type { BundleErrorCode, ValidationBundle, ValidationBundleInput } from './validation-bundle-schema.js';
import type { FleetKeySet } from './types.js';

const ROOT = 'bundle';
const MAX_INDEX = (1n << 63n) - 1n;
const ANY_TEXT = /^[^]*$/;

/** A bundle with its parts decoded; nothing is verified yet. */
export interface ParsedBundle {
  bundle: ValidationBundle;
  fleetKeySet: FleetKeySet;
  statement: SignatureMessage;
  /** The checkpoint's text fields (its signatures are not checked here); absent when not parsed. */
  checkpoint?: Checkpoint;
}

/**
 * Runs `f`; a typed error from it becomes a MalformedError `code` whose field is the inner field
 * moved under `path` (`fleetKeySet.keys[0]` → `bundle.fleetKeySet.keys[0]`), the original as cause.
 */
function within<T>(code: BundleErrorCode, path: string, inner: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    const f0 = e.field ?? '';
    const field =
      f0 === inner || f0.startsWith(`${inner}.`)
        ? path + f0.slice(inner.length)
        : f0.startsWith(`${path}`)
          ? f0
          : path;
    const reason = f0 !== '' && e.message.startsWith(`${f0}: `) ? e.message.slice(f0.length + 2) : e.message;
    throw new MalformedError(code, `${field}: ${reason} (${e.code})`, { field, cause: e });
  }
}

function readOuter(bytes: Uint8Array): ValidationBundle {
  const m: CborMap = asMap(
    decodeCbor(bytes, { maxBytes: MAX_VALIDATION_BUNDLE_BYTES, maxDepth: 2, field: ROOT }),
    ROOT,
  );
  const v = m.get(BUNDLE_KEYS.version);
  if (v !== undefined) {
    const version = asUint(v, `${ROOT}.version`);
    if (version !== VALIDATION_BUNDLE_VERSION) {
      throw new MalformedError(
        'BUNDLE_VERSION_UNSUPPORTED',
        `${ROOT}.version: got ${version}, want ${VALIDATION_BUNDLE_VERSION}`,
        {
          field: `${ROOT}.version`,
        },
      );
    }
  }
  checkKeys(m, ROOT, BUNDLE_KEYS);
  const p = asMap(m.get(BUNDLE_KEYS.proof)!, `${ROOT}.proof`);
  checkKeys(p, `${ROOT}.proof`, PROOF_KEYS);
  const index = asUint64(p.get(PROOF_KEYS.index)!, `${ROOT}.proof.index`);
  if (index > MAX_INDEX) malformed('FIELD_RANGE', `${ROOT}.proof.index`, `got ${index}, want 0 … 2^63-1`);
  const all = asBytes(p.get(PROOF_KEYS.hashes)!, `${ROOT}.proof.hashes`, 0, 32 * MAX_BUNDLE_PROOF_HASHES);
  if (all.length % 32 !== 0)
    malformed('FIELD_LENGTH', `${ROOT}.proof.hashes`, `got ${all.length} bytes, want a multiple of 32`);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += 32) hashes.push(all.subarray(i, i + 32));
  const checkpoint = asText(p.get(PROOF_KEYS.checkpoint)!, `${ROOT}.proof.checkpoint`, ANY_TEXT);
  if (checkpoint.length > MAX_BUNDLE_CHECKPOINT_BYTES) {
    malformed(
      'FIELD_LENGTH',
      `${ROOT}.proof.checkpoint`,
      `got ${checkpoint.length} characters, want at most ${MAX_BUNDLE_CHECKPOINT_BYTES}`,
    );
  }
  return {
    version: VALIDATION_BUNDLE_VERSION,
    fleetKeySet: asBytes(m.get(BUNDLE_KEYS.fleetKeySet)!, `${ROOT}.fleetKeySet`, 1, 1 << 20),
    statement: asBytes(m.get(BUNDLE_KEYS.statement)!, `${ROOT}.statement`, 1, MAX_STATEMENT_BYTES),
    witnessSignature: asBytes(m.get(BUNDLE_KEYS.witnessSignature)!, `${ROOT}.witnessSignature`, 64),
    witnessKeyId: asUint(m.get(BUNDLE_KEYS.witnessKeyId)!, `${ROOT}.witnessKeyId`, 0, 255),
    countersignature: asBytes(m.get(BUNDLE_KEYS.countersignature)!, `${ROOT}.countersignature`, 64),
    operatorKeyId: asUint(m.get(BUNDLE_KEYS.operatorKeyId)!, `${ROOT}.operatorKeyId`, 0, 0xffff_ffff),
    proof: { index, hashes, checkpoint },
  };
}

/**
 * Turns an error from parsing the checkpoint note into `BUNDLE_CHECKPOINT_MALFORMED` (its field
 * moved under `bundle.proof.checkpoint`); other errors are returned unchanged.
 */
export function checkpointMalformed(e: unknown): unknown {
  try {
    return within('BUNDLE_CHECKPOINT_MALFORMED', `${ROOT}.proof.checkpoint`, 'checkpoint', () => {
      throw e;
    });
  } catch (wrapped) {
    return wrapped;
  }
}

/**
 * Decodes a validation bundle and every part it carries (internal: `verifyValidationBundle` and
 * `decodeValidationBundle` share it). `verifyValidationBundle` passes `checkpoint: false`: it
 * parses the note once, when it opens it.
 *
 * @throws MalformedError as {@link decodeValidationBundle}.
 */
export function parseValidationBundle(
  bytes: Uint8Array,
  options: { checkpoint?: boolean } = {},
): ParsedBundle {
  let bundle: ValidationBundle;
  try {
    bundle = readOuter(bytes);
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'BUNDLE_VERSION_UNSUPPORTED') throw e;
    return within('BUNDLE_MALFORMED', ROOT, ROOT, () => {
      throw e;
    });
  }
  const fleetKeySet = within('BUNDLE_FLEET_KEY_SET_MALFORMED', `${ROOT}.fleetKeySet`, 'fleetKeySet', () =>
    decodeFleetKeySet(bundle.fleetKeySet),
  );
  const statement = within('BUNDLE_STATEMENT_MALFORMED', `${ROOT}.statement`, 'statement', () =>
    decodeSignatureMessage(bundle.statement),
  );
  if (options.checkpoint === false) return { bundle, fleetKeySet, statement };
  const checkpoint = within('BUNDLE_CHECKPOINT_MALFORMED', `${ROOT}.proof.checkpoint`, 'checkpoint', () =>
    parseCheckpoint(parseNote(bundle.proof.checkpoint).text),
  );
  return { bundle, fleetKeySet, statement, checkpoint };
}

/**
 * Decodes a validation bundle strictly. Nothing is verified: call `verifyValidationBundle`.
 *
 * @param bytes - the encoded bundle (at most `MAX_VALIDATION_BUNDLE_BYTES`).
 * @returns its parts, as carried.
 * @throws MalformedError `BUNDLE_MALFORMED` (CBOR, missing, unknown or ill-typed fields, lengths),
 *   `BUNDLE_VERSION_UNSUPPORTED`, `BUNDLE_FLEET_KEY_SET_MALFORMED`, `BUNDLE_STATEMENT_MALFORMED`,
 *   `BUNDLE_CHECKPOINT_MALFORMED`; `field` is the dotted path, `cause` the underlying error and
 *   its code (e.g. `FLEET_KEY_SET_PUBLIC_KEY_INVALID`).
 */
export function decodeValidationBundle(bytes: Uint8Array): ValidationBundle {
  return parseValidationBundle(bytes).bundle;
}

/**
 * Encodes a validation bundle as deterministic CBOR, after checking it with every rule of
 * {@link decodeValidationBundle}.
 *
 * @throws UsageError with the codes of {@link decodeValidationBundle}; `CBOR_*` encoder codes.
 */
export function encodeValidationBundle(b: ValidationBundleInput): Uint8Array {
  const proof = b.proof;
  const hashes = Array.isArray(proof?.hashes) ? proof.hashes : [];
  const all = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => {
    if (!(h instanceof Uint8Array) || h.length !== 32) {
      asUsage(() => malformed('FIELD_LENGTH', `${ROOT}.proof.hashes[${i}]`, 'want 32 bytes'));
    }
    all.set(h, i * 32);
  });
  const bytes = encodeCbor(
    new Map<number, unknown>([
      [BUNDLE_KEYS.version, VALIDATION_BUNDLE_VERSION],
      [BUNDLE_KEYS.fleetKeySet, b.fleetKeySet],
      [BUNDLE_KEYS.statement, b.statement],
      [BUNDLE_KEYS.witnessSignature, b.witnessSignature],
      [BUNDLE_KEYS.witnessKeyId, b.witnessKeyId],
      [BUNDLE_KEYS.countersignature, b.countersignature],
      [BUNDLE_KEYS.operatorKeyId, b.operatorKeyId],
      [
        BUNDLE_KEYS.proof,
        new Map<number, unknown>([
          [PROOF_KEYS.index, typeof proof?.index === 'number' ? proof.index : BigInt(proof?.index ?? -1)],
          [PROOF_KEYS.hashes, all],
          [PROOF_KEYS.checkpoint, proof?.checkpoint],
        ]),
      ],
    ]) as Parameters<typeof encodeCbor>[0],
  );
  asUsage(() => parseValidationBundle(bytes));
  return bytes;
}
