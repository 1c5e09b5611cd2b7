/**
 * `fleet-ceremony fleet serve`: answer client handshakes with the validation bundle and sessions
 * agreed with a fleet session key held in an HSM (docs/session-protocol.md, "fleet serve / client
 * connect"). Thin: flags → `startFleetServer` → a line saying where it listens; runs until SIGINT
 * or SIGTERM, then closes the server and the HSM and exits 0. The PIN comes from `--pin-env VAR`
 * (default FLEET_HSM_PIN) or a hidden prompt and is never printed.
 */
import type { Argv, CommandModule } from 'yargs';
import { hexEncode } from '../../codec/index.js';
import { isCeremonyError } from '../../errors.js';
import { readFileBounded } from '../../io/index.js';
import { command, printJson, say } from '../run.js';
import { openSelectedDevice, withDeviceOptions } from '../options/device.js';
import type { DeviceArgs } from '../options/device.js';

/** The libraries, loaded when the command runs (not for --help, nor for other commands). */
const lib = async () => {
  const [{ startFleetServer }, { MAX_VALIDATION_BUNDLE_BYTES }] = await Promise.all([
    import('../../fleet/index.js'),
    import('../../bundle/index.js'),
  ]);
  return { startFleetServer, MAX_VALIDATION_BUNDLE_BYTES };
};

/** Where `fleet serve` listens unless told otherwise: loopback only. */
export const DEFAULT_FLEET_LISTEN = '127.0.0.1:9780';

interface ServeArgs extends DeviceArgs {
  bundle: string;
  'key-label': string;
  listen: string;
  'max-sessions': number;
  'session-ttl': number;
  log: boolean;
  json: boolean;
}

/** Resolves when the process is asked to stop. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}

const builder = <T>(y: Argv<T>) =>
  withDeviceOptions(
    y
      .option('bundle', {
        type: 'string',
        demandOption: true,
        describe: 'the validation bundle to serve (CBOR)',
      })
      .option('key-label', {
        type: 'string',
        demandOption: true,
        describe: 'HSM label of the fleet session key (its key id in the bundle)',
      }),
  )
    .option('listen', {
      type: 'string',
      default: DEFAULT_FLEET_LISTEN,
      describe: 'HOST:PORT or [IPv6]:PORT (port 0: any free port)',
    })
    .option('max-sessions', { type: 'number', default: 1024, describe: 'most sessions at once' })
    .option('session-ttl', { type: 'number', default: 300, describe: 'session lifetime, seconds' })
    .option('log', { type: 'boolean', default: false, describe: 'log requests as JSON lines on stdout' })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the server address as JSON on stdout once listening (before any --log lines)',
    });

const serve: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'answer client handshakes with the validation bundle and an HSM-held session key',
  builder,
  handler: command(async (a) => {
    const l = await lib();
    const bundle = new Uint8Array(
      readFileBounded(a.bundle, l.MAX_VALIDATION_BUNDLE_BYTES, { what: 'bundle' }),
    );
    const hsm = await openSelectedDevice(a);
    try {
      const server = await (async () => {
        try {
          return await l.startFleetServer({
            hsm,
            bundle,
            sessionKeyLabel: a['key-label'],
            listen: a.listen,
            maxSessions: a['max-sessions'],
            sessionTtlSeconds: a['session-ttl'],
            logger: a.log,
          });
        } catch (e) {
          throw isCeremonyError(e) && e.code === 'FLEET_BUNDLE_INVALID' ? e.withFile(a.bundle) : e;
        }
      })();
      const ks = server.key.fleetKeySet;
      const { notBefore, notAfter } = ks.validity;
      say(
        `Serving ${ks.namespace} epoch ${ks.epoch} (fleet ${ks.fleetId}, fleet key set ${hexEncode(server.key.digest)})`,
      );
      say(
        `  session key ${server.key.keyId} (${server.key.algorithm}) in the ${hsm.backend} HSM; listening on ${server.url}`,
      );
      const now = Date.now();
      if (now < notBefore || now >= notAfter) {
        say(
          `  WARNING: the bundle is valid ${new Date(notBefore).toISOString()} … ${new Date(notAfter).toISOString()}, not now: clients will refuse it`,
        );
      }
      if (a.json) {
        printJson({
          url: server.url,
          host: server.address.host,
          port: server.address.port,
          keyId: server.key.keyId,
          algorithm: server.key.algorithm,
          namespace: ks.namespace,
          epoch: ks.epoch,
          digest: server.key.digest,
        });
      }
      const sig = await stopSignal();
      const stats = server.stats();
      await server.close();
      say(
        `Stopped on ${sig}: ${stats.handshakes} handshakes, ${stats.messages} messages, ${stats.refused} refused.`,
      );
    } finally {
      await hsm.close();
    }
  }),
};

/** The `fleet` command and its subcommands. */
export const fleetCommand: CommandModule<object, object> = {
  command: 'fleet <command>',
  describe: 'run a fleet server: sessions with clients under a fleet key held in an HSM',
  builder: (y) => y.command(serve).demandCommand(1, 'Name a fleet subcommand; see --help.'),
  handler: () => undefined,
};
