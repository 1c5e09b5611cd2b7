/**
 * Vendor attestation verification (ceremony/attest, docs/attestation-vendors.md): the median time
 * of `verifyAttestation` on each published sample that verifies, built from the vendor's own files
 * by `attestationFromFiles`, under its pinned roots, with the portable-or-native crypto facade the
 * verifier picks. No floor: the per-format cryptographic lower bounds differ (RSA-4096 chains,
 * HSS/LMS, P-521 warrants); the record is the cost an auditor or a client pays per key.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { attestationFromFiles, verifyAttestation } from '../../ceremony/attest/index.js';
import { pemDecodeAll } from '../../ceremony/codec/index.js';
import type { Benchmark, BenchRecord } from './lib.js';
import { measureNsAsync, valueRecord } from './lib.js';

const VECTORS = fileURLToPath(new URL('../vectors/attestation/', import.meta.url));

/** Sample → its files (in intake order), its roots (PEM CERTIFICATE or PUBLIC KEY) and a time. */
const SAMPLES: { name: string; files: string[]; roots: string[]; at?: string }[] = [
  {
    name: 'yubihsm2 (P-256 key, RSA-4096 chain)',
    files: [
      'yubihsm2/key-0x7e57-attestation.pem',
      'yubihsm2/device-31650425-attestation-cert.pem',
      'yubihsm2/yubihsm-6742036-sub-ca.pem',
    ],
    roots: ['yubihsm2/yubihsm-root-ca.pem'],
  },
  {
    name: 'yubikey-piv (P-256 key)',
    files: [
      'yubikey-piv/sigstore-2022-10-18/13078778_key_cert.pem',
      'yubikey-piv/sigstore-2022-10-18/13078778_device_cert.pem',
    ],
    roots: ['yubikey-piv/yubico-piv-root-ca-263751.pem'],
  },
  {
    name: 'marvell-liquidsecurity (gzip blob, two chains)',
    files: [
      'marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz',
      'marvell-gcp-cloudhsm/attestation-cert-chain.pem',
    ],
    roots: [
      'marvell-gcp-cloudhsm/marvell-liquidsecurity-root-2024-reissue.pem',
      'marvell-gcp-cloudhsm/google-hawksbill-root-v1-prod.pem',
    ],
  },
  {
    name: 'thales-luna (PKCS#7, RSA)',
    files: ['thales-luna/rsa-pkc.p7b'],
    roots: ['thales-luna/chrysalis-its-root-80450000000D.pem', 'thales-luna/luna-rsa-root-certificate.pem'],
  },
  {
    name: 'securosys-primus (XML + signature)',
    files: [
      'securosys-primus/attestation.xml',
      'securosys-primus/attestation.sig',
      'securosys-primus/chain-0.pem',
      'securosys-primus/chain-1.pem',
    ],
    roots: ['securosys-primus/securosys-primus-hsm-rootkey.pem'],
  },
  {
    name: 'crypto4a-qasm (P-384 + HSS/LMS)',
    files: ['crypto4a-qasm/attestation-message.der'],
    roots: ['crypto4a-qasm/c4a-rca-root.pem'],
  },
  {
    name: 'entrust-nshield (KWARN-1 warrant)',
    files: ['entrust-nshield/key_pkcs11_test2.att'],
    roots: ['entrust-nshield/kwarn-1.spki.pem'],
  },
  {
    name: 'fortanix-dsm (at its signing time)',
    files: ['fortanix-dsm/key_attestation.json'],
    roots: ['fortanix-dsm/extracted/root.pem'],
  },
];

function roots(paths: readonly string[]): Uint8Array[] {
  return paths.flatMap((p) =>
    pemDecodeAll(readFileSync(VECTORS + p, 'utf8'), undefined, { lax: true, field: p }).map((b) => b.der),
  );
}

const bench: Benchmark = {
  name: 'attestation verification',
  async run(ctx): Promise<BenchRecord[]> {
    const out: BenchRecord[] = [];
    for (const s of SAMPLES) {
      const evidence = attestationFromFiles(
        s.files.map((f) => ({ name: f, bytes: readFileSync(VECTORS + f) })),
      );
      const options = {
        trustedRoots: roots(s.roots),
        now: new Date('2026-11-27T00:00:00Z'),
        validateAtAttestationTime: s.name.startsWith('fortanix'),
      };
      const first = await verifyAttestation(evidence, options);
      // Only verifications that succeed are timed: a refusal may stop early.
      if (!first.ok) {
        ctx.log(`${s.name}: does not verify (${first.failures.map((f) => f.code).join(', ')}); skipped`);
        continue;
      }
      const ns = await measureNsAsync(() => verifyAttestation(evidence, options), {
        sampleMs: ctx.quick ? 20 : 100,
        samples: ctx.quick ? 3 : 7,
      });
      out.push(valueRecord(`attest.verify ${s.name}`, ns / 1e6, 'ms'));
    }
    return out;
  },
};

export default bench;
