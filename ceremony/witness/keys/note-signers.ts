/**
 * Note signers of the witness: the log key (Ed25519, type 0x01, signs checkpoints) and the
 * cosigner key (cosignature/v1, type 0x04), from C2SP signer-key files or a PKCS#11 token.
 */
import { base64Encode, equalBytes, utf8Encode } from '../../codec/index.js';
import { UsageError } from '../../errors.js';
import type { Hsm } from '../../hsm/index.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  cosignatureMessage,
  cosignatureVerifier,
  ed25519Verifier,
  keyIdFor,
  parseSignerKey,
} from '../../tlog/index.js';
import type { Signer, Verifier } from '../../tlog/index.js';
import { readKeyFile } from './files.js';

/** An asynchronous note signer (a token cannot sign synchronously). */
export interface AsyncNoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  /** The signature bytes after the key id, over the note text. */
  sign(text: Uint8Array): Promise<Uint8Array>;
  /** Signs `checkpointText` and checks the result under the configured public key. */
  selfTest(checkpointText: string): Promise<void>;
}

/** The log key: a synchronous `Signer` for the audit log, and `prepare` for token keys. */
export interface LogSigner {
  readonly signer: Signer;
  /** Signs `text` ahead of time so `signer.sign` can answer synchronously (no-op for files). */
  prepare(text: string): Promise<void>;
  /** Signs `checkpointText` and checks the result under the configured public key. */
  selfTest(checkpointText: string): Promise<void>;
}

function mismatch(what: string, field: string): UsageError {
  return new UsageError('WITNESS_KEY_MISMATCH', `${what} does not hold the key recorded in witness.json`, {
    field,
  });
}

function checkWith(verifier: Verifier, text: string, sig: Uint8Array, what: string, field: string): void {
  if (!verifier.verify(utf8Encode(text), sig)) throw mismatch(what, field);
}

function fromSignerFile(dir: string, file: string, name: string, type: number): Signer {
  const signer = parseSignerKey(readKeyFile(dir, file).trim());
  if (signer.name !== name || signer.type !== type) {
    throw new UsageError(
      'WITNESS_KEY_INVALID',
      `key file ${file}: want a type 0x0${type} key named ${JSON.stringify(name)}`,
      {
        file,
      },
    );
  }
  return signer;
}

/** The log signer from a C2SP signer-key file. */
export function logSignerFromFile(
  dir: string,
  file: string,
  origin: string,
  publicKey: Uint8Array,
): LogSigner {
  const signer = fromSignerFile(dir, file, origin, SIGNATURE_TYPE_ED25519);
  const verifier = ed25519Verifier(origin, publicKey);
  return {
    signer,
    prepare: async () => undefined,
    selfTest: async (text) =>
      checkWith(verifier, text, signer.sign(utf8Encode(text)), `key file ${file}`, 'logKey'),
  };
}

/** The log signer over the token's Ed25519 key `label`: texts must be prepared before signing. */
export async function logSignerFromToken(
  hsm: Hsm,
  label: string,
  origin: string,
  publicKey: Uint8Array,
): Promise<LogSigner> {
  const info = await hsm.findKey(label);
  if (info === undefined || info.algorithm !== 'ed25519' || !equalBytes(info.publicKey, publicKey)) {
    throw mismatch(`token key ${JSON.stringify(label)}`, 'logKey');
  }
  const verifier = ed25519Verifier(origin, publicKey);
  const ready = new Map<string, Uint8Array>();
  const signer: Signer = {
    name: origin,
    keyId: keyIdFor(origin, SIGNATURE_TYPE_ED25519, publicKey),
    type: SIGNATURE_TYPE_ED25519,
    sign(message) {
      const key = base64Encode(message);
      const sig = ready.get(key);
      if (sig === undefined) {
        throw new UsageError(
          'WITNESS_HSM_REQUIRED',
          'the log key is in a PKCS#11 token and this checkpoint was not prepared',
        );
      }
      return sig;
    },
  };
  const prepare = async (text: string) => {
    const key = base64Encode(utf8Encode(text));
    if (ready.size > 64) ready.clear();
    if (!ready.has(key)) ready.set(key, await hsm.sign(label, utf8Encode(text)));
  };
  return {
    signer,
    prepare,
    async selfTest(text) {
      await prepare(text);
      checkWith(
        verifier,
        text,
        signer.sign(utf8Encode(text)),
        `token key ${JSON.stringify(label)}`,
        'logKey',
      );
    },
  };
}

/** The cosigner from a C2SP signer-key file (type 0x04). */
export function cosignerFromFile(
  dir: string,
  file: string,
  name: string,
  publicKey: Uint8Array,
): AsyncNoteSigner {
  const signer = fromSignerFile(dir, file, name, SIGNATURE_TYPE_COSIGNATURE_V1);
  const verifier = cosignatureVerifier(name, publicKey);
  return {
    name,
    keyId: signer.keyId,
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    sign: async (text) => signer.sign(text),
    selfTest: async (text) =>
      checkWith(verifier, text, signer.sign(utf8Encode(text)), `key file ${file}`, 'cosignerKey'),
  };
}

/** The cosigner over the token's Ed25519 key `label`: the token signs the cosignature/v1 message. */
export async function cosignerFromToken(
  hsm: Hsm,
  label: string,
  name: string,
  publicKey: Uint8Array,
): Promise<AsyncNoteSigner> {
  const info = await hsm.findKey(label);
  if (info === undefined || info.algorithm !== 'ed25519' || !equalBytes(info.publicKey, publicKey)) {
    throw mismatch(`token key ${JSON.stringify(label)}`, 'cosignerKey');
  }
  const verifier = cosignatureVerifier(name, publicKey);
  const sign = async (text: Uint8Array) => {
    const ts = BigInt(Math.floor(Date.now() / 1000));
    const sig = await hsm.sign(label, cosignatureMessage(text, ts));
    const out = new Uint8Array(72);
    new DataView(out.buffer).setBigUint64(0, ts, false);
    out.set(sig, 8);
    return out;
  };
  return {
    name,
    keyId: verifier.keyId,
    type: SIGNATURE_TYPE_COSIGNATURE_V1,
    sign,
    selfTest: async (text) =>
      checkWith(
        verifier,
        text,
        await sign(utf8Encode(text)),
        `token key ${JSON.stringify(label)}`,
        'cosignerKey',
      ),
  };
}
