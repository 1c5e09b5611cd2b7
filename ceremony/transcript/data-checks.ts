/**
 * Checks of record data that go beyond shape: a `read-aloud` record's words must be the PGP words
 * of its hex (what was shown is what was read), and a `step-end` record's outputs must be named
 * scalars (what later steps and read-aloud fields refer to).
 *
 * Portable: no `node:` imports.
 */
import { hexDecode } from '../codec/index.js';
import { VerificationError } from '../errors.js';
import { pgpWords } from './pgp-words.js';
import type { JsonValue } from './canonical-json.js';
import { OUTPUT_NAME, arr, badField, obj, str } from './fields.js';
import type { OutputValue } from './records.js';

/**
 * Checks the data of a `read-aloud` record at `at` (line `line`).
 * @throws MalformedError `TRANSCRIPT_BAD_FIELD`; VerificationError `TRANSCRIPT_READ_ALOUD_MISMATCH`.
 */
export function checkReadAloud(data: JsonValue, at: string, line: number): void {
  const d = obj(data, at, ['label', 'value', 'hex', 'words']);
  str(d['label'], `${at}.label`);
  str(d['value'], `${at}.value`);
  const bytes = hexDecode(str(d['hex'], `${at}.hex`, /^([0-9a-f]{2}){1,64}$/));
  const words = arr(d['words'], `${at}.words`, 64).map((w, i) => str(w, `${at}.words[${i}]`));
  if (words.join(' ') !== pgpWords(bytes).join(' '))
    throw new VerificationError(
      'TRANSCRIPT_READ_ALOUD_MISMATCH',
      `line ${line}: the words are not the PGP words of the hex`,
      {
        field: `${at}.words`,
      },
    );
}

/**
 * The outputs of a `step-end` record: names matching `OUTPUT_NAME`, values strings, integers or
 * booleans.
 * @throws MalformedError `TRANSCRIPT_BAD_FIELD`.
 */
export function checkOutputs(value: JsonValue | undefined, at: string): Record<string, OutputValue> {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const outputs = obj(value, at, [], isObject ? Object.keys(value) : []);
  for (const [name, v] of Object.entries(outputs)) {
    if (!OUTPUT_NAME.test(name)) badField(`${at}.${name}`, 'not an output name');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      badField(`${at}.${name}`, 'an output is a string, integer or boolean');
  }
  return outputs as Record<string, OutputValue>;
}
