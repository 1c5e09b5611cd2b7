/**
 * `fleet-ceremony init DIR --template NAME`: a new ceremony directory, created all at once and
 * never over an existing non-empty one: the script (from templates/), a copy of its JSON Schema, a
 * README, `participants.json` and, for a rehearsal only, one generated identity key file per
 * participant (participants/<id>.key, mode 0600) with its public key pinned in the script.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { YAMLMap, YAMLSeq } from 'yaml';
import { Scalar, parseDocument } from 'yaml';
import { hexEncode, utf8Encode } from '../codec/index.js';
import { UsageError, isCeremonyError } from '../errors.js';
import { createDirExclusive, writeFileExclusive } from '../io/index.js';
import { generateIdentityKeyFile } from './identity-key.js';
import { ceremonyReadme } from './init-readme.js';
import { listOr } from '../transcript/roles.js';
import { parseScript } from './script/load.js';
import { scriptSchemaPath } from './script/schema.js';

/** The templates `init` knows. */
export const TEMPLATES = ['rehearsal', 'fleet-deployment', 'fleet-rotation'] as const;

/** Names of the files `init` writes. */
export const INIT_FILES = {
  script: 'ceremony.yaml',
  schema: 'ceremony-script.schema.json',
  readme: 'README.md',
  participants: 'participants.json',
} as const;

/** Options of {@link initCeremony}. */
export interface InitOptions {
  template: string;
  /** Number of crypto officers (N); the quorum becomes a majority, ⌊N/2⌋ + 1. */
  participants?: number;
}

/** What was created. */
export interface InitResult {
  dir: string;
  script: string;
  template: string;
  participants: { id: string; role: string; publicKey?: string; keyFile?: string }[];
}

/** The directory holding the templates (templates/ in the package). */
export function templatesDir(): string {
  return dirname(dirname(scriptSchemaPath()));
}

/**
 * Scaffolds a ceremony directory.
 * @throws UsageError `INIT_UNKNOWN_TEMPLATE`, `INIT_BAD_PARTICIPANTS`, `INIT_DIR_EXISTS`.
 */
export async function initCeremony(dir: string, o: InitOptions): Promise<InitResult> {
  if (!(TEMPLATES as readonly string[]).includes(o.template))
    throw new UsageError(
      'INIT_UNKNOWN_TEMPLATE',
      `template can only be ${listOr([...TEMPLATES])} (got "${o.template}")`,
      { field: 'template' },
    );
  if (
    o.participants !== undefined &&
    (!Number.isInteger(o.participants) || o.participants < 1 || o.participants > 60)
  )
    throw new UsageError(
      'INIT_BAD_PARTICIPANTS',
      `--participants can only be an integer from 1 to 60 (got ${o.participants})`,
      { field: 'participants' },
    );
  const text = readFileSync(join(templatesDir(), `${o.template}.yaml`), 'utf8').replace(
    '$schema=./schema/ceremony-script.schema.json',
    `$schema=./${INIT_FILES.schema}`,
  );
  const doc = parseDocument(text);
  const people = doc.get('participants') as YAMLSeq<YAMLMap>;
  if (o.participants !== undefined) setOfficers(doc, people, o.participants);
  const rehearsal = doc.getIn(['ceremony', 'kind']) === 'rehearsal';
  const result: InitResult = {
    dir,
    script: join(dir, INIT_FILES.script),
    template: o.template,
    participants: [],
  };
  try {
    await createDirExclusive(dir, 0o755, (tmp) => {
      if (rehearsal) mkdirSync(join(tmp, 'participants'), { mode: 0o700 });
      for (const item of people.items) {
        const id = String(item.get('id'));
        const keyFile = item.get('keyFile') as string | undefined;
        let publicKey = item.get('publicKey') as string | undefined;
        if (rehearsal && keyFile !== undefined) {
          publicKey = hexEncode(generateIdentityKeyFile(join(tmp, keyFile)));
          const node = new Scalar(publicKey);
          node.type = 'QUOTE_DOUBLE';
          item.set('publicKey', node);
        }
        const role = String(item.get('role'));
        result.participants.push({
          id,
          role,
          ...(publicKey === undefined ? {} : { publicKey }),
          ...(keyFile === undefined ? {} : { keyFile }),
        });
      }
      const script = utf8Encode(doc.toString({ lineWidth: 0 }));
      parseScript(script, INIT_FILES.script); // a scaffold that does not validate is a bug
      writeFileExclusive(join(tmp, INIT_FILES.script), script, 0o644);
      copyFileSync(scriptSchemaPath(), join(tmp, INIT_FILES.schema));
      const names = new Map(people.items.map((i) => [String(i.get('id')), String(i.get('name'))]));
      const list = result.participants.map((p) => ({
        id: p.id,
        name: names.get(p.id)!,
        role: p.role,
        ...(p.publicKey === undefined ? {} : { publicKey: p.publicKey }),
      }));
      writeFileExclusive(
        join(tmp, INIT_FILES.participants),
        JSON.stringify({ format: 'fleet-ceremony/participants/v1', participants: list }, null, 2) + '\n',
        0o644,
      );
      const hsms = (doc.get('hsms') as YAMLSeq<YAMLMap>).items.map((h) => ({
        id: String(h.get('id')),
        serial: String(h.get('expectedSerial')),
        pinEnv: String(h.get('pinEnv')),
        ...(h.get('dir') === undefined ? {} : { dir: String(h.get('dir')) }),
      }));
      writeFileExclusive(
        join(tmp, INIT_FILES.readme),
        ceremonyReadme({
          template: o.template,
          rehearsal,
          ceremonyId: String(doc.getIn(['ceremony', 'id'])),
          hsms,
        }),
        0o644,
      );
    });
  } catch (e) {
    if (isCeremonyError(e) && e.code === 'HSM_OUTPUT_EXISTS')
      throw new UsageError(
        'INIT_DIR_EXISTS',
        'already exists and is not empty; init never writes into an existing ceremony',
        { file: dir },
      );
    throw e;
  }
  return result;
}

/** Replaces the crypto officers with `n` of them (co-1 … co-n) and sets the quorum to a majority. */
function setOfficers(doc: ReturnType<typeof parseDocument>, people: YAMLSeq<YAMLMap>, n: number): void {
  const officers = people.items.filter((i) => i.get('role') === 'crypto-officer');
  const model = officers[0];
  if (model === undefined)
    throw new UsageError('INIT_BAD_PARTICIPANTS', 'this template has no crypto officers to count');
  const at = people.items.indexOf(model);
  const fresh = Array.from({ length: n }, (_, k) => {
    const item = model.clone() as YAMLMap;
    const id = `co-${k + 1}`;
    item.set('id', id);
    item.set('name', `Crypto Officer ${k + 1}`);
    if (item.has('keyFile')) item.set('keyFile', `participants/${id}.key`);
    const token = item.get('token') as YAMLMap | undefined;
    if (token?.has('tokenLabel') === true) token.set('tokenLabel', `${id}-card`);
    return item;
  });
  people.items = [
    ...people.items.slice(0, at).filter((i) => !officers.includes(i)),
    ...fresh,
    ...people.items.slice(at).filter((i) => !officers.includes(i)),
  ];
  doc.setIn(['quorum', 'of'], n);
  doc.setIn(['quorum', 'threshold'], Math.floor(n / 2) + 1);
}
