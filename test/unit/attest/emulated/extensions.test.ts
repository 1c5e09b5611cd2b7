/**
 * emulated-x509/v1 extensions: each of the twelve missing, twice, of the wrong ASN.1 type,
 * critical, or followed by a stray byte; and each value changed one at a time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../../../ceremony/attest/emulated/oids.js';
import type { AttestationResult, AttestationVerifyOptions } from '../../../../ceremony/attest/types.js';
import { verifyAttestation } from '../../../../ceremony/attest/verify.js';
import { bool, enumerated, octets, seq, tlv, utf8 } from '../support/der-write.js';
import type { ExtSpec, Issued } from '../support/emulated-fixtures.js';
import {
  CHALLENGE,
  NOW,
  keyExtensions,
  makeDevice,
  makeKeyCert,
  makeKeySpki,
  makeRoot,
} from '../support/emulated-fixtures.js';

let root: Issued;
let device: Issued;
let spki: Uint8Array;

beforeAll(async () => {
  root = await makeRoot();
  device = await makeDevice(root);
  spki = await makeKeySpki('p256');
});

const options = (o: Partial<AttestationVerifyOptions> = {}): AttestationVerifyOptions => ({
  trustedRoots: [root.der],
  now: NOW,
  expectedChallenge: CHALLENGE,
  ...o,
});

function verify(statement: Uint8Array, chain = [device.der], o: Partial<AttestationVerifyOptions> = {}) {
  return verifyAttestation({ format: 'emulated-x509/v1', statement, chain }, options(o));
}

const codes = (r: AttestationResult) => r.failures.map((f) => f.code);

/** Replaces the extension `oid` in a good key extension list. */
const withExt = (oid: string, value: Uint8Array, critical = false): ExtSpec[] =>
  keyExtensions().map((e) => (e.oid === oid ? { oid, value, critical } : e));

describe('emulated-x509/v1: extensions', () => {
  const names = Object.keys(OID) as (keyof typeof OID)[];

  it.each(names)('refuses a key certificate without %s', async (name) => {
    const cert = await makeKeyCert(device, spki, {
      extensions: keyExtensions().filter((e) => e.oid !== OID[name]),
    });
    const r = await verify(cert);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain('ATTEST_EXTENSION_MISSING');
  });

  it.each(names)('refuses a key certificate with %s twice', async (name) => {
    const exts = keyExtensions();
    const cert = await makeKeyCert(device, spki, {
      extensions: [...exts, exts.find((e) => e.oid === OID[name])!],
    });
    const r = await verify(cert);
    expect(codes(r)).toEqual(['ATTEST_MALFORMED']);
    expect(r.failures[0]!.reason).toMatch(/appears twice/);
  });

  it.each(names)('refuses %s with the wrong ASN.1 type', async (name) => {
    // An INTEGER is the right type for none of the profile's extensions.
    const r = await verify(
      await makeKeyCert(device, spki, { extensions: withExt(OID[name], tlv(0x02, [1])) }),
    );
    expect(codes(r)).toContain('ATTEST_EXTENSION_INVALID');
  });

  it.each(names)('refuses %s marked critical', async (name) => {
    const value = keyExtensions().find((e) => e.oid === OID[name])!.value;
    const r = await verify(await makeKeyCert(device, spki, { extensions: withExt(OID[name], value, true) }));
    expect(codes(r)).toContain('ATTEST_EXTENSION_INVALID');
  });

  it.each(names)('refuses %s with a trailing byte after its value', async (name) => {
    const value = keyExtensions().find((e) => e.oid === OID[name])!.value;
    const r = await verify(
      await makeKeyCert(device, spki, { extensions: withExt(OID[name], Uint8Array.of(...value, 0)) }),
    );
    expect(codes(r)).toContain('ATTEST_EXTENSION_INVALID');
  });

  const changed: [string, ExtSpec[], string][] = [
    ['origin imported', keyExtensions({ origin: 1 }), 'ATTEST_KEY_IMPORTED'],
    ['origin out of range', withExt(OID.keyOrigin, enumerated(2)), 'ATTEST_EXTENSION_INVALID'],
    ['origin as INTEGER', withExt(OID.keyOrigin, tlv(0x02, [0])), 'ATTEST_EXTENSION_INVALID'],
    ['exportable true', keyExtensions({ exportable: true }), 'ATTEST_KEY_EXPORTABLE'],
    [
      'exportable as non-DER BOOLEAN 01',
      withExt(OID.exportable, tlv(0x01, [0x01])),
      'ATTEST_EXTENSION_INVALID',
    ],
    ['sensitive false', keyExtensions({ sensitive: false }), 'ATTEST_KEY_NOT_SENSITIVE'],
    ['another challenge', keyExtensions({ challenge: new Uint8Array(32) }), 'ATTEST_CHALLENGE_MISMATCH'],
    ['empty challenge', withExt(OID.challenge, octets([])), 'ATTEST_EXTENSION_INVALID'],
    [
      'keyAlgorithm ed25519 on a P-256 key',
      keyExtensions({ algorithm: 'ed25519' }),
      'ATTEST_ATTRIBUTE_MISMATCH',
    ],
    ['unknown keyAlgorithm', withExt(OID.keyAlgorithm, utf8('rsa')), 'ATTEST_EXTENSION_INVALID'],
    ['unknown usage', keyExtensions({ usages: ['encrypt'] }), 'ATTEST_EXTENSION_INVALID'],
    ['no usage', keyExtensions({ usages: [] }), 'ATTEST_EXTENSION_INVALID'],
    ['a usage twice', keyExtensions({ usages: ['sign', 'sign'] }), 'ATTEST_EXTENSION_INVALID'],
    ['usages out of order', keyExtensions({ usages: ['derive', 'sign'] }), 'ATTEST_EXTENSION_INVALID'],
    [
      'a challenge of 257 bytes',
      keyExtensions({ challenge: new Uint8Array(257) }),
      'ATTEST_EXTENSION_INVALID',
    ],
    [
      'a label that is not the subject CN',
      keyExtensions({ label: 'fleet-key-2' }),
      'ATTEST_ATTRIBUTE_MISMATCH',
    ],
    ['usages as a SET', withExt(OID.usages, tlv(0x31, [...utf8('sign')])), 'ATTEST_EXTENSION_INVALID'],
    ['empty label', keyExtensions({ label: '' }), 'ATTEST_EXTENSION_INVALID'],
    [
      'generationTime as UTCTime',
      withExt(OID.generationTime, tlv(0x17, [...new TextEncoder().encode('260102030405Z')])),
      'ATTEST_EXTENSION_INVALID',
    ],
    [
      'generationTime without seconds',
      withExt(OID.generationTime, tlv(0x18, [...new TextEncoder().encode('202601020304Z')])),
      'ATTEST_EXTENSION_INVALID',
    ],
    ['marker with other text', withExt(OID.emulatedMarker, utf8('EMULATED')), 'ATTEST_EXTENSION_INVALID'],
    [
      'serial differing from the device',
      withExt(OID.deviceSerial, utf8('EMU-0002')),
      'ATTEST_ATTRIBUTE_MISMATCH',
    ],
    [
      'firmware differing from the device',
      withExt(OID.firmwareVersion, utf8('1.0.1')),
      'ATTEST_ATTRIBUTE_MISMATCH',
    ],
    [
      'model differing from the device',
      withExt(OID.deviceModel, utf8('Other HSM')),
      'ATTEST_ATTRIBUTE_MISMATCH',
    ],
    ['label as PrintableString', withExt(OID.keyLabel, tlv(0x13, [0x61])), 'ATTEST_EXTENSION_INVALID'],
    ['challenge as BIT STRING', withExt(OID.challenge, tlv(0x03, [0, 1, 2])), 'ATTEST_EXTENSION_INVALID'],
    ['sensitive as SEQUENCE', withExt(OID.sensitive, seq(bool(true))), 'ATTEST_EXTENSION_INVALID'],
  ];
  it.each(changed)('refuses %s', async (_name, extensions, code) => {
    const r = await verify(await makeKeyCert(device, spki, { extensions }));
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
  });

  it('reports the imported origin in the result', async () => {
    const r = await verify(await makeKeyCert(device, spki, { extensions: keyExtensions({ origin: 1 }) }));
    expect(r.origin).toBe('imported');
    expect(codes(r)).toEqual(['ATTEST_KEY_IMPORTED']);
  });

  it('refuses an X25519 key allowed to sign, and an Ed25519 key allowed to derive', async () => {
    const x = await makeKeySpki('x25519');
    const ed = await makeKeySpki('ed25519');
    const rx = await verify(
      await makeKeyCert(device, x, { extensions: keyExtensions({ algorithm: 'x25519', usages: ['sign'] }) }),
    );
    const re = await verify(
      await makeKeyCert(device, ed, {
        extensions: keyExtensions({ algorithm: 'ed25519', usages: ['derive'] }),
      }),
    );
    expect(codes(rx)).toEqual(['ATTEST_ATTRIBUTE_MISMATCH']);
    expect(codes(re)).toEqual(['ATTEST_ATTRIBUTE_MISMATCH']);
  });

  it('refuses a key certificate that is a CA', async () => {
    expect(codes(await verify(await makeKeyCert(device, spki, { ca: true })))).toEqual([
      'ATTEST_EXTENSION_INVALID',
    ]);
  });
});
