/**
 * Sign-off gates: after a step that requires sign-offs, every requirement (role, count) must be met
 * by distinct participants signing the hash of the step's `step-end` record. Each sign-off is
 * checked as it arrives (known participant, right role, not yet signed, pinned key, valid
 * signature) and only then recorded; sign-offs already in the transcript (after a resume) count.
 */
import { hexDecode, hexEncode } from '../codec/index.js';
import { VerificationError, isCeremonyError } from '../errors.js';
import type { SignoffCollector } from './collectors.js';
import type { ResolvedParticipant } from './participants.js';
import { requiredCount } from './script/semantic.js';
import type { CeremonyScript, ScriptStep } from './script/types.js';
import { signoffMessage, verifyQuorum } from '../transcript/signoff.js';
import type { Signoff } from '../transcript/signoff.js';
import type { StepProgress } from '../transcript/steps.js';
import type { AppendedRecord } from './transcript/writer.js';
import type { JsonObject } from '../transcript/records.js';

/** Refused sign-offs tolerated per gate before it fails (interactive collectors only). */
export const MAX_REFUSED_SIGNOFFS = 3;

/** What a gate needs. */
export interface GateOptions {
  script: CeremonyScript;
  step: ScriptStep;
  /** The step's progress: its `endHash` (the head to sign) and the sign-offs already recorded. */
  progress: StepProgress;
  participants: readonly ResolvedParticipant[];
  collector: SignoffCollector;
  /** Appends a `signoff` record for this step. */
  append(data: JsonObject): AppendedRecord;
  say(text: string): void;
}

/**
 * Collects and records the missing sign-offs of a step. Returns the signers, in order.
 * @throws VerificationError `SIGNOFF_QUORUM_NOT_MET` when the collector runs out of signers, or a
 *   `SIGNOFF_*` code for a refused sign-off (after {@link MAX_REFUSED_SIGNOFFS} with a retrying
 *   collector).
 */
export async function runGate(o: GateOptions): Promise<string[]> {
  const { script, step, progress } = o;
  const head = hexDecode(progress.endHash!, 'endHash', 32);
  const message = signoffMessage(script.ceremony.id, step.id, head);
  let refused = 0;
  for (const req of step.signoffs ?? []) {
    const count = requiredCount(req, script);
    const group = (): Signoff[] =>
      progress.signoffs
        .filter((s) => s.role === req.role)
        .map((s) => ({
          participant: s.participant,
          publicKey: hexDecode(s.publicKey),
          signature: hexDecode(s.signature),
          head,
        }));
    const quorum = { role: req.role, head, ceremonyId: script.ceremony.id, stepId: step.id };
    while (group().length < count) {
      const signed = new Set(group().map((s) => s.participant));
      const candidates = o.participants.filter((p) => p.role === req.role && !signed.has(p.id));
      const c = await o.collector.next({
        ceremonyId: script.ceremony.id,
        stepId: step.id,
        stepTitle: step.title,
        role: req.role,
        needed: count - signed.size,
        head,
        message,
        candidates,
      });
      if (c === undefined)
        throw new VerificationError(
          'SIGNOFF_QUORUM_NOT_MET',
          `step ${step.id} needs ${count} sign-off(s) with role ${req.role}, has ${signed.size}, and no one else can sign`,
          { field: `steps.${step.id}.signoffs` },
        );
      try {
        verifyQuorum([...group(), { ...c, head }], o.participants, { ...quorum, threshold: 1 });
      } catch (e) {
        if (!o.collector.retry || !isCeremonyError(e) || ++refused >= MAX_REFUSED_SIGNOFFS) throw e;
        o.say(`Sign-off refused: ${e.message}. Try again.`);
        continue;
      }
      const data = {
        participant: c.participant,
        role: req.role,
        publicKey: hexEncode(c.publicKey),
        head: progress.endHash!,
        signature: hexEncode(c.signature),
      };
      o.append(data);
      progress.signoffs.push({
        role: req.role,
        participant: c.participant,
        publicKey: data.publicKey,
        signature: data.signature,
      });
      progress.signers.push(c.participant);
      o.say(`Signed off by ${c.participant} (${req.role}).`);
    }
    verifyQuorum(group(), o.participants, { ...quorum, threshold: count });
  }
  progress.status = 'done';
  return [...progress.signers];
}
