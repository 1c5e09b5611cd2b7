/**
 * What `fleet-ceremony attest verify` reports per attestation: the normalised result, the policy's
 * failures and the verdict, as the `--json` document's entries and as text on stderr.
 */
import type { AttestationFailure, AttestationResult } from '../attest/index.js';
import { hexEncode } from '../codec/index.js';
import { keyAlgorithm } from './attest-inputs.js';
import type { Source } from './attest-inputs.js';
import { say } from './run.js';

/** One attestation's report: the normalised result, the policy's failures, the verdict. */
export function reportOf(src: Source, r: AttestationResult, policy: AttestationFailure[]) {
  const failures = [...r.failures, ...policy];
  return {
    files: src.files,
    keyId: src.keyId,
    ok: failures.length === 0,
    format: r.format,
    level: r.level,
    vendor: r.vendor,
    model: r.model,
    serial: r.serial,
    firmware: r.firmware,
    publicKey:
      r.publicKey === undefined
        ? null
        : { algorithm: keyAlgorithm(r.publicKey.spki), sha256: r.publicKey.sha256, spki: r.publicKey.spki },
    origin: r.origin,
    exportable: r.exportable ?? null,
    sensitive: r.sensitive ?? null,
    usages: r.usages ?? [],
    challenge: r.challenge ?? null,
    attributes: r.attributes ?? {},
    chain: r.chain,
    verificationTime: r.verificationTime.toISOString(),
    // The result's own `verificationTimeSource`; its `now` is the time given here (--at or the clock).
    verificationTimeSource: r.verificationTimeSource === 'attestation' ? 'attestation' : 'given',
    failures,
  };
}
export type Report = ReturnType<typeof reportOf>;

const text = (v: string) => (v === '' ? '(not stated)' : v);
const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');

export function sayReport(r: Report, n: number, of: number, atAttestationTime: boolean): void {
  const key = r.keyId === null ? '' : ` key ${r.keyId}`;
  say(`Attestation ${n} of ${of}${key}: ${r.files.join(', ')}`);
  say(`  format       ${r.format} (level ${r.level})`);
  say(
    `  device       ${text(r.vendor)} ${text(r.model)}, serial ${text(r.serial)}, firmware ${text(r.firmware)}`,
  );
  const k = r.publicKey;
  say(
    `  key          ${k === null ? '(none)' : `${k.algorithm ?? 'unknown algorithm'}, SPKI SHA-256 ${hexEncode(k.sha256)}`}`,
  );
  say(`  origin       ${r.origin}; exportable ${yesNo(r.exportable)}; sensitive ${yesNo(r.sensitive)}`);
  if (r.usages.length > 0) say(`  usages       ${r.usages.join(', ')}`);
  const attrs = Object.entries(r.attributes);
  if (attrs.length > 0) say(`  attributes   ${attrs.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  say(`  chain        ${r.chain.length === 0 ? '(none)' : r.chain.join(' → ')}`);
  const time =
    r.verificationTimeSource === 'attestation'
      ? "the attestation's own time, --attestation-time"
      : atAttestationTime
        ? 'the given time: this format states no time of its own'
        : 'the given time';
  say(`  checked at   ${r.verificationTime} (${time})`);
  for (const f of r.failures) say(`  FAILED ${f.code}: ${f.reason}`);
  say(`  ${r.ok ? 'VERIFIED' : 'REFUSED'}`);
}
