/**
 * The fleet key set's validity window from the script (`ceremony.validity`): a number of days
 * from the ceremony's clock (whole seconds), or fixed RFC 3339 UTC dates.
 */
import { parseIsoUtc } from '../../../bundle/index.js';
import { UsageError } from '../../../errors.js';
import type { Validity } from '../../script/types.js';

const DAY_MS = 86_400_000;

/**
 * `{ notBefore, notAfter }` in ms since the Unix epoch.
 * @throws UsageError `CEREMONY_VALIDITY_INVALID` for an unparseable date or an empty window.
 */
export function validityOf(v: Validity, now: Date): { notBefore: number; notAfter: number } {
  const start = Math.floor(now.getTime() / 1000) * 1000;
  const date = (text: string | undefined, field: string): number | undefined => {
    if (text === undefined) return undefined;
    const t = parseIsoUtc(text);
    if (t === undefined)
      throw new UsageError(
        'CEREMONY_VALIDITY_INVALID',
        `ceremony.validity.${field}: want RFC 3339 UTC, got ${JSON.stringify(text)}`,
        {
          field: `ceremony.validity.${field}`,
        },
      );
    return t;
  };
  const notBefore = date(v.notBefore, 'notBefore') ?? start;
  const notAfter = date(v.notAfter, 'notAfter') ?? notBefore + (v.days ?? 365) * DAY_MS;
  if (notAfter <= notBefore)
    throw new UsageError('CEREMONY_VALIDITY_INVALID', 'ceremony.validity: notAfter must be after notBefore', {
      field: 'ceremony.validity',
    });
  return { notBefore, notAfter };
}
