/**
 * The trust and anti-rollback flags shared by `bundle verify`, `client connect` and `verify`:
 * `--trust FILE`, `--last-seen-epoch N` with `--last-seen-digest HEX`, and how the pair is parsed.
 */
import type { Argv } from 'yargs';
import type { Trust, VerifyBundleOptions } from '../bundle/index.js';
import { hexDecode, parseDecimal, utf8Decode } from '../codec/index.js';
import { inFile } from '../errors.js';
import { readFileBounded } from '../io/index.js';

/** `--trust` and the anti-rollback pair, as yargs parses them. */
export interface TrustArgs {
  trust: string;
  'last-seen-epoch'?: string;
  'last-seen-digest'?: string;
}

/** Adds `--trust FILE` (required). */
export const withTrustOption = <T>(y: Argv<T>) =>
  y.option('trust', {
    type: 'string',
    demandOption: true,
    describe: 'trust file (JSON) with the pinned keys',
  });

/**
 * Reads and parses the trust file at `path` (docs/trust-file.md); errors name the file.
 * @throws UsageError `FILE_UNREADABLE`, `TRUST_TOO_LARGE`; MalformedError from `parseTrustFile`.
 */
export async function readTrust(path: string): Promise<Trust> {
  // Loaded on use: the CLI starts without the bundle code.
  const { MAX_TRUST_FILE_LENGTH, parseTrustFile } = await import('../bundle/index.js');
  // The parser bounds the text in UTF-16 units; a UTF-8 byte bound of 4× that never cuts it short.
  const bytes = readFileBounded(path, MAX_TRUST_FILE_LENGTH * 4, {
    what: 'trust file',
    tooLargeCode: 'TRUST_TOO_LARGE',
  });
  return inFile(path, () => parseTrustFile(utf8Decode(bytes, 'trust'), path));
}

/** Adds `--last-seen-epoch` (described by `epochDescribe`) and `--last-seen-digest`. */
export const withLastSeenOptions = <T>(y: Argv<T>, epochDescribe: string) =>
  y.option('last-seen-epoch', { type: 'string', describe: epochDescribe }).option('last-seen-digest', {
    type: 'string',
    describe: 'anti-rollback: its fleet key set digest (hex)',
  });

/**
 * The anti-rollback pair, parsed; undefined when neither flag is given. `unpaired` throws the
 * caller's usage error when only one of the two is.
 * @throws what `parseDecimal` and `hexDecode` throw (fields `last-seen-epoch`, `last-seen-digest`).
 */
export function parseLastSeen(
  a: Pick<TrustArgs, 'last-seen-epoch' | 'last-seen-digest'>,
  unpaired: () => never,
): VerifyBundleOptions['lastSeen'] {
  const epoch = a['last-seen-epoch'];
  const digest = a['last-seen-digest'];
  if ((epoch === undefined) !== (digest === undefined)) unpaired();
  if (epoch === undefined || digest === undefined) return undefined;
  return {
    epoch: parseDecimal(epoch, 'last-seen-epoch'),
    digest: hexDecode(digest, 'last-seen-digest', 32),
  };
}
