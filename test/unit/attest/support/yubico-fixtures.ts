/**
 * Yubico-shaped fixtures under a test root (./cert-write.ts), for the cases no real sample shows
 * (a missing capabilities extension, an imported key, an exportable key): the real samples are
 * signed by Yubico, so they cannot be changed and still verify. The extension encodings are the
 * real ones (compare test/vectors/attestation/README.md).
 */
import type { ExtSpec, TestSigner } from './cert-write.js';
import { newSigner, writeCert } from './cert-write.js';
import { integer, octets, tlv, utf8 } from './der-write.js';
import { basicConstraints, keyUsage } from './emulated-fixtures.js';

const NB = new Date('2017-01-01T00:00:00Z');
const NA = new Date('2071-10-05T00:00:00Z');

/** A test CA hierarchy: root → sub-CA → device (pathLen 0). */
export interface TestHierarchy {
  root: Uint8Array;
  sub: Uint8Array;
  device: Uint8Array;
  deviceSigner: TestSigner;
  deviceCn: string;
}

/** YubiHSM 2 extension values (OID arc 1.3.6.1.4.1.41482.4), as the device writes them. */
export const hsm = {
  firmware: (a: number, b: number, c: number): ExtSpec => ({
    oid: '1.3.6.1.4.1.41482.4.1',
    value: octets([a, b, c]),
  }),
  serial: (n: number): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.4.2', value: integer(n) }),
  origin: (byte: number): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.4.3', value: tlv(0x03, [0, byte]) }),
  domains: (mask: number): ExtSpec => ({
    oid: '1.3.6.1.4.1.41482.4.4',
    value: tlv(0x03, [0, mask >> 8, mask & 0xff]),
  }),
  capabilities: (set: bigint): ExtSpec => ({
    oid: '1.3.6.1.4.1.41482.4.5',
    value: tlv(0x03, [
      0,
      ...Array.from({ length: 8 }, (_, i) => Number((set >> BigInt(8 * (7 - i))) & 0xffn)),
    ]),
  }),
  objectId: (id: number): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.4.6', value: integer(id) }),
  label: (s: string): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.4.9', value: utf8(s) }),
};

/** The extensions of a good YubiHSM 2 key attestation (serial 1234, fw 2.4.0, sign-ecdsa). */
export const hsmKeyExtensions = (): ExtSpec[] => [
  hsm.firmware(2, 4, 0),
  hsm.serial(1234),
  hsm.origin(0x01),
  hsm.domains(0x0001),
  hsm.capabilities(0x80n),
  hsm.objectId(0x0042),
  hsm.label('fleet'),
];

/** YubiKey PIV extension values (OID arc 1.3.6.1.4.1.41482.3): raw bytes except the serial. */
export const piv = {
  firmware: (a: number, b: number, c: number): ExtSpec => ({
    oid: '1.3.6.1.4.1.41482.3.3',
    value: Uint8Array.of(a, b, c),
  }),
  serial: (n: number): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.3.7', value: integer(n) }),
  policy: (pin: number, touch: number): ExtSpec => ({
    oid: '1.3.6.1.4.1.41482.3.8',
    value: Uint8Array.of(pin, touch),
  }),
  formFactor: (b: number): ExtSpec => ({ oid: '1.3.6.1.4.1.41482.3.9', value: Uint8Array.of(b) }),
};

/** The extensions of a good PIV slot attestation (serial 5555, fw 5.4.3, PIN/touch always, USB-C keychain). */
export const pivKeyExtensions = (): ExtSpec[] => [
  piv.firmware(5, 4, 3),
  piv.serial(5555),
  piv.policy(3, 2),
  piv.formFactor(3),
];

/** A root → sub-CA → device hierarchy with `deviceExtensions` on the device certificate. */
export async function makeHierarchy(deviceCn: string, deviceExtensions: ExtSpec[]): Promise<TestHierarchy> {
  const [r, s, d] = [await newSigner('rsa'), await newSigner('rsa'), await newSigner('rsa')];
  const cert = (subject: string, issuer: string, spki: Uint8Array, ext: ExtSpec[], by: TestSigner) =>
    writeCert({ subject, issuer, notBefore: NB, notAfter: NA, spki, extensions: ext }, by);
  return {
    root: await cert(
      'Test Yubico Root CA',
      'Test Yubico Root CA',
      r.spki,
      [basicConstraints(true, 2), keyUsage(5, 6)],
      r,
    ),
    sub: await cert(
      'Test Yubico Sub-CA',
      'Test Yubico Root CA',
      s.spki,
      [basicConstraints(true, 1), keyUsage(5, 6)],
      r,
    ),
    device: await cert(
      deviceCn,
      'Test Yubico Sub-CA',
      d.spki,
      [...deviceExtensions, basicConstraints(true, 0)],
      s,
    ),
    deviceSigner: d,
    deviceCn,
  };
}

/** A key attestation certificate from the hierarchy's device, with `extensions`. */
export async function makeAttestation(
  h: TestHierarchy,
  subject: string,
  extensions: ExtSpec[],
): Promise<Uint8Array> {
  const key = await newSigner('p256');
  return writeCert(
    { subject, issuer: h.deviceCn, notBefore: NB, notAfter: NA, spki: key.spki, extensions },
    h.deviceSigner,
  );
}
