/**
 * `fleet-ceremony bundle inspect|verify`: a validation bundle, as a client would see and check it
 * (docs/bundle-verification.md). Thin: flags → library → output. With --json, stdout carries
 * exactly the JSON; human text goes to stderr. Exit 0 verified, 1 refused, 2 malformed or bad usage.
 */
import type { Argv, CommandModule } from 'yargs';
import {
  fleetKeySetToJson,
  fleetKeyToJson,
  inspectValidationBundle,
  MAX_VALIDATION_BUNDLE_BYTES,
  parseIsoUtc,
  verifyValidationBundle,
} from '../../bundle/index.js';
import type { BundleInspection, VerifyBundleOptions } from '../../bundle/index.js';
import { hexEncode } from '../../codec/index.js';
import { inFile, isCeremonyError, UsageError } from '../../errors.js';
import { readFileBounded } from '../../io/index.js';
import { command, errorJson, printJson, say } from '../run.js';
import { parseLastSeen, readTrust, withLastSeenOptions, withTrustOption } from '../trust-options.js';
import type { TrustArgs } from '../trust-options.js';

interface Common {
  file: string;
  json: boolean;
}

const common = <T>(y: Argv<T>) =>
  y
    .positional('file', { type: 'string', demandOption: true, describe: 'the validation bundle (CBOR)' })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' });

function describe(i: BundleInspection): void {
  const k = i.fleetKeySet;
  say(`Validation bundle, version ${i.version}, ${i.size} bytes (decoded only: NOT verified)`);
  say(`Fleet key set ${k.digest} (${k.size} bytes)`);
  say(
    `  namespace ${k.namespace}, epoch ${k.epoch}, fleet ${k.fleetId}, valid ${k.validity.notBefore} … ${k.validity.notAfter}`,
  );
  say(
    `  previous epoch ${k.previousDigest ?? '(none: start of the chain)'}; transcript ${k.transcriptDigest}`,
  );
  say(`  quorum ${k.quorum.threshold} of ${k.quorum.total} HSMs`);
  for (const h of k.hsms)
    say(
      `  HSM ${h.id}: ${h.vendor} ${h.model} serial ${h.serial} firmware ${h.firmware} at ${h.site} [${h.attestationLevel}]`,
    );
  for (const key of k.keys)
    say(`  key ${key.keyId}: ${key.role} ${key.algorithm} ${key.publicKey} on ${key.hsmId}`);
  const s = i.statement;
  say(
    `Witness statement (ciphersuite ${s.ciphersuite}): ${s.namespace} epoch ${s.epoch} at ${s.time ?? s.timestamp}`,
  );
  say(
    `  digest ${s.digest} ${s.digestMatches ? '(matches the fleet key set)' : '(DOES NOT match the fleet key set)'}`,
  );
  say(`  witness key id ${i.witness.keyId}; operator key id ${i.operator.keyId}`);
  const c = i.proof.checkpoint;
  say(
    `Log entry ${i.proof.index} of ${c.size} in ${c.origin} (${i.proof.hashes.length} proof hashes), root ${c.rootHash}`,
  );
  say(`  checkpoint signed by: ${c.signers.join(', ')}`);
}

const inspect: CommandModule<object, Common> = {
  command: 'inspect <file>',
  describe: 'decode a validation bundle and show every part (verifies nothing)',
  builder: common,
  handler: command(async (a) => {
    const bytes = readFileBounded(a.file, MAX_VALIDATION_BUNDLE_BYTES, { what: 'bundle' });
    const out = inFile(a.file, () => inspectValidationBundle(bytes));
    describe(out);
    if (a.json) printJson(out);
  }),
};

interface VerifyArgs extends Common, TrustArgs {
  now?: string;
  namespace?: string;
}

function options(a: VerifyArgs): VerifyBundleOptions {
  const now = a.now === undefined ? Date.now() : parseIsoUtc(a.now);
  if (now === undefined)
    throw new UsageError(
      'BUNDLE_OPTION_INVALID',
      `--now: got ${JSON.stringify(a.now)}, want ISO 8601 UTC like 2025-06-01T00:00:00Z`,
      { field: 'now' },
    );
  const o: VerifyBundleOptions = { now };
  if (a.namespace !== undefined) o.expectedNamespace = a.namespace;
  const lastSeen = parseLastSeen(a, () => {
    throw new UsageError('BUNDLE_OPTION_INVALID', '--last-seen-epoch and --last-seen-digest go together', {
      field: 'last-seen',
    });
  });
  if (lastSeen !== undefined) o.lastSeen = lastSeen;
  return o;
}

const verify: CommandModule<object, VerifyArgs> = {
  command: 'verify <file>',
  describe: 'verify a validation bundle against a trust file, as a client does',
  builder: (y) =>
    withLastSeenOptions(
      withTrustOption(common(y))
        .option('now', { type: 'string', describe: 'verification time, ISO 8601 UTC (default: the clock)' })
        .option('namespace', { type: 'string', describe: 'the namespace expected (must be pinned too)' }),
      'anti-rollback: epoch accepted before',
    ),
  handler: command(async (a) => {
    try {
      const o = options(a);
      const trust = await readTrust(a.trust);
      const bytes = readFileBounded(a.file, MAX_VALIDATION_BUNDLE_BYTES, { what: 'bundle' });
      const v = inFile(a.file, () => verifyValidationBundle(bytes, trust, o));
      say(
        `VERIFIED: ${v.namespace} epoch ${v.epoch}, fleet ${v.fleetKeySet.fleetId}, fleet key set ${hexEncode(v.digest)}`,
      );
      say(
        `  witness-signed and operator-counter-signed; entry ${v.logIndex} of ${v.checkpoint.size} in ${v.checkpoint.origin}`,
      );
      if (v.cosigners.length > 0) say(`  checkpoint cosigned by ${v.cosigners.join(', ')}`);
      for (const k of v.keys) say(`  key ${k.keyId}: ${k.role} ${k.algorithm} ${hexEncode(k.publicKey)}`);
      if (trust.profile === 'rehearsal')
        say('  profile: rehearsal (emulated HSMs are accepted; never use this trust file in production)');
      if (a.json) {
        printJson({
          verified: true,
          namespace: v.namespace,
          epoch: v.epoch,
          digest: v.digest,
          logIndex: v.logIndex,
          checkpoint: {
            origin: v.checkpoint.origin,
            size: v.checkpoint.size,
            rootHash: v.checkpoint.rootHash,
          },
          cosigners: v.cosigners,
          keys: v.keys.map(fleetKeyToJson),
          fleetKeySet: fleetKeySetToJson(v.fleetKeySet),
        });
      }
    } catch (e) {
      if (a.json && isCeremonyError(e)) {
        printJson({ verified: false, ...errorJson(e) });
      }
      throw e;
    }
  }),
};

/** The `bundle` command and its subcommands. */
export const bundleCommand: CommandModule<object, object> = {
  command: 'bundle <command>',
  describe: 'validation bundles: inspect one, or verify it as a client would',
  builder: (y) =>
    y.command(inspect).command(verify).demandCommand(1, 'Name a bundle subcommand; see --help.'),
  handler: () => undefined,
};
