/**
 * The shipped templates validate (with the registry's checks too), and the shipped JSON Schema
 * helps editors: it compiles as draft 2020-12 and describes every property.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStepRegistry } from '../../../../ceremony/runner/registry.js';
import { TEMPLATES } from '../../../../ceremony/runner/init.js';
import { loadScript, scriptSchemaPath } from '../../../../ceremony/runner/script/index.js';
import { repo } from './fixture.js';

describe('templates', () => {
  for (const name of TEMPLATES)
    it(`${name}.yaml validates`, () => {
      const loaded = loadScript(join(repo, 'templates', `${name}.yaml`), {
        checkStep: createStepRegistry().check,
      });
      expect(loaded.script.ceremony.kind).toBe(
        name === 'rehearsal' ? 'rehearsal' : name === 'fleet-deployment' ? 'deployment' : 'rotation',
      );
      expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

  it('rehearsal.yaml has 3 emulated HSMs, 5 crypto officers with a 3-of-5 quorum and a local witness', () => {
    const s = loadScript(join(repo, 'templates/rehearsal.yaml')).script;
    expect(s.hsms.map((h) => h.backend)).toEqual(['emulated', 'emulated', 'emulated']);
    expect(s.participants.filter((p) => p.role === 'crypto-officer')).toHaveLength(5);
    expect(s.quorum).toEqual({ threshold: 3, of: 5 });
    expect(s.witness.url).toBe('local-rehearsal');
  });

  it('fleet-rotation.yaml chains to a previous evidence package', () => {
    const s = loadScript(join(repo, 'templates/fleet-rotation.yaml')).script;
    expect(s.previous?.evidence).toBeTruthy();
    expect(s.ceremony.epoch).toBeGreaterThan(1);
    expect(s.hsms.every((h) => h.backend === 'pkcs11')).toBe(true);
  });

  it('ships in the package (templates/ is in package.json files)', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('templates');
    expect(scriptSchemaPath()).toBe(join(repo, 'templates/schema/ceremony-script.schema.json'));
  });
});

describe('the JSON Schema', () => {
  const schema = JSON.parse(readFileSync(scriptSchemaPath(), 'utf8')) as Record<string, unknown>;

  it('is draft 2020-12 and closed: every object refuses unknown keys', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const open: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n['type'] === 'object' && n['properties'] !== undefined && n['additionalProperties'] !== false)
        open.push(path);
      for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });

  it('describes every property, so editors can explain it', () => {
    const defs = schema['$defs'] as Record<string, Record<string, unknown>>;
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as Record<string, unknown>)['properties'] as
        Record<string, Record<string, unknown>> | undefined;
      for (const [name, p] of Object.entries(props ?? {})) {
        const ref = typeof p['$ref'] === 'string' ? defs[(p['$ref'] as string).split('/').pop()!] : undefined;
        if (typeof p['description'] !== 'string' && typeof ref?.['description'] !== 'string')
          missing.push(`${path}.${name}`);
      }
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, `${path}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});
