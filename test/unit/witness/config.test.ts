/**
 * witness.json (ceremony/witness/config): parse and format are inverses; every structural and
 * cross-reference problem is reported, with its dotted path, in one error.
 */
import { describe, expect, it } from 'vitest';
import { formatWitnessConfig, parseWitnessConfig } from '../../../ceremony/witness/config/parse.js';
import { parseNamespaceRoot, formatNamespaceRoot } from '../../../ceremony/witness/config/fields.js';
import { parseOperatorSpec } from '../../../ceremony/witness/config/namespaces.js';
import { DEFAULT_LIMITS, WITNESS_CONFIG_FORMAT } from '../../../ceremony/witness/config/types.js';
import type { WitnessConfig } from '../../../ceremony/witness/config/types.js';
import { ed25519, p256 } from '../../../ceremony/crypto/index.js';
import { generateSignerKey } from '../../../ceremony/tlog/index.js';

const key = (b: number) => {
  const k = ed25519.generateKeyPair().publicKey;
  k[31] = b;
  return k;
};

const good = (): WitnessConfig => ({
  format: WITNESS_CONFIG_FORMAT,
  origin: 'w.example/log',
  cosignerName: 'w.example/cosigner',
  statementKeys: [
    { publicKey: key(1), notBefore: 1000, source: { file: 'keys/statement-1.key' } },
    { publicKey: key(2), notBefore: 2000, source: { file: 'keys/statement-2.key' } },
  ],
  logKey: { publicKey: key(3), source: { file: 'keys/log.key' } },
  cosignerKey: { publicKey: key(4), source: { file: 'keys/cosigner.key' } },
  operators: [{ name: 'op-a', algorithm: 'p256', publicKey: p256.generateKeyPair().publicKey }],
  namespaces: [
    {
      name: 'example.com/fleet',
      root: { epoch: 3n, digest: new Uint8Array(32).fill(5) },
      profile: 'production',
      online: false,
      vendorRoots: [new Uint8Array([1, 2, 3])],
      operators: ['op-a'],
    },
  ],
  cosigning: { logs: [] },
  limits: { ...DEFAULT_LIMITS, burst: 2 },
});

function problems(mutate: (j: Record<string, unknown>) => void): string {
  const j = JSON.parse(formatWitnessConfig(good())) as Record<string, unknown>;
  mutate(j);
  try {
    parseWitnessConfig(JSON.stringify(j), 'witness.json');
    return 'accepted';
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
}

describe('witness configuration', () => {
  it('format and parse are inverses', () => {
    const text = formatWitnessConfig(good());
    expect(formatWitnessConfig(parseWitnessConfig(text))).toBe(text);
  });
  it('refuses text that is not JSON', () => {
    expect(() => parseWitnessConfig('{')).toThrow(
      expect.objectContaining({ code: 'WITNESS_CONFIG_MALFORMED' }),
    );
  });
  it('reports an unknown field with its path', () => {
    expect(problems((j) => (j['extra'] = 1))).toMatch(
      /^WITNESS_CONFIG_INVALID: config\.extra: unknown field/,
    );
  });
  it('reports every problem of one document at once', () => {
    const m = problems((j) => {
      j['format'] = 'x';
      (j['namespaces'] as { profile: string }[])[0]!.profile = 'staging';
      (j['operators'] as { publicKey: string }[])[0]!.publicKey = 'zz';
    });
    expect(m).toContain('format: want');
    expect(m).toContain('namespaces[0].profile: got "staging"');
    expect(m).toContain('operators[0].publicKey');
  });
  it('refuses a namespace naming an unregistered operator', () => {
    expect(
      problems((j) => ((j['namespaces'] as { operators: string[] }[])[0]!.operators = ['op-z'])),
    ).toContain('namespaces[0].operators[0]: no operator "op-z"');
  });
  it('refuses statement keys whose notBefore does not increase', () => {
    expect(problems((j) => ((j['statementKeys'] as { notBefore: number }[])[1]!.notBefore = 1000))).toContain(
      'statementKeys[1].notBefore: want strictly increasing',
    );
  });
  it('refuses two statement keys with the same key id (last byte)', () => {
    expect(
      problems((j) => {
        const ks = j['statementKeys'] as { publicKey: string }[];
        ks[1]!.publicKey = ks[1]!.publicKey.slice(0, 62) + ks[0]!.publicKey.slice(62);
      }),
    ).toContain('duplicate');
  });
  it('refuses a token key source without an hsm section', () => {
    expect(
      problems((j) => ((j['logKey'] as { source: unknown }).source = { pkcs11Label: 'witness-log' })),
    ).toContain('hsm: missing');
  });
  it('refuses a key file outside keys/', () => {
    expect(problems((j) => ((j['logKey'] as { source: unknown }).source = { file: '../log.key' }))).toContain(
      'logKey.source.file',
    );
  });
  it('refuses a cosigner named as the origin', () => {
    expect(problems((j) => (j['cosignerName'] = j['origin']))).toContain('cosignerName: must differ');
  });
  it('refuses limits out of range', () => {
    expect(problems((j) => ((j['limits'] as Record<string, number>)['maxBodyBytes'] = 10))).toContain(
      'limits.maxBodyBytes',
    );
  });
});

describe('namespace roots and operator specs', () => {
  it('parses genesis and <epoch>/<hex>, and formats them back', () => {
    expect(parseNamespaceRoot('genesis')).toBe('genesis');
    const text = `7/${'ab'.repeat(32)}`;
    expect(formatNamespaceRoot(parseNamespaceRoot(text))).toBe(text);
    for (const bad of ['0/' + 'ab'.repeat(32), '7/' + 'AB'.repeat(32), '7', 'gen']) {
      expect(() => parseNamespaceRoot(bad)).toThrow(
        expect.objectContaining({ code: 'WITNESS_NAMESPACE_INVALID' }),
      );
    }
  });
  it('takes a C2SP Ed25519 verifier key or name:alg:hex', () => {
    const vk = generateSignerKey('op-a').verifierKey;
    expect(parseOperatorSpec(vk)).toMatchObject({ name: 'op-a', algorithm: 'ed25519' });
    const ec = p256.generateKeyPair().publicKey;
    expect(parseOperatorSpec(`op-b:p256:${Buffer.from(ec).toString('hex')}`)).toMatchObject({
      name: 'op-b',
      algorithm: 'p256',
    });
    expect(() => parseOperatorSpec('op-b:p256:00')).toThrow(
      expect.objectContaining({ code: 'WITNESS_NAMESPACE_INVALID' }),
    );
    expect(() => parseOperatorSpec(generateSignerKey('op@a').verifierKey)).toThrow(
      expect.objectContaining({ code: 'WITNESS_NAMESPACE_INVALID' }),
    );
  });
});
