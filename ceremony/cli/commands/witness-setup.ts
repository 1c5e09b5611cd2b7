/**
 * `witness keygen`, `witness key rotate`, `witness namespace add|set`, `witness cosign add-log`:
 * the witness's keys and configuration (docs/witness.md, "CLI").
 */
import type { CommandModule } from 'yargs';
import { hexEncode } from '../../codec/index.js';
import { command, printJson, say } from '../run.js';
import { iso, parseTime, withData, withToken, witnessLib } from './witness-options.js';
import type { DataArgs, TokenArgs } from './witness-options.js';

type KeygenArgs = DataArgs & TokenArgs & { origin: string; 'cosigner-name'?: string; 'label-prefix': string };

/** `witness keygen`. */
export const keygen: CommandModule<object, KeygenArgs> = {
  command: 'keygen',
  describe: 'create the witness keys (statement, log, cosigner) and configuration in --data DIR',
  builder: (y) =>
    withToken(withData(y))
      .option('origin', {
        type: 'string',
        demandOption: true,
        describe: "the log's name (checkpoint origin)",
      })
      .option('cosigner-name', {
        type: 'string',
        describe: 'cosignature key name (default <origin>/cosigner)',
      })
      .option('label-prefix', { type: 'string', default: 'witness-', describe: 'PKCS#11 key label prefix' }),
  handler: command(async (a) => {
    const { witnessKeygen } = await witnessLib();
    let hsm;
    if (a.module !== undefined) {
      const { resolvePin } = await import('../../hsm/index.js');
      const pin = await resolvePin({ env: a['pin-env'], label: 'PIN of the witness token' });
      hsm = {
        module: a.module,
        pinEnv: a['pin-env'],
        pin,
        labelPrefix: a['label-prefix'],
        ...(a['token-label'] === undefined ? {} : { tokenLabel: a['token-label'] }),
        ...(a['token-serial'] === undefined ? {} : { tokenSerial: a['token-serial'] }),
      };
    }
    const cosignerName = a['cosigner-name'];
    const r = await witnessKeygen({
      dir: a.data,
      origin: a.origin,
      ...(cosignerName === undefined ? {} : { cosignerName }),
      ...(hsm === undefined ? {} : { hsm }),
    });
    const out = {
      dir: a.data,
      origin: a.origin,
      logVerifierKey: r.logVerifierKey,
      cosignerVerifierKey: r.cosignerVerifierKey,
      statementPublicKey: hexEncode(r.statementPublicKey),
      statementKeyId: r.statementKeyId,
      notBefore: r.notBefore,
      keys: hsm === undefined ? 'files' : 'pkcs11',
    };
    say(
      `Created the witness in ${a.data} (keys ${hsm === undefined ? 'in keys/, mode 0600' : 'in the token'}).`,
    );
    say(
      'Publish and pin the log verifier key, the statement public key (with not_before), the cosigner key.',
    );
    if (a.json) return printJson(out);
    process.stdout.write(
      `log-verifier-key ${out.logVerifierKey}\n` +
        `statement-public-key ${out.statementPublicKey} key-id ${out.statementKeyId} not-before ${iso(out.notBefore)}\n` +
        `cosigner-verifier-key ${out.cosignerVerifierKey}\n`,
    );
  }),
};

/** `witness key rotate`. */
export const rotate: CommandModule<object, DataArgs & { 'not-before'?: string }> = {
  command: 'rotate',
  describe: 'add a statement key that signs from --not-before on (old statements keep verifying)',
  builder: (y) =>
    withData(y).option('not-before', { type: 'string', describe: 'ISO 8601 time or ms (default now)' }),
  handler: command(async (a) => {
    const { rotateStatementKey } = await witnessLib();
    const nb = a['not-before'];
    const r = await rotateStatementKey({
      dir: a.data,
      ...(nb === undefined ? {} : { notBefore: parseTime(nb, 'not-before') }),
    });
    say(
      `Added statement key ${r.number} (key id ${r.keyId}), signing from ${iso(r.notBefore)}; restart the server.`,
    );
    const out = {
      publicKey: hexEncode(r.publicKey),
      keyId: r.keyId,
      notBefore: r.notBefore,
      number: r.number,
    };
    if (a.json) return printJson(out);
    process.stdout.write(
      `statement-public-key ${out.publicKey} key-id ${out.keyId} not-before ${iso(r.notBefore)}\n`,
    );
  }),
};

type NsArgs = DataArgs & { name: string; operator?: string[]; 'vendor-root'?: string[] };

/** `witness namespace add`. */
export const nsAdd: CommandModule<object, NsArgs & { root: string; profile: string; offline: boolean }> = {
  command: 'add <name>',
  describe: 'register a namespace with its initial root, profile, vendor roots and operators',
  builder: (y) =>
    withData(y)
      .positional('name', { type: 'string', demandOption: true, describe: 'the namespace' })
      .option('root', { type: 'string', default: 'genesis', describe: '"genesis" or <epoch>/<hex digest>' })
      .option('profile', { choices: ['rehearsal', 'production'], default: 'production' })
      .option('offline', { type: 'boolean', default: false, describe: 'register it offline' })
      .option('vendor-root', { type: 'string', array: true, describe: 'HSM vendor root(s), PEM or DER' })
      .option('operator', {
        type: 'string',
        array: true,
        describe: 'C2SP verifier key, or name:ed25519|p256:<hex>',
      }),
  handler: command(async (a) => {
    const { addNamespace, parseNamespaceRoot, parseOperatorSpec, readVendorRootFiles } = await witnessLib();
    const c = addNamespace(a.data, {
      name: a.name,
      root: parseNamespaceRoot(a.root),
      profile: a.profile as 'production' | 'rehearsal',
      online: !a.offline,
      vendorRoots: readVendorRootFiles(a['vendor-root'] ?? []),
      operators: (a.operator ?? []).map(parseOperatorSpec),
    });
    const ns = c.namespaces.find((n) => n.name === a.name)!;
    const out = {
      name: ns.name,
      profile: ns.profile,
      online: ns.online,
      root: a.root,
      operators: ns.operators,
      vendorRoots: ns.vendorRoots.length,
    };
    say(
      `Registered namespace ${ns.name}: ${ns.profile}, ${ns.online ? 'online' : 'offline'}, root ${a.root}, ` +
        `${out.vendorRoots} vendor root(s), operators ${ns.operators.join(', ') || 'none'}.`,
    );
    if (a.json) printJson(out);
  }),
};

/** `witness namespace set`. */
export const nsSet: CommandModule<object, NsArgs & { online?: boolean }> = {
  command: 'set <name>',
  describe: 'take a namespace online or offline, or add operators to it',
  builder: (y) =>
    withData(y)
      .positional('name', { type: 'string', demandOption: true })
      .option('online', { type: 'boolean', describe: '--online, or --no-online for offline' })
      .option('operator', { type: 'string', array: true, describe: 'operator to add' }),
  handler: command(async (a) => {
    const { parseOperatorSpec, updateNamespace } = await witnessLib();
    const addOperators = (a.operator ?? []).map(parseOperatorSpec);
    const c = updateNamespace(a.data, a.name, {
      ...(a.online === undefined ? {} : { online: a.online }),
      addOperators,
    });
    const ns = c.namespaces.find((n) => n.name === a.name)!;
    say(
      `Namespace ${ns.name} is ${ns.online ? 'online' : 'offline'}; operators ${ns.operators.join(', ') || 'none'}.`,
    );
    if (a.json) printJson({ name: ns.name, online: ns.online, operators: ns.operators });
  }),
};

/** `witness cosign add-log`. */
export const cosignAdd: CommandModule<object, DataArgs & { origin: string; vkey: string[] }> = {
  command: 'add-log',
  describe: 'cosign checkpoints of another log (tlog-witness add-checkpoint)',
  builder: (y) =>
    withData(y)
      .option('origin', { type: 'string', demandOption: true, describe: "the log's origin" })
      .option('vkey', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: "the log's verifier key(s)",
      }),
  handler: command(async (a) => {
    const { addCosignedLog } = await witnessLib();
    addCosignedLog(a.data, { origin: a.origin, verifierKeys: a.vkey });
    say(`The witness now cosigns ${a.origin} (${a.vkey.length} key(s)).`);
    if (a.json) printJson({ origin: a.origin, verifierKeys: a.vkey });
  }),
};
