/**
 * The verifier's report: every check it ran, passed, failed or skipped, with a reason; the
 * recorder the steps write it through; and its renderings (text for people, JSON for `--json`). A step throws a typed error (its code and message become
 * the failed check); anything else it throws is a bug, recorded as `EVIDENCE_INTERNAL_ERROR` so a
 * bug can never let a package pass.
 *
 * Portable: no `node:` imports.
 */
import { isCeremonyError } from '../errors.js';
import type { CeremonyError } from '../errors.js';

/** One check of the verifier. */
export interface EvidenceCheck {
  /** Stable id, e.g. `package.signature`, `attestation:fleet-session-1` (docs/evidence.md lists them). */
  id: string;
  title: string;
  /** True only when the check ran and passed. */
  ok: boolean;
  /** True when the check did not run because one it depends on failed. */
  skipped?: boolean;
  /** Why it passed, failed or was skipped, in plain words naming the file and field. */
  reason: string;
  /** The error code of a failure, e.g. `EVIDENCE_DIGEST_MISMATCH`, `BUNDLE_WITNESS_SIGNATURE_INVALID`. */
  code?: string;
}

/** What a verified package is about (from its authenticated content), for the report's heading. */
export interface EvidenceSubject {
  ceremonyId: string;
  namespace: string;
  epoch: string;
  fleetId: string;
  /** Hex SHA-256 of the fleet key set: what the witness signed. */
  keySetSha256: string;
  /** Hex SHA-256 of SHA256SUMS: the one digest that names the whole package. */
  evidenceSha256: string;
  hsms: number;
  keys: number;
  /** True when any HSM's attestation level is `emulated`: a rehearsal, not hardware. */
  rehearsal: boolean;
  createdAt: string;
}

/** The verifier's verdict. */
export interface EvidenceReport {
  /** True only when every check passed. */
  ok: boolean;
  profile: 'production' | 'rehearsal';
  checks: EvidenceCheck[];
  subject?: EvidenceSubject;
}

/** `file: field: reason` of a typed error, without repeating a file or field its message already names. */
export function describeFailure(e: CeremonyError): string {
  let message = e.message;
  const parts: string[] = [];
  if (e.file !== undefined && e.file !== '') {
    if (message.startsWith(`${e.file}: `)) message = message.slice(e.file.length + 2);
    parts.push(e.file);
  }
  if (e.field !== undefined && e.field !== '' && !message.startsWith(e.field)) parts.push(e.field);
  return [...parts, message].join(': ');
}

/** Collects checks in order. */
export class CheckRecorder {
  readonly checks: EvidenceCheck[] = [];

  /** Records a passed check. */
  pass(id: string, title: string, reason: string): void {
    this.checks.push({ id, title, ok: true, reason });
  }

  /** Records a failed check. */
  fail(id: string, title: string, code: string, reason: string): void {
    this.checks.push({ id, title, ok: false, reason, code });
  }

  /** Records a check that did not run. */
  skip(id: string, title: string, reason: string): void {
    this.checks.push({ id, title, ok: false, skipped: true, reason });
  }

  /** True when nothing has failed or been skipped so far. */
  get clean(): boolean {
    return this.checks.every((c) => c.ok);
  }

  /**
   * Runs one check: `f` returns the reason it passed (and optionally a value for later steps), or
   * throws. Returns the value, or undefined when the check failed.
   */
  async run<T = undefined>(
    id: string,
    title: string,
    f: () => Promise<{ reason: string; value?: T }> | { reason: string; value?: T },
  ): Promise<{ value: T | undefined; ok: boolean }> {
    try {
      const r = await f();
      this.pass(id, title, r.reason);
      return { value: r.value, ok: true };
    } catch (e) {
      if (isCeremonyError(e)) this.fail(id, title, e.code, describeFailure(e));
      else
        this.fail(
          id,
          title,
          'EVIDENCE_INTERNAL_ERROR',
          `internal error (a bug; the package is not accepted): ${e instanceof Error ? e.message : String(e)}`,
        );
      return { value: undefined, ok: false };
    }
  }
}

/** The report as lines of text (no trailing newline). */
export function formatEvidenceReport(r: EvidenceReport): string {
  const out: string[] = [];
  const s = r.subject;
  const what =
    s === undefined
      ? 'evidence package'
      : `evidence of ${s.fleetId}, epoch ${s.epoch} in ${s.namespace} (ceremony ${s.ceremonyId}, ${s.createdAt})`;
  const failed = r.checks.filter((c) => !c.ok && c.skipped !== true).length;
  out.push(
    r.ok
      ? `VERIFIED: ${what}, profile ${r.profile}`
      : `REJECTED: ${what}, profile ${r.profile}: ${failed} check(s) failed`,
  );
  if (s !== undefined) {
    if (s.rehearsal)
      out.push('  REHEARSAL — emulated HSMs, not hardware: this evidence proves nothing about hardware');
    out.push(`  fleet key set ${s.keySetSha256}; ${s.hsms} HSMs, ${s.keys} keys`);
    out.push(`  evidence digest (SHA-256 of SHA256SUMS) ${s.evidenceSha256}`);
  }
  for (const c of r.checks) {
    const mark = c.ok ? 'PASS' : c.skipped === true ? 'SKIP' : 'FAIL';
    out.push(`${mark} ${c.id}: ${c.title}`);
    out.push(`     ${c.reason}${c.code === undefined ? '' : ` [${c.code}]`}`);
  }
  return out.join('\n');
}

/** The report as JSON-ready data (what `--json` prints). */
export function evidenceReportJson(r: EvidenceReport): EvidenceReport {
  return {
    ok: r.ok,
    profile: r.profile,
    ...(r.subject === undefined ? {} : { subject: { ...r.subject } }),
    checks: r.checks.map((c) => ({ ...c })),
  };
}
