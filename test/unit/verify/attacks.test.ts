/**
 * The structural attacks of issue 7, each refused by the check that is meant to refuse it:
 * missing and extra files, attestations swapped from another HSM or another ceremony, a key not
 * matching its attestation, a replayed older epoch, a transcript with a broken chain or too few
 * sign-offs, a witness key not valid at the statement's time, a log proof that does not match
 * the checkpoint. Most are tried twice: as a plain edit (caught by the package signature) and by
 * an attacker who holds the operator key and re-signs (caught by the independent checks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeValidationBundle,
  encodeValidationBundle,
  parseTrustFile,
} from '../../../ceremony/bundle/index.js';
import { hexEncode, utf8Decode, utf8Encode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import {
  EVIDENCE_FILES,
  attestationPaths,
  parseManifest,
  renderManifest,
  verifyEvidence,
} from '../../../ceremony/verify/index.js';
import type { EvidenceReport } from '../../../ceremony/verify/index.js';
import { copy, forgePackage, resign, signSums } from '../evidence/fixture/forge.js';
import { testPackage, testWorld } from '../evidence/fixture/package.js';
import type { TestPackage } from '../evidence/fixture/package.js';
import { seed } from '../evidence/fixture/transcript.js';

let p: TestPackage;
let other: TestPackage;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  p = await testPackage();
  other = await testPackage({ epoch: 2 });
  cleanups.push(p.cleanup, other.cleanup);
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

const failed = (r: EvidenceReport) =>
  r.checks.filter((c) => !c.ok && c.skipped !== true).map((c) => `${c.id} ${c.code}`);
const check = (r: EvidenceReport, id: string) => r.checks.find((c) => c.id === id)!;
const a1 = attestationPaths('hsm-1', 'fleet-session-1');
const a2 = attestationPaths('hsm-2', 'fleet-session-2');

async function verify(files: Map<string, Uint8Array>, trust = p.world.trust): Promise<EvidenceReport> {
  const r = await verifyEvidence(files, trust);
  expect(r.ok).toBe(false);
  return r;
}

async function attackWorld(o: Parameters<typeof testWorld>[0]) {
  const w = await testWorld(o);
  cleanups.push(w.cleanup);
  return w.world;
}

describe('missing and extra files', () => {
  it('a missing file: refused by the digests, and by the layout when re-signed', async () => {
    const plain = copy(p.files);
    plain.delete(a2.statement);
    expect(failed(await verify(plain))).toEqual(['package.digests EVIDENCE_FILE_MISSING']);
    const signed = await resign(copy(p.files).set(a2.statement, new Uint8Array()), p.world);
    signed.delete(a2.statement);
    await resign(signed, p.world);
    const r = await verify(signed);
    expect(failed(r)).toEqual(
      expect.arrayContaining([
        'attestation:fleet-session-2 EVIDENCE_FILE_MISSING',
        'package.layout EVIDENCE_FILE_MISSING',
      ]),
    );
  });

  it('an extra file: refused unlisted, unknown, or listed but not called for', async () => {
    expect(failed(await verify(copy(p.files).set('notes.txt', utf8Encode('hi'))))).toEqual([
      'package.files EVIDENCE_FILE_UNEXPECTED',
    ]);
    expect(
      failed(await verify(copy(p.files).set('attestations/hsm-9/device-chain.pem', new Uint8Array()))),
    ).toEqual(['package.digests EVIDENCE_FILE_UNLISTED']);
    const signed = await resign(
      copy(p.files).set(
        'attestations/hsm-9/device-chain.pem',
        p.files.get('attestations/hsm-1/device-chain.pem')!,
      ),
      p.world,
    );
    expect(failed(await verify(signed))).toEqual(['package.layout EVIDENCE_FILE_UNEXPECTED']);
  });

  it('unsafe names are refused before anything is read', async () => {
    for (const name of ['../escape', '/abs', 'a//b', 'witness/.hidden', 'a\\b', 'x/./y']) {
      expect(failed(await verify(copy(p.files).set(name, new Uint8Array())))).toEqual([
        'package.files EVIDENCE_PATH_INVALID',
      ]);
    }
  });
});

describe('attestations', () => {
  it('swapped between two HSMs of the package: the witness-signed digests refuse them', async () => {
    const files = copy(p.files);
    for (const k of ['statement', 'chain'] as const) {
      files.set(a1[k], p.files.get(a2[k])!);
      files.set(a2[k], p.files.get(a1[k])!);
    }
    expect(failed(await verify(files))).toEqual(['package.digests EVIDENCE_DIGEST_MISMATCH']);
    const r = await verify(await resign(files, p.world));
    expect(check(r, 'attestation:fleet-session-1').code).toBe('EVIDENCE_ATTESTATION_DIGEST_MISMATCH');
    expect(check(r, 'attestation:fleet-session-2').code).toBe('EVIDENCE_ATTESTATION_DIGEST_MISMATCH');
  });

  it("from another HSM, even when the fleet key set names it: another key and another device's serial", async () => {
    const w = await attackWorld({ swap: [0, 1] });
    const r = await verify(await forgePackage(w, p.files), w.trust);
    const c = check(r, 'attestation:fleet-session-1');
    expect(c.code).toBe('ATTEST_PUBLIC_KEY_MISMATCH');
    expect(c.reason).toMatch(/ATTEST_SERIAL_MISMATCH/);
    expect(failed(r)).toEqual(['attestation:fleet-session-1 ATTEST_PUBLIC_KEY_MISMATCH']);
  });

  it('from another ceremony: the digests refuse it; made with another nonce, the challenge does', async () => {
    const files = copy(p.files);
    const o1 = attestationPaths('hsm-1', 'fleet-session-1');
    files.set(a1.statement, other.files.get(o1.statement)!);
    files.set(a1.chain, other.files.get(o1.chain)!);
    expect(check(await verify(await resign(files, p.world)), 'attestation:fleet-session-1').code).toBe(
      'EVIDENCE_ATTESTATION_DIGEST_MISMATCH',
    );
    const w = await attackWorld({ attestNonce: seed('another ceremony') });
    await expect(
      import('../../../ceremony/evidence/index.js').then((m) =>
        m.writeEvidencePackage(`${p.base}/never`, w.inputs),
      ),
    ).rejects.toMatchObject({ code: 'EVIDENCE_INPUT_REJECTED' });
    const r = await verify(await forgePackage(w, p.files), w.trust);
    expect(failed(r)).toEqual([
      'attestation:fleet-session-1 ATTEST_CHALLENGE_MISMATCH',
      'attestation:fleet-session-2 ATTEST_CHALLENGE_MISMATCH',
      'attestation:fleet-session-3 ATTEST_CHALLENGE_MISMATCH',
    ]);
  });

  it('a key that does not match its attestation', async () => {
    const w = await attackWorld({ wrongKey: 2 });
    const r = await verify(await forgePackage(w, p.files), w.trust);
    expect(failed(r)).toEqual(['attestation:fleet-session-3 ATTEST_PUBLIC_KEY_MISMATCH']);
  });

  it('a nonce in the manifest that is not the transcript’s', async () => {
    const files = copy(p.files);
    const m = parseManifest(files.get(EVIDENCE_FILES.manifest)!);
    files.set(
      EVIDENCE_FILES.manifest,
      utf8Encode(renderManifest({ ...m, ceremony: { ...m.ceremony, nonce: hexEncode(seed('x')) } })),
    );
    const r = await verify(await signSums(files, p.world));
    expect(check(r, 'transcript.nonce').code).toBe('EVIDENCE_NONCE_MISMATCH');
    expect(check(r, 'attestation:fleet-session-1').code).toBe('ATTEST_CHALLENGE_MISMATCH');
  });
});

describe('transcript', () => {
  it('a broken chain: a line removed, or a record edited', async () => {
    const lines = utf8Decode(p.files.get(EVIDENCE_FILES.transcript)!).split('\n');
    const removed = copy(p.files).set(
      EVIDENCE_FILES.transcript,
      utf8Encode([...lines.slice(0, 5), ...lines.slice(6)].join('\n')),
    );
    expect(failed(await verify(removed))).toEqual(['package.digests EVIDENCE_DIGEST_MISMATCH']);
    expect(check(await verify(await resign(removed, p.world)), 'transcript').code).toMatch(
      /^TRANSCRIPT_(BAD_SEQ|CHAIN_BROKEN)$/,
    );
    const at = lines.findIndex((l) => l.includes('"kind":"step-end"'));
    const edited = lines.map((l, i) => (i === at ? l.replace('"durationMs":1500', '"durationMs":1501') : l));
    expect(edited[at]).not.toBe(lines[at]);
    const r = await verify(
      await resign(copy(p.files).set(EVIDENCE_FILES.transcript, utf8Encode(edited.join('\n'))), p.world),
    );
    expect(check(r, 'transcript').code).toBe('TRANSCRIPT_CHAIN_BROKEN');
  });

  it('too few sign-offs', async () => {
    const w = await attackWorld({ sealSigners: ['admin', 'int-witness', 'co-2'] });
    const r = await verify(await forgePackage(w, p.files), w.trust);
    expect(check(r, 'transcript').code).toBe('SIGNOFF_QUORUM_NOT_MET');
  });

  it('the transcript of another ceremony', async () => {
    const files = copy(p.files).set(EVIDENCE_FILES.transcript, other.files.get(EVIDENCE_FILES.transcript)!);
    const r = await verify(await resign(files, p.world));
    expect(check(r, 'transcript.binding').code).toBe('EVIDENCE_TRANSCRIPT_NOT_BOUND');
  });
});

describe('witness, log and signatures', () => {
  it('a witness key not valid at the statement’s time', async () => {
    const w = await attackWorld({ witness: 'old' });
    const r = await verify(await forgePackage(w, p.files), w.trust);
    expect(failed(r)).toEqual(['bundle.witness BUNDLE_WITNESS_KEY_EXPIRED']);
  });

  it('a log proof that does not match the checkpoint', async () => {
    const proof = utf8Decode(p.files.get(EVIDENCE_FILES.tlogProof)!).split('\n');
    proof[2] = 'A' + proof[2]!.slice(1);
    const loose = copy(p.files).set(EVIDENCE_FILES.tlogProof, utf8Encode(proof.join('\n')));
    expect(failed(await verify(await resign(loose, p.world)))).toEqual([
      'files.log EVIDENCE_LOG_FILE_MISMATCH',
    ]);
    const b = decodeValidationBundle(p.files.get(EVIDENCE_FILES.bundle)!);
    const hashes = b.proof.hashes.map((h, i) => (i === 0 ? h.map((x) => x ^ 1) : h));
    const bad = encodeValidationBundle({ ...b, proof: { ...b.proof, hashes } });
    const r = await verify(await resign(copy(p.files).set(EVIDENCE_FILES.bundle, bad), p.world));
    expect(check(r, 'bundle.log').code).toBe('BUNDLE_INCLUSION_INVALID');
  });

  it('SHA256SUMS signed by another pinned operator key than the one that counter-signed', async () => {
    const sk = seed('second operator');
    const trust = parseTrustFile(
      JSON.stringify({
        ...p.world.trustJson,
        operator_keys: [
          ...(p.world.trustJson.operator_keys as object[]),
          { algorithm: 'ed25519', public_key: hexEncode(ed25519.getPublicKey(sk)) },
        ],
      }),
      'trust.json',
    );
    const second = {
      algorithm: 'ed25519' as const,
      publicKey: ed25519.getPublicKey(sk),
      sign: async (m: Uint8Array) => ed25519.sign(sk, m),
    };
    const files = await signSums(copy(p.files), { operator: second });
    expect(failed(await verify(files, trust))).toEqual(['package.signer EVIDENCE_SIGNER_MISMATCH']);
  });

  it('a manifest that says something the content does not', async () => {
    const m = parseManifest(p.files.get(EVIDENCE_FILES.manifest)!);
    for (const lie of [
      { ...m, rehearsal: false },
      { ...m, fleet: { ...m.fleet, epoch: '7' } },
      { ...m, witness: { ...m.witness, logIndex: '4' } },
    ]) {
      const r = await verify(
        await signSums(copy(p.files).set(EVIDENCE_FILES.manifest, utf8Encode(renderManifest(lie))), p.world),
      );
      expect(failed(r)).toEqual(['manifest.consistent EVIDENCE_MANIFEST_MISMATCH']);
    }
  });
});
