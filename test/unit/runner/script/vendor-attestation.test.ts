/**
 * `keys[].attestation` (docs/ceremony-script.md §2, §3): the schema (1–8 distinct paths, a format
 * id, nothing else) and the ceremony rules (a registered vendor format, a pkcs11 HSM that pins
 * vendorRoot, every key of that HSM attested the same way). Each case changes one thing in a good
 * script (the rehearsal template with hsm-2 on PKCS#11 and its key attested by vendor files) and
 * expects one issue at the line of the change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTAKE_FORMATS, attestationFormats } from '../../../../ceremony/attest/index.js';
import { utf8Encode } from '../../../../ceremony/codec/index.js';
import { parseScript, vendorAttestationFormats } from '../../../../ceremony/runner/script/index.js';
import { GOOD, expectOne, issuesOf, lineOf, mutate, repo } from './fixture.js';

const HSM2 = `    backend: emulated
    dir: hsms/hsm-2
    expectedSerial: EMU-0002`;
const HSM2_PKCS11 = `    backend: pkcs11
    module: /usr/lib/softhsm/libsofthsm2.so
    tokenLabel: fleet-hsm-2
    expectedSerial: '31650425'`;
const KEY2 = `  - label: fleet-session-2
    hsm: hsm-2
    algorithm: x25519
    role: session
`;
const KEY2_VENDOR = `  - label: fleet-session-2
    hsm: hsm-2
    algorithm: p256
    role: session
    attestation:
      format: yubihsm2
      files:
        - vendor-attestations/fleet-session-2.pem
        - vendor-attestations/device.pem
`;

/** The rehearsal template with hsm-2 on PKCS#11 and fleet-session-2 attested by vendor files. */
const BASE = GOOD.replace(HSM2, HSM2_PKCS11).replace(KEY2, KEY2_VENDOR);

const change = (from: string, to: string) => mutate(from, to, BASE);

describe('keys[].attestation', () => {
  it('the base script is valid, and parses to the field as written', () => {
    expect(BASE).not.toBe(GOOD);
    const { script } = parseScript(utf8Encode(BASE), 'ceremony.yaml');
    expect(script.keys[1]!.attestation).toEqual({
      format: 'yubihsm2',
      files: ['vendor-attestations/fleet-session-2.pem', 'vendor-attestations/device.pem'],
    });
    expect(script.keys[0]!.attestation).toBeUndefined();
  });

  it('the format may be left out (detected from the files)', () => {
    const { text } = change('      format: yubihsm2\n', '');
    expect(parseScript(utf8Encode(text), 'ceremony.yaml').script.keys[1]!.attestation).toEqual({
      files: ['vendor-attestations/fleet-session-2.pem', 'vendor-attestations/device.pem'],
    });
  });

  it('schema: files is required', () => {
    const { text, line } = change(
      `      files:
        - vendor-attestations/fleet-session-2.pem
        - vendor-attestations/device.pem
`,
      '',
    );
    expectOne(issuesOf(text), 'SCRIPT_MISSING_FIELD', line - 2, 'keys[1].attestation.files is missing');
  });

  it('schema: at least one file', () => {
    const { text, line } = change(
      `      files:
        - vendor-attestations/fleet-session-2.pem
        - vendor-attestations/device.pem
`,
      '      files: []\n',
    );
    expectOne(issuesOf(text), 'SCRIPT_OUT_OF_RANGE', line, 'keys[1].attestation.files must have at least 1');
  });

  it('schema: at most eight files', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `        - f${i}.pem\n`).join('');
    const { text, line } = change('        - vendor-attestations/device.pem\n', nine);
    expectOne(
      issuesOf(text),
      'SCRIPT_OUT_OF_RANGE',
      line - 2, // at files:
      'keys[1].attestation.files must have at most 8',
    );
  });

  it('schema: a file listed twice', () => {
    const { text, line } = change(
      '        - vendor-attestations/device.pem\n',
      '        - vendor-attestations/fleet-session-2.pem\n',
    );
    expectOne(
      issuesOf(text),
      'SCRIPT_DUPLICATE_ID',
      line,
      'keys[1].attestation.files[1] repeats keys[1].attestation.files[0]',
    );
  });

  it('schema: an unknown key under attestation', () => {
    const { text, line } = change('      format: yubihsm2\n', '      format: yubihsm2\n      root: x.pem\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_UNKNOWN_KEY',
      line + 1,
      'keys[1].attestation.root is not a known key (keys[1].attestation takes files or format)',
    );
  });

  it('schema: a format that is not a format id', () => {
    const { text, line } = change('      format: yubihsm2\n', '      format: YubiHSM 2\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_FORMAT',
      line,
      'keys[1].attestation.format must be an attestation format id',
    );
  });

  it.each(['emulated-x509/v1', 'pkcs11-attributes/v1', 'acme-hsm/v9'])(
    'rule: the format %s is not a vendor format read from files',
    (format) => {
      const { text, line } = change('      format: yubihsm2\n', `      format: ${format}\n`);
      expectOne(
        issuesOf(text),
        'SCRIPT_BAD_VALUE',
        line,
        `keys[1].attestation.format can only be ${vendorAttestationFormats().slice(0, -1).join(', ')} or fortanix-dsm (got "${format}")`,
      );
    },
  );

  it('rule: the HSM must pin vendorRoot', () => {
    const from = `    expectedSerial: '31650425'\n    vendorRoot: vendor/root.pem\n`;
    const { text } = change(from, `    expectedSerial: '31650425'\n`);
    expectOne(
      issuesOf(text),
      'SCRIPT_MISSING_FIELD',
      lineOf(text, '    attestation:'),
      'keys[1].attestation needs hsms[1].vendorRoot',
    );
  });

  it('rule: an emulated HSM cannot have vendor attestation files', () => {
    const { text } = mutate(KEY2, KEY2_VENDOR.replace('p256', 'x25519'));
    expectOne(
      issuesOf(text),
      'SCRIPT_CONFLICT',
      lineOf(text, '    attestation:'),
      'keys[1].attestation can only be used on a pkcs11 HSM: hsm-2 is emulated',
    );
  });

  it('rule: every key of the HSM is attested the same way', () => {
    const extra = `  - label: fleet-session-2b
    hsm: hsm-2
    algorithm: p256
    role: session
`;
    const { text, line } = change('  - label: fleet-session-3\n', `${extra}  - label: fleet-session-3\n`);
    expectOne(
      issuesOf(text),
      'SCRIPT_MISSING_FIELD',
      line,
      'keys[2].attestation is missing: keys[1] on hsm-2 has vendor attestation files',
    );
  });

  it('the vendor formats are the registered formats intake reads, without the emulated one', () => {
    const registered = attestationFormats().map((f) => f.id);
    expect(vendorAttestationFormats()).toEqual(
      INTAKE_FORMATS.filter((f) => f !== 'emulated-x509/v1' && registered.includes(f)),
    );
    expect(vendorAttestationFormats()).toHaveLength(8);
    expect(vendorAttestationFormats()).not.toContain('pkcs11-attributes/v1');
  });

  it('the schema describes the field and names every vendor format', () => {
    const schema = JSON.parse(
      readFileSync(join(repo, 'templates/schema/ceremony-script.schema.json'), 'utf8'),
    ) as {
      properties: {
        keys: {
          items: { properties: Record<string, { properties: Record<string, { description: string }> }> };
        };
      };
    };
    const att = schema.properties.keys.items.properties['attestation']!;
    for (const f of vendorAttestationFormats()) expect(att.properties['format']!.description).toContain(f);
  });

  it('templates/fleet-deployment.yaml names vendor attestation files for every key of an HSM with a vendor root', () => {
    const { script } = parseScript(
      readFileSync(join(repo, 'templates/fleet-deployment.yaml')),
      'fleet-deployment.yaml',
    );
    const pinned = new Set(script.hsms.filter((h) => h.vendorRoot !== undefined).map((h) => h.id));
    expect(pinned.size).toBe(script.hsms.length);
    for (const k of script.keys) {
      expect(pinned.has(k.hsm)).toBe(true);
      expect(k.attestation?.format).toBe('yubihsm2');
      expect(k.attestation?.files).toEqual([
        `vendor-attestations/${k.label}.pem`,
        `vendor-attestations/${k.hsm}-device.pem`,
      ]);
    }
  });
});
