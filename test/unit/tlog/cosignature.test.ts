/**
 * cosignature/v1 (c2sp.org/tlog-cosignature): the signed message byte for byte, the
 * timestamped signature layout, verifiers in openNote, and the k-of-n policy helper.
 */
import { describe, expect, it } from 'vitest';
import {
  COSIGNATURE_V1_SIZE,
  cosignatureMessage,
  cosignatureSigner,
  cosignatureTimestamp,
  cosignatureVerifier,
  ed25519Signer,
  ed25519Verifier,
  openNote,
  parseNote,
  requireCosignatures,
  signNote,
} from '../../../ceremony/tlog/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import { malformed, misuse, seededKey, unverified } from './helpers.js';

const TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const log = seededKey(5);
const w = [seededKey(6), seededKey(7), seededKey(8)];
const names = ['w1.example', 'w2.example', 'w3.example'];
const logSigner = ed25519Signer('example.com/behind-the-sofa', log.secretKey);
const logVerifier = ed25519Verifier('example.com/behind-the-sofa', log.publicKey);
const signers = w.map((k, i) =>
  cosignatureSigner(names[i]!, k.secretKey, { now: () => 1679315147n + BigInt(i) }),
);
const verifiers = w.map((k, i) => cosignatureVerifier(names[i]!, k.publicKey));

describe('cosignature/v1 message and signature', () => {
  it('signs exactly the message of the spec example', () => {
    const want = `cosignature/v1\ntime 1679315147\n${TEXT}`;
    expect(new TextDecoder().decode(cosignatureMessage(TEXT, 1679315147))).toBe(want);
    const sig = signers[0]!.sign(new TextEncoder().encode(TEXT));
    expect(sig.length).toBe(COSIGNATURE_V1_SIZE);
    expect(Buffer.from(sig.subarray(0, 8)).toString('hex')).toBe('000000006418 50cb'.replace(' ', ''));
    expect(ed25519.verify(w[0]!.publicKey, new TextEncoder().encode(want), sig.subarray(8))).toBe(true);
  });

  it('reads the timestamp of the cosignature in the spec example', () => {
    // c2sp.org/tlog-cosignature, "Format": the witness.example.com/w1 line (key ID 0x8d66cf3f).
    const b64 =
      'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
    const raw = Buffer.from(b64, 'base64');
    expect(raw.readUInt32BE(0)).toBe(0x8d66cf3f);
    expect(cosignatureTimestamp(raw.subarray(4))).toBe(1679315147n);
  });

  it('uses key IDs with type byte 0x04', () => {
    expect(verifiers[0]!.keyId).not.toBe(ed25519Verifier(names[0]!, w[0]!.publicKey).keyId);
    expect(signers[0]!.keyId).toBe(verifiers[0]!.keyId);
  });

  it('verifies in openNote and reports the timestamps', () => {
    const note = signNote(TEXT, [logSigner, ...signers]);
    const opened = openNote(note, [logVerifier, ...verifiers]);
    expect(opened.signatures.map((s) => s.timestamp)).toEqual([
      undefined,
      1679315147n,
      1679315148n,
      1679315149n,
    ]);
  });

  it('does not verify as a plain Ed25519 signature, nor a plain one as a cosignature', () => {
    const plain = ed25519Verifier(names[0]!, w[0]!.publicKey);
    const sig = signers[0]!.sign(new TextEncoder().encode(TEXT));
    expect(plain.verify(new TextEncoder().encode(TEXT), sig)).toBe(false);
    const plainSig = ed25519Signer(names[0]!, w[0]!.secretKey).sign(new TextEncoder().encode(TEXT));
    expect(verifiers[0]!.verify(new TextEncoder().encode(TEXT), plainSig)).toBe(false);
  });

  it('rejects a changed timestamp, text or signature byte', () => {
    const msg = new TextEncoder().encode(TEXT);
    const sig = signers[0]!.sign(msg);
    expect(verifiers[0]!.verify(msg, sig)).toBe(true);
    for (let i = 0; i < sig.length; i++) {
      const bad = sig.slice();
      bad[i] = bad[i]! ^ 1;
      expect(verifiers[0]!.verify(msg, bad), `byte ${i}`).toBe(false);
    }
    expect(verifiers[0]!.verify(new TextEncoder().encode(TEXT.replace('63', '64')), sig)).toBe(false);
    expect(verifiers[0]!.verify(msg, sig.subarray(1))).toBe(false);
  });

  it('rejects a timestamp of 2^63 or more even if correctly signed', () => {
    const msg = new TextEncoder().encode(TEXT);
    const big = 1n << 63n;
    const signed = new TextEncoder().encode(`cosignature/v1\ntime ${big}\n${TEXT}`);
    const sig = new Uint8Array(72);
    new DataView(sig.buffer).setBigUint64(0, big);
    sig.set(ed25519.sign(w[0]!.secretKey, signed), 8);
    expect(verifiers[0]!.verify(msg, sig)).toBe(false);
    misuse(() => cosignatureMessage(TEXT, big), 'COSIGNATURE_TIMESTAMP_INVALID');
  });

  it('refuses to cosign a note that is not a checkpoint, and rejects such cosignatures', () => {
    malformed(() => signNote('hello\n', signers[0]!), 'CHECKPOINT_MALFORMED');
    const notCp = new TextEncoder().encode('hello\n');
    const sig = new Uint8Array(72);
    sig.set(ed25519.sign(w[0]!.secretKey, new TextEncoder().encode('cosignature/v1\ntime 0\nhello\n')), 8);
    expect(verifiers[0]!.verify(notCp, sig)).toBe(false);
  });

  it('refuses a clock outside 0..2^63-1', () => {
    const bad = cosignatureSigner(names[0]!, w[0]!.secretKey, { now: () => -1 });
    misuse(() => signNote(TEXT, bad), 'COSIGNATURE_TIMESTAMP_INVALID');
  });

  it('uses the system clock by default', () => {
    const s = cosignatureSigner(names[0]!, w[0]!.secretKey);
    const t = cosignatureTimestamp(s.sign(new TextEncoder().encode(TEXT)));
    expect(Number(t)).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(Number(t)).toBeLessThanOrEqual(Date.now() / 1000);
  });
});

describe('requireCosignatures', () => {
  const two = openNote(signNote(TEXT, [logSigner, signers[0]!, signers[2]!]), [logVerifier, ...verifiers]);

  it('accepts k ≤ present and returns who signed', () => {
    expect(requireCosignatures(two, names, 2)).toEqual(['w1.example', 'w3.example']);
    expect(requireCosignatures(two, names, 0)).toEqual(['w1.example', 'w3.example']);
  });

  it('rejects k > present', () => {
    const e = unverified(() => requireCosignatures(two, names, 3), 'COSIGNATURE_QUORUM_NOT_MET');
    expect(e.message).toContain('w2.example');
  });

  it('counts only verified signatures, not unknown lines with a cosigner name', () => {
    const note = signNote(TEXT, [logSigner, ...signers]);
    const opened = openNote(note, [logVerifier, verifiers[0]!]);
    expect(opened.unverified.map((u) => u.name)).toEqual(['w2.example', 'w3.example']);
    unverified(() => requireCosignatures(opened, names, 2), 'COSIGNATURE_QUORUM_NOT_MET');
  });

  it('rejects a bad policy', () => {
    misuse(() => requireCosignatures(two, ['a', 'a'], 1), 'COSIGNATURE_POLICY_INVALID');
    misuse(() => requireCosignatures(two, names, 4), 'COSIGNATURE_POLICY_INVALID');
    misuse(() => requireCosignatures(two, names, -1), 'COSIGNATURE_POLICY_INVALID');
  });

  it('parseNote sees every cosignature line', () => {
    expect(parseNote(signNote(TEXT, [logSigner, ...signers])).signatures).toHaveLength(4);
  });
});
