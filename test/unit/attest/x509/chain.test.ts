/**
 * Path building and validation (ceremony/attest/x509/chain.ts) on hand-written fixtures: a good
 * root → CA → leaf chain, then each case changes one certificate.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChainOptions, ParsedCertificate } from '../../../../ceremony/attest/x509/index.js';
import { parseCertificate, verifyChain, verifyChainAnyRoot } from '../../../../ceremony/attest/x509/index.js';
import type { ExtSpec, TestSigner } from '../support/cert-write.js';
import { newSigner, writeCert } from '../support/cert-write.js';
import {
  basicConstraints,
  keyUsage,
  makeDevice,
  makeKeyCert,
  makeKeySpki,
  makeRoot,
} from '../support/emulated-fixtures.js';
import { utf8 } from '../support/der-write.js';

const NB = new Date('2026-01-01T00:00:00Z');
const NA = new Date('2036-01-01T00:00:00Z');
const AT = new Date('2026-06-01T00:00:00Z');

interface Node {
  cn: string;
  signer: TestSigner;
  der: Uint8Array;
}
let root: Node;

async function issue(
  cn: string,
  issuer: Node | 'self',
  extensions: ExtSpec[],
  o: { notAfter?: Date; version?: 1 | 3; kind?: 'p256' | 'ed25519' | 'rsa' } = {},
): Promise<Node> {
  const signer = await newSigner(o.kind ?? 'p256');
  const by = issuer === 'self' ? { cn, signer } : issuer;
  const der = await writeCert(
    {
      subject: cn,
      issuer: by.cn,
      notBefore: NB,
      notAfter: o.notAfter ?? NA,
      spki: signer.spki,
      extensions,
      ...(o.version === undefined ? {} : { version: o.version }),
    },
    by.signer,
  );
  return { cn, signer, der };
}
const ca = (pathLen?: number) => [basicConstraints(true, pathLen), keyUsage(5, 6)];
const leafExts = [basicConstraints(false), keyUsage(0)];
const p = (n: Node): ParsedCertificate => parseCertificate(n.der, n.cn);
const codes = (r: { failures: { code: string }[] }) => r.failures.map((f) => f.code);

function verify(leaf: Node, inter: Node[], o: Partial<ChainOptions> = {}) {
  return verifyChain(p(leaf), inter.map(p), { roots: [p(root)], at: AT, ...o });
}

beforeAll(async () => {
  root = await issue('Root', 'self', ca());
});

describe('verifyChain', () => {
  it('builds leaf → CA → root whatever the order of the supplied certificates', async () => {
    const sub = await issue('Sub', root, ca(0));
    const other = await issue('Other', root, ca(0));
    const leaf = await issue('Leaf', sub, leafExts);
    const r = await verify(leaf, [sub]);
    expect(r.failures).toEqual([]);
    expect(r.path.map((c) => c.subject)).toEqual(['CN=Leaf', 'CN=Sub', 'CN=Root']);
    expect(codes(await verify(leaf, [other, sub]))).toEqual(['ATTEST_CHAIN_EXTRA_CERTIFICATE']);
  });

  it('verifies RSA and Ed25519 issuers', async () => {
    const rsa = await issue('RSA CA', root, ca(1), { kind: 'rsa' });
    const ed = await issue('Ed CA', rsa, ca(0), { kind: 'ed25519' });
    const leaf = await issue('Leaf', ed, leafExts);
    expect((await verify(leaf, [ed, rsa])).failures).toEqual([]);
  });

  it('refuses an exceeded pathLenConstraint', async () => {
    const top = await issue('Top', root, ca(0));
    const sub = await issue('Sub', top, ca());
    const leaf = await issue('Leaf', sub, leafExts);
    const r = await verify(leaf, [sub, top]);
    expect(codes(r)).toEqual(['ATTEST_PATH_LENGTH_EXCEEDED']);
  });

  it('refuses an issuer whose keyUsage lacks keyCertSign', async () => {
    const sub = await issue('Sub', root, [basicConstraints(true), keyUsage(0)]);
    expect(codes(await verify(await issue('Leaf', sub, leafExts), [sub]))).toEqual(['ATTEST_NOT_A_CA']);
  });

  it('refuses a v3 intermediate without basicConstraints even with the root-only deviation', async () => {
    const sub = await issue('Sub', root, [keyUsage(5)]);
    const leaf = await issue('Leaf', sub, leafExts);
    const r = await verify(await issue('Leaf2', leaf, leafExts), [leaf, sub], {
      deviations: ['root-without-basic-constraints', 'non-ca-leaf-issuer'],
    });
    expect(codes(r)).toEqual(['ATTEST_NOT_A_CA']);
    expect(r.failures[0]!.reason).toMatch(/'CN=Sub'/);
  });

  it('applies non-ca-leaf-issuer to the leaf issuer only', async () => {
    const authority = await issue('Authority', root, leafExts);
    const leaf = await issue('Leaf', authority, leafExts);
    expect(codes(await verify(leaf, [authority]))).toEqual(['ATTEST_NOT_A_CA', 'ATTEST_NOT_A_CA']);
    const ok = await verify(leaf, [authority], { deviations: ['non-ca-leaf-issuer'] });
    expect(ok.failures).toEqual([]);
    expect(ok.acceptedDeviations).toEqual([{ deviation: 'non-ca-leaf-issuer', subject: 'CN=Authority' }]);
    const sub = await issue('Sub', authority, ca(0));
    const deep = await verify(await issue('Leaf', sub, leafExts), [sub, authority], {
      deviations: ['non-ca-leaf-issuer'],
    });
    expect(codes(deep)).toEqual(['ATTEST_NOT_A_CA', 'ATTEST_NOT_A_CA']);
  });

  it('refuses a v1 intermediate unless v1-ca-certificate is named', async () => {
    const v1 = await issue('V1', root, [], { version: 1 });
    const leaf = await issue('Leaf', v1, leafExts);
    expect(codes(await verify(leaf, [v1]))).toEqual(['ATTEST_NOT_A_CA']);
    expect((await verify(leaf, [v1], { deviations: ['v1-ca-certificate'] })).failures).toEqual([]);
  });

  it('refuses an unknown critical extension unless the format handles it', async () => {
    const leaf = await issue('Leaf', root, [
      ...leafExts,
      { oid: '1.2.3.4', value: utf8('x'), critical: true },
    ]);
    expect(codes(await verify(leaf, []))).toEqual(['ATTEST_UNHANDLED_CRITICAL_EXTENSION']);
    expect((await verify(leaf, [], { handledCriticalExtensions: ['1.2.3.4'] })).failures).toEqual([]);
  });

  it('checks the validity of every certificate, the root included', async () => {
    const leaf = await issue('Leaf', root, leafExts, { notAfter: new Date('2026-03-01T00:00:00Z') });
    expect(codes(await verify(leaf, []))).toEqual(['ATTEST_EXPIRED']);
    expect((await verify(leaf, [], { at: new Date('2026-02-01T00:00:00Z') })).failures).toEqual([]);
    const early = await verify(leaf, [], { at: new Date('2025-12-31T00:00:00Z') });
    expect(codes(early)).toEqual(['ATTEST_NOT_YET_VALID', 'ATTEST_NOT_YET_VALID']);
  });

  it('refuses a chain that reaches no pinned root (a self-signed certificate is not reused)', async () => {
    const a = await issue('A', 'self', ca());
    const leaf = await issue('Leaf', a, leafExts);
    const r = await verify(leaf, [a]);
    expect(codes(r)).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    expect(r.complete).toBe(false);
    expect(r.path.map((c) => c.subject)).toEqual(['CN=Leaf', 'CN=A']);
  });

  it('bounds the path length', async () => {
    let parent = root;
    const chain: Node[] = [];
    for (let i = 0; i < 6; i++) chain.unshift((parent = await issue(`CA${i}`, parent, ca())));
    const leaf = await issue('Leaf', parent, leafExts);
    expect(codes(await verify(leaf, chain))).toEqual(['ATTEST_CHAIN_UNTRUSTED']);
    expect((await verify(leaf, chain, { maxPathLength: 8 })).failures).toEqual([]);
  });

  it('refuses an EMULATED root by default (hardware formats)', async () => {
    const eroot = await makeRoot();
    const device = await makeDevice(eroot);
    const key = parseCertificate(await makeKeyCert(device, await makeKeySpki('p256')), 'key');
    const opts = { roots: [parseCertificate(eroot.der, 'root')], at: AT };
    const r = await verifyChain(key, [parseCertificate(device.der, 'device')], opts);
    expect(codes(r)).toEqual(['ATTEST_EMULATED_ROOT']);
    const named = await issue('Acme EMULATED Root', 'self', ca());
    const byName = await verify(await issue('Leaf', named, leafExts), [], { roots: [p(named)] });
    expect(codes(byName)).toEqual(['ATTEST_EMULATED_ROOT']);
    const allowed = await verifyChain(key, [parseCertificate(device.der, 'device')], {
      ...opts,
      emulatedRoot: 'allow',
    });
    expect(allowed.failures).toEqual([]);
  });
});

describe('verifyChainAnyRoot', () => {
  /** The root again, same name and key, valid only until before AT (an expired earlier issue). */
  async function expiredIssue(): Promise<ParsedCertificate> {
    const der = await writeCert(
      {
        subject: root.cn,
        issuer: root.cn,
        notBefore: NB,
        notAfter: new Date('2026-03-01T00:00:00Z'),
        spki: root.signer.spki,
        extensions: ca(),
      },
      root.signer,
    );
    return parseCertificate(der, 'expired issue');
  }

  it('passes with the valid reissue when the expired issue is pinned first', async () => {
    const leaf = await issue('Leaf', root, leafExts);
    const roots = [await expiredIssue(), p(root)];
    expect(codes(await verifyChain(p(leaf), [], { roots, at: AT }))).toEqual(['ATTEST_EXPIRED']);
    const r = await verifyChainAnyRoot(p(leaf), [], { roots, at: AT });
    expect(r.ok).toBe(true);
    expect(r.path[1]!.der).toEqual(root.der);
  });

  it('gives the verification with every root when no root alone passes', async () => {
    const leaf = await issue('Leaf', root, leafExts);
    const expired = await expiredIssue();
    const other = p(await issue('Other', 'self', ca()));
    const all = await verifyChain(p(leaf), [], { roots: [expired, other], at: AT });
    const r = await verifyChainAnyRoot(p(leaf), [], { roots: [expired, other], at: AT });
    expect(r).toEqual(all);
    expect(codes(r)).toEqual(['ATTEST_EXPIRED']);
  });
});
