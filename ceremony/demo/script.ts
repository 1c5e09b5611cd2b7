/**
 * The demo's ceremony script: templates/rehearsal.yaml with the demo's facts filled in (each
 * participant's generated public key, the HSMs as created, the witness), re-validated before it is
 * written. Comments and layout of the template are kept, so the script reads like any other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { Scalar, parseDocument } from 'yaml';
import { utf8Encode } from '../codec/index.js';
import { templatesDir } from '../runner/init.js';
import { parseScript } from '../runner/script/index.js';
import type { StepRegistry } from '../runner/registry.js';

/** What the template needs to know. */
export interface DemoScriptFacts {
  /** Public keys (hex) by participant id. */
  publicKeys: ReadonlyMap<string, string>;
  namespace: string;
  /** SoftHSM2 tokens by HSM id (absent: emulated HSMs as the template has them). */
  tokens?: { module: string; byHsm: ReadonlyMap<string, { label: string; serial: string }> };
  /** The vendor root file, relative to the script or absolute (emulated HSMs). */
  vendorRoot: string;
  /** An external witness: its URL, and the request key file and operator name registered there. */
  witness?: { url: string; requestKey: string; operator: string };
}

function quoted(v: string): Scalar {
  const s = new Scalar(v);
  s.type = 'QUOTE_DOUBLE';
  return s;
}

/**
 * The filled-in script's bytes (validated with `registry`'s checks).
 * @throws ScriptError if the result does not validate (a bug of the demo).
 */
export function demoScript(f: DemoScriptFacts, registry: StepRegistry): Uint8Array {
  const doc = parseDocument(readFileSync(join(templatesDir(), 'rehearsal.yaml'), 'utf8'));
  doc.commentBefore =
    ' The ceremony script of `fleet-ceremony demo`, filled in from templates/rehearsal.yaml.';
  for (const p of (doc.get('participants') as YAMLSeq<YAMLMap>).items) {
    const key = f.publicKeys.get(String(p.get('id')));
    if (key !== undefined) p.set('publicKey', quoted(key));
  }
  doc.setIn(['ceremony', 'namespace'], f.namespace);
  for (const h of (doc.get('hsms') as YAMLSeq<YAMLMap>).items) {
    const token = f.tokens?.byHsm.get(String(h.get('id')));
    if (token === undefined) {
      h.set('vendorRoot', f.vendorRoot);
      continue;
    }
    h.set('backend', 'pkcs11');
    h.delete('dir');
    h.delete('vendorRoot');
    h.set('module', f.tokens!.module);
    h.set('tokenLabel', token.label);
    h.set('expectedSerial', quoted(token.serial));
  }
  if (f.tokens !== undefined)
    for (const k of (doc.get('keys') as YAMLSeq<YAMLMap>).items) k.set('algorithm', 'p256');
  if (f.witness !== undefined) {
    doc.setIn(['witness', 'url'], f.witness.url);
    const step = (doc.get('steps') as YAMLSeq<YAMLMap>).items.find(
      (s) => s.get('kind') === 'witness-submit',
    )!;
    step.set('with', doc.createNode({ operator: f.witness.operator, requestKey: f.witness.requestKey }));
  }
  const bytes = utf8Encode(doc.toString({ lineWidth: 0 }));
  parseScript(bytes, 'ceremony.yaml', { checkStep: registry.check });
  return bytes;
}
