/**
 * Text rendering of X.501 Names (RFC 5280 §4.1.2.4) for reasons and results.
 *
 * Attributes are written `TYPE=value` in encoding order (the order `openssl x509 -subject` prints),
 * joined by `, `; multi-valued RDNs joined by ` + `. Values are escaped as RFC 4514 §2.4 says; a
 * value in a string type this renderer does not know is written `#` + hex of its DER, as RFC 4514
 * §2.4 allows. The rendering is for people: path building compares the Names' DER bytes.
 *
 * Written here rather than taken from @peculiar/x509, whose import needs a global
 * `Reflect.getMetadata` polyfill that portable verification code must not install.
 *
 * Portable: no `node:` imports.
 */
import type { DerElement } from './der.js';
import { hexEncode } from '../../codec/index.js';
import { TAG, derSequence } from './der.js';
import { derOid } from './der-values.js';

const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** PrintableString, IA5String, VisibleString, NumericString: ASCII. T61String: read as Latin-1. */
const ASCII_TAGS = new Set([0x12, 0x13, 0x14, 0x16, 0x1a]);
const BMP_STRING = 0x1e;
const UNIVERSAL_STRING = 0x1c;

/**
 * Renders a Name.
 *
 * @throws MalformedError `ATTEST_MALFORMED` when it is not a SEQUENCE OF SET OF
 *   AttributeTypeAndValue.
 * @example nameToString(decodeDer(subjectDer, 'subject'), 'subject') === 'CN=Yubico PIV Attestation'
 */
export function nameToString(name: DerElement, field: string): string {
  return derSequence(name, field)
    .map((rdn, i) =>
      derSequence(rdn, `${field}[${i}]`, 1, Number.MAX_SAFE_INTEGER, TAG.SET)
        .map((atv, j) => {
          const [type, value] = derSequence(atv, `${field}[${i}][${j}]`, 2, 2) as [DerElement, DerElement];
          const oid = derOid(type, `${field}[${i}][${j}].type`);
          return `${SHORT_NAMES[oid] ?? oid}=${renderValue(value)}`;
        })
        .join(' + '),
    )
    .join(', ');
}

/**
 * The values of attribute `oid` (e.g. `2.5.4.3`, commonName) in a Name, in encoding order, as
 * text (unescaped); values in string types this module does not know are skipped.
 *
 * @throws MalformedError `ATTEST_MALFORMED` when the Name does not parse.
 */
export function nameAttribute(name: DerElement, oid: string, field: string): string[] {
  const out: string[] = [];
  derSequence(name, field).forEach((rdn, i) =>
    derSequence(rdn, `${field}[${i}]`, 1, Number.MAX_SAFE_INTEGER, TAG.SET).forEach((atv, j) => {
      const [type, value] = derSequence(atv, `${field}[${i}][${j}]`, 2, 2) as [DerElement, DerElement];
      const text = derOid(type, `${field}[${i}][${j}].type`) === oid ? decodeString(value) : undefined;
      if (text !== undefined) out.push(text);
    }),
  );
  return out;
}

function renderValue(value: DerElement): string {
  const text = decodeString(value);
  return text === undefined ? `#${hexEncode(value.bytes)}` : escape(text);
}

function decodeString(value: DerElement): string | undefined {
  const c = value.content;
  if (value.tag === TAG.UTF8_STRING) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(c);
    } catch {
      return undefined;
    }
  }
  if (ASCII_TAGS.has(value.tag)) return String.fromCharCode(...c);
  if (value.tag === BMP_STRING && c.length % 2 === 0) {
    let s = '';
    for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
    return s;
  }
  if (value.tag === UNIVERSAL_STRING && c.length % 4 === 0) {
    let s = '';
    for (let i = 0; i < c.length; i += 4) {
      const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
      if (cp > 0x10ffff) return undefined;
      s += String.fromCodePoint(cp);
    }
    return s;
  }
  return undefined;
}

/** RFC 4514 §2.4 escaping; control characters as `\XX`. */
function escape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).padStart(2, '0')}`;
    else if ('"+,;<>\\'.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === '#' || ch === ' ')) || (i === text.length - 1 && ch === ' '))
      out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
