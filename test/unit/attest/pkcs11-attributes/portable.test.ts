/**
 * Attestation verification is portable (DESIGN §3): the pkcs11-attributes sources import nothing
 * from `node:` or the I/O layers and use no Node globals. (The lint rule for portable folders does
 * not list this folder; this test holds the line.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const dir = resolve(import.meta.dirname, '../../../../ceremony/attest/pkcs11-attributes');

it('imports no node: built-ins or I/O layers and uses no Node globals', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThanOrEqual(5);
  for (const f of files) {
    const code = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
    for (const spec of imports) {
      expect(spec, `${f} imports ${spec}`).not.toMatch(
        /^node:|^(fs|path|os|crypto|buffer|process)$|\/(hsm|witness|runner|cli)\//,
      );
    }
    expect(code, f).not.toMatch(/\b(Buffer|process|require|__dirname)\b/);
  }
});
