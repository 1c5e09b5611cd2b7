/**
 * Intake of vendor attestations: from the files a vendor's own tool writes to the one
 * {@link KeyAttestation} the verifiers read (docs/attestation.md, "Intake").
 *
 * Intake checks shape only: which format the files are, that they are complete, and that every
 * file is used. Whether the attestation is genuine is `verifyAttestation`'s question.
 *
 * | format | files, in this order where several |
 * | --- | --- |
 * | `yubihsm2`, `yubikey-piv`, `emulated-x509/v1` | certificates, PEM or DER: the key's certificate first, then its chain |
 * | `marvell-liquidsecurity` | the `.dat.gz` blob, then the certificate file (4 certificates) |
 * | `thales-luna` | the PKC bundle, DER or PEM `PKCS7` |
 * | `securosys-primus` | the XML, its signature (binary), then the chain certificates |
 * | `crypto4a-qasm` | the message, DER or PEM `ATTESTATION MESSAGE` |
 * | `entrust-nshield` | the bundle JSON (`.att`) |
 * | `fortanix-dsm` | the key attestation JSON |
 *
 * Every file is classified by its content, never by its name; the first file decides the format.
 * Each file's errors name it.
 *
 * Portable: no `node:` imports.
 */
import { isUtf8, pemDecodeAll, utf8Decode } from '../codec/index.js';
import { inFile, MalformedError } from '../errors.js';
import { EMULATED_ARC, EMULATED_FORMAT } from './emulated/oids.js';
import type { KeyAttestation } from './types.js';
import { CRYPTO4A_FORMAT } from './vendors/crypto4a/index.js';
import { FORTANIX_FORMAT, fortanixEvidenceFromJson } from './vendors/fortanix/index.js';
import { LUNA_FORMAT } from './vendors/luna/index.js';
import { CHAIN_ROLES, MARVELL_FORMAT, marvellEvidenceFromGzip } from './vendors/marvell/index.js';
import { NSHIELD_FORMAT } from './vendors/nshield/index.js';
import { SECUROSYS_FORMAT, securosysEvidence } from './vendors/securosys/index.js';
import { YUBIHSM2_FORMAT } from './vendors/yubihsm2.js';
import { YUBIKEY_PIV_FORMAT } from './vendors/yubikey-piv.js';
import { decodeDer, derChildren, TAG } from './x509/der.js';
import { derOid } from './x509/der-values.js';
import { parseCertificate } from './x509/certificate.js';

/** One file of a vendor attestation: its name (for errors) and its bytes. */
export interface AttestationFile {
  name: string;
  bytes: Uint8Array;
}

/** Largest file read: real attestation files are 1–20 KiB. */
export const MAX_INTAKE_FILE_BYTES = 1024 * 1024;
/** Most files one attestation may come in (securosys: XML, signature, up to 6 certificates). */
export const MAX_INTAKE_FILES = 8;

/** The formats intake builds, in the order {@link detectAttestationFormat} tries them. */
export const INTAKE_FORMATS: readonly string[] = [
  YUBIHSM2_FORMAT,
  YUBIKEY_PIV_FORMAT,
  MARVELL_FORMAT,
  LUNA_FORMAT,
  SECUROSYS_FORMAT,
  CRYPTO4A_FORMAT,
  NSHIELD_FORMAT,
  FORTANIX_FORMAT,
  EMULATED_FORMAT,
];

const PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';
const YUBIHSM_ARC = '1.3.6.1.4.1.41482.4.';
const YUBIKEY_PIV_ARC = '1.3.6.1.4.1.41482.3.';
/**
 * The extension only a key's certificate carries, not its device's: YubiHSM 2 origin, YubiKey PIV
 * PIN/touch policy, emulated keyOrigin.
 */
const KEY_CERT_EXTENSION: Readonly<Record<string, string>> = {
  yubihsm2: `${YUBIHSM_ARC}3`,
  'yubikey-piv': `${YUBIKEY_PIV_ARC}8`,
  'emulated-x509/v1': `${EMULATED_ARC}.4`,
};
/** A PEM encapsulation boundary at the start of a line (RFC 7468 §2: text may come before it). */
const PEM_BEGIN = /(?:^|[\r\n])-----BEGIN /;

/** What one file holds, by its content alone. */
type FileKind =
  | { kind: 'certificates'; certs: Uint8Array[] }
  | { kind: 'pkcs7'; der: Uint8Array }
  | { kind: 'c4a-message'; der: Uint8Array }
  | { kind: 'gzip' }
  | { kind: 'xml' }
  | { kind: 'json'; keys: string[] }
  | { kind: 'binary'; hint?: string };

function intakeError(file: string | undefined, reason: string): MalformedError<'ATTEST_INTAKE_INVALID'> {
  return new MalformedError('ATTEST_INTAKE_INVALID', reason, file === undefined ? {} : { file });
}

/** The first byte that is not ASCII white space, or -1. */
function firstByte(bytes: Uint8Array): number {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  return -1;
}

/** What a DER SEQUENCE file is: a certificate, a PKCS#7 ContentInfo, or a Crypto4A message. */
function derKind(bytes: Uint8Array, name: string): FileKind {
  let children;
  try {
    children = derChildren(decodeDer(bytes, name), name);
  } catch {
    return { kind: 'binary' };
  }
  const first = children[0];
  if (first?.tag === TAG.OID && derOid(first, name) === PKCS7_SIGNED_DATA)
    return { kind: 'pkcs7', der: bytes };
  if (first?.tag === TAG.INTEGER) return { kind: 'c4a-message', der: bytes };
  if (first?.tag === TAG.SEQUENCE && children.length === 3) return { kind: 'certificates', certs: [bytes] };
  return { kind: 'binary' };
}

function pemKind(text: string, name: string): FileKind {
  const blocks = pemDecodeAll(text, undefined, { lax: true, field: name });
  const labels = new Set(blocks.map((b) => b.label));
  if (labels.size !== 1)
    throw intakeError(name, `want PEM blocks of one label, found ${[...labels].join(', ') || 'none'}`);
  const [label] = labels;
  if (label === 'CERTIFICATE') return { kind: 'certificates', certs: blocks.map((b) => b.der) };
  if (blocks.length !== 1) throw intakeError(name, `want one ${label} block, found ${blocks.length}`);
  if (label === 'PKCS7' || label === 'CMS') return { kind: 'pkcs7', der: blocks[0]!.der };
  if (label === 'ATTESTATION MESSAGE') return { kind: 'c4a-message', der: blocks[0]!.der };
  throw intakeError(name, `PEM label ${label} is not an attestation`);
}

/** A JSON object's keys; a file that only starts like one is binary (a signature can). */
function jsonKind(bytes: Uint8Array, name: string): FileKind {
  let doc: unknown;
  try {
    doc = JSON.parse(utf8Decode(bytes, name));
  } catch {
    return { kind: 'binary', hint: 'it starts like JSON but is not JSON' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { kind: 'binary', hint: 'it is JSON but not an object' };
  return { kind: 'json', keys: Object.keys(doc) };
}

/** Classifies one file by its content (never by its name). */
function classify(file: AttestationFile): FileKind {
  const b = file.bytes;
  if (b.length === 0) throw intakeError(file.name, 'the file is empty');
  if (b.length > MAX_INTAKE_FILE_BYTES)
    throw intakeError(file.name, `larger than ${MAX_INTAKE_FILE_BYTES} bytes`);
  if (b[0] === 0x1f && b[1] === 0x8b) return { kind: 'gzip' };
  if (b[0] === 0x30) return derKind(b, file.name);
  const first = firstByte(b);
  if (first === 0x7b) return jsonKind(b, file.name);
  if (first === 0x3c) return { kind: 'xml' };
  if (isUtf8(b)) {
    const text = utf8Decode(b, file.name);
    if (PEM_BEGIN.test(text)) return pemKind(text, file.name);
  }
  return { kind: 'binary' };
}

/**
 * The X.509 format of a key certificate, by the extension arc it carries.
 * @throws MalformedError `ATTEST_INTAKE_INVALID` when it is the device's certificate, not a key's.
 */
function x509Format(cert: Uint8Array, name: string): string | undefined {
  const parsed = parseCertificate(cert, name);
  const oids = parsed.extensions.map((e) => e.oid);
  let format: string | undefined;
  if (oids.some((o) => o.startsWith(YUBIHSM_ARC))) format = YUBIHSM2_FORMAT;
  else if (oids.some((o) => o.startsWith(YUBIKEY_PIV_ARC))) format = YUBIKEY_PIV_FORMAT;
  else if (oids.some((o) => o.startsWith(EMULATED_ARC + '.'))) format = EMULATED_FORMAT;
  if (format !== undefined && !oids.includes(KEY_CERT_EXTENSION[format]!))
    throw intakeError(
      name,
      `the first certificate is a ${format} device certificate, not a key's: give the key's attestation certificate first, then its chain`,
    );
  return format;
}

interface Classified {
  file: AttestationFile;
  what: FileKind;
}

function certificatesOf(list: readonly Classified[], from: number, format: string): Uint8Array[] {
  return list.slice(from).flatMap((c) => {
    if (c.what.kind !== 'certificates')
      throw intakeError(c.file.name, `a ${format} attestation wants certificates here, found ${c.what.kind}`);
    return c.what.certs;
  });
}

function only(list: readonly Classified[], format: string): Classified {
  if (list.length !== 1)
    throw intakeError(list[1]?.file.name, `a ${format} attestation is one file; ${list.length} were given`);
  return list[0]!;
}

/** The format the files are, by their content. */
function detect(list: readonly Classified[]): string {
  const first = list[0]!;
  const w = first.what;
  switch (w.kind) {
    case 'certificates': {
      const f = inFile(first.file.name, () => x509Format(w.certs[0]!, first.file.name));
      if (f === undefined)
        throw intakeError(
          first.file.name,
          'the first certificate carries no YubiHSM 2, YubiKey PIV or emulated attestation extension',
        );
      return f;
    }
    case 'gzip':
      return MARVELL_FORMAT;
    case 'pkcs7':
      return LUNA_FORMAT;
    case 'c4a-message':
      return CRYPTO4A_FORMAT;
    case 'xml':
      return SECUROSYS_FORMAT;
    case 'json':
      if (w.keys.includes('authority_chain')) return FORTANIX_FORMAT;
      if (w.keys.includes('warrant')) return NSHIELD_FORMAT;
      throw intakeError(first.file.name, 'JSON that is neither a Fortanix DSM nor an nShield attestation');
    case 'binary':
      throw intakeError(
        first.file.name,
        `not a known attestation file${w.hint === undefined ? '' : ` (${w.hint})`}; docs/attestation.md, "Intake", lists them`,
      );
  }
}

/**
 * The format of the files, by their content: the first file decides (see the module table).
 *
 * @throws MalformedError `ATTEST_INTAKE_INVALID` naming the file when nothing matches.
 */
export function detectAttestationFormat(files: readonly AttestationFile[]): string {
  return detect(classifyAll(files));
}

function classifyAll(files: readonly AttestationFile[]): Classified[] {
  if (files.length === 0) throw intakeError(undefined, 'no attestation file given');
  if (files.length > MAX_INTAKE_FILES)
    throw intakeError(
      files[MAX_INTAKE_FILES]!.name,
      `more than ${MAX_INTAKE_FILES} files for one attestation`,
    );
  return files.map((file) => ({ file, what: inFile(file.name, () => classify(file)) }));
}

/**
 * Builds the evidence of one key from the files the vendor's tool wrote (see the module table).
 * With `format`, the files must be that format; without, it is detected from their content.
 *
 * @throws MalformedError `ATTEST_INTAKE_INVALID` naming the file and what is wrong with it; the
 *   format's own codes (`GZIP_INVALID`, `FORTANIX_JSON_INVALID`, `PEM_*`) for a file that breaks them.
 * @example attestationFromFiles([{ name: 'key.pem', bytes }]).format === 'yubihsm2'
 */
export function attestationFromFiles(files: readonly AttestationFile[], format?: string): KeyAttestation {
  const list = classifyAll(files);
  const detected = detect(list);
  if (format !== undefined && format !== detected)
    throw intakeError(list[0]!.file.name, `the files are a ${detected} attestation, not ${format}`);
  const f = detected;
  const first = list[0]!;
  switch (f) {
    case YUBIHSM2_FORMAT:
    case YUBIKEY_PIV_FORMAT:
    case EMULATED_FORMAT: {
      const [statement, ...chain] = certificatesOf(list, 0, f);
      return { format: f, statement: statement!, chain };
    }
    case MARVELL_FORMAT: {
      if (list.length < 2)
        throw intakeError(first.file.name, 'a Marvell attestation also needs its certificate file');
      const chain = certificatesOf(list, 1, f);
      if (chain.length !== CHAIN_ROLES.length)
        throw intakeError(
          list[1]!.file.name,
          `a Marvell attestation wants ${CHAIN_ROLES.length} certificates (${CHAIN_ROLES.join(', ')}), found ${chain.length}`,
        );
      return inFile(first.file.name, () => marvellEvidenceFromGzip(first.file.bytes, chain));
    }
    case LUNA_FORMAT:
      return { format: f, statement: (only(list, f).what as { der: Uint8Array }).der, chain: [] };
    case CRYPTO4A_FORMAT:
      return { format: f, statement: (only(list, f).what as { der: Uint8Array }).der, chain: [] };
    case NSHIELD_FORMAT:
      return { format: f, statement: only(list, f).file.bytes.slice(), chain: [] };
    case FORTANIX_FORMAT:
      return inFile(first.file.name, () => fortanixEvidenceFromJson(only(list, f).file.bytes));
    case SECUROSYS_FORMAT: {
      const sig = list[1];
      if (sig === undefined)
        throw intakeError(first.file.name, 'a Securosys attestation also needs its signature file');
      // An RSA signature is random bytes: it may start like gzip, DER, JSON or XML by chance, so
      // only certificates and text (a base64 signature, say) are refused: 256 or more random
      // bytes are valid UTF-8 with negligible probability.
      if (sig.what.kind === 'certificates' || isUtf8(sig.file.bytes))
        throw intakeError(
          sig.file.name,
          `a ${f} attestation wants the raw signature bytes here, found ${sig.what.kind === 'certificates' ? 'certificates' : 'text'}`,
        );
      return securosysEvidence(first.file.bytes.slice(), sig.file.bytes.slice(), certificatesOf(list, 2, f));
    }
  }
  throw intakeError(first.file.name, `format ${f} has no intake`);
}
