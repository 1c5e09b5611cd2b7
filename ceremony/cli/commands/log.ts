/**
 * `fleet-ceremony log checkpoint|prove|consistency|monitor`: read and check a witness log served
 * as C2SP tlog-tiles, from an http(s) URL or a directory of exported tiles (docs/witness-log.md).
 * Thin: flags → ceremony/witness/log → output. stdout carries the command's output (a checkpoint
 * note, a tlog-proof, proof hashes, or with --json the JSON); human text goes to stderr.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { base64Decode, base64Encode, parseDecimal } from '../../codec/index.js';
import { UsageError, VerificationError, isCeremonyError } from '../../errors.js';
import { parseVerifierKey, verifyTlogProof } from '../../tlog/index.js';
import type { Verifier } from '../../tlog/index.js';
import {
  LogClient,
  SplitViewError,
  monitorLog,
  openLogSource,
  readMonitorState,
  writeMonitorState,
} from '../../witness/log/index.js';
import type { MonitorResult, VerifiedCheckpoint } from '../../witness/log/index.js';
import { EXIT_VERIFICATION_FAILED, command, printJson, say } from '../run.js';

interface Common {
  log: string;
  vkey: string;
  json: boolean;
}

const common = <T>(y: Argv<T>) =>
  y
    .option('log', {
      type: 'string',
      demandOption: true,
      describe: 'log prefix: http(s) URL or tiles directory',
    })
    .option('vkey', {
      type: 'string',
      demandOption: true,
      describe: "the log's verifier key, or a file holding it",
    })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON on stdout' });

/** The log's verifier: `--vkey` is the key text, or the path of a file holding it. */
function loadVerifier(arg: string): Verifier {
  const text = existsSync(arg) ? readFileSync(arg, 'utf8').trim() : arg;
  try {
    return parseVerifierKey(text);
  } catch (e) {
    throw isCeremonyError(e) && existsSync(arg) ? e.withFile(arg) : e;
  }
}

async function client(a: Common): Promise<LogClient> {
  return new LogClient(await openLogSource(a.log), loadVerifier(a.vkey));
}

const cpJson = (cp: VerifiedCheckpoint) => ({
  origin: cp.origin,
  size: cp.size.toString(),
  rootHash: base64Encode(cp.rootHash),
  note: cp.note,
});

function count(value: string, field: string): bigint {
  try {
    return parseDecimal(value, field);
  } catch (cause) {
    throw new UsageError(
      'LOG_ARGUMENT_INVALID',
      `--${field}: got ${JSON.stringify(value)}, want a decimal integer`,
      {
        field,
        cause,
      },
    );
  }
}

const checkpointCmd: CommandModule<object, Common> = {
  command: 'checkpoint',
  describe: "fetch the log's checkpoint, verify its signature and tiles, print it",
  builder: common,
  handler: command(async (a) => {
    const c = await client(a);
    const cp = await c.fetchCheckpoint();
    await c.rootHash(cp.size, cp);
    say(
      `Checkpoint of ${cp.origin}: size ${cp.size}, root ${base64Encode(cp.rootHash)} (signature and tiles verified).`,
    );
    if (a.json) printJson(cpJson(cp));
    else process.stdout.write(cp.note);
  }),
};

const prove: CommandModule<object, Common & { index: string }> = {
  command: 'prove',
  describe: 'the inclusion proof of entry N as a C2SP tlog-proof, built from tiles and verified',
  builder: (y) => common(y).option('index', { type: 'string', demandOption: true, describe: 'entry index' }),
  handler: command(async (a) => {
    const c = await client(a);
    const index = count(a.index, 'index');
    const cp = await c.fetchCheckpoint();
    if (index >= cp.size) {
      throw new UsageError(
        'LOG_INDEX_OUT_OF_RANGE',
        `--index: got ${index}, want less than the log size ${cp.size}`,
        {
          field: 'index',
        },
      );
    }
    const entry = await c.entry(index, cp);
    const proof = await c.tlogProof(index, cp);
    verifyTlogProof(proof, { entry }, [c.verifier], { origin: c.origin });
    say(`Entry ${index} is in ${cp.origin} at size ${cp.size} (proof verified).`);
    if (a.json)
      printJson({ index: index.toString(), entry: base64Encode(entry), proof, checkpoint: cpJson(cp) });
    else process.stdout.write(proof);
  }),
};

const consistency: CommandModule<object, Common & { 'old-size': string; 'old-root'?: string }> = {
  command: 'consistency',
  describe: 'the consistency proof from an old tree size to the current checkpoint, verified',
  builder: (y) =>
    common(y)
      .option('old-size', { type: 'string', demandOption: true, describe: 'the old tree size' })
      .option('old-root', { type: 'string', describe: 'the old root hash (base64) to check against' }),
  handler: command(async (a) => {
    const c = await client(a);
    const oldSize = count(a['old-size'], 'old-size');
    const wantRoot = a['old-root'] === undefined ? undefined : base64Decode(a['old-root'], 'old-root');
    const cp = await c.fetchCheckpoint();
    if (oldSize === 0n || oldSize > cp.size) {
      throw new UsageError(
        'LOG_SIZE_OUT_OF_RANGE',
        `--old-size: got ${oldSize}, want 1..${cp.size} (the log size)`,
        {
          field: 'old-size',
        },
      );
    }
    const { oldRoot, proof } = await c.consistencyProof(oldSize, cp);
    if (wantRoot !== undefined && base64Encode(wantRoot) !== base64Encode(oldRoot)) {
      throw new VerificationError(
        'LOG_OLD_ROOT_MISMATCH',
        `--old-root: the log's tree of size ${oldSize} has root ${base64Encode(oldRoot)}, not the one given`,
        { field: 'old-root' },
      );
    }
    say(
      `The tree of size ${cp.size} extends the tree of size ${oldSize} (root ${base64Encode(oldRoot)}${wantRoot ? ', as given' : ''}); proof of ${proof.length} hashes verified.`,
    );
    const hashes = proof.map(base64Encode);
    if (a.json)
      printJson({
        oldSize: oldSize.toString(),
        oldRoot: base64Encode(oldRoot),
        proof: hashes,
        checkpoint: cpJson(cp),
      });
    else process.stdout.write(hashes.map((h) => h + '\n').join(''));
  }),
};

function describeResult(r: MonitorResult): string {
  switch (r.kind) {
    case 'first':
      return `first run: recorded the checkpoint of size ${r.current.size}`;
    case 'unchanged':
      return `unchanged at size ${r.current.size}`;
    case 'extended':
      return `grew from ${r.previous.size} to ${r.current.size}: consistent`;
    case 'stale':
      return `served an older checkpoint (size ${r.current.size}) that is a prefix of size ${r.previous.size}: kept the newer one`;
  }
}

function splitView(e: SplitViewError, json: boolean): number {
  say(`fleet-ceremony: ${e.describe()}`);
  say('Both signed checkpoints follow on stdout as evidence; the state file was not changed.');
  const proof = e.proof?.map(base64Encode);
  if (json) {
    printJson({
      status: 'split-view',
      code: e.code,
      reason: e.message,
      previous: e.previous.note,
      current: e.current.note,
      proof,
    });
  } else {
    process.stdout.write(
      `${e.code}: ${e.message}\n\n--- checkpoint seen before ---\n${e.previous.note}\n--- checkpoint served now ---\n${e.current.note}` +
        (proof === undefined
          ? ''
          : `\n--- consistency proof from the log's tiles (does not verify) ---\n${proof.join('\n')}\n`),
    );
  }
  return EXIT_VERIFICATION_FAILED;
}

const monitor: CommandModule<object, Common & { state: string }> = {
  command: 'monitor',
  describe: 'check the log against the last checkpoint seen; exit 1 with evidence on a split view',
  builder: (y) =>
    common(y).option('state', { type: 'string', demandOption: true, describe: 'state file (JSON)' }),
  handler: command(async (a) => {
    const c = await client(a);
    const state = readMonitorState(a.state, c.origin);
    let result: MonitorResult;
    try {
      result = await monitorLog(c, state?.checkpoint);
    } catch (e) {
      if (e instanceof SplitViewError) return splitView(e, a.json);
      throw e;
    }
    if (result.kind !== 'stale' && result.kind !== 'unchanged')
      writeMonitorState(a.state, c.origin, result.current.note);
    say(`${c.origin}: ${describeResult(result)}.`);
    if (a.json) printJson({ status: result.kind, checkpoint: cpJson(result.current) });
    return 0;
  }),
};

/** The `log` command and its subcommands. */
export const logCommand: CommandModule<object, object> = {
  command: 'log <command>',
  describe: 'read and check a witness log: checkpoint, inclusion and consistency proofs, monitoring',
  builder: (y) =>
    y
      .command(checkpointCmd)
      .command(prove)
      .command(consistency)
      .command(monitor)
      .demandCommand(1, 'Name a log subcommand; see --help.'),
  handler: () => undefined,
};
