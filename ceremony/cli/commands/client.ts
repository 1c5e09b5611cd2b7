/**
 * `fleet-ceremony client connect URL --trust FILE`: connect to a fleet server as a client app
 * would (docs/session-protocol.md, "fleet serve / client connect"): verify the validation bundle
 * the server sends against the pinned trust file, agree a session key with a fleet session key of
 * the verified set, and make one encrypted round trip (an echo of --message, else a status call).
 *
 * Exit 0 connected; 1 the bundle or the handshake did not verify (nothing was sent encrypted),
 * with the reason code; 2 bad usage, an unreadable or malformed trust file, an unreachable or
 * refusing server. With --json, stdout carries exactly the JSON; human text goes to stderr. No
 * key material is ever printed: the transcript hash and session id are public values.
 */
import type { CommandModule } from 'yargs';
import { hexEncode, isUtf8, utf8Decode } from '../../codec/index.js';
import { isCeremonyError, UsageError, VerificationError } from '../../errors.js';
import { command, errorJson, printJson, say } from '../run.js';
import { parseLastSeen, readTrust, withLastSeenOptions, withTrustOption } from '../trust-options.js';
import type { TrustArgs } from '../trust-options.js';

interface ConnectArgs extends TrustArgs {
  url: string;
  message?: string;
  'key-id'?: string;
  namespace?: string;
  now?: string;
  timeout: number;
  json: boolean;
}

const lib = async () => {
  const [bundle, session] = await Promise.all([
    import('../../bundle/index.js'),
    import('../../bundle/session/index.js'),
  ]);
  return { ...bundle, connect: session.connect };
};
type Lib = Awaited<ReturnType<typeof lib>>;
type Options = Parameters<Lib['connect']>[2];

function options(l: Lib, a: ConnectArgs): Options {
  const bad = (field: string, reason: string): never => {
    throw new UsageError('CLIENT_OPTION_INVALID', `--${field}: ${reason}`, { field });
  };
  const now =
    a.now === undefined
      ? Date.now()
      : (l.parseIsoUtc(a.now) ?? bad('now', 'want ISO 8601 UTC like 2026-01-01T00:00:00Z'));
  if (!Number.isFinite(a.timeout) || a.timeout <= 0 || a.timeout > 600)
    bad('timeout', 'want seconds in (0, 600]');
  const o: Options = { now, timeoutMs: Math.round(a.timeout * 1000) };
  if (a.namespace !== undefined) o.expectedNamespace = a.namespace;
  if (a['key-id'] !== undefined) o.keyId = a['key-id'];
  const lastSeen = parseLastSeen(a, () =>
    bad('last-seen-epoch', '--last-seen-epoch and --last-seen-digest go together'),
  );
  if (lastSeen !== undefined) o.lastSeen = lastSeen;
  return o;
}

/** Where a failure happened, for the JSON output: the first pattern that matches the code. */
const STAGES: [RegExp, string][] = [
  [/^BUNDLE_/, 'bundle'],
  [/^SESSION_(URL_INVALID|HTTP_FAILED|SERVER_REFUSED)$/, 'connect'],
  [/^SESSION_(KEY_CONFIRMATION_FAILED|DECRYPT_FAILED|COUNTER_MISMATCH|FRAME_MALFORMED|CALL_\w+)$/, 'session'],
  [/^CLIENT_(ECHO|STATUS)_MISMATCH$/, 'session'],
  [/^SESSION_/, 'handshake'],
];
const stage = (code: string) => STAGES.find(([re]) => re.test(code))?.[1] ?? 'usage';

const connectCmd: CommandModule<object, ConnectArgs> = {
  command: 'connect <url>',
  describe:
    'verify a fleet server’s validation bundle, open a session with its fleet key, make one encrypted round trip',
  builder: (y) =>
    withLastSeenOptions(
      withTrustOption(
        y.positional('url', {
          type: 'string',
          demandOption: true,
          describe: 'the fleet server, e.g. http://127.0.0.1:9780',
        }),
      ),
      'anti-rollback: the epoch accepted before',
    )
      .option('message', { type: 'string', describe: 'text to send and get echoed (default: a status call)' })
      .option('key-id', { type: 'string', describe: 'the fleet session key to use (default: any)' })
      .option('namespace', { type: 'string', describe: 'the namespace expected (must be pinned too)' })
      .option('now', { type: 'string', describe: 'the client’s time, ISO 8601 UTC (default: the clock)' })
      .option('timeout', { type: 'number', default: 30, describe: 'per-request timeout, seconds' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' }),
  handler: command(async (a) => {
    try {
      const l = await lib();
      const o = options(l, a);
      const trust = await readTrust(a.trust);
      const t0 = performance.now();
      const c = await l.connect(a.url, trust, o);
      const handshakeMs = performance.now() - t0;
      const v = c.verified;
      say(
        `VERIFIED ${v.namespace} epoch ${v.epoch} (fleet ${v.fleetKeySet.fleetId}), fleet key set ${hexEncode(v.digest)}`,
      );
      say(
        `  witness-signed and operator-counter-signed; entry ${v.logIndex} of ${v.checkpoint.size} in ${v.checkpoint.origin}`,
      );
      if (trust.profile === 'rehearsal')
        say('  profile: rehearsal (emulated HSMs are accepted; never use this trust file in production)');
      say(
        `SESSION with fleet key ${c.key.keyId} (${c.key.algorithm}, HSM ${c.key.hsmId}); transcript ${hexEncode(c.transcriptHash)}`,
      );
      const t1 = performance.now();
      let roundTrip: Record<string, unknown>;
      if (a.message !== undefined) {
        const data = await c.echo(a.message);
        const back = isUtf8(data) ? utf8Decode(data) : undefined;
        if (back !== a.message)
          throw new VerificationError(
            'CLIENT_ECHO_MISMATCH',
            'reply.data: the server echoed something else',
            { field: 'reply.data' },
          );
        roundTrip = { op: 'echo', sent: a.message, received: back };
        say(`ROUND TRIP echo ${JSON.stringify(a.message)} -> ${JSON.stringify(back)}`);
      } else {
        const s = await c.status();
        if (s.namespace !== v.namespace || s.epoch !== v.epoch || s.keyId !== c.key.keyId) {
          throw new VerificationError(
            'CLIENT_STATUS_MISMATCH',
            'reply.status: the server reports another namespace, epoch or key than it proved',
            { field: 'reply.status' },
          );
        }
        roundTrip = {
          op: 'status',
          status: {
            namespace: s.namespace,
            epoch: s.epoch,
            keyId: s.keyId,
            time: new Date(s.time).toISOString(),
          },
        };
        say(
          `ROUND TRIP status: ${s.namespace} epoch ${s.epoch}, key ${s.keyId}, server time ${new Date(s.time).toISOString()}`,
        );
      }
      const roundTripMs = performance.now() - t1;
      await c.close();
      say(`  handshake ${handshakeMs.toFixed(1)} ms, round trip ${roundTripMs.toFixed(1)} ms`);
      say(
        `Next time pass --last-seen-epoch ${v.epoch} --last-seen-digest ${hexEncode(v.digest)} to refuse older fleets.`,
      );
      if (a.json) {
        printJson({
          connected: true,
          url: a.url,
          namespace: v.namespace,
          epoch: v.epoch,
          fleetId: v.fleetKeySet.fleetId,
          digest: v.digest,
          logIndex: v.logIndex,
          checkpoint: { origin: v.checkpoint.origin, size: v.checkpoint.size },
          profile: trust.profile,
          key: {
            keyId: c.key.keyId,
            algorithm: c.key.algorithm,
            publicKey: c.key.publicKey,
            hsmId: c.key.hsmId,
          },
          sessionId: c.sessionId,
          transcriptHash: c.transcriptHash,
          roundTrip,
          timings: {
            handshakeMs: Number(handshakeMs.toFixed(2)),
            roundTripMs: Number(roundTripMs.toFixed(2)),
          },
          lastSeen: { epoch: v.epoch, digest: v.digest },
        });
      }
    } catch (e) {
      if (isCeremonyError(e)) {
        const where = stage(e.code);
        if (e.exitCode === 1)
          say(
            where === 'bundle'
              ? 'REFUSED: the validation bundle did not verify; no session was opened.'
              : `REFUSED: the ${where} did not verify.`,
          );
        if (a.json) printJson({ connected: false, stage: where, ...errorJson(e) });
      }
      throw e;
    }
  }),
};

/** The `client` command and its subcommands. */
export const clientCommand: CommandModule<object, object> = {
  command: 'client <command>',
  describe: 'act as a client app: verify a fleet and talk to it',
  builder: (y) => y.command(connectCmd).demandCommand(1, 'Name a client subcommand; see --help.'),
  handler: () => undefined,
};
