/**
 * Ceremony rules beyond the schema: each case changes one thing in the good rehearsal script and
 * expects one issue, at the line of the change, naming the path and the allowed values.
 */
import { describe, expect, it } from 'vitest';
import { GOOD, expectOne, issuesOf, mutate } from './fixture.js';

const KEY_A = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'; // RFC 8032 test 1
const deployment = (text: string) => text.replace('  kind: rehearsal', '  kind: deployment');

describe('script semantics', () => {
  it('a duplicate participant id', () => {
    const { text, line } = mutate('  - id: co-2\n', '  - id: co-1\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_DUPLICATE_ID',
      line,
      'participants[3].id "co-1" is already used by participants[2]',
    );
  });

  it('one decimal serial spelled twice (leading zeros): one device', () => {
    const one = mutate('    expectedSerial: EMU-0001\n', "    expectedSerial: '1234567'\n").text;
    const { text, line } = mutate('    expectedSerial: EMU-0002\n', "    expectedSerial: '01234567'\n", one);
    expectOne(issuesOf(text), 'SCRIPT_DUPLICATE_ID', line, 'is already used by hsms[0]');
  });

  it('a duplicate step id', () => {
    const { text, line } = mutate('  - id: attest\n', '  - id: generate\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_DUPLICATE_ID',
      line,
      'steps[3].id "generate" is already used by steps[2]',
    );
  });

  it('a key on an HSM that does not exist', () => {
    const { text, line } = mutate('    hsm: hsm-2\n', '    hsm: hsm-9\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_REFERENCE',
      line,
      'keys[1].hsm can only be one of the HSM ids: hsm-1, hsm-2 or hsm-3 (got "hsm-9")',
    );
  });

  it('a quorum threshold above the number of officers (M > N)', () => {
    const { text, line } = mutate('  threshold: 3', '  threshold: 6');
    expectOne(
      issuesOf(text),
      'SCRIPT_QUORUM_INVALID',
      line,
      'quorum.threshold (6) can be at most quorum.of (5)',
    );
  });

  it('a quorum N that is not the number of crypto officers', () => {
    const { text, line } = mutate('  of: 5', '  of: 4');
    expectOne(
      issuesOf(text),
      'SCRIPT_QUORUM_INVALID',
      line,
      'quorum.of (4) must equal the number of crypto officers in participants (5)',
    );
  });

  it('two fleet keys with one label on one HSM', () => {
    const { text, line } = mutate(
      '  - label: fleet-session-2\n    hsm: hsm-2',
      '  - label: fleet-session-1\n    hsm: hsm-1',
    );
    expectOne(
      issuesOf(text),
      'SCRIPT_DUPLICATE_ID',
      line,
      'keys[1].label "fleet-session-1" is already used on hsm-1 by keys[0]',
    );
  });

  it('an algorithm the key role does not allow', () => {
    const { text, line } = mutate(
      '    hsm: hsm-3\n    algorithm: x25519',
      '    hsm: hsm-3\n    algorithm: ed25519',
    );
    expectOne(
      issuesOf(text),
      'SCRIPT_BAD_VALUE',
      line + 1,
      'keys[2].algorithm can only be x25519 or p256 for a session key',
    );
  });

  it('an emulated HSM without its directory', () => {
    const { text, line } = mutate('    dir: hsms/hsm-3\n', '');
    expectOne(
      issuesOf(text),
      'SCRIPT_MISSING_FIELD',
      line - 3,
      'hsms[2].dir is required for an emulated device',
    );
  });

  it('PKCS#11 fields on an emulated HSM', () => {
    const { text, line } = mutate('    dir: hsms/hsm-2\n', '    dir: hsms/hsm-2\n    tokenLabel: x\n');
    expectOne(
      issuesOf(text),
      'SCRIPT_CONFLICT',
      line + 1,
      'hsms[1].tokenLabel can only be used with backend pkcs11',
    );
  });

  it('a participant without any identity', () => {
    const { text, line } = mutate('    keyFile: participants/op-signer.key\n', '');
    expectOne(
      issuesOf(text),
      'SCRIPT_MISSING_FIELD',
      line - 3,
      'participants[7] (op-signer) needs an identity',
    );
  });

  it('an invalid pinned public key, and one pinned twice', () => {
    const bad = mutate(
      '    keyFile: participants/co-1.key',
      `    keyFile: participants/co-1.key\n    publicKey: "${'0'.repeat(64)}"`,
    );
    expectOne(
      issuesOf(bad.text),
      'SCRIPT_BAD_KEY',
      bad.line + 1,
      'participants[2].publicKey is not a valid Ed25519 public key',
    );
    const a = mutate(
      '    keyFile: participants/co-1.key',
      `    keyFile: participants/co-1.key\n    publicKey: "${KEY_A}"`,
    );
    const b = mutate(
      '    keyFile: participants/co-2.key',
      `    keyFile: participants/co-2.key\n    publicKey: "${KEY_A}"`,
      a.text,
    );
    expectOne(
      issuesOf(b.text),
      'SCRIPT_DUPLICATE_KEY',
      b.line + 1,
      'participants[3].publicKey is the same key as participants[2]',
    );
  });

  it('no administrator', () => {
    const { text } = mutate('    role: administrator', '    role: operator-signer');
    expect(issuesOf(text).map((i) => i.code)).toContain('SCRIPT_MISSING_ROLE');
  });

  it('a sign-off count above the holders of the role', () => {
    const { text, line } = mutate(
      '    signoffs:\n      - role: operator-signer',
      '    signoffs:\n      - role: operator-signer\n        count: 2',
    );
    expectOne(
      issuesOf(text),
      'SCRIPT_QUORUM_INVALID',
      line + 2,
      'steps[7].signoffs[0].count (2) is more than the 1 participant(s) with role operator-signer',
    );
  });

  it('a read-aloud value from a step that runs later, or does not exist', () => {
    const later = mutate('        value: environment.toolSha256', '        value: evidence.sha256');
    expectOne(
      issuesOf(later.text),
      'SCRIPT_BAD_REFERENCE',
      later.line,
      'names step "evidence", which runs later',
    );
    const none = mutate('        value: environment.toolSha256', '        value: nowhere.sha256');
    expectOne(
      issuesOf(none.text),
      'SCRIPT_BAD_REFERENCE',
      none.line,
      'names step "nowhere", which does not exist',
    );
  });

  it('a seal that is not the last step', () => {
    const { text, line } = mutate('    kind: build-evidence', '    kind: seal');
    expect(issuesOf(text).map((i) => [i.code, i.line])).toContainEqual(['SCRIPT_STEP_ORDER', line]);
  });

  it('validity with days and dates, or dates in the wrong order', () => {
    const both = mutate('    days: 365', '    days: 365\n    notBefore: 2026-01-01T00:00:00Z');
    expectOne(issuesOf(both.text), 'SCRIPT_CONFLICT', both.line - 1, 'either days or notBefore and notAfter');
    const order = mutate(
      '    days: 365',
      '    notBefore: 2026-01-01T00:00:00Z\n    notAfter: 2025-01-01T00:00:00Z',
    );
    expectOne(issuesOf(order.text), 'SCRIPT_BAD_VALUE', order.line + 1, 'notAfter must be after notBefore');
  });

  it('in a deployment: emulated HSMs, key files and a local witness are refused', () => {
    const codes = issuesOf(deployment(GOOD)).map((i) => `${i.code} ${i.path}`);
    expect(codes).toContain('SCRIPT_BAD_VALUE hsms[0].backend');
    expect(codes).toContain('SCRIPT_BAD_VALUE participants[0].keyFile');
    expect(codes).toContain('SCRIPT_BAD_VALUE witness.url');
  });

  it('previous belongs to a rotation, and a rotation needs it', () => {
    const extra = mutate('operator:\n', 'previous:\n  evidence: ../epoch-1/evidence\noperator:\n');
    expectOne(
      issuesOf(extra.text),
      'SCRIPT_BAD_VALUE',
      extra.line,
      'previous can only be given in a rotation',
    );
  });
});
