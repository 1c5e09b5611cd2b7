/**
 * Vendor attestation files (`keys[].attestation`, docs/ceremony-script.md §6) end to end, with
 * real components: three SoftHSM2 tokens through PKCS#11, the real CLI (`run`, `resume`,
 * `verify`), the local rehearsal witness and the offline verifier.
 *
 * hsm-2's fleet key (P-256, generated in SoftHSM2) is attested by files a YubiHSM 2 would write:
 * a key attestation certificate of exactly that public key, and the device certificate and sub-CA,
 * issued by a test hierarchy (../unit/attest/support/cert-write.ts) whose root the script pins in
 * `hsms[1].vendorRoot`, next to the real Yubico YubiHSM root (so a real sample verifies up to the
 * policy). SoftHSM2 cannot be told a serial, so the test writes hsm-2's token serial as the
 * YubiHSM serial 31650425 into the token's own file before any process loads the module.
 *
 * The flow is the operator's: `run` stops at collect-attestations because the files are not
 * there yet; each refused set of files is written and `resume` refuses it, naming the key and the
 * code and saving nothing for that key; the right files complete the ceremony; `verify` accepts
 * the evidence package under a trust file pinning the test root. The cases share one ceremony
 * and run in order.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFleetKeySet } from '../../ceremony/bundle/index.js';
import { hexEncode, pemDecodeAll, pemEncode } from '../../ceremony/codec/index.js';
import { DEMO_HSMS, DEMO_NAMESPACE, DEMO_WITNESS_ORIGIN, demoTrustFile } from '../../ceremony/demo/index.js';
import { demoScript } from '../../ceremony/demo/script.js';
import { openHsm } from '../../ceremony/hsm/index.js';
import { listPkcs11Tokens } from '../../ceremony/hsm/pkcs11/index.js';
import { generateIdentityKeyFile } from '../../ceremony/runner/identity-key.js';
import { createStepRegistry } from '../../ceremony/runner/registry.js';
import {
  DEFAULT_WITNESS_DIR,
  registerCeremonyStepKinds,
} from '../../ceremony/runner/steps/ceremony/index.js';
import { attestationPaths } from '../../ceremony/verify/layout.js';
import { addNamespace, witnessKeygen } from '../../ceremony/witness/index.js';
import type { EvidenceReport } from '../../ceremony/verify/index.js';
import { basicConstraints, keyUsage } from '../unit/attest/support/emulated-fixtures.js';
import { newSigner, writeCert } from '../unit/attest/support/cert-write.js';
import type { TestSigner } from '../unit/attest/support/cert-write.js';
import { oid, seq, tlv } from '../unit/attest/support/der-write.js';
import { hsm as yubi } from '../unit/attest/support/yubico-fixtures.js';
import { repoRoot, runCli } from '../support/cli.js';
import type { CliResult } from '../support/cli.js';
import { softHsmModule, tokenBaseDir } from './softhsm.js';

const exec = promisify(execFile);

const SERIAL = 31650425; // the real sample's serial, so only its key differs
const KEY = 'fleet-session-2';
const WHERE = `hsm-2/${KEY}`;
const FILES = { key: 'vendor-attestations/fleet-session-2.pem', chain: 'vendor-attestations/device.pem' };
const VECTORS = join(repoRoot, 'test/vectors/attestation');
const NB = new Date('2017-01-01T00:00:00Z'); // as YubiHSM certificates have it
const NA = new Date('2071-10-05T00:00:00Z');

/** A YubiHSM-shaped test hierarchy: root → sub-CA → one device certificate per serial. */
interface TestYubico {
  root: Uint8Array;
  sub: Uint8Array;
  device(serial: number): Promise<{ cert: Uint8Array; cn: string; signer: TestSigner }>;
}

async function testYubico(): Promise<TestYubico> {
  const [r, s] = [await newSigner('rsa'), await newSigner('rsa')];
  const ROOT = 'Test YubiHSM Root CA';
  const SUB = 'Test YubiHSM Sub-CA';
  const cert = (
    subject: string,
    issuer: string,
    spki: Uint8Array,
    ext: Parameters<typeof writeCert>[0]['extensions'],
    by: TestSigner,
  ) => writeCert({ subject, issuer, notBefore: NB, notAfter: NA, spki, extensions: ext ?? [] }, by);
  return {
    root: await cert(ROOT, ROOT, r.spki, [basicConstraints(true, 2), keyUsage(5, 6)], r),
    sub: await cert(SUB, ROOT, s.spki, [basicConstraints(true, 1), keyUsage(5, 6)], r),
    async device(serial) {
      const d = await newSigner('rsa');
      const cn = `Test YubiHSM Attestation (${serial})`;
      const ext = [yubi.firmware(2, 4, 0), yubi.serial(serial), basicConstraints(true, 0)];
      return { cert: await cert(cn, SUB, d.spki, ext, s), cn, signer: d };
    },
  };
}

/** SubjectPublicKeyInfo of a P-256 point (RFC 5480). */
const p256Spki = (point: Uint8Array) =>
  seq(seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), tlv(0x03, [0, ...point]));

/** The files yubihsm-shell would write for a key: its attestation certificate, and the device chain. */
async function yubiHsmFiles(
  y: TestYubico,
  spki: Uint8Array,
  o: { serial?: number; origin?: number } = {},
): Promise<{ key: string; chain: string }> {
  const serial = o.serial ?? SERIAL;
  const device = await y.device(serial);
  const ext = [
    yubi.firmware(2, 4, 0),
    yubi.serial(serial),
    yubi.origin(o.origin ?? 0x01),
    yubi.domains(0x0001),
    yubi.capabilities(1n << 11n), // derive-ecdh
    yubi.objectId(0x0042),
    yubi.label(KEY),
  ];
  const cert = await writeCert(
    {
      subject: 'YubiHSM Attestation id:0x0042',
      issuer: device.cn,
      notBefore: NB,
      notAfter: NA,
      spki,
      extensions: ext,
    },
    device.signer,
  );
  return {
    key: pemEncode('CERTIFICATE', cert),
    chain: pemEncode('CERTIFICATE', device.cert) + pemEncode('CERTIFICATE', y.sub),
  };
}

/** Sets hsm-2's token serial to SERIAL in SoftHSM2's token file (attribute CKA_OS_TOKENSERIAL). */
function setTokenSerial(tokenDir: string, serial: string): void {
  const marker = Buffer.from('000000008000534a0000000000000003', 'hex'); // type, kind: byte string
  for (const d of readdirSync(tokenDir)) {
    const file = join(tokenDir, d, 'token.object');
    const b = readFileSync(file);
    if (!b.includes(Buffer.from('fleet-demo-2 '))) continue;
    const at = b.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const len = Number(b.readBigUInt64BE(at + marker.length));
    expect(len).toBe(16);
    Buffer.from(serial.padEnd(16, ' ')).copy(b, at + marker.length + 8);
    writeFileSync(file, b);
    return;
  }
  expect.fail('token fleet-demo-2 not found');
}

interface Ceremony {
  dir: string;
  script: string;
  workdir: string;
  trust: string;
  env: Record<string, string>;
  yubico: TestYubico;
}

/** Tokens, identities, operator key, witness (pinning the test root), trust file and script. */
async function setUp(): Promise<Ceremony> {
  const module = softHsmModule();
  const dir = mkdtempSync(join(tokenBaseDir(), 'fc-vendor-att-'));
  const tokenDir = join(dir, 'softhsm', 'tokens');
  mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
  const conf = join(dir, 'softhsm', 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const pins = Object.fromEntries(DEMO_HSMS.map((h) => [h.pinEnv, randomBytes(8).toString('hex')]));
  for (const h of DEMO_HSMS)
    await exec(
      'softhsm2-util',
      [
        '--init-token',
        '--free',
        '--label',
        h.token,
        '--pin',
        pins[h.pinEnv]!,
        '--so-pin',
        randomBytes(8).toString('hex'),
      ],
      { env: { ...process.env, SOFTHSM2_CONF: conf } },
    );
  setTokenSerial(tokenDir, String(SERIAL));
  process.env['SOFTHSM2_CONF'] = conf; // before this process loads the module
  const listed = await listPkcs11Tokens(module);
  const byHsm = new Map(
    DEMO_HSMS.map((h) => [h.id, { label: h.token, serial: listed.find((t) => t.label === h.token)!.serial }]),
  );
  expect(byHsm.get('hsm-2')!.serial).toBe(String(SERIAL));

  mkdirSync(join(dir, 'participants'), { mode: 0o700 });
  const ids = ['admin', 'int-witness', 'co-1', 'co-2', 'co-3', 'co-4', 'co-5', 'op-signer'];
  const publicKeys = new Map(
    ids.map((id) => [id, hexEncode(generateIdentityKeyFile(join(dir, 'participants', `${id}.key`)))]),
  );
  const h1 = await openHsm({
    backend: 'pkcs11',
    module,
    tokenLabel: 'fleet-demo-1',
    pin: pins['FLEET_HSM1_PIN']!,
  });
  const operator = {
    algorithm: 'ed25519' as const,
    publicKey: (await h1.generateKey({ label: 'operator-countersign', algorithm: 'ed25519' })).publicKey,
  };
  await h1.close();

  const yubico = await testYubico();
  mkdirSync(join(dir, 'vendor'));
  const yubicoRoot = readFileSync(join(VECTORS, 'yubihsm2/yubihsm-root-ca.pem'), 'utf8');
  writeFileSync(join(dir, 'vendor', 'roots.pem'), pemEncode('CERTIFICATE', yubico.root) + yubicoRoot);

  const w = await witnessKeygen({ dir: join(dir, DEFAULT_WITNESS_DIR), origin: DEMO_WITNESS_ORIGIN });
  addNamespace(join(dir, DEFAULT_WITNESS_DIR), {
    name: DEMO_NAMESPACE,
    root: 'genesis',
    profile: 'rehearsal',
    online: true,
    vendorRoots: [yubico.root],
    operators: [{ name: 'fleet-rehearsal', ...operator }],
  });
  const trust = JSON.parse(
    demoTrustFile({
      namespace: DEMO_NAMESPACE,
      witnessKeys: [{ publicKey: w.statementPublicKey, notBefore: w.notBefore }],
      logVerifierKey: w.logVerifierKey,
      operator,
      vendorRoots: [yubico.root],
    }),
  ) as { hsm_vendor_roots: { name: string }[] };
  trust.hsm_vendor_roots[0]!.name = 'Test YubiHSM hierarchy (tests only)';
  writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust, null, 2) + '\n');

  const registry = registerCeremonyStepKinds(createStepRegistry());
  const doc = parseDocument(
    Buffer.from(
      demoScript(
        { publicKeys, namespace: DEMO_NAMESPACE, vendorRoot: '', tokens: { module, byHsm } },
        registry,
      ),
    ).toString('utf8'),
  );
  const hsm2 = (doc.get('hsms') as YAMLSeq<YAMLMap>).items[1]!;
  hsm2.set('vendorRoot', 'vendor/roots.pem');
  const key2 = (doc.get('keys') as YAMLSeq<YAMLMap>).items.find((k) => k.get('label') === KEY)!;
  key2.set('attestation', doc.createNode({ format: 'yubihsm2', files: [FILES.key, FILES.chain] }));
  const script = join(dir, 'ceremony.yaml');
  writeFileSync(script, doc.toString({ lineWidth: 0 }));
  mkdirSync(join(dir, 'vendor-attestations'));
  return {
    dir,
    script,
    workdir: join(dir, 'work'),
    trust: join(dir, 'trust.json'),
    env: { ...pins, SOFTHSM2_CONF: conf },
    yubico,
  };
}

let c: Ceremony;
const cli = (args: string[]): Promise<CliResult> => runCli(args, { env: c.env, timeoutMs: 120_000 });
const resume = () => cli(['resume', c.workdir, '--yes']);
const savedFor = (label: string) => existsSync(join(c.workdir, 'attestations', `${label}.json`));
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** The fleet key's public key, as generate-keys recorded it in the transcript. */
function fleetKeyPoint(): Uint8Array {
  const lines = readFileSync(join(c.workdir, 'transcript.jsonl'), 'utf8').trim().split('\n');
  const note = lines
    .map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> })
    .find((r) => r.kind === 'note' && r.data['event'] === 'fleet-key' && r.data['label'] === KEY)!;
  return Buffer.from(String(note.data['publicKey']), 'hex');
}

function writeFiles(f: { key: string; chain: string }): void {
  writeFileSync(join(c.dir, FILES.key), f.key);
  writeFileSync(join(c.dir, FILES.chain), f.chain);
}

/** A refused resume: the exit code, the key and every code named; nothing saved for the key. */
function expectRefused(r: CliResult, status: number, ...codes: string[]): void {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stderr).toContain(WHERE);
  for (const code of codes) expect(r.stderr).toContain(code);
  expect(savedFor(KEY)).toBe(false);
  expect(savedFor('fleet-session-1')).toBe(true); // the key before it, attested by its HSM
}

beforeAll(async () => {
  c = await setUp();
}, 120_000);
const conf = process.env['SOFTHSM2_CONF'];
afterAll(() => {
  if (conf === undefined) delete process.env['SOFTHSM2_CONF'];
  else process.env['SOFTHSM2_CONF'] = conf;
  if (c !== undefined) rmSync(c.dir, { recursive: true, force: true });
});

describe('a key attested by vendor files (YubiHSM 2 shaped, on SoftHSM2)', () => {
  it('run stops at collect-attestations until the vendor tool has written the files', async () => {
    const r = await cli(['run', c.script, '--yes']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('CEREMONY_VENDOR_ATTESTATION_MISSING');
    expect(r.stderr).toContain(`keys[1].attestation.files: ${WHERE}: no such file`);
    expect(r.stderr).toContain(`[0] ${FILES.key}, [1] ${FILES.chain}`);
    expect(r.stderr).toContain('after the generate-keys step');
    expect(fleetKeyPoint()).toHaveLength(65);
    expect(savedFor(KEY)).toBe(false);
  }, 120_000);

  it('refuses the attestation of another key (a fixture certificate for a different public key)', async () => {
    const other = (await newSigner('p256')).spki;
    writeFiles(await yubiHsmFiles(c.yubico, other));
    expectRefused(await resume(), 1, 'CEREMONY_ATTESTATION_REFUSED', 'ATTEST_PUBLIC_KEY_MISMATCH');
  }, 120_000);

  it('refuses a real YubiHSM 2 sample, which verifies under the real Yubico root but attests another key', async () => {
    const v = (f: string) => readFileSync(join(VECTORS, 'yubihsm2', f), 'utf8');
    writeFiles({
      key: v('key-0x7e57-attestation.pem'),
      chain: v('device-31650425-attestation-cert.pem') + v('yubihsm-6742036-sub-ca.pem'),
    });
    const r = await resume();
    expectRefused(r, 1, 'ATTEST_PUBLIC_KEY_MISMATCH');
    // The chain is good (the second root in vendor/roots.pem) and the serial is the script's.
    expect(r.stderr).not.toContain('ATTEST_CHAIN_UNTRUSTED');
    expect(r.stderr).not.toContain('ATTEST_SERIAL_MISMATCH');
  }, 120_000);

  it('refuses a device serial that is not the script’s expectedSerial', async () => {
    writeFiles(await yubiHsmFiles(c.yubico, p256Spki(fleetKeyPoint()), { serial: 1234 }));
    const r = await resume();
    expectRefused(r, 1, 'ATTEST_SERIAL_MISMATCH', '"1234"');
    expect(r.stderr).not.toContain('ATTEST_PUBLIC_KEY_MISMATCH');
  }, 120_000);

  it('refuses a key the device says was imported', async () => {
    writeFiles(await yubiHsmFiles(c.yubico, p256Spki(fleetKeyPoint()), { origin: 0x02 }));
    const r = await resume();
    expectRefused(r, 1, 'ATTEST_KEY_IMPORTED');
    expect(r.stderr).not.toContain('ATTEST_PUBLIC_KEY_MISMATCH');
  }, 120_000);

  it('refuses files of another format than the script’s format: (a YubiKey PIV attestation)', async () => {
    const piv = join(VECTORS, 'yubikey-piv/sigstore-2022-10-18');
    writeFiles({
      key: readFileSync(join(piv, '13078778_key_cert.pem'), 'utf8'),
      chain: readFileSync(join(piv, '13078778_device_cert.pem'), 'utf8'),
    });
    const r = await resume();
    expectRefused(r, 2, 'ATTEST_INTAKE_INVALID', 'yubikey-piv', 'not yubihsm2', 'keys[1].attestation.files');
  }, 120_000);

  it('accepts the attestation of the fleet key; resume completes the ceremony', async () => {
    const files = await yubiHsmFiles(c.yubico, p256Spki(fleetKeyPoint()));
    writeFiles(files);
    const r = await resume();
    expect(r.status, r.stderr).toBe(0);
    expect(savedFor(KEY)).toBe(true);

    // The transcript notes the files' digests and that the key alone binds the attestation.
    const records = readFileSync(join(c.workdir, 'transcript.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
    const notes = records.filter(
      (r) => r.kind === 'note' && r.data['event'] === 'attestation' && r.data['key'] === KEY,
    );
    expect(notes).toHaveLength(1);
    expect(notes[0]!.data).toMatchObject({
      hsm: 'hsm-2',
      format: 'yubihsm2',
      level: 'hardware-vendor',
      serial: String(SERIAL),
      origin: 'generated',
      source: 'vendor-files',
      files: [
        { path: FILES.key, sha256: sha256(files.key) },
        { path: FILES.chain, sha256: sha256(files.chain) },
      ],
      binding: expect.stringContaining('public key alone'),
    });
    // The identity step accepted hsm-2 without a device chain: its certificates came with the files.
    const identity = records.find(
      (r) => r.kind === 'note' && r.data['event'] === 'hsm-identity' && r.data['hsm'] === 'hsm-2',
    )!;
    expect(identity.data['identity']).toBe('vendor-attestation-files');

    // The fleet key set records the attestation digest and the level hardware-vendor.
    const ks = decodeFleetKeySet(readFileSync(join(c.workdir, 'fleet-key-set.cbor')));
    const statement = pemDecodeAll(files.key, 'CERTIFICATE')[0]!.der;
    expect(hexEncode(ks.keys.find((k) => k.keyId === KEY)!.attestationDigest)).toBe(sha256(statement));
    expect(ks.hsms.map((h) => [h.id, h.attestationLevel])).toEqual([
      ['hsm-1', 'pkcs11-attributes'],
      ['hsm-2', 'hardware-vendor'],
      ['hsm-3', 'pkcs11-attributes'],
    ]);
  }, 180_000);

  it('the offline verifier accepts the evidence package and shows the yubihsm2 attestation', async () => {
    const evidence = join(c.dir, 'evidence');
    const paths = attestationPaths('hsm-2', KEY);
    const statement = readFileSync(join(evidence, paths.statement));
    expect(sha256(statement)).toBe(
      sha256(pemDecodeAll(readFileSync(join(c.dir, FILES.key), 'utf8'), 'CERTIFICATE')[0]!.der),
    );
    const r = await cli(['verify', evidence, '--trust', c.trust, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as EvidenceReport;
    expect(report.ok).toBe(true);
    const check = report.checks.find((x) => x.id === `attestation:${KEY}`)!;
    expect(check.ok).toBe(true);
    expect(check.reason).toContain('yubihsm2, level hardware-vendor');
    expect(check.reason).toContain(`serial ${SERIAL}`);
    expect(check.reason).toContain('Test YubiHSM Root CA');
    expect(check.reason).toContain('bound by the expected key');

    // Under a trust file that pins no vendor root, the same package does not verify.
    const bare = JSON.parse(readFileSync(c.trust, 'utf8')) as Record<string, unknown>;
    delete bare['hsm_vendor_roots'];
    const bareFile = join(c.dir, 'trust-bare.json');
    writeFileSync(bareFile, JSON.stringify(bare, null, 2) + '\n');
    const refused = await cli(['verify', evidence, '--trust', bareFile, '--json']);
    expect(refused.status).toBe(1);
    const bad = (JSON.parse(refused.stdout) as EvidenceReport).checks.find(
      (x) => x.id === `attestation:${KEY}`,
    )!;
    expect(bad.ok).toBe(false);
    expect(bad.code).toBe('ATTEST_CHAIN_UNTRUSTED');
  }, 120_000);
});
