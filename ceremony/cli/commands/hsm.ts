/**
 * `fleet-ceremony hsm ...`: emulated vendors and devices, PKCS#11 token listing, device info, key
 * generation, attestation, zeroisation (docs/hsm.md, "CLI"). Thin: flags → library → output.
 * With --json, stdout carries exactly the JSON; human text goes to stderr. PINs come from
 * `--pin-env VAR` (default FLEET_HSM_PIN) or a hidden prompt, and are never printed.
 */
import { createInterface } from 'node:readline/promises';
import type { Argv, CommandModule } from 'yargs';
import { hexDecode, hexEncode, pemEncode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import type { KeyAttestation } from '../../attest/types.js';
import { EMULATED_FORMAT } from '../../attest/emulated/oids.js';
import { DEFAULT_PIN_ENV } from '../../hsm/pin.js';
import type { Hsm, KeyAlgorithm, KeyInfo } from '../../hsm/index.js';
import { command, printJson, say } from '../run.js';
import { openSelectedDevice, withDeviceOptions } from '../options/device.js';
import type { DeviceArgs as DeviceFlags } from '../options/device.js';

/**
 * The HSM library, loaded when a command runs (not for --help, nor for other commands of the CLI):
 * it pulls in the curve, ASN.1 and CBOR code.
 */
const lib = () => import('../../hsm/index.js');
const files = () => import('../../io/index.js');

interface Common {
  json: boolean;
}
type DeviceArgs = Common & DeviceFlags;

const common = <T>(y: Argv<T>) =>
  y.option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' });

const device = <T>(y: Argv<T>) => withDeviceOptions(common(y));

async function withDevice<T>(a: DeviceArgs, f: (hsm: Hsm) => Promise<T>): Promise<T> {
  const hsm = await openSelectedDevice(a);
  try {
    return await f(hsm);
  } finally {
    await hsm.close();
  }
}

const fingerprint = (der: Uint8Array) => hexEncode(sha256(der));
const keyJson = (k: KeyInfo) => ({
  label: k.label,
  algorithm: k.algorithm,
  usages: k.usages,
  publicKey: hexEncode(k.publicKey),
});

/** PEM of an attestation: the statement (a CERTIFICATE for emulated-x509/v1), then its chain. */
function attestationPem(att: KeyAttestation): string {
  const label = att.format === EMULATED_FORMAT ? 'CERTIFICATE' : 'ATTESTATION STATEMENT';
  return [pemEncode(label, att.statement), ...att.chain.map((c) => pemEncode('CERTIFICATE', c))].join('');
}

const vendorInit: CommandModule<object, Common & { dir: string; name?: string }> = {
  command: 'vendor-init <dir>',
  describe: 'create an EMULATED HSM vendor (a CA whose root certifies emulated devices)',
  builder: (y) =>
    common(y)
      .positional('dir', { type: 'string', demandOption: true, describe: 'directory to create' })
      .option('name', { type: 'string', describe: 'vendor name (default fleet-ceremony)' }),
  handler: command(async (a) => {
    const { createEmulatedVendor } = await lib();
    const v = await createEmulatedVendor(a.dir, a.name === undefined ? {} : { name: a.name });
    const out = {
      dir: v.dir,
      name: v.name,
      rootCertificate: v.rootCertificatePath,
      rootSha256: fingerprint(v.rootCertificate),
      emulated: true,
    };
    say(`Created the EMULATED vendor "${v.name}" in ${v.dir}.`);
    say(`Vendor root: ${out.rootCertificate} (SHA-256 ${out.rootSha256}).`);
    say('Evidence from its devices is accepted only under the rehearsal profile, never in production.');
    if (a.json) printJson(out);
  }),
};

const initEmulated: CommandModule<
  object,
  Common & {
    vendor: string;
    serial: string;
    dir: string;
    model?: string;
    firmware?: string;
    label?: string;
    'pin-env': string;
    'scrypt-log2n': number;
  }
> = {
  command: 'init-emulated',
  describe: 'create and enrol an emulated HSM (its device certificate comes from the vendor root)',
  builder: (y) =>
    common(y)
      .option('vendor', { type: 'string', demandOption: true, describe: 'emulated vendor directory' })
      .option('serial', { type: 'string', demandOption: true, describe: 'device serial number' })
      .option('dir', { type: 'string', demandOption: true, describe: 'state directory to create' })
      .option('model', { type: 'string', describe: 'device model' })
      .option('firmware', { type: 'string', describe: 'firmware version' })
      .option('label', { type: 'string', describe: 'device label' })
      .option('pin-env', {
        type: 'string',
        default: DEFAULT_PIN_ENV,
        describe: 'environment variable holding the new PIN',
      })
      .option('scrypt-log2n', {
        type: 'number',
        default: 17,
        describe: 'scrypt cost log2(N); lower it only for tests (min 10)',
      }),
  handler: command(async (a) => {
    const { enrollEmulatedDevice, resolvePin } = await lib();
    const pin = await resolvePin({
      env: a['pin-env'],
      label: `new PIN for device ${a.serial}`,
      confirm: true,
    });
    const r = await enrollEmulatedDevice({
      vendorDir: a.vendor,
      serial: a.serial,
      dir: a.dir,
      pin,
      ...(a.model === undefined ? {} : { model: a.model }),
      ...(a.firmware === undefined ? {} : { firmware: a.firmware }),
      ...(a.label === undefined ? {} : { label: a.label }),
      kdf: { log2N: a['scrypt-log2n'], r: 8, p: 1 },
    });
    const [deviceCert, root] = r.chain as [Uint8Array, Uint8Array];
    say(`Enrolled emulated HSM ${r.info.serial} (${r.info.model}, firmware ${r.info.firmware}) in ${r.dir}.`);
    say(`Device certificate SHA-256 ${fingerprint(deviceCert)}, issued by vendor root ${fingerprint(root)}.`);
    if (a.json)
      printJson({
        dir: r.dir,
        ...r.info,
        deviceCertificateSha256: fingerprint(deviceCert),
        vendorRootSha256: fingerprint(root),
      });
  }),
};

const list: CommandModule<object, Common & { module?: string }> = {
  command: 'list',
  describe: 'list the slots and tokens of a PKCS#11 module',
  builder: (y) =>
    common(y).option('module', {
      type: 'string',
      describe: 'PKCS#11 module (default: FLEET_PKCS11_MODULE or SoftHSM2)',
    }),
  handler: command(async (a) => {
    const { defaultPkcs11Module, listTokens } = await lib();
    const module = a.module ?? (await defaultPkcs11Module());
    if (module === undefined)
      throw new UsageError(
        'PKCS11_MODULE_REQUIRED',
        'no PKCS#11 module found: pass --module PATH or set FLEET_PKCS11_MODULE',
      );
    const tokens = await listTokens(module);
    say(`${module}: ${tokens.length} token(s)`);
    for (const t of tokens)
      say(
        `  slot ${t.slotId}: "${t.label}" ${t.manufacturer} ${t.model} serial ${t.serial} firmware ${t.firmware}${t.initialized ? '' : ' (not initialised)'}`,
      );
    if (a.json) printJson({ module, tokens });
  }),
};

const info: CommandModule<object, DeviceArgs> = {
  command: 'info',
  describe: 'show a device, its keys and its identity chain',
  builder: device,
  handler: command(async (a) => {
    const out = await withDevice(a, async (h) => ({
      device: await h.info(),
      keys: (await h.listKeys()).map(keyJson),
      identityChain: (await h.identityChain()).map((c) => ({ sha256: fingerprint(c) })),
    }));
    const d = out.device;
    say(`${d.backend} HSM "${d.label}": ${d.vendor} ${d.model}, serial ${d.serial}, firmware ${d.firmware}`);
    for (const k of out.keys)
      say(`  key "${k.label}" ${k.algorithm} [${k.usages.join(', ')}] ${k.publicKey}`);
    if (a.json) printJson(out);
  }),
};

const keygen: CommandModule<object, DeviceArgs & { label: string; alg: string; usage?: string[] }> = {
  command: 'keygen',
  describe: 'generate a key pair inside the device (refuses an existing label), then self-test it',
  builder: (y) =>
    device(y)
      .option('label', { type: 'string', demandOption: true, describe: 'label of the new key' })
      .option('alg', {
        type: 'string',
        demandOption: true,
        choices: ['ed25519', 'p256', 'x25519'],
        describe: 'algorithm',
      })
      .option('usage', {
        type: 'string',
        array: true,
        choices: ['sign', 'derive'],
        describe: 'usages (default per algorithm)',
      }),
  handler: command(async (a) => {
    const k = await withDevice(a, (h) =>
      h.generateKey({
        label: a.label,
        algorithm: a.alg as KeyAlgorithm,
        ...(a.usage === undefined ? {} : { usages: a.usage as KeyInfo['usages'] }),
      }),
    );
    say(`Generated ${k.algorithm} key "${k.label}" [${k.usages.join(', ')}]; self-test passed.`);
    say(`Public key: ${hexEncode(k.publicKey)}`);
    if (a.json) printJson({ ...keyJson(k), selfTest: 'passed' });
  }),
};

const attest: CommandModule<object, DeviceArgs & { label: string; challenge: string; out?: string }> = {
  command: 'attest',
  describe: 'attest a key, bound to a challenge; PEM (statement, then chain) to --out or stdout',
  builder: (y) =>
    device(y)
      .option('label', { type: 'string', demandOption: true, describe: 'label of the key' })
      .option('challenge', {
        type: 'string',
        demandOption: true,
        describe: 'challenge (hex), e.g. the ceremony nonce',
      })
      .option('out', { type: 'string', describe: 'file to create (never overwritten)' }),
  handler: command(async (a) => {
    const challenge = hexDecode(a.challenge, 'challenge');
    const att = await withDevice(a, (h) => h.attestKey(a.label, challenge));
    const pem = attestationPem(att);
    if (a.out !== undefined) {
      (await files()).writeFileExclusive(a.out, pem, 0o644);
      say(`Wrote the ${att.format} attestation of "${a.label}" to ${a.out}.`);
    }
    if (a.json) {
      printJson({
        label: a.label,
        format: att.format,
        challenge: hexEncode(challenge),
        statementSha256: fingerprint(att.statement),
        pem,
        ...(a.out === undefined ? {} : { out: a.out }),
      });
    } else if (a.out === undefined) process.stdout.write(pem);
  }),
};

const zeroize: CommandModule<object, Common & { dir: string; yes: boolean }> = {
  command: 'zeroize',
  describe: 'destroy every key and secret of an emulated HSM (like a reset button: no PIN needed)',
  builder: (y) =>
    common(y)
      .option('dir', { type: 'string', demandOption: true, describe: 'state directory of the emulated HSM' })
      .option('yes', { type: 'boolean', default: false, describe: 'do not ask for the typed confirmation' }),
  handler: command(async (a) => {
    const { readDeviceDescriptor, zeroizeEmulatedDevice } = await lib();
    const { record } = readDeviceDescriptor(a.dir);
    if (!a.yes) {
      if (process.stdin.isTTY !== true)
        throw new UsageError(
          'HSM_CONFIRMATION_REQUIRED',
          'zeroisation needs a typed confirmation on a terminal, or --yes',
        );
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(
        `Type the serial (${record.serial}) to destroy every key in ${a.dir}: `,
      );
      rl.close();
      if (answer.trim() !== record.serial)
        throw new UsageError('HSM_CONFIRMATION_MISMATCH', 'confirmation did not match; nothing was changed');
    }
    zeroizeEmulatedDevice(a.dir);
    say(
      `Zeroised the emulated HSM ${record.serial} in ${a.dir}: every key is gone and the device refuses use.`,
    );
    if (a.json) printJson({ dir: a.dir, serial: record.serial, zeroized: true });
  }),
};

/** The `hsm` command and its subcommands. */
export const hsmCommand: CommandModule<object, object> = {
  command: 'hsm <command>',
  describe: 'HSMs: emulated vendors and devices, PKCS#11 tokens, keys, attestations',
  builder: (y) =>
    y
      .command(vendorInit)
      .command(initEmulated)
      .command(list)
      .command(info)
      .command(keygen)
      .command(attest)
      .command(zeroize)
      .demandCommand(1, 'Name an hsm subcommand; see --help.'),
  handler: () => undefined,
};
