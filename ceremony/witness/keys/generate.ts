/**
 * Generating one witness key, as a file in `DIR/keys/` or inside a PKCS#11 token, and returning
 * its public half and {@link KeySource}. Statement keys are drawn until their Plexi key id (the
 * last public-key byte) differs from every existing statement key's, so the id picks one key.
 */
import { ed25519 } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import type { Hsm } from '../../hsm/index.js';
import { statementKeyId } from '../../statement/index.js';
import { generateSignerKey, parseVerifierKey } from '../../tlog/index.js';
import type { KeySource } from '../config/types.js';
import { formatSeedFile, writeKeyFile } from './files.js';

/** How many draws to make for a statement key with an unused key id (255/256 succeed per draw). */
const MAX_DRAWS = 64;

/** A generated key's public half and where its private half lives. */
export interface GeneratedKey {
  publicKey: Uint8Array;
  source: KeySource;
}

/** Where to generate: the data directory's key files, or a token under a label. */
export type KeyTarget = { dir: string; file: string } | { hsm: Hsm; label: string };

function noFreeId(): never {
  throw new UsageError(
    'WITNESS_KEY_ROTATION_INVALID',
    `no statement key with an unused key id after ${MAX_DRAWS} draws`,
  );
}

/**
 * Generates an Ed25519 statement key whose key id is not in `usedIds`.
 * @throws UsageError `WITNESS_OUTPUT_EXISTS` (file exists), `HSM_LABEL_EXISTS` (token label taken).
 */
export async function generateStatementKey(
  target: KeyTarget,
  usedIds: ReadonlySet<number>,
): Promise<GeneratedKey> {
  if ('dir' in target) {
    for (let i = 0; i < MAX_DRAWS; i++) {
      const { secretKey, publicKey } = ed25519.generateKeyPair();
      if (usedIds.has(statementKeyId(publicKey))) continue;
      try {
        writeKeyFile(target.dir, target.file, formatSeedFile(secretKey));
      } finally {
        secretKey.fill(0); // the file holds it now; do not keep a copy in memory
      }
      return { publicKey, source: { file: target.file } };
    }
    noFreeId();
  }
  for (let i = 0; i < MAX_DRAWS; i++) {
    const info = await target.hsm.generateKey({ label: target.label, algorithm: 'ed25519' });
    if (!usedIds.has(statementKeyId(info.publicKey)))
      return { publicKey: info.publicKey, source: { pkcs11Label: target.label } };
    await target.hsm.destroyKey(target.label);
  }
  noFreeId();
}

/**
 * Generates a note key: the log key (type 0x01, named as the origin) or the cosigner key (type
 * 0x04). A file holds the C2SP signer key text.
 */
export async function generateNoteKey(
  target: KeyTarget,
  name: string,
  type: 0x01 | 0x04,
): Promise<GeneratedKey> {
  if ('dir' in target) {
    const { signerKey, verifierKey } = generateSignerKey(name, type);
    writeKeyFile(target.dir, target.file, signerKey + '\n');
    return { publicKey: parseVerifierKey(verifierKey).publicKey, source: { file: target.file } };
  }
  const info = await target.hsm.generateKey({ label: target.label, algorithm: 'ed25519' });
  return { publicKey: info.publicKey, source: { pkcs11Label: target.label } };
}
