/**
 * `verify PACKAGE --trust FILE`, shared by the `fleet-ceremony verify` command and the
 * single-file verifier: read the trust file (bounded), load the package (directory or .tar.gz,
 * bounded), `verifyEvidence`, print the report (text on stderr, `--json` on stdout), and return
 * the exit code: 0 verified, 1 refused. Bad usage and unreadable or malformed input throw typed
 * errors, which the callers map to exit 2.
 */
import { MAX_TRUST_FILE_LENGTH, parseIsoUtc, parseTrustFile } from '../bundle/index.js';
import { hexDecode, parseDecimal, utf8Decode } from '../codec/index.js';
import { UsageError } from '../errors.js';
import { evidenceReportJson, formatEvidenceReport, verifyEvidence } from '../verify/index.js';
import type { EvidenceReport, VerifyEvidenceOptions } from '../verify/index.js';
import { readFileBounded } from '../io/index.js';
import { loadEvidencePackage } from './load.js';

/** The command's options, as flags give them. */
export interface RunVerifyOptions {
  package: string;
  trust: string;
  profile?: string;
  json?: boolean;
  /** ISO 8601 UTC time to judge validity at. */
  now?: string;
  lastSeenEpoch?: string;
  lastSeenDigest?: string;
}

function options(o: RunVerifyOptions): VerifyEvidenceOptions {
  const out: VerifyEvidenceOptions = {};
  if (o.profile !== undefined) {
    if (o.profile !== 'production' && o.profile !== 'rehearsal')
      throw new UsageError(
        'EVIDENCE_OPTION_INVALID',
        `--profile: got ${JSON.stringify(o.profile)}, want production or rehearsal`,
        { field: 'profile' },
      );
    out.profile = o.profile;
  }
  if (o.now !== undefined) {
    const now = parseIsoUtc(o.now);
    if (now === undefined)
      throw new UsageError(
        'EVIDENCE_OPTION_INVALID',
        `--now: got ${JSON.stringify(o.now)}, want ISO 8601 UTC like 2025-06-01T00:00:00Z`,
        { field: 'now' },
      );
    out.now = now;
  }
  if ((o.lastSeenEpoch === undefined) !== (o.lastSeenDigest === undefined))
    throw new UsageError('EVIDENCE_OPTION_INVALID', '--last-seen-epoch and --last-seen-digest go together', {
      field: 'last-seen',
    });
  if (o.lastSeenEpoch !== undefined && o.lastSeenDigest !== undefined) {
    out.lastSeen = {
      epoch: parseDecimal(o.lastSeenEpoch, 'last-seen-epoch'),
      digest: hexDecode(o.lastSeenDigest, 'last-seen-digest', 32),
    };
  }
  return out;
}

/**
 * Runs the verifier.
 *
 * @param write - where text goes: `out` (stdout) gets only the JSON, `err` (stderr) the report.
 * @returns the report and the exit code (0 verified, 1 refused).
 * @throws UsageError / MalformedError for bad flags, an unreadable or malformed trust file or
 *   package (exit 2).
 */
export async function runVerify(
  o: RunVerifyOptions,
  write: { out(s: string): void; err(s: string): void },
): Promise<{ code: 0 | 1; report: EvidenceReport }> {
  const opts = options(o);
  const trustBytes = readFileBounded(o.trust, MAX_TRUST_FILE_LENGTH * 4, {
    what: 'trust file',
    missingCode: 'TRUST_UNREADABLE',
    tooLargeCode: 'TRUST_TOO_LARGE',
  });
  const trustText = utf8Decode(trustBytes, 'trust');
  const trust = parseTrustFile(trustText, o.trust);
  const files = loadEvidencePackage(o.package);
  const report = await verifyEvidence(files, trust, opts);
  write.err(formatEvidenceReport(report) + '\n');
  if (o.json === true) write.out(JSON.stringify(evidenceReportJson(report), null, 2) + '\n');
  return { code: report.ok ? 0 : 1, report };
}
