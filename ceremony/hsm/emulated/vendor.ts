/**
 * The emulated HSM vendor: a small CA whose root certifies emulated devices (docs/hsm.md,
 * "Emulated vendor"). It is an emulation: the root private key is an ordinary PKCS#8 file
 * (mode 0600) in the vendor directory, so anyone holding that directory can mint "devices". Its
 * root subject and an extension say EMULATED, and verifiers accept it only under the `rehearsal`
 * profile (DESIGN §2).
 *
 * Vendor directory: `vendor.json` (format, name, createdAt), `root.pem` (the root certificate, the
 * file to pass to `openssl verify -CAfile`), `root-key.pem` (the root private key).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { pemDecode, pemEncode } from '../../codec/index.js';
import { MalformedError, UsageError } from '../../errors.js';
import { buildVendorRoot, spkiOfCertificate } from './certs.js';
import type { CertificateSigner } from './certs.js';
import { createDirExclusive, writeFileExclusive } from '../../io/index.js';
import { readStateFile } from './files.js';
import { checkText } from './validate.js';

/** `format` of vendor.json. */
export const VENDOR_FORMAT = 'fleet-ceremony/emulated-vendor/v1';
/** The vendor's metadata file. */
export const VENDOR_FILE = 'vendor.json';
/** The vendor root certificate (PEM): the file to pin and to give `openssl verify -CAfile`. */
export const ROOT_CERT_FILE = 'root.pem';
/** The vendor root private key (PKCS#8 PEM, mode 0600). */
export const ROOT_KEY_FILE = 'root-key.pem';
/** Default vendor name. */
export const DEFAULT_VENDOR_NAME = 'fleet-ceremony';

/** An emulated vendor, as created or loaded. */
export interface EmulatedVendor {
  dir: string;
  name: string;
  /** The vendor root certificate, DER. */
  rootCertificate: Uint8Array;
  /** Path of `root.pem`. */
  rootCertificatePath: string;
}

/** A loaded vendor that can sign device certificates. */
export interface LoadedVendor extends EmulatedVendor {
  signer: CertificateSigner;
}

function signerFor(key: KeyObject): CertificateSigner {
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  return {
    spki,
    sign: (data) =>
      Promise.resolve(new Uint8Array(nodeSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }))),
  };
}

/**
 * Creates an emulated vendor in `dir` (which must not exist, or be empty): a P-256 root key and
 * its self-signed root certificate.
 * @param options.name - vendor name (default "fleet-ceremony"), 1–64 printable characters.
 * @throws UsageError `HSM_OUTPUT_EXISTS` if `dir` exists and is not empty; `HSM_NAME_INVALID`.
 */
export async function createEmulatedVendor(
  dir: string,
  options: { name?: string; now?: Date } = {},
): Promise<EmulatedVendor> {
  const name = checkText(options.name ?? DEFAULT_VENDOR_NAME, 'name', 'HSM_NAME_INVALID');
  const now = options.now ?? new Date();
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const rootCertificate = await buildVendorRoot(name, signerFor(privateKey), now);
  await createDirExclusive(dir, 0o755, (tmp) => {
    // The root private key is written once, mode 0600; it never appears anywhere else.
    writeFileExclusive(join(tmp, ROOT_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), 0o600);
    writeFileExclusive(join(tmp, ROOT_CERT_FILE), pemEncode('CERTIFICATE', rootCertificate), 0o644);
    const meta = { format: VENDOR_FORMAT, name, createdAt: now.toISOString(), emulated: true };
    writeFileExclusive(join(tmp, VENDOR_FILE), JSON.stringify(meta, null, 2) + '\n', 0o644);
  });
  return { dir, name, rootCertificate, rootCertificatePath: join(dir, ROOT_CERT_FILE) };
}

/**
 * Loads an emulated vendor and its root signing key.
 * @throws UsageError `HSM_VENDOR_NOT_FOUND` when a vendor file is missing; MalformedError
 *   `HSM_VENDOR_MALFORMED` when a file is unreadable or the root key does not match the root.
 */
export function loadEmulatedVendor(dir: string): LoadedVendor {
  const read = (f: string) => readStateFile(join(dir, f), 1 << 20, 'HSM_VENDOR_NOT_FOUND').toString('utf8');
  const bad = (file: string, reason: string, cause?: unknown) =>
    new MalformedError('HSM_VENDOR_MALFORMED', `emulated vendor: ${reason}`, {
      file: join(dir, file),
      cause,
    });
  let meta: { format?: unknown; name?: unknown };
  try {
    meta = JSON.parse(read(VENDOR_FILE)) as typeof meta;
  } catch (e) {
    if (e instanceof UsageError)
      throw new UsageError(
        'HSM_VENDOR_NOT_FOUND',
        'is not an emulated vendor directory (create one with "hsm vendor-init")',
        {
          file: dir,
        },
      );
    throw bad(VENDOR_FILE, 'not valid JSON', e);
  }
  if (meta.format !== VENDOR_FORMAT || typeof meta.name !== 'string')
    throw bad(VENDOR_FILE, 'unknown format');
  const rootCertificate = pemDecode(read(ROOT_CERT_FILE), 'CERTIFICATE', { field: ROOT_CERT_FILE });
  let key: KeyObject;
  try {
    key = createPrivateKey(read(ROOT_KEY_FILE));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw bad(ROOT_KEY_FILE, 'not a PKCS#8 private key', e);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw bad(ROOT_KEY_FILE, 'the root key is not a P-256 key');
  const signer = signerFor(key);
  if (!Buffer.from(spkiOfCertificate(rootCertificate)).equals(signer.spki))
    throw bad(ROOT_KEY_FILE, 'the root key does not match root.pem');
  return { dir, name: meta.name, rootCertificate, rootCertificatePath: join(dir, ROOT_CERT_FILE), signer };
}
