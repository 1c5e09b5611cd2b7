/**
 * `verifyEvidence`: the offline verifier of an evidence package (docs/evidence.md, "Checks"). It
 * takes the package as an in-memory map of file name → bytes (the CLI loads a directory or a
 * `.tar.gz` into one; a browser can too), trusts only the trust file, touches no network and no
 * clock unless told a time, and reports every check with its reason.
 *
 * Steps, like sigstore's Verifier: (1) integrity: paths and sizes, SHA256SUMS, its signature by a
 * pinned operator key, every file's digest; nothing further is read from a package that fails
 * them. (2) the manifest. (3) the content: the validation bundle as a client verifies it, the
 * loose copies of its parts, the transcript and its binding to the fleet key set, every key's
 * attestation, the identity chains. (4) the package: exactly the files it should hold, signed by
 * the key that counter-signed, and a manifest that says exactly what the content says.
 *
 * Portable: no `node:` imports.
 */
import type { Trust } from '../bundle/index.js';
import { hexEncode } from '../codec/index.js';
import { sha256 } from '../crypto/index.js';
import { UsageError } from '../errors.js';
import { CHECKS } from './checks.js';
import { contentSteps } from './content.js';
import { EVIDENCE_FILES } from './layout.js';
import { parseManifest } from './manifest.js';
import type { Manifest } from './manifest-types.js';
import { CheckRecorder } from './report.js';
import type { EvidenceReport, EvidenceSubject } from './report.js';
import { integritySteps } from './steps-integrity.js';
import { packageSteps } from './steps-package.js';

/** Options of {@link verifyEvidence}. */
export interface VerifyEvidenceOptions {
  /**
   * `production` refuses emulated attestations; `rehearsal` accepts them. Default: the trust
   * file's. Asking for `rehearsal` against a production trust file is refused (it would loosen
   * the policy the trust file pins).
   */
  profile?: 'production' | 'rehearsal';
  /**
   * Judge the fleet's validity window and the certificates at this time (ms or Date). Default:
   * the time the package was made, so a ceremony stays verifiable after its fleet expires.
   */
  now?: number | Date;
  /** The newest fleet accepted before: an older epoch, or another set for it, is refused. */
  lastSeen?: { epoch: bigint | number; digest: Uint8Array };
}

function usage(field: string, reason: string): never {
  throw new UsageError('EVIDENCE_OPTION_INVALID', `${field}: ${reason}`, { field });
}

function readOptions(
  o: VerifyEvidenceOptions,
  trust: Trust,
): { profile: 'production' | 'rehearsal'; now?: number; lastSeen?: { epoch: bigint; digest: Uint8Array } } {
  const profile = o.profile ?? trust.profile;
  if (profile !== 'production' && profile !== 'rehearsal')
    usage('profile', `got ${JSON.stringify(profile)}, want production or rehearsal`);
  if (profile === 'rehearsal' && trust.profile === 'production')
    usage(
      'profile',
      'the trust file pins the production profile; rehearsal would accept emulated HSMs it refuses',
    );
  const now = o.now instanceof Date ? o.now.getTime() : o.now;
  if (now !== undefined && (!Number.isSafeInteger(now) || now < 0))
    usage('now', 'want ms since the Unix epoch or a valid Date');
  if (o.lastSeen === undefined) return { profile, ...(now === undefined ? {} : { now }) };
  const { epoch, digest } = o.lastSeen;
  if (!(
    (typeof epoch === 'bigint' && epoch >= 1n) ||
    (typeof epoch === 'number' && Number.isSafeInteger(epoch) && epoch >= 1)
  ))
    usage('lastSeen.epoch', 'want an epoch ≥ 1');
  if (!(digest instanceof Uint8Array) || digest.length !== 32)
    usage('lastSeen.digest', 'want a 32-byte SHA-256 digest');
  return { profile, ...(now === undefined ? {} : { now }), lastSeen: { epoch: BigInt(epoch), digest } };
}

/** Every check after the integrity ones, for reporting them skipped. */
const CONTENT_CHECKS = (Object.keys(CHECKS) as (keyof typeof CHECKS)[]).filter(
  (id) => !id.startsWith('package.') || id === 'package.layout' || id === 'package.signer',
);

function subjectOf(m: Manifest, files: ReadonlyMap<string, Uint8Array>): EvidenceSubject {
  return {
    ceremonyId: m.ceremony.id,
    namespace: m.fleet.namespace,
    epoch: m.fleet.epoch,
    fleetId: m.fleet.fleetId,
    keySetSha256: m.fleet.keySetSha256,
    evidenceSha256: hexEncode(sha256(files.get(EVIDENCE_FILES.sums)!)),
    hsms: m.fleet.hsms,
    keys: m.fleet.keys,
    rehearsal: m.rehearsal,
    createdAt: m.createdAt,
  };
}

/**
 * Verifies an evidence package against pinned trust anchors.
 *
 * @param files - every file of the package: path (`/`-separated, relative) → bytes.
 * @param trust - the pinned anchors (`parseTrustFile`); nothing else is trusted.
 * @param options - profile, time, anti-rollback state.
 * @returns every check with pass, fail or skip and a reason; `ok` only when all passed.
 * @throws UsageError `EVIDENCE_OPTION_INVALID` for bad options (never for bad evidence: that is a
 *   failed check).
 * @example
 * const report = await verifyEvidence(files, parseTrustFile(text, 'trust.json'), { profile: 'production' });
 * if (!report.ok) console.error(report.checks.filter((c) => !c.ok));
 */
export async function verifyEvidence(
  files: ReadonlyMap<string, Uint8Array>,
  trust: Trust,
  options: VerifyEvidenceOptions = {},
): Promise<EvidenceReport> {
  const o = readOptions(options, trust);
  const rec = new CheckRecorder();
  const integrity = await integritySteps(files, trust, rec);
  const done = (subject?: EvidenceSubject): EvidenceReport => ({
    ok: rec.clean,
    profile: o.profile,
    checks: rec.checks,
    ...(subject === undefined ? {} : { subject }),
  });
  if (!rec.clean) {
    for (const id of CONTENT_CHECKS)
      rec.skip(
        id,
        CHECKS[id],
        "not examined: the package's integrity is not established, so nothing in it is read",
      );
    return done();
  }
  const parsed = await rec.run<Manifest>('manifest', CHECKS.manifest, () => {
    const m = parseManifest(files.get(EVIDENCE_FILES.manifest)!);
    return {
      reason: `${m.format}, made ${m.createdAt}${m.rehearsal ? ', a REHEARSAL (emulated HSMs)' : ''}`,
      value: m,
    };
  });
  const manifest = parsed.value;
  if (manifest === undefined) {
    for (const id of CONTENT_CHECKS.slice(1))
      rec.skip(id, CHECKS[id], 'not examined: manifest.json does not parse');
    return done();
  }
  const facts = await contentSteps(
    files,
    trust,
    {
      profile: o.profile,
      createdAt: Date.parse(manifest.createdAt),
      nonce: manifest.ceremony.nonce,
      formats: new Map(manifest.attestations.map((a) => [a.keyId, a.format])),
      ...(o.now === undefined ? {} : { now: o.now }),
      ...(o.lastSeen === undefined ? {} : { lastSeen: o.lastSeen }),
    },
    rec,
  );
  await packageSteps(files, manifest, facts, integrity.signer, rec);
  return done(subjectOf(manifest, files));
}
