/**
 * The trust and anti-rollback flags shared by `bundle verify`, `client connect` and `verify`:
 * `--trust FILE`, `--last-seen-epoch N` with `--last-seen-digest HEX`, and how the pair is parsed.
 */
import type { Argv } from 'yargs';
import type { VerifyBundleOptions } from '../bundle/index.js';
import { hexDecode, parseDecimal } from '../codec/index.js';

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
