/**
 * Strict YAML for ceremony scripts: YAML 1.2 core schema, one document, no anchors or aliases, no
 * tags, no tabs, string keys only, unique keys, a bounded size. The result is plain JSON data plus
 * the line and column of every node, so that schema and semantic errors can point at the YAML.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Node } from 'yaml';
import type { PendingIssue, ScriptIssue } from './issues.js';
import { dotted } from './issues.js';

/** Largest script accepted, in bytes of UTF-8. */
export const MAX_SCRIPT_BYTES = 256 * 1024;

/** 1-based line and column. */
export interface YamlPosition {
  line: number;
  column: number;
}

/** Positions of one node: its value and, for a map member, its key. */
export interface NodePosition {
  value: YamlPosition;
  key?: YamlPosition;
  /** True for a mapping or a list (issues about it point at its key, when it has one). */
  collection?: boolean;
}

/** A parsed script document. */
export interface ParsedYaml {
  /** Plain data: objects, arrays, strings, numbers, booleans, null. */
  value: unknown;
  /** Positions by JSON pointer (`/participants/1/role`; `''` for the root). */
  positions: Map<string, NodePosition>;
}

/** JSON pointer of a path (RFC 6901), as ajv reports `instancePath`. */
export function pointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Parses script text. Returns the data, or the issues that make it unreadable.
 * Issue codes: `SCRIPT_TOO_LARGE`, `SCRIPT_EMPTY`, `SCRIPT_YAML_SYNTAX`,
 * `SCRIPT_YAML_DUPLICATE_KEY`, `SCRIPT_YAML_MULTIPLE_DOCUMENTS`, `SCRIPT_YAML_TAB`,
 * `SCRIPT_YAML_ALIAS` (anchors and aliases), `SCRIPT_YAML_TAG`, `SCRIPT_YAML_KEY` (a key that is
 * not a plain string).
 */
export function parseYaml(text: string): { parsed?: ParsedYaml; issues: ScriptIssue[] } {
  const size = new TextEncoder().encode(text).length;
  if (size > MAX_SCRIPT_BYTES)
    return {
      issues: [
        {
          code: 'SCRIPT_TOO_LARGE',
          path: '',
          message: `the script is ${size} bytes, at most ${MAX_SCRIPT_BYTES}`,
        },
      ],
    };
  const lc = new LineCounter();
  const at = (offset: number): YamlPosition => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const issues: ScriptIssue[] = [];
  const tabs = [...text.matchAll(/\t/g)];
  for (const m of tabs.slice(0, 5))
    issues.push({
      code: 'SCRIPT_YAML_TAB',
      path: '',
      ...posOf(text, m.index),
      message: 'a tab character: indent and separate with spaces',
    });
  // A tab makes the YAML parser report several follow-on errors; the tab is the one to fix.
  if (issues.length > 0) return { issues };
  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    uniqueKeys: true,
    schema: 'core',
    merge: false,
    strict: true,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list)
    for (const e of [...d.errors, ...d.warnings]) {
      const code =
        e.code === 'DUPLICATE_KEY'
          ? 'SCRIPT_YAML_DUPLICATE_KEY'
          : e.code === 'TAG_RESOLVE_FAILED'
            ? 'SCRIPT_YAML_TAG'
            : 'SCRIPT_YAML_SYNTAX';
      const reason =
        e.code === 'DUPLICATE_KEY' ? 'a key appears twice in the same mapping' : e.message.split('\n')[0]!;
      issues.push({
        code,
        path: '',
        ...at(e.pos[0]),
        message: `YAML ${code === 'SCRIPT_YAML_SYNTAX' ? 'syntax error' : 'error'}: ${reason}`,
      });
    }
  if (list.length > 1)
    issues.push({
      code: 'SCRIPT_YAML_MULTIPLE_DOCUMENTS',
      path: '',
      ...at(list[1]!.range[0]),
      message: 'more than one YAML document (a --- line): a script is one document',
    });
  const doc = list[0];
  if (doc === undefined || doc.contents === null) {
    issues.push({ code: 'SCRIPT_EMPTY', path: '', line: 1, column: 1, message: 'the script is empty' });
    return { issues };
  }
  if (issues.length > 0) return { issues };
  const positions = new Map<string, NodePosition>();
  const pending: (PendingIssue & { pos: YamlPosition })[] = [];
  const walk = (node: unknown, path: (string | number)[], key?: YamlPosition): unknown => {
    const n = node as Node;
    const pos = at(n.range?.[0] ?? 0);
    const collection = isMap(node) || isSeq(node);
    positions.set(pointer(path), {
      value: pos,
      ...(key === undefined ? {} : { key }),
      ...(collection ? { collection } : {}),
    });
    const refuse = (code: string, message: string) => {
      pending.push({ code, path, message: `${dotted(path) || 'the document'}: ${message}`, pos });
      return null;
    };
    if (isAlias(node))
      return refuse(
        'SCRIPT_YAML_ALIAS',
        `an alias (*${node.source}): write the value out, scripts use no anchors or aliases`,
      );
    if (n.anchor !== undefined)
      refuse('SCRIPT_YAML_ALIAS', `an anchor (&${n.anchor}): scripts use no anchors or aliases`);
    if (n.tag !== undefined)
      return refuse(
        'SCRIPT_YAML_TAG',
        `an explicit tag (${n.tag.replace(/^tag:yaml\.org,2002:/, '!!')}): scripts use no tags`,
      );
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const k = pair.key;
        if (!isScalar(k) || typeof k.value !== 'string' || k.tag !== undefined) {
          pending.push({
            code: 'SCRIPT_YAML_KEY',
            path,
            message: `${dotted(path) || 'the document'}: a key that is not a plain string`,
            pos: at((k as Node | null)?.range?.[0] ?? n.range?.[0] ?? 0),
          });
          continue;
        }
        const keyPos = at(k.range?.[0] ?? 0);
        out[k.value] = pair.value === null ? null : walk(pair.value, [...path, k.value], keyPos);
        if (pair.value === null) positions.set(pointer([...path, k.value]), { value: keyPos, key: keyPos });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => (item === null ? null : walk(item, [...path, i])));
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value))
        return refuse('SCRIPT_WRONG_TYPE', 'not a finite number');
      return node.value;
    }
    return refuse('SCRIPT_YAML_SYNTAX', 'an unsupported YAML node');
  };
  const value = walk(doc.contents, []);
  for (const p of pending)
    issues.push({
      code: p.code,
      path: dotted(p.path),
      line: p.pos.line,
      column: p.pos.column,
      message: p.message,
    });
  return issues.length > 0 ? { issues } : { parsed: { value, positions }, issues };
}

function posOf(text: string, index: number): YamlPosition {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
