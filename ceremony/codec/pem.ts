/**
 * PEM, RFC 7468: textual encodings of DER structures (certificates, keys, CSRs).
 *
 * Strict by default: the text must be exactly what {@link pemEncode} writes for its blocks, one
 * after the other (RFC 7468 §3 `stricttextualmsg`, tightened): `-----BEGIN label-----`, base64
 * lines of exactly 64 characters but the last (1–64), `-----END label-----`, each line ended by
 * LF; no CR, no whitespace, no headers, no text before, between or after blocks.
 *
 * `{ lax: true }` reads files from outside the project (vendor roots, openssl output) as RFC 7468
 * §2 and §3 `laxtextualmsg` allow: CRLF, CR or LF line ends; trailing spaces and tabs; whitespace
 * and any line length in the base64 text; explanatory text between blocks is ignored. Even lax,
 * boundaries must be well-formed, labels must match, and the base64 must be canonical.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError, UsageError } from '../errors.js';
import { base64Decode, base64Encode } from './base64.js';

/** One decoded PEM block. */
export interface PemBlock {
  label: string;
  der: Uint8Array<ArrayBuffer>;
}

/** Options of {@link pemDecode} and {@link pemDecodeAll}. */
export interface PemDecodeOptions {
  /** Accept RFC 7468 lax text (see the module doc). Default false. */
  lax?: boolean;
  /** Largest accepted text, in UTF-16 code units. Default 1 MiB. */
  maxLength?: number;
  /** Name of the input used as the error's `field` (default `pem`). */
  field?: string;
}

/** RFC 7468 §3 `label`: printable ASCII but `-`, joined by single `-` or space; we also require it non-empty. */
const LABEL = /^[\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*$/;
const BOUNDARY = /^-----(BEGIN|END) (.*)-----$/;
const LINE = 64;

/**
 * Encodes DER bytes as one PEM block: 64-character base64 lines, LF line ends, a final LF.
 *
 * @param label - RFC 7468 §3 label, e.g. `CERTIFICATE`, `PUBLIC KEY`.
 * @throws UsageError `PEM_BAD_LABEL` for a label outside the RFC 7468 grammar, `PEM_EMPTY` for no bytes.
 */
export function pemEncode(label: string, der: Uint8Array): string {
  if (!LABEL.test(label))
    throw new UsageError('PEM_BAD_LABEL', `label ${quote(label)} is not an RFC 7468 label`);
  if (der.length === 0) throw new UsageError('PEM_EMPTY', 'no bytes to encode');
  const b64 = base64Encode(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += LINE) out += b64.slice(i, i + LINE) + '\n';
  return out + `-----END ${label}-----\n`;
}

/** Removes trailing SP and HTAB (RFC 7468 §3 `WSP`) in linear time (a regex could backtrack). */
function trimWsp(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  return line.slice(0, end);
}

/** A label from the input, quoted and cut to 64 characters for an error message. */
function quote(label: string): string {
  return JSON.stringify(label.length > 64 ? label.slice(0, 64) + '…' : label);
}

function fail(code: string, field: string, line: number | undefined, reason: string): never {
  const where = line === undefined ? '' : ` line ${line}`;
  throw new MalformedError(code, `${field}${where}: ${reason}`, { field });
}

/**
 * Decodes every PEM block of a text, in order.
 *
 * @param label - when given, every block must carry it.
 * @throws MalformedError `PEM_TOO_LARGE`, `PEM_NO_BLOCK`, `PEM_BAD_BOUNDARY` (malformed or
 *   unmatched BEGIN/END line), `PEM_BAD_LABEL`, `PEM_LABEL_MISMATCH` (END differs from BEGIN),
 *   `PEM_WRONG_LABEL` (not `label`), `PEM_MISSING_END`, `PEM_EMPTY`; strict only:
 *   `PEM_LINE_ENDING` (CR, or no final LF), `PEM_TEXT_OUTSIDE` (text outside blocks),
 *   `PEM_LINE_LENGTH`, `PEM_NON_CANONICAL` (does not re-encode identically; a backstop); and the
 *   `BASE64_*` codes of {@link base64Decode} for the body.
 */
export function pemDecodeAll(text: string, label?: string, options: PemDecodeOptions = {}): PemBlock[] {
  const field = options.field ?? 'pem';
  const lax = options.lax === true;
  const maxLength = options.maxLength ?? 1 << 20;
  if (text.length > maxLength)
    fail('PEM_TOO_LARGE', field, undefined, `${text.length} characters, limit ${maxLength}`);
  if (!lax) {
    const cr = text.indexOf('\r');
    if (cr >= 0)
      fail('PEM_LINE_ENDING', field, undefined, `CR at offset ${cr}; strict PEM ends lines with LF only`);
    if (text.length > 0 && !text.endsWith('\n'))
      fail('PEM_LINE_ENDING', field, undefined, 'no LF after the last line');
  }
  const lines = text.split(lax ? /\r\n|\r|\n/ : '\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const blocks: PemBlock[] = [];
  let open: { label: string; line: number; body: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lax ? trimWsp(lines[i]!) : lines[i]!;
    const b = line.startsWith('-----') ? BOUNDARY.exec(line) : null;
    if (line.startsWith('-----') && b === null)
      fail('PEM_BAD_BOUNDARY', field, n, 'malformed encapsulation boundary');
    if (open === undefined) {
      if (b === null) {
        if (!lax) fail('PEM_TEXT_OUTSIDE', field, n, 'text outside a PEM block');
        continue; // RFC 7468 §2: explanatory text outside blocks
      }
      if (b[1] !== 'BEGIN') fail('PEM_BAD_BOUNDARY', field, n, 'END without BEGIN');
      if (!LABEL.test(b[2]!))
        fail('PEM_BAD_LABEL', field, n, `label ${quote(b[2]!)} is not an RFC 7468 label`);
      if (label !== undefined && b[2] !== label) {
        fail('PEM_WRONG_LABEL', field, n, `got label ${quote(b[2]!)}, want ${quote(label)}`);
      }
      open = { label: b[2]!, line: n, body: [] };
    } else if (b === null) {
      open.body.push(lax ? line.replace(/[ \t]/g, '') : line);
    } else {
      if (b[1] !== 'END')
        fail('PEM_MISSING_END', field, n, `BEGIN before the END of the block at line ${open.line}`);
      if (b[2] !== open.label) {
        fail('PEM_LABEL_MISMATCH', field, n, `END label ${quote(b[2]!)}, BEGIN label ${quote(open.label)}`);
      }
      blocks.push({
        label: open.label,
        der: decodeBody(open.body, open.line, `${field}[${blocks.length}]`, lax),
      });
      open = undefined;
    }
  }
  if (open !== undefined) fail('PEM_MISSING_END', field, open.line, 'block has no END line');
  if (blocks.length === 0)
    fail('PEM_NO_BLOCK', field, undefined, `no PEM block${label === undefined ? '' : ` labelled ${label}`}`);
  if (!lax && blocks.map((x) => pemEncode(x.label, x.der)).join('') !== text) {
    fail('PEM_NON_CANONICAL', field, undefined, 'does not re-encode to identical text'); // backstop
  }
  return blocks;
}

function decodeBody(body: string[], begin: number, field: string, lax: boolean): Uint8Array<ArrayBuffer> {
  if (!lax) {
    for (let j = 0; j < body.length; j++) {
      const len = body[j]!.length;
      const last = j === body.length - 1;
      if (last ? len === 0 || len > LINE : len !== LINE) {
        fail(
          'PEM_LINE_LENGTH',
          field,
          begin + 1 + j,
          `base64 line of ${len} characters, want ${last ? '1–64' : '64'}`,
        );
      }
    }
  }
  const b64 = body.join('');
  if (b64.length === 0) fail('PEM_EMPTY', field, begin, 'block has no content');
  return base64Decode(b64, field);
}

/**
 * Decodes the one PEM block of a text, which must carry `label`.
 *
 * @returns the DER bytes.
 * @throws MalformedError `PEM_MULTIPLE_BLOCKS` if there is more than one block, and every code of
 *   {@link pemDecodeAll}.
 */
export function pemDecode(
  text: string,
  label: string,
  options: PemDecodeOptions = {},
): Uint8Array<ArrayBuffer> {
  const blocks = pemDecodeAll(text, label, options);
  if (blocks.length !== 1) {
    const field = options.field ?? 'pem';
    fail('PEM_MULTIPLE_BLOCKS', field, undefined, `got ${blocks.length} blocks, want exactly 1`);
  }
  return blocks[0]!.der;
}
