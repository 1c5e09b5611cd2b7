/**
 * `AttestationResult.path` and `.verificationTimeSource` (docs/attestation.md, "Normalised result")
 * on every public sample of test/vectors/attestation, read through intake as the vendor's tool
 * wrote it: the path is the verified one, signer first, ending at a pinned root (each link checked
 * again here with the signature code, and the certificates named by the sample's own files); it
 * is absent where nothing reached a pinned root or the signer's signature failed, and for the
 * formats without an X.509 path; the time source says which time was used.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attestationFromFiles, verifyAttestation } from '../../../ceremony/attest/index.js';
import type { AttestationResult, KeyAttestation } from '../../../ceremony/attest/index.js';
import { parseC4aMessage } from '../../../ceremony/attest/vendors/crypto4a/message.js';
import { parseCertsOnly } from '../../../ceremony/attest/vendors/luna/pkcs7.js';
import { parseCertificate } from '../../../ceremony/attest/x509/certificate.js';
import { verifySignature } from '../../../ceremony/attest/x509/signature.js';
import { equalBytes } from '../../../ceremony/codec/index.js';
import {
  CHECKED_ON,
  VECTORS,
  flipBit,
  manifest,
  pemCert,
  pemCerts,
  pemPublicKey,
} from './support/vectors.js';

/** Every root of manifest.json: the certificates, and KWARN-1 as a bare key. */
const ROOTS = Object.keys(manifest.roots).map((p) =>
  p.endsWith('.spki.pem') ? pemPublicKey(p) : pemCert(p),
);
const options = { trustedRoots: ROOTS, now: CHECKED_ON };
const evidence = (...files: string[]): KeyAttestation =>
  attestationFromFiles(files.map((name) => ({ name, bytes: new Uint8Array(readFileSync(VECTORS + name)) })));
const c4aMessage = () =>
  parseC4aMessage(new Uint8Array(readFileSync(VECTORS + 'crypto4a-qasm/attestation-message.der')));

/**
 * Each sample with its files and the path it must give (DER, signer first), or `undefined`:
 * the evidence's own certificates, so the expected path is not read from the verifier.
 */
const SAMPLES: [string, string[], () => Uint8Array[] | undefined][] = [
  [
    'yubihsm2 31650425',
    [
      'yubihsm2/key-0x7e57-attestation.pem',
      'yubihsm2/device-31650425-attestation-cert.pem',
      'yubihsm2/yubihsm-6742036-sub-ca.pem',
    ],
    () => [
      pemCert('yubihsm2/device-31650425-attestation-cert.pem'),
      pemCert('yubihsm2/yubihsm-6742036-sub-ca.pem'),
      pemCert('yubihsm2/yubihsm-root-ca.pem'),
    ],
  ],
  [
    'yubikey-piv 13078778',
    [
      'yubikey-piv/sigstore-2022-10-18/13078778_key_cert.pem',
      'yubikey-piv/sigstore-2022-10-18/13078778_device_cert.pem',
    ],
    () => [
      pemCert('yubikey-piv/sigstore-2022-10-18/13078778_device_cert.pem'),
      pemCert('yubikey-piv/yubico-piv-root-ca-263751.pem'),
    ],
  ],
  [
    'marvell ecc (the manufacturer path, to the 2024 reissue)',
    [
      'marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz',
      'marvell-gcp-cloudhsm/attestation-cert-chain.pem',
    ],
    () => [
      ...pemCerts('marvell-gcp-cloudhsm/attestation-cert-chain.pem').slice(0, 2),
      pemCert('marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2024-reissue.pem'),
    ],
  ],
  [
    'marvell rsa (the blob does not verify under the partition key: no path)',
    ['marvell-gcp-cloudhsm/rsa-key.attestation.dat.gz', 'marvell-gcp-cloudhsm/attestation-cert-chain.pem'],
    () => undefined,
  ],
  [
    'luna rsa (from the proof-of-origin certificate’s issuer)',
    ['thales-luna/rsa-pkc.p7b'],
    () => [
      ...parseCertsOnly(new Uint8Array(readFileSync(VECTORS + 'thales-luna/rsa-pkc.p7b'))).certificates.slice(
        1,
        4,
      ),
      pemCert('thales-luna/luna-rsa-root-certificate.pem'),
    ],
  ],
  ['luna ecc (its leaf signature does not verify: no path)', ['thales-luna/ecc-pkc.p7b'], () => undefined],
  [
    'securosys',
    [
      'securosys-primus/attestation.xml',
      'securosys-primus/attestation.sig',
      'securosys-primus/chain-0.pem',
      'securosys-primus/chain-1.pem',
    ],
    () => [
      pemCert('securosys-primus/chain-0.pem'),
      pemCert('securosys-primus/chain-1.pem'),
      pemCert('securosys-primus/securosys-primus-hsm-rootkey.pem'),
    ],
  ],
  [
    'crypto4a (the first signer’s path)',
    ['crypto4a-qasm/attestation-message.der'],
    () => {
      const m = c4aMessage();
      const leaf = parseCertificate(m.signers[0]!.certificate, 'signer');
      const issuer = m.certificates.find((c) => parseCertificate(c, 'c').subject === leaf.issuer)!;
      return [m.signers[0]!.certificate, issuer, pemCert('crypto4a-qasm/c4a-rca-root.pem')];
    },
  ],
  [
    'nshield (a warrant of bare keys: no X.509 path)',
    ['entrust-nshield/key_pkcs11_test2.att'],
    () => undefined,
  ],
];

/** Every link of `path` checked again: issuer name and signature, and the last is a pinned root. */
async function checkLinks(path: Uint8Array[]): Promise<void> {
  const certs = path.map((d, i) => parseCertificate(d, `path[${i}]`));
  for (let i = 0; i + 1 < certs.length; i++) {
    const [c, issuer] = [certs[i]!, certs[i + 1]!];
    expect(c.issuer).toBe(issuer.subject);
    expect((await verifySignature(c.signatureAlgorithm, issuer.spki, c.tbs, c.signature)).ok).toBe(true);
  }
  expect(ROOTS.some((r) => equalBytes(r, path[path.length - 1]!))).toBe(true);
}

describe('path', () => {
  it.each(SAMPLES)('%s', async (_name, files, want) => {
    const r = await verifyAttestation(evidence(...files), options);
    const expected = want();
    if (expected === undefined) {
      expect(r.path).toBeUndefined();
      // Absent for a reason: the signature failed, or (nShield) there is no X.509 path at all.
      if (files[0]!.startsWith('entrust-nshield/')) expect(r.failures).toEqual([]);
      else expect(r.failures.map((f) => f.code)).toContain('ATTEST_SIGNATURE_INVALID');
      return;
    }
    expect(r.failures.filter((f) => f.code !== 'ATTEST_KEY_IMPORTED')).toEqual([]);
    expect(r.path).toEqual(expected);
    await checkLinks(r.path!);
    // `chain` names the same certificates (after the key's own, where the statement is one).
    const subjects = r.path!.map((d) => parseCertificate(d, 'path').subject);
    expect(r.chain.join('\n')).toContain(subjects.join('\n'));
  });

  it('fortanix: the authority, its CA and the root, at the signing time', async () => {
    const r = await verifyAttestation(evidence('fortanix-dsm/key_attestation.json'), {
      ...options,
      validateAtAttestationTime: true,
    });
    expect(r.failures).toEqual([]);
    expect(r.path).toHaveLength(3);
    expect(r.path![2]).toEqual(pemCert('fortanix-dsm/extracted/root.pem'));
    await checkLinks(r.path!);
  });

  it('is absent when the chain reaches no pinned root', async () => {
    const files = [
      'yubihsm2/key-0x7e57-attestation.pem',
      'yubihsm2/device-31650425-attestation-cert.pem',
      'yubihsm2/yubihsm-6742036-sub-ca.pem',
    ];
    const r = await verifyAttestation(evidence(...files), {
      ...options,
      trustedRoots: [pemCert('crypto4a-qasm/c4a-rca-root.pem')],
    });
    expect(r.failures.map((f) => f.code)).toContain('ATTEST_CHAIN_UNTRUSTED');
    expect(r.path).toBeUndefined();
  });

  it('is absent when the signer’s own signature fails (securosys XML, one bit changed)', async () => {
    const good = evidence(
      'securosys-primus/attestation.xml',
      'securosys-primus/attestation.sig',
      'securosys-primus/chain-0.pem',
      'securosys-primus/chain-1.pem',
    );
    const sig = new Uint8Array(readFileSync(VECTORS + 'securosys-primus/attestation.sig'));
    const bad = attestationFromFiles([
      { name: 'a.xml', bytes: new Uint8Array(readFileSync(VECTORS + 'securosys-primus/attestation.xml')) },
      { name: 'a.sig', bytes: flipBit(sig, 100) },
      ...['chain-0.pem', 'chain-1.pem'].map((n) => ({
        name: n,
        bytes: new Uint8Array(readFileSync(VECTORS + 'securosys-primus/' + n)),
      })),
    ]);
    expect((await verifyAttestation(good, options)).path).toHaveLength(3);
    const r = await verifyAttestation(bad, options);
    expect(r.failures.map((f) => f.code)).toEqual(['ATTEST_SIGNATURE_INVALID']);
    expect(r.path).toBeUndefined();
  });
});

describe('verificationTimeSource', () => {
  /** [sample, files, whether the format states a time of its own]. */
  const TIMED: [string, string[], boolean][] = [
    ['yubihsm2', SAMPLES[0]![1], true],
    ['yubikey-piv', SAMPLES[1]![1], true],
    ['marvell', SAMPLES[2]![1], false],
    ['luna', SAMPLES[4]![1], true],
    ['securosys', SAMPLES[6]![1], true],
    ['crypto4a', SAMPLES[7]![1], true],
    ['nshield', SAMPLES[8]![1], false],
    ['fortanix', ['fortanix-dsm/key_attestation.json'], true],
  ];
  it.each(TIMED)(
    '%s: now by default; the attestation’s own time when asked, if it states one',
    async (_n, files, own) => {
      const plain: AttestationResult = await verifyAttestation(evidence(...files), options);
      expect(plain.verificationTimeSource).toBe('now');
      expect(plain.verificationTime).toEqual(CHECKED_ON);
      const asked = await verifyAttestation(evidence(...files), {
        ...options,
        validateAtAttestationTime: true,
      });
      expect(asked.verificationTimeSource).toBe(own ? 'attestation' : 'now');
      if (own) expect(asked.verificationTime.getTime()).not.toBe(CHECKED_ON.getTime());
      else expect(asked.verificationTime).toEqual(CHECKED_ON);
    },
  );

  it('a failed result says now', async () => {
    const r = await verifyAttestation(
      { format: 'no-such-format', statement: new Uint8Array(), chain: [] },
      options,
    );
    expect(r).toMatchObject({ verificationTime: CHECKED_ON, verificationTimeSource: 'now' });
    expect(r.path).toBeUndefined();
  });
});
