/** Shared helpers of the engine suites: scripted prompts, engine options, transcript readers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexDecode } from '../../../ceremony/codec/index.js';
import { unattendedCollector } from '../../../ceremony/runner/collectors.js';
import type { EngineOptions } from '../../../ceremony/runner/engine.js';
import { unattendedPrompts } from '../../../ceremony/runner/prompts.js';
import type { Prompts } from '../../../ceremony/runner/prompts.js';
import { loadScript } from '../../../ceremony/runner/script/index.js';
import type { CeremonyDir } from './fixture.js';

/** Prompts that give pre-set answers in order and remember the questions. */
export function scripted(answers: (string | boolean)[]): Prompts & { asked: string[] } {
  const asked: string[] = [];
  const next = (q: string) => {
    asked.push(q);
    if (answers.length === 0) throw new Error(`unexpected question: ${q}`);
    return Promise.resolve(answers.shift()!);
  };
  return {
    interactive: true,
    asked,
    confirm: (q) => next(q) as Promise<boolean>,
    text: (q) => next(q) as Promise<string>,
    password: (q) => next(q) as Promise<string>,
    select: (q) => next(q) as Promise<never>,
  };
}

/** Engine options for a fixture ceremony: unattended, silent, the default registry. */
export function options(c: CeremonyDir, over: Partial<EngineOptions> = {}): EngineOptions {
  return {
    loaded: loadScript(c.script),
    scriptDir: c.dir,
    workdir: join(c.dir, 'work'),
    prompts: unattendedPrompts(),
    collector: unattendedCollector(),
    flags: { yes: true, dryRun: false, noColor: true },
    tasks: 'silent',
    ...over,
  };
}

/** The fixture's transcript bytes. */
export const transcriptOf = (c: CeremonyDir) => readFileSync(join(c.dir, 'work', 'transcript.jsonl'));
/** The fixture's transcript records, parsed. */
export const recordsOf = (c: CeremonyDir) =>
  new TextDecoder()
    .decode(transcriptOf(c))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; step?: string; data: Record<string, unknown> });
/** The participants as the fixture made them (id, role, key), for pinning. */
export function pinned(c: CeremonyDir) {
  const roles = new Map(loadScript(c.script).script.participants.map((p) => [p.id, p.role]));
  return [...c.keys].map(([id, k]) => ({ id, role: roles.get(id)!, publicKey: hexDecode(k.publicKey) }));
}
