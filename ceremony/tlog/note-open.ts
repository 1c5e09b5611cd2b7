/**
 * Opening a signed note: c2sp.org/signed-note ("Signatures"). Signatures from unknown keys (name
 * and key ID not both matching a known key) are ignored; a known key's signature must verify or
 * the whole note is rejected; at least one known key must have signed. As Go's `sumdb/note` does,
 * two signatures by the same known key make the note malformed, and repeated identical unknown
 * lines are reported once.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError, VerificationError } from '../errors.js';
import { formatKeyId } from './key-id.js';
import { parseNote } from './note-parse.js';
import type { Verifier } from './verifier.js';

/** A signature that a known key made and that verified. */
export interface VerifiedSignature {
  name: string;
  keyId: number;
  /** Signature type of the verifier that checked it. */
  type: number;
  /** Signature bytes after the key ID. */
  signature: Uint8Array;
  /** For timestamped types (cosignature/v1): the signed timestamp, POSIX seconds. */
  timestamp?: bigint;
}

/** A signature line from a key the caller did not list; not verified, not to be trusted. */
export interface UnverifiedSignature {
  name: string;
  keyId: number;
  base64: string;
}

/** The result of {@link openNote}. */
export interface OpenedNote {
  /** The verified note text, with its final newline. */
  text: string;
  /** Verified signatures, in note order; never empty. */
  signatures: VerifiedSignature[];
  /** Signatures by unknown keys, deduplicated, in note order. */
  unverified: UnverifiedSignature[];
}

/** Key names in messages are cut short: a hostile note may carry a name of nearly 1e6 bytes. */
export function shorten(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 77)}...`;
}

const keyOf = (name: string, keyId: number): string => `${keyId}:${name}`;

/** Indexes verifiers by (name, key ID); two different keys under one pair are ambiguous. */
export function indexVerifiers(verifiers: readonly Verifier[]): Map<string, Verifier> {
  if (!Array.isArray(verifiers)) {
    throw new UsageError('VERIFIER_INVALID', 'verifiers: want an array of Verifier', { field: 'verifiers' });
  }
  const map = new Map<string, Verifier>();
  verifiers.forEach((v, i) => {
    const ok =
      typeof v === 'object' &&
      v !== null &&
      typeof v.name === 'string' &&
      Number.isInteger(v.keyId) &&
      v.keyId >= 0 &&
      v.keyId <= 0xffffffff &&
      v.publicKey instanceof Uint8Array &&
      typeof v.verify === 'function';
    if (!ok)
      throw new UsageError('VERIFIER_INVALID', `verifiers[${i}]: not a Verifier`, {
        field: `verifiers[${i}]`,
      });
    const k = keyOf(v.name, v.keyId);
    const prev = map.get(k);
    if (prev !== undefined && !sameKey(prev, v)) {
      throw new UsageError(
        'VERIFIER_AMBIGUOUS',
        `verifiers[${i}]: two different keys named ${v.name} with key ID ${formatKeyId(v.keyId)}`,
        { field: `verifiers[${i}]` },
      );
    }
    map.set(k, v);
  });
  return map;
}

function sameKey(a: Verifier, b: Verifier): boolean {
  return (
    a.type === b.type &&
    a.publicKey.length === b.publicKey.length &&
    a.publicKey.every((x, i) => x === b.publicKey[i])
  );
}

/**
 * Parses a signed note and verifies its signatures against the known keys.
 *
 * @param note - the signed note, as text or UTF-8 bytes.
 * @param verifiers - the trusted keys; (name, key ID) pairs must be unambiguous.
 * @returns the text, the verified signatures and the ignored unknown ones.
 * @throws MalformedError from {@link parseNote}; `NOTE_DUPLICATE_SIGNATURE` when a known key signs twice.
 * @throws VerificationError `NOTE_SIGNATURE_INVALID` when a known key's signature fails,
 *   `NOTE_NO_VERIFIED_SIGNATURE` when no known key signed.
 * @throws UsageError `VERIFIER_INVALID`, `VERIFIER_AMBIGUOUS`.
 * @example openNote(noteText, [parseVerifierKey(vkey)]).text
 */
export function openNote(note: string | Uint8Array, verifiers: readonly Verifier[]): OpenedNote {
  const known = indexVerifiers(verifiers);
  const parsed = parseNote(note);
  const signatures: VerifiedSignature[] = [];
  const unverified: UnverifiedSignature[] = [];
  const seenKnown = new Set<string>();
  const seenUnknown = new Set<string>();
  parsed.signatures.forEach((line, i) => {
    const field = `note.signatures[${i}]`;
    const k = keyOf(line.name, line.keyId);
    const v = known.get(k);
    if (v === undefined) {
      const lineKey = `${line.name} ${line.base64}`;
      if (!seenUnknown.has(lineKey)) {
        seenUnknown.add(lineKey);
        unverified.push({ name: line.name, keyId: line.keyId, base64: line.base64 });
      }
      return;
    }
    const who = `${shorten(line.name)}+${formatKeyId(line.keyId)}`;
    if (seenKnown.has(k)) {
      throw new MalformedError('NOTE_DUPLICATE_SIGNATURE', `${field}: second signature by known key ${who}`, {
        field,
      });
    }
    seenKnown.add(k);
    if (!v.verify(parsed.textBytes, line.signature)) {
      throw new VerificationError(
        'NOTE_SIGNATURE_INVALID',
        `${field}: signature by known key ${who} does not verify`,
        {
          field,
        },
      );
    }
    const sig: VerifiedSignature = {
      name: line.name,
      keyId: line.keyId,
      type: v.type,
      signature: line.signature,
    };
    const ts = v.timestamp?.(line.signature);
    if (ts !== undefined) sig.timestamp = ts;
    signatures.push(sig);
  });
  if (signatures.length === 0) {
    const names = [...known.values()].map((v) => `${shorten(v.name)}+${formatKeyId(v.keyId)}`).slice(0, 8);
    throw new VerificationError(
      'NOTE_NO_VERIFIED_SIGNATURE',
      `note: got ${parsed.signatures.length} signature(s), none by a known key (want one of ${names.join(', ') || 'none given'})`,
      { field: 'note.signatures' },
    );
  }
  return { text: parsed.text, signatures, unverified };
}
