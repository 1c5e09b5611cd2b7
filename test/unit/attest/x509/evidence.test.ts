/**
 * The shared starts of the attestation formats (ceremony/attest/x509/evidence.ts): the X.509
 * statement prologue on the real YubiHSM 2 sample, and the shape check of self-contained statements.
 */
import { describe, expect, it } from 'vitest';
import type { AttestationFailure, AttestationVerifyOptions } from '../../../../ceremony/attest/types.js';
import type { ParsedCertificate } from '../../../../ceremony/attest/x509/index.js';
import { selfContainedStatement, verifyX509Statement } from '../../../../ceremony/attest/x509/index.js';
import { MalformedError } from '../../../../ceremony/errors.js';
import { CHECKED_ON, pemCert } from '../support/vectors.js';

const EVIDENCE = {
  format: 'test-format',
  statement: pemCert('yubihsm2/key-0x7e57-attestation.pem'),
  chain: [
    pemCert('yubihsm2/device-31650425-attestation-cert.pem'),
    pemCert('yubihsm2/yubihsm-6742036-sub-ca.pem'),
  ],
};
const options = (o: Partial<AttestationVerifyOptions> = {}): AttestationVerifyOptions => ({
  trustedRoots: [pemCert('yubihsm2/yubihsm-root-ca.pem')],
  now: CHECKED_ON,
  ...o,
});
/** A leaf reader that reports one failure and returns the leaf's subject. */
const readSubject = (leaf: ParsedCertificate, failures: AttestationFailure[]): string => {
  failures.push({ code: 'ATTEST_EXTENSION_MISSING', reason: 'from the reader' });
  return leaf.subject;
};

describe('verifyX509Statement', () => {
  it('reads the leaf, then verifies the chain at options.now', async () => {
    const v = await verifyX509Statement('test-format', EVIDENCE, options(), readSubject);
    if ('failed' in v) return expect.fail(v.failed.failures[0]!.reason);
    expect(v.claims).toBe(v.leaf.subject);
    expect(v.at).toBe(CHECKED_ON);
    expect(v.chain.ok).toBe(true);
    expect(v.chain.path).toHaveLength(4);
    expect(v.failures).toEqual([{ code: 'ATTEST_EXTENSION_MISSING', reason: 'from the reader' }]);
  });

  it("checks at the leaf's notBefore with validateAtAttestationTime; chain failures follow the reader's", async () => {
    const v = await verifyX509Statement(
      'test-format',
      EVIDENCE,
      options({ trustedRoots: [], validateAtAttestationTime: true }),
      readSubject,
    );
    if ('failed' in v) return expect.fail(v.failed.failures[0]!.reason);
    expect(v.at).toEqual(v.leaf.notBefore);
    expect(v.failures.map((f) => f.code)).toEqual(['ATTEST_EXTENSION_MISSING', 'ATTEST_CHAIN_UNTRUSTED']);
  });

  it('gives the failed result, for the format, when the evidence does not parse', async () => {
    const bad = { ...EVIDENCE, chain: [Uint8Array.of(0x30, 0x00)] };
    const v = await verifyX509Statement('test-format', bad, options(), readSubject);
    expect('failed' in v && v.failed).toMatchObject({
      ok: false,
      format: 'test-format',
      verificationTime: CHECKED_ON,
      failures: [{ code: 'ATTEST_MALFORMED', reason: expect.stringMatching(/^chain\[0\]/) as string }],
    });
  });
});

describe('selfContainedStatement', () => {
  it('returns the statement when the chain is empty', () => {
    const statement = Uint8Array.of(1, 2, 3);
    expect(selfContainedStatement({ format: 'x', statement, chain: [] }, 'why')).toBe(statement);
  });

  it('refuses a chain, naming the field and the reason', () => {
    const e = (() => {
      try {
        selfContainedStatement(
          { format: 'x', statement: Uint8Array.of(1), chain: [Uint8Array.of(2)] },
          'why',
        );
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(MalformedError);
    expect(e).toMatchObject({
      code: 'ATTEST_MALFORMED',
      field: 'chain',
      message: 'statement must be bytes and chain empty: why',
    });
  });
});
