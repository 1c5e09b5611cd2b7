/**
 * What the ceremony step kinds share: their `with:` parameters (checked when the script is
 * loaded), the trust file the ceremony runs against, and the `note` records they write.
 */
import { MAX_TRUST_FILE_LENGTH, parseTrustFile } from '../../../bundle/index.js';
import type { Trust } from '../../../bundle/index.js';
import { utf8Decode } from '../../../codec/index.js';
import { inFile } from '../../../errors.js';
import { readFileBounded } from '../../../io/index.js';
import { scriptPath } from '../../devices.js';
import type { PendingIssue } from '../../script/issues.js';
import type { ScriptStep } from '../../script/types.js';
import type { StepContext } from '../../step-kind.js';
import type { JsonObject } from '../../../transcript/records.js';

/** Default trust file, relative to the script: the anchors the ceremony's outputs must verify under. */
export const DEFAULT_TRUST_FILE = 'trust.json';

/** The `trust` parameter, as the kinds that read the trust file describe it. */
export const TRUST_PARAM = {
  trust: `trust file the outputs must verify under, relative to the script (default ${DEFAULT_TRUST_FILE})`,
} as const;

/** A string parameter of the step, or `fallback`. Precondition: the script passed validation. */
export function stringParam(step: ScriptStep, name: string, fallback: string): string {
  const v = step.with?.[name];
  return typeof v === 'string' ? v : fallback;
}

/** Issues for parameters that must be non-empty strings when given. */
export function stringParams(step: ScriptStep, i: number, names: readonly string[]): PendingIssue[] {
  return names.flatMap((name) => {
    const v = step.with?.[name];
    return v === undefined || (typeof v === 'string' && v !== '' && v.length <= 1024)
      ? []
      : [
          {
            code: 'SCRIPT_WRONG_TYPE',
            path: ['steps', i, 'with', name],
            message: `steps[${i}].with.${name} must be a non-empty string (at most 1024 characters)`,
          },
        ];
  });
}

/** Issues for an integer parameter outside `min..max` when given. */
export function intParam(
  step: ScriptStep,
  i: number,
  name: string,
  min: number,
  max: number,
): PendingIssue[] {
  const v = step.with?.[name];
  return v === undefined || (Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max)
    ? []
    : [
        {
          code: 'SCRIPT_OUT_OF_RANGE',
          path: ['steps', i, 'with', name],
          message: `steps[${i}].with.${name} must be an integer from ${min} to ${max}`,
        },
      ];
}

/**
 * The trust file named by the step's `trust` parameter, parsed.
 * @throws UsageError `CEREMONY_TRUST_MISSING`; MalformedError `TRUST_*` with the file.
 */
export function readTrust(ctx: StepContext): { trust: Trust; file: string; text: string } {
  const file = scriptPath(ctx.scriptDir, stringParam(ctx.step, 'trust', DEFAULT_TRUST_FILE));
  return readTrustFile(file);
}

/**
 * A trust file, parsed.
 * @throws UsageError `CEREMONY_TRUST_MISSING`; MalformedError `TRUST_*` with the file.
 */
export function readTrustFile(file: string): { trust: Trust; file: string; text: string } {
  const bytes = readFileBounded(file, MAX_TRUST_FILE_LENGTH * 4, {
    what: 'trust file (the pinned anchors the ceremony outputs must verify under)',
    missingCode: 'CEREMONY_TRUST_MISSING',
    unreadableCode: 'CEREMONY_TRUST_MISSING',
    tooLargeCode: 'CEREMONY_TRUST_MISSING',
  });
  return inFile(file, () => {
    const text = utf8Decode(bytes, 'trust');
    return { trust: parseTrustFile(text, file), file, text };
  });
}

/** Writes a `note` record for the step: `{ event, ...data }`. Public values only. */
export function note(ctx: StepContext, event: string, data: JsonObject): void {
  ctx.record('note', { event, ...data });
}

/** The `note` records of earlier attempts of this step with this `event`. */
export function earlierNotes(ctx: StepContext, event: string): JsonObject[] {
  return ctx.earlier.filter((r) => r.kind === 'note' && r.data['event'] === event).map((r) => r.data);
}
