/**
 * Loading a ceremony script: strict YAML (./yaml.ts), then the JSON Schema (./schema.ts), then the
 * semantic rules (./semantic.ts) and the checks of each step's kind. All issues found are thrown
 * together as one {@link ScriptError}.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { hexEncode, isUtf8, utf8Decode } from '../../codec/index.js';
import { sha256 } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import { ScriptError, dotted, sortIssues } from './issues.js';
import type { ScriptIssue } from './issues.js';
import { positionOf, schemaIssues } from './schema.js';
import { semanticIssues } from './semantic.js';
import type { StepCheck } from './semantic.js';
import type { CeremonyScript } from './types.js';
import { MAX_SCRIPT_BYTES, parseYaml } from './yaml.js';

/** A script that passed every check. */
export interface LoadedScript {
  script: CeremonyScript;
  /** Path as given (or a name, for text parsed directly). */
  file: string;
  /** The exact bytes read: what the transcript's script digest covers. */
  bytes: Uint8Array;
  /** Hex SHA-256 of {@link bytes}. */
  sha256: string;
}

/** Options of {@link parseScript} and {@link loadScript}. */
export interface LoadScriptOptions {
  /** Extra per-step checks (the step registry's); without it only the generic rules apply. */
  checkStep?: StepCheck;
}

/**
 * Parses and validates script bytes.
 * @param file - name used in messages.
 * @throws ScriptError (MalformedError, exit 2) listing every issue, first issue's code as its code.
 */
export function parseScript(bytes: Uint8Array, file: string, o: LoadScriptOptions = {}): LoadedScript {
  const fail = (issues: ScriptIssue[]): never => {
    throw new ScriptError(file, sortIssues(issues));
  };
  if (bytes.length > MAX_SCRIPT_BYTES)
    fail([
      {
        code: 'SCRIPT_TOO_LARGE',
        path: '',
        message: `the script is ${bytes.length} bytes, at most ${MAX_SCRIPT_BYTES}`,
      },
    ]);
  if (!isUtf8(bytes)) fail([{ code: 'SCRIPT_BAD_UTF8', path: '', message: 'the script is not valid UTF-8' }]);
  const { parsed, issues } = parseYaml(utf8Decode(bytes));
  if (parsed === undefined) return fail(issues);
  const schema = schemaIssues(parsed);
  if (schema.length > 0) fail(schema);
  const script = parsed.value as CeremonyScript;
  const semantic = semanticIssues(script, o.checkStep).map((p): ScriptIssue => {
    const pos = positionOf(parsed, p.path, p.atKey === true);
    return {
      code: p.code,
      path: dotted(p.path),
      ...(pos === undefined ? {} : { line: pos.line, column: pos.column }),
      message: p.message,
    };
  });
  if (semantic.length > 0) fail(semantic);
  return { script, file, bytes, sha256: hexEncode(sha256(bytes)) };
}

/**
 * Reads and validates a script file.
 * @throws UsageError `SCRIPT_NOT_FOUND`; ScriptError as {@link parseScript}.
 */
export function loadScript(path: string, o: LoadScriptOptions = {}): LoadedScript {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile())
    throw new UsageError('SCRIPT_NOT_FOUND', 'no such script file', { file: path });
  if (st.size > MAX_SCRIPT_BYTES)
    throw new ScriptError(path, [
      {
        code: 'SCRIPT_TOO_LARGE',
        path: '',
        message: `the script is ${st.size} bytes, at most ${MAX_SCRIPT_BYTES}`,
      },
    ]);
  return parseScript(new Uint8Array(readFileSync(path)), path, o);
}

/** The script's file name as recorded in the transcript (no directories: they are local). */
export function scriptFileName(loaded: LoadedScript): string {
  return basename(loaded.file);
}
