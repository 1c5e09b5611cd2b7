/**
 * Statement signers: Ed25519 over the encoded Plexi `SignatureMessage`, with the key's rotation
 * time (`notBefore`) and Plexi key id (last byte of the public key).
 */
import { ed25519, randomBytes } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import type { Hsm } from '../../hsm/index.js';
import { statementKeyId } from '../../statement/index.js';
import type { StatementKeyConfig } from '../config/types.js';
import { parseSeedFile, readKeyFile } from './files.js';

/** A statement key ready to sign. */
export interface StatementSigner {
  readonly publicKey: Uint8Array;
  /** Plexi key id: the last byte of the public key. */
  readonly keyId: number;
  /** Milliseconds since the Unix epoch from which this key signs. */
  readonly notBefore: number;
  /** Ed25519 signature (64 bytes) over `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** Signs a fresh nonce and checks it under the configured public key. */
  selfTest(): Promise<void>;
}

/** Ed25519 verification that answers false for anything malformed. */
function verifiesSafely(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(publicKey, message, signature);
  } catch {
    return false;
  }
}

function make(
  k: StatementKeyConfig,
  where: string,
  sign: (m: Uint8Array) => Promise<Uint8Array>,
): StatementSigner {
  const publicKey = k.publicKey.slice();
  return {
    publicKey,
    keyId: statementKeyId(publicKey),
    notBefore: k.notBefore,
    sign,
    async selfTest() {
      const nonce = randomBytes(32);
      const sig = await sign(nonce);
      if (!verifiesSafely(publicKey, nonce, sig)) {
        throw new UsageError(
          'WITNESS_KEY_MISMATCH',
          `${where} does not hold the statement key recorded in witness.json`,
          {
            field: 'statementKeys',
          },
        );
      }
    },
  };
}

/** A statement signer over the seed in `DIR/<file>`. */
export function statementSignerFromFile(dir: string, file: string, k: StatementKeyConfig): StatementSigner {
  const seed = parseSeedFile(readKeyFile(dir, file), file);
  return make(k, `key file ${file}`, async (m) => ed25519.sign(seed, m));
}

/**
 * A statement signer over the Ed25519 key `label` of a token.
 * @throws UsageError `WITNESS_KEY_MISSING` if the token has no such key.
 */
export async function statementSignerFromToken(
  hsm: Hsm,
  label: string,
  k: StatementKeyConfig,
): Promise<StatementSigner> {
  const info = await hsm.findKey(label);
  if (info === undefined || info.algorithm !== 'ed25519') {
    throw new UsageError(
      'WITNESS_KEY_MISSING',
      `the token has no Ed25519 key labelled ${JSON.stringify(label)}`,
      {
        field: 'statementKeys',
      },
    );
  }
  return make(k, `token key ${JSON.stringify(label)}`, (m) => hsm.sign(label, m));
}
