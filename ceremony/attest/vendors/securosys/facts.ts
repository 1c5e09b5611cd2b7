/**
 * What a Securosys Primus attestation XML says about the key (root element `<private_key>`):
 *
 * ```
 * <private_key creation="generated">
 *   <label/> <create_time/> <attest_time/> <key_use_count/> <algorithm/> <algorithm_oid/> <key_size/>
 *   <public_key>base64 SubjectPublicKeyInfo</public_key>
 *   <attributes> <decrypt/> <sign/> <unwrap/> <derive/> <sensitive/> <always_sensitive/>
 *     <extractable/> <never_extractable/> <modifiable/> <copyable/> <destroyable/> <unique/> </attributes>
 * </private_key>
 * ```
 *
 * Attribute values are `true` or `false`; times are RFC 3339 UTC (`2025-10-18T20:19:33Z`).
 *
 * Portable: no `node:` imports.
 */
import { base64Decode } from '../../../codec/index.js';
import { MalformedError } from '../../../errors.js';
import type { XmlElement } from './xml.js';
import { child, parseXml } from './xml.js';

/** The key facts of a Securosys attestation. */
export interface SecurosysFacts {
  /** `creation` attribute of `<private_key>`, e.g. `generated`. */
  creation: string;
  label: string;
  createTime: Date;
  attestTime: Date;
  algorithmOid: string;
  keySize: number;
  spki: Uint8Array;
  /** The `<attributes>` flags by name. */
  flags: ReadonlyMap<string, boolean>;
}

const FLAGS = [
  'decrypt',
  'sign',
  'unwrap',
  'derive',
  'sensitive',
  'always_sensitive',
  'extractable',
  'never_extractable',
  'modifiable',
  'copyable',
  'destroyable',
  'unique',
];
const TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;

function fail(field: string, reason: string): never {
  throw new MalformedError('SECUROSYS_XML_INVALID', `${field}: ${reason}`, { field });
}

function text(parent: XmlElement, name: string): string {
  const el = child(parent, name);
  if (el === undefined) fail(`${parent.name}.${name}`, 'missing');
  if (el.children.length > 0 || el.attributes.size > 0) fail(`${parent.name}.${name}`, 'must be plain text');
  return el.text;
}

function time(parent: XmlElement, name: string): Date {
  const t = text(parent, name);
  const m = TIME.exec(t);
  const d = m === null ? undefined : new Date(t);
  if (d === undefined || Number.isNaN(d.getTime()) || d.toISOString() !== t.replace('Z', '.000Z')) {
    fail(`private_key.${name}`, `${JSON.stringify(t)} is not an RFC 3339 UTC time`);
  }
  return d;
}

/**
 * Reads the facts from the XML bytes; every element the document shape above names must be there,
 * once, and nothing else (an unknown element is refused: this is signed evidence, not a feed).
 *
 * @throws MalformedError `SECUROSYS_XML_INVALID`
 */
export function readFacts(xml: Uint8Array): SecurosysFacts {
  const root = parseXml(xml);
  if (root.name !== 'private_key') fail('xml', `root element is <${root.name}>, want <private_key>`);
  const known = [
    'label',
    'create_time',
    'attest_time',
    'key_use_count',
    'algorithm',
    'algorithm_oid',
    'key_size',
    'public_key',
    'attributes',
  ];
  for (const c of root.children)
    if (!known.includes(c.name)) fail(`private_key.${c.name}`, 'unknown element');
  if (root.text.trim() !== '') fail('private_key', 'stray text');
  const creation = root.attributes.get('creation');
  if (creation === undefined || root.attributes.size !== 1)
    fail('private_key', 'want exactly the creation attribute');
  const attrs = child(root, 'attributes');
  if (attrs === undefined) fail('private_key.attributes', 'missing');
  const flags = new Map<string, boolean>();
  for (const c of attrs.children) {
    if (!FLAGS.includes(c.name)) fail(`attributes.${c.name}`, 'unknown attribute');
    const v = text(attrs, c.name);
    if (v !== 'true' && v !== 'false')
      fail(`attributes.${c.name}`, `${JSON.stringify(v)} is not true or false`);
    flags.set(c.name, v === 'true');
  }
  const keySize = text(root, 'key_size');
  if (!/^[1-9]\d{0,5}$/.test(keySize)) fail('private_key.key_size', 'not a decimal size');
  text(root, 'key_use_count');
  text(root, 'algorithm');
  return {
    creation,
    label: text(root, 'label'),
    createTime: time(root, 'create_time'),
    attestTime: time(root, 'attest_time'),
    algorithmOid: text(root, 'algorithm_oid'),
    keySize: Number(keySize),
    spki: base64Decode(text(root, 'public_key'), 'private_key.public_key'),
    flags,
  };
}
