/**
 * Sign-offs and quorum. A sign-off is a participant's Ed25519 signature over
 *
 *     "fleet-ceremony signoff v1" 0x00 || ceremony id || 0x00 || step id || 0x00 || head
 *
 * where `head` is the 32-byte transcript hash being signed (docs/transcript.md, "Sign-offs"). Ids
 * are restricted to `[a-z0-9-]`, so the NUL separators make the message unambiguous.
 *
 * {@link verifyQuorum} accepts a set of sign-offs only if at least `threshold` distinct
 * participants of the required role signed the right head with their pinned keys, and refuses
 * everything else with its own code.
 *
 * Portable: no `node:` imports.
 */
import { concatBytes, equalBytes, hexEncode, utf8Encode } from '../codec/index.js';
import { ed25519 } from '../crypto/index.js';
import { UsageError, VerificationError } from '../errors.js';
import type { Participant, Role } from './roles.js';

/** Domain-separation prefix of every sign-off message (the NUL is part of it). */
export const SIGNOFF_CONTEXT = 'fleet-ceremony signoff v1\0';

/** One sign-off as collected or read back from a transcript. */
export interface Signoff {
  /** Id of the participant who signed. */
  participant: string;
  /** Ed25519 signature, 64 bytes. */
  signature: Uint8Array;
  /** The key the signer claims to have used; must be the participant's pinned key when present. */
  publicKey?: Uint8Array;
  /** The head the signer claims to have signed; must equal the required head when present. */
  head?: Uint8Array;
}

/** What a quorum gate requires. */
export interface QuorumRequirement {
  role: Role;
  /** Distinct valid sign-offs needed (M). */
  threshold: number;
  /** Transcript hash that must be signed, 32 bytes. */
  head: Uint8Array;
  ceremonyId: string;
  stepId: string;
}

/** A met quorum: who signed, in sign-off order. */
export interface QuorumResult {
  signers: string[];
}

/**
 * The exact bytes a participant signs for `ceremonyId`, `stepId` and the 32-byte `head`.
 * @throws UsageError `SIGNOFF_BAD_ARGUMENT` for an id with a NUL or a head that is not 32 bytes.
 */
export function signoffMessage(ceremonyId: string, stepId: string, head: Uint8Array): Uint8Array {
  if (ceremonyId.includes('\0') || stepId.includes('\0'))
    throw new UsageError('SIGNOFF_BAD_ARGUMENT', 'ceremony and step ids cannot contain NUL', {
      field: 'stepId',
    });
  if (head.length !== 32)
    throw new UsageError('SIGNOFF_BAD_ARGUMENT', `head: got ${head.length} bytes, want 32`, {
      field: 'head',
    });
  return concatBytes(utf8Encode(SIGNOFF_CONTEXT), utf8Encode(`${ceremonyId}\0${stepId}\0`), head);
}

function fail(code: string, index: number, reason: string): never {
  throw new VerificationError(code, `signoffs[${index}]: ${reason}`, { field: `signoffs[${index}]` });
}

/**
 * Checks that `signoffs` meet `req` under the pinned `participants`.
 *
 * Order of checks, each with its own code (VerificationError, exit 1): every sign-off names a
 * known participant (`SIGNOFF_UNKNOWN_PARTICIPANT`) and, if it carries a key, that participant's
 * pinned key (`SIGNOFF_UNKNOWN_KEY`); the participant holds `req.role` (`SIGNOFF_WRONG_ROLE`); no
 * participant signs twice (`SIGNOFF_DUPLICATE_SIGNER`) and no two signers share a key
 * (`SIGNOFF_DUPLICATE_KEY`); the claimed head is `req.head` (`SIGNOFF_WRONG_HEAD`); the signature
 * is 64 bytes (`SIGNOFF_MALFORMED`) and verifies (`SIGNOFF_BAD_SIGNATURE`); at least
 * `req.threshold` sign-offs (`SIGNOFF_QUORUM_NOT_MET`).
 *
 * @throws UsageError `SIGNOFF_BAD_ARGUMENT` for a threshold that is not a positive integer or a
 *   participant list with a repeated id.
 */
export function verifyQuorum(
  signoffs: readonly Signoff[],
  participants: readonly Participant[],
  req: QuorumRequirement,
): QuorumResult {
  if (!Number.isSafeInteger(req.threshold) || req.threshold < 1)
    throw new UsageError('SIGNOFF_BAD_ARGUMENT', `threshold: got ${req.threshold}, want an integer ≥ 1`, {
      field: 'threshold',
    });
  const byId = new Map<string, Participant>();
  for (const p of participants) {
    if (byId.has(p.id))
      throw new UsageError('SIGNOFF_BAD_ARGUMENT', `participant ${p.id} is listed twice`, {
        field: 'participants',
      });
    byId.set(p.id, p);
  }
  const message = signoffMessage(req.ceremonyId, req.stepId, req.head);
  const seen = new Map<string, number>();
  const keys = new Map<string, string>();
  signoffs.forEach((s, i) => {
    const p = byId.get(s.participant);
    if (p === undefined)
      fail('SIGNOFF_UNKNOWN_PARTICIPANT', i, `${JSON.stringify(s.participant)} is not a participant`);
    if (s.publicKey !== undefined && !equalBytes(s.publicKey, p.publicKey))
      fail(
        'SIGNOFF_UNKNOWN_KEY',
        i,
        `signed with key ${hexEncode(s.publicKey)}, not the pinned key of ${p.id}`,
      );
    if (p.role !== req.role)
      fail('SIGNOFF_WRONG_ROLE', i, `${p.id} has role ${p.role}; this sign-off needs role ${req.role}`);
    const earlier = seen.get(p.id);
    if (earlier !== undefined)
      fail('SIGNOFF_DUPLICATE_SIGNER', i, `${p.id} already signed (signoffs[${earlier}])`);
    seen.set(p.id, i);
    const key = hexEncode(p.publicKey);
    const other = keys.get(key);
    if (other !== undefined)
      fail('SIGNOFF_DUPLICATE_KEY', i, `${p.id} has the same key as ${other}, who already signed`);
    keys.set(key, p.id);
    if (s.head !== undefined && !equalBytes(s.head, req.head))
      fail('SIGNOFF_WRONG_HEAD', i, `signs head ${hexEncode(s.head)}, want ${hexEncode(req.head)}`);
    if (s.signature.length !== 64)
      fail('SIGNOFF_MALFORMED', i, `signature: got ${s.signature.length} bytes, want 64`);
    if (!ed25519.verify(p.publicKey, message, s.signature))
      fail('SIGNOFF_BAD_SIGNATURE', i, `the signature of ${p.id} does not verify over step ${req.stepId}`);
  });
  if (signoffs.length < req.threshold)
    throw new VerificationError(
      'SIGNOFF_QUORUM_NOT_MET',
      `${signoffs.length} valid sign-off${signoffs.length === 1 ? '' : 's'} with role ${req.role} for step ${req.stepId}; ${req.threshold} required`,
      { field: 'signoffs' },
    );
  return { signers: signoffs.map((s) => s.participant) };
}
