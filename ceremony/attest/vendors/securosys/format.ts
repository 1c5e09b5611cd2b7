/**
 * `securosys-primus`: Securosys Primus key attestations (docs/attestation-vendors.md).
 *
 * Checks: the statement wrapper and XML parse (./evidence.ts, ./facts.ts); the XML's RSA PKCS#1
 * v1.5 SHA-256 signature verifies under the `attestation-key` certificate (`chain[0]`); that
 * certificate chains through the HSM key certificate to a pinned root, at `options.now` or, with
 * `validateAtAttestationTime`, at the XML's `attest_time`; the `<public_key>` is the SPKI of the
 * algorithm and size the XML states. Policy: `creation="generated"`; `extractable` false and
 * `never_extractable` true; `sensitive` and `always_sensitive` true.
 *
 * Portable: no `node:` imports.
 */
import { sha256 } from '../../../crypto/index.js';
import { MalformedError } from '../../../errors.js';
import { failure } from '../../codes.js';
import { challengeFailures, failedResult, finish, pathOf } from '../../result.js';
import type {
  AttestationFailure,
  AttestationFormat,
  AttestationResult,
  AttestationVerifyOptions,
  KeyAttestation,
  KeyOrigin,
} from '../../types.js';
import {
  checkTime,
  describeMalformed,
  parseTrustedRoots,
  parseX509Evidence,
  signerPath,
} from '../../x509/evidence.js';
import { verifySignature } from '../../x509/signature.js';
import { KEY_ALGORITHM_OIDS, parseSpki } from '../../x509/spki.js';
import { verifyChain } from '../../x509/chain.js';
import { SECUROSYS_FORMAT, readSecurosysStatement } from './evidence.js';
import type { SecurosysFacts } from './facts.js';
import { readFacts } from './facts.js';

const SHA256_WITH_RSA = { oid: '1.2.840.113549.1.1.11' };
/** The key algorithms the XML may name: RSA and EC. */
const ALGORITHM_OIDS: Readonly<Record<string, string>> = {
  rsa: KEY_ALGORITHM_OIDS.rsa,
  ec: KEY_ALGORITHM_OIDS.ec,
};
const HSM_SERIAL = /CN=PRIMUS HSM KEY \(SN: (\d+)\)/;

/** Policy failures, each naming the XML attribute that decides it. */
function keyFailures(f: SecurosysFacts): {
  origin: KeyOrigin;
  exportable: boolean | undefined;
  failures: AttestationFailure[];
} {
  const out: AttestationFailure[] = [];
  const flag = (name: string): boolean | undefined => f.flags.get(name);
  const origin: KeyOrigin =
    f.creation === 'generated' ? 'generated' : f.creation === 'imported' ? 'imported' : 'unknown';
  if (origin === 'imported')
    out.push(failure('ATTEST_KEY_IMPORTED', 'creation="imported": the key was not generated in the HSM'));
  if (origin === 'unknown')
    out.push(failure('ATTEST_ORIGIN_UNKNOWN', `creation="${f.creation}" is not a known key origin`));
  const extractable = flag('extractable');
  const never = flag('never_extractable');
  const exportable = extractable === undefined || never === undefined ? undefined : extractable || !never;
  if (extractable === true)
    out.push(failure('ATTEST_KEY_EXPORTABLE', '<extractable>true</extractable>: the key may be wrapped out'));
  if (never === false)
    out.push(
      failure(
        'ATTEST_KEY_EXPORTABLE',
        '<never_extractable>false</never_extractable>: the key was extractable at some time',
      ),
    );
  if (exportable === undefined)
    out.push(failure('ATTEST_EXPORTABILITY_UNKNOWN', 'the XML lacks <extractable> or <never_extractable>'));
  if (flag('sensitive') !== true) out.push(failure('ATTEST_KEY_NOT_SENSITIVE', '<sensitive> is not true'));
  if (flag('always_sensitive') !== true)
    out.push({ code: 'ATTEST_KEY_WAS_NOT_SENSITIVE', reason: '<always_sensitive> is not true' });
  return { origin, exportable, failures: out };
}

async function verify(
  evidence: KeyAttestation,
  options: AttestationVerifyOptions,
): Promise<AttestationResult> {
  let parsed;
  try {
    if (
      !(evidence.statement instanceof Uint8Array) ||
      !Array.isArray(evidence.chain) ||
      evidence.chain.length === 0
    ) {
      throw new MalformedError('ATTEST_MALFORMED', 'statement must be bytes and chain non-empty', {
        field: 'chain',
      });
    }
    const statement = readSecurosysStatement(evidence.statement);
    const facts = readFacts(statement.xml);
    const { leaf, intermediates } = parseX509Evidence({
      ...evidence,
      statement: evidence.chain[0]!,
      chain: evidence.chain.slice(1),
    });
    parsed = { statement, facts, leaf, intermediates, key: parseSpki(facts.spki, 'private_key.public_key') };
  } catch (e) {
    if (!(e instanceof MalformedError)) throw e;
    return failedResult(SECUROSYS_FORMAT, options.now, 'ATTEST_MALFORMED', describeMalformed(e));
  }
  const { statement, facts, leaf, intermediates, key } = parsed;
  const { at, timeSource } = checkTime(options, facts.attestTime);
  const failures: AttestationFailure[] = [];
  const sig = await verifySignature(SHA256_WITH_RSA, leaf.spki, statement.xml, statement.signature);
  if (!sig.ok)
    failures.push(failure(sig.code, `the attestation XML's signature by '${leaf.subject}': ${sig.reason}`));
  const chain = await verifyChain(leaf, intermediates, {
    roots: parseTrustedRoots(options.trustedRoots).roots,
    at,
  });
  failures.push(...chain.failures);
  const bits = key.type === 'rsa' ? key.bits : undefined;
  if (ALGORITHM_OIDS[key.type] !== facts.algorithmOid || (bits !== undefined && bits !== facts.keySize)) {
    failures.push(
      failure(
        'ATTEST_ATTRIBUTE_MISMATCH',
        `<public_key> is not a ${facts.algorithmOid} key of ${facts.keySize} bits`,
      ),
    );
  }
  const serial = chain.path.map((c) => HSM_SERIAL.exec(c.subject)?.[1]).find((s) => s !== undefined);
  if (serial === undefined)
    failures.push(
      failure('ATTEST_EXTENSION_MISSING', 'no certificate names the HSM serial (CN=PRIMUS HSM KEY (SN: …))'),
    );
  const policy = keyFailures(facts);
  failures.push(...policy.failures, ...challengeFailures(options.expectedChallenge, 'unsupported'));
  return finish({
    format: SECUROSYS_FORMAT,
    level: 'hardware-vendor',
    vendor: 'Securosys',
    model: 'Primus',
    serial: serial ?? '',
    firmware: '',
    publicKey: { spki: facts.spki, sha256: sha256(facts.spki) },
    origin: policy.origin,
    exportable: policy.exportable,
    // <sensitive> alone, as every format reports it: <always_sensitive> false is a failure of its
    // own (ATTEST_KEY_WAS_NOT_SENSITIVE). Absent is not stated.
    sensitive: facts.flags.get('sensitive'),
    usages: ['sign', 'decrypt', 'unwrap', 'derive'].filter((u) => facts.flags.get(u) === true),
    attributes: {
      label: facts.label,
      algorithm:
        key.type === 'rsa'
          ? `rsa-${key.bits}`
          : `ec-${key.type === 'ec' ? key.curve.replace('-', '').toLowerCase() : ''}`,
      createTime: facts.createTime.toISOString(),
      attestTime: facts.attestTime.toISOString(),
    },
    chain: chain.path.map((c) => c.subject),
    ...pathOf(sig.ok ? signerPath(chain, 0) : undefined),
    verificationTime: at,
    verificationTimeSource: timeSource,
    failures,
  });
}

/** Securosys Primus key attestations (signed XML). */
export const securosysFormat: AttestationFormat = { id: SECUROSYS_FORMAT, verify };
