/**
 * Intake (ceremony/attest/intake.ts): every public sample of test/vectors/attestation/manifest.json,
 * given as the files the vendor's tool wrote, becomes the evidence the vendor suites build by hand
 * (same format, same bytes); and every file that is not one is refused with
 * `ATTEST_INTAKE_INVALID` (or the format's own code) naming the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  attestationFromFiles,
  detectAttestationFormat,
  fortanixEvidenceFromJson,
  MAX_INTAKE_FILE_BYTES,
  MAX_INTAKE_FILES,
  marvellEvidenceFromGzip,
  securosysEvidence,
} from '../../../ceremony/attest/index.js';
import type { AttestationFile, KeyAttestation } from '../../../ceremony/attest/index.js';
import { pemEncode } from '../../../ceremony/codec/index.js';
import { isCeremonyError } from '../../../ceremony/errors.js';
import { makeDevice, makeKeyCert, makeKeySpki, makeRoot, toPem } from './support/emulated-fixtures.js';
import { VECTORS, manifest, pemCert, pemCerts } from './support/vectors.js';
import type { ManifestSample } from './support/vectors.js';

const bytes = (p: string) => new Uint8Array(readFileSync(VECTORS + p));
const file = (p: string): AttestationFile => ({ name: p, bytes: bytes(p) });
const named = (name: string, b: Uint8Array | string): AttestationFile => ({
  name,
  bytes: typeof b === 'string' ? new TextEncoder().encode(b) : b,
});

/** The Marvell RSA sample's chain was not published; the vendor suite checks it with the ECC one. */
const MARVELL_CHAIN = 'marvell-gcp-cloudhsm/attestation-cert-chain.pem';

/**
 * Per vendor: the files of a sample in intake order, and the evidence its vendor suite
 * (test/unit/attest/vendors/<vendor>.test.ts) builds from the same sample.
 */
const VENDORS: Record<string, (f: ManifestSample['files']) => { files: string[]; want: KeyAttestation }> = {
  'yubico-yubihsm2': (f) => {
    const chain = [f.device_certificate as string, ...(f.intermediates as string[])];
    return {
      files: [f.attestation as string, ...chain],
      want: { format: 'yubihsm2', statement: pemCert(f.attestation as string), chain: chain.map(pemCert) },
    };
  },
  'yubico-yubikey-piv': (f) => ({
    files: [f.attestation as string, f.device_certificate as string],
    want: {
      format: 'yubikey-piv',
      statement: pemCert(f.attestation as string),
      chain: [pemCert(f.device_certificate as string)],
    },
  }),
  'marvell-liquidsecurity (google-cloud-hsm)': (f) => ({
    files: [f.attestation as string, f.cert_chains as string],
    want: marvellEvidenceFromGzip(bytes(f.attestation as string), pemCerts(f.cert_chains as string)),
  }),
  'marvell-liquidsecurity': (f) => ({
    files: [f.attestation as string, MARVELL_CHAIN],
    want: marvellEvidenceFromGzip(bytes(f.attestation as string), pemCerts(MARVELL_CHAIN)),
  }),
  'thales-luna': (f) => ({
    files: [f.attestation as string],
    want: { format: 'thales-luna', statement: bytes(f.attestation as string), chain: [] },
  }),
  'securosys-primus': (f) => ({
    files: [f.attestation as string, f.signature as string, ...(f.chain as string[])],
    want: securosysEvidence(
      bytes(f.attestation as string),
      bytes(f.signature as string),
      (f.chain as string[]).map(pemCert),
    ),
  }),
  'crypto4a-qasm': (f) => ({
    files: [f.attestation as string],
    want: { format: 'crypto4a-qasm', statement: bytes(f.attestation as string), chain: [] },
  }),
  'entrust-nshield': (f) => ({
    files: [f.attestation as string],
    want: { format: 'entrust-nshield', statement: bytes(f.attestation as string), chain: [] },
  }),
  'fortanix-dsm': (f) => ({
    files: [f.attestation as string],
    want: fortanixEvidenceFromJson(bytes(f.attestation as string)),
  }),
};

/** The error `f` throws: its class's exit code, code, file and message. */
function refusal(f: () => unknown): { code: string; file: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    if (!isCeremonyError(e)) throw e;
    expect(e.exitCode).toBe(2);
    return { code: e.code, file: e.file, message: e.message };
  }
  throw new Error('not refused');
}

const YUBIHSM = manifest.samples.find((s) => s.id === 'yubihsm2-31650425-0x7e57')!.files;
const YUBIHSM_FILES = [
  YUBIHSM.attestation as string,
  YUBIHSM.device_certificate as string,
  ...(YUBIHSM.intermediates as string[]),
];
const SECUROSYS = ['attestation.xml', 'attestation.sig', 'chain-0.pem', 'chain-1.pem'].map(
  (n) => `securosys-primus/${n}`,
);
const MARVELL_GZ = 'marvell-gcp-cloudhsm/ecc-p256-key.attestation.dat.gz';

describe('intake: every manifest sample, as its vendor tool wrote it', () => {
  it('covers every vendor of the manifest', () => {
    for (const s of manifest.samples) expect(Object.keys(VENDORS), s.id).toContain(s.vendor);
  });

  for (const sample of manifest.samples) {
    it(`${sample.id}: the vendor suite's evidence, format detected`, () => {
      const { files, want } = VENDORS[sample.vendor]!(sample.files);
      const got = attestationFromFiles(files.map(file));
      expect(got).toEqual(want);
      expect(detectAttestationFormat(files.map(file))).toBe(want.format);
      // The same, when the format is named.
      expect(attestationFromFiles(files.map(file), want.format)).toEqual(want);
    });
  }

  it('reads the Crypto4A message as DER or as its PEM, to the same bytes', () => {
    const der = attestationFromFiles([file('crypto4a-qasm/attestation-message.der')]);
    const pem = attestationFromFiles([file('crypto4a-qasm/attestation-message.pem')]);
    expect(pem).toEqual(der);
  });

  it('reads certificates as DER files, or all in one PEM file, to the same evidence', () => {
    const want = attestationFromFiles(YUBIHSM_FILES.map(file));
    const der = YUBIHSM_FILES.map((p) => named(p.replace('.pem', '.der'), pemCert(p)));
    expect(attestationFromFiles(der)).toEqual(want);
    const together = YUBIHSM_FILES.map((p) => readFileSync(VECTORS + p, 'utf8')).join('');
    expect(attestationFromFiles([named('all.pem', together)])).toEqual(want);
  });

  it('reads PEM with explanatory text before the block (RFC 7468 §2), as openssl writes it', () => {
    const [first, ...rest] = YUBIHSM_FILES.map(file);
    const text = `subject=CN=YubiHSM Attestation id:0x7e57\n${new TextDecoder().decode(first!.bytes)}`;
    expect(attestationFromFiles([named('key.txt', text), ...rest])).toEqual(
      attestationFromFiles(YUBIHSM_FILES.map(file)),
    );
  });

  it('detects an emulated-x509/v1 key certificate', async () => {
    const root = await makeRoot();
    const device = await makeDevice(root);
    const key = await makeKeyCert(device, await makeKeySpki('p256'));
    const got = attestationFromFiles([named('key.pem', toPem(key)), named('chain.pem', toPem(device.der))]);
    expect(got).toEqual({ format: 'emulated-x509/v1', statement: key, chain: [device.der] });
    const refused = refusal(() => attestationFromFiles([named('device.pem', toPem(device.der))]));
    expect(refused).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'device.pem' });
    expect(refused.message).toContain('device certificate');
  });
});

describe('intake: refusals name the file', () => {
  it('refuses a format named that the files are not', () => {
    for (const format of ['yubikey-piv', 'thales-luna', 'no-such-format']) {
      const r = refusal(() => attestationFromFiles(YUBIHSM_FILES.map(file), format));
      expect(r).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: YUBIHSM_FILES[0] });
      expect(r.message).toContain(`not ${format}`);
    }
    expect(
      refusal(() => attestationFromFiles([file('fortanix-dsm/key_attestation.json')], 'entrust-nshield')),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'fortanix-dsm/key_attestation.json' });
  });

  it('refuses no file, an empty file, a file over the limit, too many files', () => {
    expect(refusal(() => attestationFromFiles([])).code).toBe('ATTEST_INTAKE_INVALID');
    expect(
      refusal(() => attestationFromFiles([file(YUBIHSM_FILES[0]!), named('empty.pem', '')])),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'empty.pem' });
    const big = new Uint8Array(MAX_INTAKE_FILE_BYTES + 1).fill(0x41);
    expect(refusal(() => attestationFromFiles([named('big.bin', big)]))).toMatchObject({
      code: 'ATTEST_INTAKE_INVALID',
      file: 'big.bin',
    });
    // At the limit it is read (and refused for its content, not its size).
    const atLimit = refusal(() =>
      attestationFromFiles([named('limit.bin', new Uint8Array(MAX_INTAKE_FILE_BYTES).fill(0x41))]),
    );
    expect(atLimit.message).toContain('not a known attestation file');
    const many = Array.from({ length: MAX_INTAKE_FILES + 1 }, (_, i) => named(`c${i}.pem`, ''));
    expect(refusal(() => attestationFromFiles(many))).toMatchObject({
      code: 'ATTEST_INTAKE_INVALID',
      file: `c${MAX_INTAKE_FILES}.pem`,
    });
  });

  it('refuses unknown content: random bytes, plain text, other JSON, our own attestations file, roots', () => {
    const cases: [string, Uint8Array | string][] = [
      ['random.bin', new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff)],
      ['notes.txt', 'hello, auditor\n'],
      ['other.json', '{"hello": 1}'],
      ['attestations.json', '[{"keyId": "k", "format": "yubihsm2", "statement": "AA==", "chain": []}]'],
      ['kwarn-1.json', bytes('entrust-nshield/kwarn-1.json')],
      ['root.pem', bytes('yubihsm2/yubihsm-root-ca.pem')],
      ['kwarn-1.spki.pem', bytes('entrust-nshield/kwarn-1.spki.pem')],
      ['key.csr', bytes('thales-luna/rsa-test.csr')],
    ];
    for (const [name, b] of cases)
      expect(
        refusal(() => attestationFromFiles([named(name, b)])),
        name,
      ).toMatchObject({
        code: 'ATTEST_INTAKE_INVALID',
        file: name,
      });
  });

  it('refuses a PEM file of mixed labels', () => {
    const mixed =
      readFileSync(VECTORS + YUBIHSM_FILES[0]!, 'utf8') +
      readFileSync(VECTORS + 'yubikey-piv/sigstore-2022-10-18/13078778_pubkey.pem', 'utf8');
    const r = refusal(() => attestationFromFiles([named('mixed.pem', mixed)]));
    expect(r).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'mixed.pem' });
    expect(r.message).toContain('CERTIFICATE, PUBLIC KEY');
    // Mixed labels in a chain file too.
    expect(
      refusal(() => attestationFromFiles([file(YUBIHSM_FILES[0]!), named('chain.pem', mixed)])),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'chain.pem' });
  });

  it('refuses a device certificate given before the key certificate', () => {
    const swapped = [YUBIHSM_FILES[1]!, YUBIHSM_FILES[0]!, YUBIHSM_FILES[2]!];
    const r = refusal(() => attestationFromFiles(swapped.map(file)));
    expect(r).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: YUBIHSM_FILES[1] });
    const piv = 'yubikey-piv/sigstore-2022-10-18/13078778_device_cert.pem';
    expect(refusal(() => attestationFromFiles([file(piv)]))).toMatchObject({ file: piv });
  });

  it('refuses a Marvell blob without its certificate file, or with the wrong number of certificates', () => {
    expect(refusal(() => attestationFromFiles([file(MARVELL_GZ)]))).toMatchObject({
      code: 'ATTEST_INTAKE_INVALID',
      file: MARVELL_GZ,
    });
    const three = pemCerts(MARVELL_CHAIN)
      .slice(0, 3)
      .map((c) => pemEncode('CERTIFICATE', c))
      .join('');
    const r = refusal(() => attestationFromFiles([file(MARVELL_GZ), named('three.pem', three)]));
    expect(r).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'three.pem' });
    expect(r.message).toContain('found 3');
    // A broken gzip file: the gzip reader's own code, naming the file.
    const gz = bytes(MARVELL_GZ);
    const cut = refusal(() =>
      attestationFromFiles([named('cut.dat.gz', gz.subarray(0, gz.length - 4)), file(MARVELL_CHAIN)]),
    );
    expect(cut.file).toBe('cut.dat.gz');
  });

  it('refuses a Securosys XML without its signature file, or with text or certificates there', () => {
    expect(refusal(() => attestationFromFiles([file(SECUROSYS[0]!)]))).toMatchObject({
      code: 'ATTEST_INTAKE_INVALID',
      file: SECUROSYS[0],
    });
    const base64 = Buffer.from(bytes(SECUROSYS[1]!)).toString('base64');
    expect(
      refusal(() =>
        attestationFromFiles([file(SECUROSYS[0]!), named('sig.b64', base64), file(SECUROSYS[2]!)]),
      ),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: 'sig.b64' });
    expect(
      refusal(() => attestationFromFiles([file(SECUROSYS[0]!), file(SECUROSYS[2]!), file(SECUROSYS[3]!)])),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: SECUROSYS[2] });
  });

  it('takes a Securosys signature whatever its first byte looks like (the sample starts with "{")', () => {
    const sig = bytes(SECUROSYS[1]!);
    expect(sig[0]).toBe(0x7b);
    for (const first of [0x3c, 0x1f, 0x30, 0x2d, 0x20]) {
      const odd = sig.slice();
      odd[0] = first;
      const got = attestationFromFiles([file(SECUROSYS[0]!), named('odd.sig', odd), file(SECUROSYS[2]!)]);
      expect(got).toEqual(securosysEvidence(bytes(SECUROSYS[0]!), odd, [pemCert(SECUROSYS[2]!)]));
    }
  });

  it('refuses more files than a one-file format takes', () => {
    expect(
      refusal(() => attestationFromFiles([file('thales-luna/rsa-pkc.p7b'), file(YUBIHSM_FILES[1]!)])),
    ).toMatchObject({ code: 'ATTEST_INTAKE_INVALID', file: YUBIHSM_FILES[1] });
  });

  it("names the file in a format's own refusal (Fortanix JSON of the wrong shape)", () => {
    const r = refusal(() =>
      attestationFromFiles([named('dsm.json', '{"authority_chain": [], "attestation_statement": {}}')]),
    );
    expect(r.file).toBe('dsm.json');
    expect(r.code).not.toBe('ATTEST_INTAKE_INVALID');
  });
});
