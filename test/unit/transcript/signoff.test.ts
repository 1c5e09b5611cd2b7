/**
 * Quorum: M distinct valid sign-offs by participants of the required role over the right head.
 * Each negative case changes one thing in a good set of sign-offs and expects its own code.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, hexDecode, utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import type { Participant, Role } from '../../../ceremony/transcript/roles.js';
import { signoffMessage, verifyQuorum } from '../../../ceremony/transcript/signoff.js';
import type { QuorumRequirement, Signoff } from '../../../ceremony/transcript/signoff.js';

interface Person extends Participant {
  secretKey: Uint8Array;
}

function person(id: string, role: Role): Person {
  const { secretKey, publicKey } = ed25519.generateKeyPair();
  return { id, role, publicKey, secretKey };
}

const officers = [
  person('co-1', 'crypto-officer'),
  person('co-2', 'crypto-officer'),
  person('co-3', 'crypto-officer'),
];
const admin = person('admin', 'administrator');
const participants: Participant[] = [admin, ...officers];
const head = hexDecode('11'.repeat(32));
const req: QuorumRequirement = {
  role: 'crypto-officer',
  threshold: 3,
  head,
  ceremonyId: 'c-1',
  stepId: 'approve',
};

function signed(p: Person, over = head, stepId = 'approve'): Signoff {
  return {
    participant: p.id,
    publicKey: p.publicKey,
    head: over,
    signature: ed25519.sign(p.secretKey, signoffMessage('c-1', stepId, over)),
  };
}

const good = () => officers.map((p) => signed(p));
const refuse = (signoffs: Signoff[], code: string, r: Partial<QuorumRequirement> = {}) =>
  expect(() => verifyQuorum(signoffs, participants, { ...req, ...r })).toThrow(
    expect.objectContaining({ code }),
  );

describe('verifyQuorum', () => {
  it('accepts 3 of 3 distinct, valid sign-offs and returns the signers', () => {
    expect(verifyQuorum(good(), participants, req)).toEqual({ signers: ['co-1', 'co-2', 'co-3'] });
  });

  it('refuses 2 sign-offs when 3 are required', () => {
    refuse(good().slice(0, 2), 'SIGNOFF_QUORUM_NOT_MET');
  });

  it('refuses 1 sign-off when 2 of 3 are required, and accepts 2', () => {
    refuse(good().slice(0, 1), 'SIGNOFF_QUORUM_NOT_MET', { threshold: 2 });
    expect(verifyQuorum(good().slice(0, 2), participants, { ...req, threshold: 2 }).signers).toEqual([
      'co-1',
      'co-2',
    ]);
  });

  it('refuses a repeated signer', () => {
    const s = good();
    refuse([s[0]!, s[1]!, s[0]!], 'SIGNOFF_DUPLICATE_SIGNER');
  });

  it('refuses two participants who share a key', () => {
    const twin: Participant = { id: 'co-4', role: 'crypto-officer', publicKey: officers[0]!.publicKey };
    const s = good();
    const forged = { ...s[0]!, participant: 'co-4' };
    expect(() => verifyQuorum([s[0]!, s[1]!, forged], [...participants, twin], req)).toThrow(
      expect.objectContaining({ code: 'SIGNOFF_DUPLICATE_KEY' }),
    );
  });

  it('refuses a sign-off by an unknown participant', () => {
    const stranger = person('co-9', 'crypto-officer');
    refuse([...good().slice(0, 2), signed(stranger)], 'SIGNOFF_UNKNOWN_PARTICIPANT');
  });

  it('refuses a sign-off made with a key that is not the participant’s pinned key', () => {
    const impostor = { ...person('co-3', 'crypto-officer') };
    refuse([...good().slice(0, 2), signed(impostor)], 'SIGNOFF_UNKNOWN_KEY');
  });

  it('refuses a participant of the wrong role', () => {
    refuse([...good().slice(0, 2), signed(admin)], 'SIGNOFF_WRONG_ROLE');
  });

  it('refuses a bad signature', () => {
    const s = good();
    const sig = Uint8Array.from(s[2]!.signature);
    sig[10]! ^= 0x01;
    refuse([s[0]!, s[1]!, { ...s[2]!, signature: sig }], 'SIGNOFF_BAD_SIGNATURE');
  });

  it('refuses a sign-off over another head', () => {
    const other = hexDecode('22'.repeat(32));
    refuse([...good().slice(0, 2), signed(officers[2]!, other)], 'SIGNOFF_WRONG_HEAD');
    // The same signature without the claimed head: it simply does not verify over this head.
    const { head: _h, ...unclaimed } = signed(officers[2]!, other);
    refuse([...good().slice(0, 2), unclaimed], 'SIGNOFF_BAD_SIGNATURE');
  });

  it('refuses a sign-off for another step', () => {
    refuse([...good().slice(0, 2), signed(officers[2]!, head, 'generate')], 'SIGNOFF_BAD_SIGNATURE');
  });

  it('refuses a signature of the wrong length', () => {
    const s = good();
    refuse([s[0]!, s[1]!, { ...s[2]!, signature: s[2]!.signature.subarray(0, 63) }], 'SIGNOFF_MALFORMED');
  });

  it('refuses a threshold below 1', () => {
    refuse(good(), 'SIGNOFF_BAD_ARGUMENT', { threshold: 0 });
  });
});

describe('signoffMessage', () => {
  it('is the domain string, the ids separated by NUL, and the raw head', () => {
    const expected = concatBytes(utf8Encode('fleet-ceremony signoff v1\0c-1\0approve\0'), head);
    expect(signoffMessage('c-1', 'approve', head)).toEqual(expected);
  });

  it('refuses a head that is not 32 bytes', () => {
    expect(() => signoffMessage('c-1', 'approve', new Uint8Array(31))).toThrow(
      expect.objectContaining({ code: 'SIGNOFF_BAD_ARGUMENT' }),
    );
  });
});
