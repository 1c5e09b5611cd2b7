import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyRoot,
  hashChildren,
  hashesEqual,
  hashLeaf,
  MemoryTree,
} from '../../../../ceremony/tlog/merkle/index.js';
import { hex, runs, unhex } from './config.js';
import { refLeafHash, refNodeHash } from './reference.js';

// Known answers from transparency-dev/merkle proof/verify_test.go (the RFC 6962 test tree):
// the roots of the trees of the first 1..8 of these leaves.
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 §2.1.1 hashing', () => {
  it('hashes the empty tree to SHA-256 of no bytes', () => {
    expect(hex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(new MemoryTree().root())).toBe(hex(emptyRoot()));
  });

  it('hashes a leaf as SHA-256(0x00 || data)', () => {
    expect(hex(hashLeaf(new Uint8Array(0)))).toBe(ROOTS[0]);
  });

  it('reproduces the RFC 6962 test tree roots', () => {
    const tree = new MemoryTree();
    LEAVES.forEach((l, i) => {
      tree.append(unhex(l));
      expect(hex(tree.root()), `size ${i + 1}`).toBe(ROOTS[i]);
    });
    ROOTS.forEach((r, i) => expect(hex(tree.root(i + 1))).toBe(r));
    // By hand: the root of two leaves.
    expect(hex(hashChildren(hashLeaf(unhex(LEAVES[0]!)), hashLeaf(unhex(LEAVES[1]!))))).toBe(ROOTS[1]);
  });

  it('agrees with node:crypto on random inputs, leaf and node domains apart', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (d, h) => {
          expect(hashLeaf(d)).toEqual(refLeafHash(d));
          expect(hashChildren(h, d)).toEqual(refNodeHash(h, d));
          if (d.length === 64)
            expect(hashLeaf(d)).not.toEqual(hashChildren(d.subarray(0, 32), d.subarray(32)));
        },
      ),
      { numRuns: runs(200, 5000) },
    );
  });

  it('returns fresh arrays and compares hashes byte-wise', () => {
    const a = hashLeaf(Uint8Array.of(1));
    const b = hashLeaf(Uint8Array.of(1));
    expect(a).not.toBe(b);
    expect(hashesEqual(a, b)).toBe(true);
    b[31]! ^= 1;
    expect(hashesEqual(a, b)).toBe(false);
    expect(hashesEqual(a, a.subarray(0, 31))).toBe(false);
  });
});
