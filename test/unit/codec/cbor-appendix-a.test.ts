/**
 * RFC 8949 Appendix A examples (fixtures/rfc8949-appendix-a.json): the deterministic ones decode to
 * the expected diagnostic notation and re-encode to the same bytes; the others (floats, tags,
 * undefined and other simple values, indefinite lengths) are refused with the listed code.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeCbor, encodeCbor } from '../../../ceremony/codec/index.js';
import { diag, h, malformed } from './helpers.js';

interface Case {
  hex: string;
  diagnostic: string;
  want: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/rfc8949-appendix-a.json', import.meta.url), 'utf8'),
) as {
  cases: Case[];
};

describe('RFC 8949 Appendix A', () => {
  it('has all 82 examples of the appendix', () => {
    expect(fixture.cases.length).toBe(82);
    expect(fixture.cases.filter((c) => c.want === 'ok').length).toBe(37);
  });

  for (const c of fixture.cases) {
    if (c.want === 'ok') {
      it(`accepts ${c.diagnostic}`, () => {
        const bytes = h(c.hex);
        const v = decodeCbor(bytes);
        expect(diag(v)).toBe(c.diagnostic);
        expect(Buffer.from(encodeCbor(v)).toString('hex')).toBe(c.hex);
      });
    } else {
      it(`refuses ${c.diagnostic} (${c.want})`, () => {
        malformed(() => decodeCbor(h(c.hex)), c.want);
      });
    }
  }
});
