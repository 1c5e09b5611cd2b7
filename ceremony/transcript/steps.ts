/**
 * The step rules of a transcript, applied record by record: steps run in plan order, each ends
 * once, and its sign-offs (over the hash of its `step-end` record) meet every requirement of the
 * plan before the next step starts or the seal. Used by ./verify.ts; the engine reads the
 * resulting {@link StepProgress} to resume.
 *
 * Portable: no `node:` imports.
 */
import { hexDecode } from '../codec/index.js';
import { isCeremonyError, VerificationError } from '../errors.js';
import type { Participant, Role } from './roles.js';
import { verifyQuorum } from './signoff.js';
import type { Signoff } from './signoff.js';
import { checkOutputs, checkReadAloud } from './data-checks.js';
import { ID, arr, badField, hex, int, obj, str } from './fields.js';
import type { OutputValue, ParsedRecord, PlanEntry } from './records.js';
import type { CeremonyStart } from './start.js';

/** Where one step of the plan stands. */
export interface StepProgress {
  id: string;
  kind: string;
  title: string;
  /** `pending`: not started; `running`: started, not ended; `ended`: awaiting sign-offs; `done`. */
  status: 'pending' | 'running' | 'ended' | 'done';
  attempts: number;
  durationMs?: number;
  /** Hash of the `step-end` record: the head the step's sign-offs sign. */
  endHash?: string;
  outputs?: Record<string, OutputValue>;
  /** Participants who signed off this step, in order. */
  signers: string[];
  /** The sign-offs themselves, per role. */
  signoffs: { role: Role; participant: string; publicKey: string; signature: string }[];
}

const order = (line: number, why: string) =>
  new VerificationError('TRANSCRIPT_STEP_ORDER', `line ${line}: ${why}`, { field: `line ${line}` });

/** Applies the step rules to records in order; throws at the first record that breaks one. */
export class StepTracker {
  private readonly steps: StepProgress[];
  private readonly plan: PlanEntry[];
  private open: number | undefined;

  constructor(
    private readonly start: CeremonyStart,
    private readonly participants: readonly Participant[],
  ) {
    this.plan = start.plan;
    this.steps = start.plan.map((p) => ({
      id: p.id,
      kind: p.kind,
      title: p.title,
      status: 'pending',
      attempts: 0,
      signers: [],
      signoffs: [],
    }));
  }

  /** Progress of every step (copies). */
  progress(): StepProgress[] {
    return this.steps.map((s) => ({ ...s, signers: [...s.signers], signoffs: [...s.signoffs] }));
  }

  /** An interruption closes the running step without ending it: it will start again. */
  interrupted(): void {
    this.open = undefined;
  }

  /** Applies a step-start, step-end, signoff, read-aloud, confirmation or environment record. */
  record(r: ParsedRecord): void {
    const k = this.stepIndex(r);
    const at = `line ${r.line} data`;
    switch (r.kind) {
      case 'step-start':
        return this.stepStart(r, k, at);
      case 'step-end':
        return this.stepEnd(r, k, at);
      case 'signoff':
        return this.signoff(r, k, at);
      case 'read-aloud':
        this.inOpenStep(r, k);
        return checkReadAloud(r.data, at, r.line);
      default:
        // confirmation, environment: belong to the running step.
        this.inOpenStep(r, k);
    }
  }

  /** Applies the seal: every step done, and the seal names the last step's end. */
  seal(r: ParsedRecord): void {
    const last = this.steps.length - 1;
    this.closeGatesBefore(last + 1, r.line);
    const at = `line ${r.line} data`;
    const d = obj(r.data, at, ['head', 'steps', 'signers']);
    const head = hex(d['head'], `${at}.head`, 32);
    int(d['steps'], `${at}.steps`);
    arr(d['signers'], `${at}.signers`, 256).forEach((s, i) => str(s, `${at}.signers[${i}]`, ID));
    if (head !== this.steps[last]!.endHash || d['steps'] !== this.steps.length)
      throw new VerificationError(
        'TRANSCRIPT_BAD_SEAL',
        `line ${r.line}: the seal does not cover the end of the last step`,
        {
          field: `${at}.head`,
        },
      );
  }

  private stepIndex(r: ParsedRecord): number {
    if (r.step === undefined) throw order(r.line, `a ${r.kind} record must name its step`);
    const k = this.plan.findIndex((p) => p.id === r.step);
    if (k < 0) throw order(r.line, `step ${r.step} is not in the plan`);
    return k;
  }

  private inOpenStep(r: ParsedRecord, k: number): void {
    if (this.open !== k) throw order(r.line, `a ${r.kind} record for step ${r.step}, which is not running`);
  }

  private stepStart(r: ParsedRecord, k: number, at: string): void {
    const d = obj(r.data, at, ['index', 'kind', 'title', 'attempt']);
    const s = this.steps[k]!;
    if (d['index'] !== k || d['kind'] !== s.kind || d['title'] !== s.title)
      badField(at, `index, kind and title must be those of plan step ${k} (${s.id})`);
    if (this.open !== undefined)
      throw order(r.line, `step ${s.id} starts while step ${this.steps[this.open]!.id} is running`);
    if (s.status === 'ended' || s.status === 'done')
      throw order(r.line, `step ${s.id} starts again after it ended`);
    this.closeGatesBefore(k, r.line);
    if (this.steps.slice(k + 1).some((x) => x.status !== 'pending'))
      throw order(r.line, `step ${s.id} starts after a later step`);
    s.attempts++;
    if (d['attempt'] !== s.attempts) badField(`${at}.attempt`, `want ${s.attempts}`);
    s.status = 'running';
    this.open = k;
  }

  private stepEnd(r: ParsedRecord, k: number, at: string): void {
    const s = this.steps[k]!;
    if (this.open !== k) throw order(r.line, `step ${s.id} ends but is not running`);
    const d = obj(r.data, at, ['index', 'durationMs', 'outputs']);
    if (d['index'] !== k) badField(`${at}.index`, `want ${k}`);
    s.durationMs = int(d['durationMs'], `${at}.durationMs`);
    s.outputs = checkOutputs(d['outputs'], `${at}.outputs`);
    s.endHash = r.hash;
    s.status = this.plan[k]!.signoffs.length === 0 ? 'done' : 'ended';
    this.open = undefined;
  }

  private signoff(r: ParsedRecord, k: number, at: string): void {
    const s = this.steps[k]!;
    if (s.status !== 'ended' && s.status !== 'done')
      throw order(r.line, `a sign-off for step ${s.id} before it ended`);
    if (this.steps.slice(k + 1).some((x) => x.status !== 'pending') || this.open !== undefined)
      throw order(r.line, `a sign-off for step ${s.id} after the next step started`);
    const d = obj(r.data, at, ['participant', 'role', 'publicKey', 'head', 'signature']);
    const role = str(d['role'], `${at}.role`);
    const req = this.plan[k]!.signoffs.find((g) => g.role === role);
    if (req === undefined)
      throw new VerificationError(
        'SIGNOFF_WRONG_ROLE',
        `line ${r.line}: step ${s.id} takes no sign-off with role ${role}`,
        {
          field: `${at}.role`,
        },
      );
    const entry = {
      role: req.role,
      participant: str(d['participant'], `${at}.participant`, ID),
      publicKey: hex(d['publicKey'], `${at}.publicKey`, 32),
      head: hex(d['head'], `${at}.head`, 32),
      signature: hex(d['signature'], `${at}.signature`, 64),
    };
    const group = [...s.signoffs.filter((x) => x.role === req.role), entry];
    this.quorum(group, req.role, 1, s, r.line);
    s.signoffs.push({
      role: entry.role,
      participant: entry.participant,
      publicKey: entry.publicKey,
      signature: entry.signature,
    });
    s.signers.push(entry.participant);
    if (this.plan[k]!.signoffs.every((g) => s.signoffs.filter((x) => x.role === g.role).length >= g.count))
      s.status = 'done';
  }

  /** Every step before `k` must be done: ended, with its sign-offs. */
  private closeGatesBefore(k: number, line: number): void {
    for (let i = 0; i < k; i++) {
      const s = this.steps[i]!;
      if (s.status === 'pending' || s.status === 'running') throw order(line, `step ${s.id} has not ended`);
      for (const g of this.plan[i]!.signoffs)
        this.quorum(
          s.signoffs.filter((x) => x.role === g.role),
          g.role,
          g.count,
          s,
          line,
        );
    }
  }

  private quorum(
    group: { participant: string; publicKey: string; signature: string; head?: string }[],
    role: Role,
    threshold: number,
    s: StepProgress,
    line: number,
  ): void {
    const signoffs: Signoff[] = group.map((g) => ({
      participant: g.participant,
      publicKey: hexDecode(g.publicKey),
      signature: hexDecode(g.signature),
      head: hexDecode(g.head ?? s.endHash!),
    }));
    try {
      verifyQuorum(signoffs, this.participants, {
        role,
        threshold,
        head: hexDecode(s.endHash!),
        ceremonyId: this.start.ceremony.id,
        stepId: s.id,
      });
    } catch (e) {
      if (isCeremonyError(e))
        throw new VerificationError(e.code, `line ${line}: step ${s.id}: ${e.message}`, {
          field: `line ${line}`,
          cause: e,
        });
      throw e;
    }
  }
}
