/**
 * `fleet-ceremony transcript verify FILE [--participants FILE | --script FILE] [--json]`: checks a
 * transcript's hash chain, structure and sign-offs (docs/transcript.md). Exit 0 verified, 1 the
 * transcript is wrong (chain, sign-off, not sealed), 2 unreadable or malformed.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { MalformedError, UsageError, isCeremonyError } from '../../errors.js';
import {
  MAX_TRANSCRIPT_BYTES,
  readParticipantsFile,
  resolveParticipants,
  verifyTranscript,
} from '../../runner/index.js';
import type { Participant, TranscriptVerification } from '../../runner/index.js';
import { command, printJson, say } from '../run.js';
import { loadWithRegistry, reportScriptError } from './script.js';

interface VerifyArgs {
  file: string;
  participants?: string;
  script?: string;
  json: boolean;
  'allow-unsealed': boolean;
  head?: string;
}

/** The JSON `transcript verify --json` prints: the verification without the raw records. */
export function verificationJson(v: TranscriptVerification): Record<string, unknown> {
  return {
    ok: true,
    ceremony: v.ceremony,
    scriptSha256: v.scriptSha256,
    records: v.records,
    head: v.head,
    sealed: v.sealed,
    participantsSource: v.participantsSource,
    steps: v.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      status: s.status,
      attempts: s.attempts,
      durationMs: s.durationMs,
      signers: s.signers,
    })),
    signoffs: v.signoffs,
    interruptions: v.interruptions,
    resumes: v.resumes,
    warnings: v.warnings,
  };
}

const verify: CommandModule<object, VerifyArgs> = {
  command: 'verify <file>',
  describe: 'verify a transcript: hash chain, records, sign-offs and seal',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'transcript.jsonl' })
      .option('participants', { type: 'string', describe: 'participants.json with the pinned identity keys' })
      .option('script', {
        type: 'string',
        describe: 'the ceremony script that ran (pins its digest and the participants)',
      })
      .option('head', {
        type: 'string',
        description: 'hex hash the last record must have (as the evidence pins it)',
      })
      .option('allow-unsealed', {
        type: 'boolean',
        default: false,
        describe: 'accept a ceremony that has not finished',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON on stdout' })
      .conflicts('participants', 'script') as unknown as Argv<VerifyArgs>,
  handler: command(async (a) => {
    let participants: Participant[] | undefined;
    let scriptSha256: string | undefined;
    if (a.participants !== undefined) participants = readParticipantsFile(a.participants);
    if (a.script !== undefined) {
      let loaded;
      try {
        loaded = loadWithRegistry(a.script);
      } catch (e) {
        return reportScriptError(e, a.script);
      }
      participants = await resolveParticipants(loaded.script.participants, dirname(resolve(a.script)));
      scriptSha256 = loaded.sha256;
    }
    const st = statSync(a.file, { throwIfNoEntry: false });
    if (st === undefined || !st.isFile())
      throw new UsageError('TRANSCRIPT_NOT_FOUND', 'no such transcript', { file: a.file });
    if (st.size > MAX_TRANSCRIPT_BYTES)
      throw new MalformedError('TRANSCRIPT_TOO_LARGE', `${st.size} bytes, at most ${MAX_TRANSCRIPT_BYTES}`, {
        file: a.file,
      });
    let v: TranscriptVerification;
    try {
      v = verifyTranscript(new Uint8Array(readFileSync(a.file)), {
        ...(participants === undefined ? {} : { participants }),
        ...(scriptSha256 === undefined ? {} : { scriptSha256 }),
        allowUnsealed: a['allow-unsealed'],
        ...(a.head === undefined ? {} : { head: a.head }),
      });
    } catch (e) {
      throw isCeremonyError(e) ? e.withFile(a.file) : e;
    }
    say(
      `${a.file}: transcript of ${v.ceremony.id} verified: ${v.records} records, ${v.signoffs} sign-offs, ${v.sealed ? 'sealed' : 'NOT sealed'}.`,
    );
    say(`Head: ${v.head}`);
    if (v.participantsSource === 'transcript')
      say(
        'Warning: the sign-offs were checked against the keys the transcript lists itself; pass --participants or --script to pin them.',
      );
    for (const i of v.interruptions)
      say(
        `Interrupted at record ${i.seq} (${i.time}): ${i.reason}${i.detail === undefined ? '' : `: ${i.detail}`}`,
      );
    for (const w of v.warnings) say(`Warning: ${w}`);
    if (a.json) printJson(verificationJson(v));
    return 0;
  }),
};

/** `fleet-ceremony transcript <verify>`. */
export const transcriptCommand: CommandModule = {
  command: 'transcript <command>',
  describe: 'ceremony transcripts: verify one',
  builder: (y: Argv) => y.command(verify).demandCommand(1, 'Name a transcript command; see --help.'),
  handler: () => {},
};
