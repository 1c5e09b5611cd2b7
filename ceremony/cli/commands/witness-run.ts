/**
 * `witness serve`, `witness sign` and `witness export-tiles` (docs/witness.md, "CLI").
 */
import { readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { writeFileExclusive } from '../../io/index.js';
import { command, printJson, say } from '../run.js';
import { withData, withJson, withToken, witnessLib } from './witness-options.js';
import type { DataArgs, JsonArgs, TokenArgs } from './witness-options.js';

/** `witness serve`. */
export const serve: CommandModule<object, DataArgs & { listen: string; 'log-requests': boolean }> = {
  command: 'serve',
  describe: 'serve the witness over HTTP until interrupted',
  builder: (y) =>
    withData(y)
      .option('listen', {
        type: 'string',
        default: '127.0.0.1:8080',
        describe: 'HOST:PORT (port 0: any free port)',
      })
      .option('log-requests', {
        type: 'boolean',
        default: false,
        describe: 'log requests as JSON on stdout',
      }),
  handler: command(async (a) => {
    const { serveWitness } = await witnessLib();
    const s = await serveWitness({ dir: a.data, listen: a.listen, logger: a['log-requests'] });
    const origin = s.witness.config().origin;
    say(`Witness ${origin} listening on ${s.url}`);
    if (a.json) printJson({ url: s.url, origin });
    await new Promise<void>((done) => {
      const stop = () => void s.close().then(done, done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    say('Witness stopped.');
  }),
};

type SignArgs = JsonArgs &
  TokenArgs & {
    url: string;
    'fleet-key-set': string;
    attestations: string;
    operator?: string;
    key?: string;
    'hsm-dir'?: string;
    'key-label'?: string;
    'countersign-label'?: string;
    out?: string;
  };

/** `witness sign`. */
export const sign: CommandModule<object, SignArgs> = {
  command: 'sign',
  describe: 'submit a fleet key set to a witness as an operator; verify, print and save the reply',
  builder: (y) =>
    withToken(withJson(y))
      .option('url', { type: 'string', demandOption: true, describe: 'the witness URL' })
      .option('fleet-key-set', { type: 'string', demandOption: true, describe: 'the fleet key set (CBOR)' })
      .option('attestations', { type: 'string', demandOption: true, describe: 'attestations file (JSON)' })
      .option('operator', { type: 'string', describe: "operator name (default: the key file's name)" })
      .option('key', { type: 'string', describe: 'request key: a C2SP signer-key file (mode 0600)' })
      .option('hsm-dir', { type: 'string', describe: 'emulated HSM holding the operator keys' })
      .option('key-label', { type: 'string', describe: 'request key in the HSM' })
      .option('countersign-label', { type: 'string', describe: 'counter-sign with this HSM key, upload it' })
      .option('out', { type: 'string', describe: 'save the reply JSON here (never overwritten)' }),
  handler: command(async (a) => {
    const { parseAttestationsJson, submitAsOperator } = await witnessLib();
    const r = await submitAsOperator({
      url: a.url,
      fleetKeySet: new Uint8Array(readFileSync(a['fleet-key-set'])),
      attestations: parseAttestationsJson(readFileSync(a.attestations, 'utf8'), a.attestations),
      device: {
        dir: a['hsm-dir'],
        module: a.module,
        tokenLabel: a['token-label'],
        tokenSerial: a['token-serial'],
        pinEnv: a['pin-env'],
      },
      ...(a.operator === undefined ? {} : { operator: a.operator }),
      ...(a.key === undefined ? {} : { keyFile: a.key }),
      ...(a['key-label'] === undefined ? {} : { keyLabel: a['key-label'] }),
      ...(a['countersign-label'] === undefined ? {} : { countersignLabel: a['countersign-label'] }),
    });
    const { namespace, epoch, keyId, logIndex } = r.reply;
    say(
      `The witness signed ${namespace} epoch ${epoch} (key id ${keyId}), log index ${logIndex}; reply verified.`,
    );
    if (r.countersignature) say(`Counter-signed (${r.countersignature.algorithm}) and uploaded.`);
    const text = JSON.stringify(r.json, null, 2) + '\n';
    if (a.out !== undefined) writeFileExclusive(a.out, text, 0o644, 'WITNESS_OUTPUT_EXISTS');
    if (a.json) printJson({ reply: r.json, countersigned: r.countersignature !== undefined, verified: true });
    else process.stdout.write(text);
  }),
};

/** `witness export-tiles`. */
export const exportTiles: CommandModule<object, DataArgs & { dir: string }> = {
  command: 'export-tiles <dir>',
  describe: 'write the log tiles and the read API as static files for any web server or CDN',
  builder: (y) =>
    withData(y).positional('dir', { type: 'string', demandOption: true, describe: 'output directory' }),
  handler: command(async (a) => {
    const { Witness, exportWitness } = await witnessLib();
    const w = await Witness.open({ dir: a.data });
    try {
      const r = await exportWitness(w, a.dir);
      say(
        `Exported the witness to ${a.dir}: log size ${r.tiles.size}, ${r.tiles.written} tile file(s) and ` +
          `${r.written} epoch file(s) written, ${r.indexes} index(es) updated.`,
      );
      if (a.json) {
        const { size, written, unchanged } = r.tiles;
        printJson({
          dir: a.dir,
          size,
          tilesWritten: written,
          tilesUnchanged: unchanged,
          epochFiles: r.written,
          indexes: r.indexes,
        });
      }
    } finally {
      await w.close();
    }
  }),
};
