/**
 * Reading HSM vendor root certificates for `witness namespace add --vendor-root FILE`: a file of
 * PEM CERTIFICATE blocks (one or more), or one DER certificate.
 */
import { readFileSync } from 'node:fs';
import { pemDecodeAll } from '../../codec/index.js';
import { isCeremonyError, UsageError } from '../../errors.js';

/**
 * The DER certificates in `files`, in order.
 * @throws UsageError `WITNESS_CONFIG_MISSING` (unreadable file); MalformedError `PEM_*` with the file.
 */
export function readVendorRootFiles(files: readonly string[]): Uint8Array[] {
  return files.flatMap((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new UsageError('WITNESS_CONFIG_MISSING', `cannot read the vendor root: ${(e as Error).message}`, {
        file,
      });
    }
    if (!bytes.includes('-----BEGIN')) return [new Uint8Array(bytes)];
    try {
      return pemDecodeAll(bytes.toString('utf8'), 'CERTIFICATE', { lax: true }).map((b) => b.der);
    } catch (e) {
      throw isCeremonyError(e) ? e.withFile(file) : e;
    }
  });
}
