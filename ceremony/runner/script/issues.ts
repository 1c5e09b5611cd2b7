/**
 * Script problems: every one found is collected as a {@link ScriptIssue} (code, dotted path, line
 * and column in the YAML, reason), then thrown once as a {@link ScriptError}, so the author fixes
 * them all in one pass. Messages follow boulder's ceremony tool: they name the path and the
 * allowed values ("hsms[1].backend can only be emulated or pkcs11").
 */
import { MalformedError } from '../../errors.js';

/** A path into the script: member names and array indexes. */
export type ScriptPath = readonly (string | number)[];

/** One problem in a script. */
export interface ScriptIssue {
  /** Fine-grained code, e.g. `SCRIPT_UNKNOWN_KEY`, `SCRIPT_DUPLICATE_ID`. */
  code: string;
  /** Dotted path, e.g. `participants[1].role` (empty for the whole document). */
  path: string;
  /** 1-based line and column of the offending YAML node, when known. */
  line?: number;
  column?: number;
  /** The reason, starting with the path. */
  message: string;
}

/** `participants[1].role` from `['participants', 1, 'role']`. */
export function dotted(path: ScriptPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/** An issue before its position is known (semantic checks work on values, not YAML nodes). */
export interface PendingIssue {
  code: string;
  path: ScriptPath;
  message: string;
  /** Point at the member name instead of its value (unknown keys). */
  atKey?: boolean;
}

/** `file:line:column: message [CODE]`, as `script validate` prints an issue. */
export function formatIssue(file: string, issue: ScriptIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  return `${where}: ${issue.message} [${issue.code}]`;
}

/** A script that is not valid: every issue found, in document order. */
export class ScriptError extends MalformedError {
  /** All issues; the error's own code and message are those of the first. */
  readonly issues: readonly ScriptIssue[];

  constructor(file: string, issues: readonly ScriptIssue[]) {
    const first = issues[0]!;
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    const where = first.line === undefined ? '' : `line ${first.line}, column ${first.column ?? 1}: `;
    super(first.code, `${where}${first.message}${more}`, { file, field: first.path });
    this.issues = issues;
  }
}

/** Sorts issues by position (unknown positions last), keeping the order of equal ones. */
export function sortIssues(issues: ScriptIssue[]): ScriptIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) ||
        (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.issue);
}
