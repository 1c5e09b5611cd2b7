/**
 * A small, deterministic sample transcript for the transcript suites: three participants with
 * fixed keys, a fixed clock, two steps (`approve`: 2 crypto officers; `seal`: the administrator)
 * and a seal. {@link Sample} also writes broken variants record by record.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hexDecode, hexEncode } from '../../../ceremony/codec/index.js';
import { ed25519 } from '../../../ceremony/crypto/index.js';
import type { Participant, Role } from '../../../ceremony/transcript/roles.js';
import { signoffMessage } from '../../../ceremony/transcript/signoff.js';
import { TRANSCRIPT_FORMAT } from '../../../ceremony/transcript/records.js';
import type { CeremonyStartData, JsonObject, RecordKind } from '../../../ceremony/transcript/records.js';
import { TranscriptWriter } from '../../../ceremony/runner/transcript/writer.js';
import { tempDir } from '../runner/fixture.js';

export interface Person extends Participant {
  name: string;
  seed: Uint8Array;
}

function person(id: string, role: Role, n: number): Person {
  const seed = new Uint8Array(32).fill(n);
  return { id, name: `Person ${id}`, role, seed, publicKey: ed25519.getPublicKey(seed) };
}

export const ADMIN = person('admin', 'administrator', 1);
export const CO1 = person('co-1', 'crypto-officer', 2);
export const CO2 = person('co-2', 'crypto-officer', 3);
export const PEOPLE: Person[] = [ADMIN, CO1, CO2];

export function startData(): CeremonyStartData {
  return {
    format: TRANSCRIPT_FORMAT,
    ceremony: {
      id: 'sample-1',
      name: 'Sample',
      kind: 'rehearsal',
      namespace: 'example.ns',
      epoch: 1,
      fleetId: 'fleet-x',
    },
    script: { file: 'ceremony.yaml', sha256: 'ab'.repeat(32) },
    participants: PEOPLE.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      publicKey: hexEncode(p.publicKey),
    })),
    quorum: { threshold: 2, of: 2 },
    plan: [
      { id: 'approve', kind: 'signoff', title: 'Approve', signoffs: [{ role: 'crypto-officer', count: 2 }] },
      { id: 'seal', kind: 'seal', title: 'Seal', signoffs: [{ role: 'administrator', count: 1 }] },
    ],
    tool: { name: 'fleet-ceremony', version: '0.0.0-test' },
  };
}

/** A transcript being written, with helpers for each record kind. */
export class Sample {
  readonly path: string;
  readonly w: TranscriptWriter;
  private t = Date.UTC(2025, 0, 2, 9, 0, 0);
  private ends = new Map<string, string>();

  constructor(dir = tempDir('fc-transcript-')) {
    this.path = join(dir, 'transcript.jsonl');
    this.w = TranscriptWriter.create(this.path, startData(), { clock: () => new Date((this.t += 1000)) });
  }

  add(kind: RecordKind, data: JsonObject, step?: string): string {
    return this.w.append(kind, data, step).hash;
  }

  step(id: string, index: number, attempt = 1): this {
    const title = id === 'approve' ? 'Approve' : 'Seal';
    this.add('step-start', { index, kind: id === 'approve' ? 'signoff' : 'seal', title, attempt }, id);
    return this;
  }

  end(id: string, index: number): this {
    this.ends.set(id, this.add('step-end', { index, durationMs: 5, outputs: {} }, id));
    return this;
  }

  signoff(id: string, p: Person, head = this.ends.get(id)!): this {
    const signature = ed25519.sign(p.seed, signoffMessage('sample-1', id, hexDecode(head)));
    this.add(
      'signoff',
      {
        participant: p.id,
        role: p.role,
        publicKey: hexEncode(p.publicKey),
        head,
        signature: hexEncode(signature),
      },
      id,
    );
    return this;
  }

  seal(): this {
    this.add('seal', { head: this.ends.get('seal')!, steps: 2, signers: ['admin'] });
    return this;
  }

  /** The whole good ceremony. */
  full(): this {
    return this.step('approve', 0)
      .end('approve', 0)
      .signoff('approve', CO1)
      .signoff('approve', CO2)
      .step('seal', 1)
      .end('seal', 1)
      .signoff('seal', ADMIN)
      .seal();
  }

  bytes(): Uint8Array {
    this.w.close();
    return new Uint8Array(readFileSync(this.path));
  }
}
