/**
 * The JSON Schema of ceremony scripts (templates/schema/ceremony-script.schema.json, draft
 * 2020-12, shipped in the package so editors complete scripts), and the translation of its
 * validation errors into {@link ScriptIssue}s that name the YAML line, the path and the reason.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { listOr } from '../../transcript/roles.js';
import type { ScriptIssue } from './issues.js';
import type { NodePosition, ParsedYaml } from './yaml.js';

/** Location of the schema file inside the package (for `init`, which copies it next to scripts). */
export function scriptSchemaPath(): string {
  // ceremony/runner/script/ and dist/runner/script/ are both three levels below the package root.
  return fileURLToPath(new URL('../../../templates/schema/ceremony-script.schema.json', import.meta.url));
}

let validator: ValidateFunction | undefined;

/** The compiled schema validator (compiled once). */
function validate(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(readFileSync(scriptSchemaPath(), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTuples: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Human descriptions of the schema's patterns. */
const PATTERNS: Record<string, string> = {
  '^[a-z0-9][a-z0-9-]{0,62}$':
    'an id: lowercase letters, digits and "-", at most 63 characters, not starting with "-"',
  '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$':
    'a label: letters, digits, ".", "_", ":" and "-", at most 64 characters',
  '^[0-9a-f]{64}$': '64 lowercase hex digits (quote it, so YAML reads a string)',
  '^[A-Z_][A-Z0-9_]{0,63}$': 'an environment variable name: A-Z, 0-9 and "_"',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$': 'an RFC 3339 UTC time such as 2026-01-01T00:00:00Z',
  '^(https?://[^\\s]+|local-rehearsal)$': 'an https:// URL or local-rehearsal',
  '^([a-z0-9][a-z0-9-]{0,62}\\.[a-z][A-Za-z0-9-]{0,62}|script\\.sha256|transcript\\.head)$':
    '<step-id>.<output>, script.sha256 or transcript.head',
  '^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$':
    'a namespace: letters, digits, ".", "_", "/" and "-", at most 128 characters',
  '^[a-z0-9][a-z0-9./-]{0,63}$':
    'an attestation format id: lowercase letters, digits, ".", "/" and "-", at most 64 characters',
};

/** Decodes a JSON pointer into path segments (numbers for array indexes). */
function segments(ptr: string): (string | number)[] {
  if (ptr === '') return [];
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function dottedOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 48 ? s.slice(0, 45) + '...' : s;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** One ajv error → code and message (without position). */
function describe(
  e: ErrorObject,
  path: (string | number)[],
): { code: string; message: string; path: (string | number)[]; atKey?: boolean } {
  const p = dottedOf(path) || 'the script';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const props = Object.keys(
        ((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object,
      );
      return {
        code: 'SCRIPT_UNKNOWN_KEY',
        path: [...path, key],
        atKey: true,
        message: `${dottedOf([...path, key])} is not a known key (${p} takes ${listOr(props)})`,
      };
    }
    case 'required':
      return {
        code: 'SCRIPT_MISSING_FIELD',
        path,
        message: `${dottedOf([...path, String(params['missingProperty'])])} is missing (it is required)`,
      };
    case 'type':
      return {
        code: 'SCRIPT_WRONG_TYPE',
        path,
        message: `${p} must be ${TYPE_NAMES[String(params['type'])] ?? String(params['type'])}, not ${typeOf(e.data)}`,
      };
    case 'enum':
      return {
        code: 'SCRIPT_BAD_VALUE',
        path,
        message: `${p} can only be ${listOr((params['allowedValues'] as unknown[]).map(String))} (got ${shown(e.data)})`,
      };
    case 'const':
      return {
        code: 'SCRIPT_BAD_VALUE',
        path,
        message: `${p} can only be ${String(params['allowedValue'])} (got ${shown(e.data)})`,
      };
    case 'pattern':
      return {
        code: 'SCRIPT_BAD_FORMAT',
        path,
        message: `${p} must be ${PATTERNS[String(params['pattern'])] ?? `text matching ${String(params['pattern'])}`} (got ${shown(e.data)})`,
      };
    case 'minimum':
    case 'maximum':
      return {
        code: 'SCRIPT_OUT_OF_RANGE',
        path,
        message: `${p} must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])} (got ${shown(e.data)})`,
      };
    case 'minItems':
    case 'maxItems':
      return {
        code: 'SCRIPT_OUT_OF_RANGE',
        path,
        message: `${p} must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params['limit'])} item(s)`,
      };
    case 'uniqueItems': {
      // ajv names the two equal items i and j; the later one is the repeat.
      const [first, again] = [Number(params['i']), Number(params['j'])].sort((a, b) => a - b);
      return {
        code: 'SCRIPT_DUPLICATE_ID',
        path: [...path, again!],
        message: `${dottedOf([...path, again!])} repeats ${dottedOf([...path, first!])}: ${p} lists each item once`,
      };
    }
    case 'minLength':
    case 'maxLength':
      return {
        code: 'SCRIPT_OUT_OF_RANGE',
        path,
        message: `${p} must be ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(params['limit'])} character(s) long`,
      };
    case 'anyOf': {
      const alts = (
        e.schema as { type?: string; minimum?: number; maximum?: number; enum?: unknown[] }[]
      ).flatMap((b) =>
        b.enum !== undefined
          ? b.enum.map(String)
          : [
              `${TYPE_NAMES[b.type ?? ''] ?? b.type}${b.minimum !== undefined ? ` from ${b.minimum} to ${b.maximum}` : ''}`,
            ],
      );
      return {
        code: 'SCRIPT_BAD_VALUE',
        path,
        message: `${p} can only be ${listOr(alts)} (got ${shown(e.data)})`,
      };
    }
    default:
      return { code: 'SCRIPT_INVALID', path, message: `${p} ${e.message ?? 'is invalid'}` };
  }
}

/** The position of `path`, or of its nearest ancestor with one. */
export function positionOf(
  parsed: ParsedYaml,
  path: readonly (string | number)[],
  atKey = false,
): NodePosition['value'] | undefined {
  for (let n = path.length; n >= 0; n--) {
    const ptr = path
      .slice(0, n)
      .map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('');
    const pos = parsed.positions.get(ptr);
    if (pos !== undefined)
      return (atKey && n === path.length) || pos.collection === true ? (pos.key ?? pos.value) : pos.value;
  }
  return undefined;
}

/** Schema violations of a parsed script, one issue per problem, with positions. */
export function schemaIssues(parsed: ParsedYaml): ScriptIssue[] {
  const v = validate();
  if (v(parsed.value)) return [];
  const errors = v.errors ?? [];
  // Inside an anyOf, only the anyOf's own summary is reported.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  const kept = errors.filter((e) => !anyOfPaths.some((a) => e.schemaPath.startsWith(a + '/')));
  // A value of the wrong type gets that one message, not also its pattern or range.
  const typed = new Set(kept.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return kept
    .filter((e) => e.keyword === 'type' || !typed.has(e.instancePath))
    .map((e) => {
      const d = describe(e, segments(e.instancePath));
      const pos = positionOf(parsed, d.path, d.atKey === true);
      return {
        code: d.code,
        path: dottedOf(d.path),
        ...(pos === undefined ? {} : { line: pos.line, column: pos.column }),
        message: d.message,
      };
    });
}
