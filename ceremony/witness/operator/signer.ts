/**
 * The operator's request-signing key for `witness sign`: a C2SP signer-key file (Ed25519, the key
 * name being the operator's name; `fleet-ceremony` never prints it) or a key in an HSM (emulated
 * or PKCS#11, Ed25519 or P-256), reached through the `Hsm` interface.
 */
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import type { Hsm } from '../../hsm/index.js';
import { parseSignerKey, SIGNATURE_TYPE_ED25519 } from '../../tlog/index.js';
import type { OperatorSigner } from '../client/http-client.js';

/**
 * An operator signer from a C2SP signer-key file. The file must be readable by its owner only.
 * @param name - the operator name (default: the key's name).
 * @throws UsageError `WITNESS_KEY_MISSING`, `WITNESS_KEY_INVALID` (mode, type, name).
 */
export function operatorSignerFromFile(file: string, name?: string): OperatorSigner {
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined || !st.isFile())
    throw new UsageError('WITNESS_KEY_MISSING', 'key file does not exist', { file });
  if ((st.mode & 0o077) !== 0)
    throw new UsageError(
      'WITNESS_KEY_INVALID',
      `key file mode is ${(st.mode & 0o777).toString(8)}, want 600`,
      { file },
    );
  if (st.size > 4096) throw new UsageError('WITNESS_KEY_INVALID', 'key file is too large', { file });
  let signer;
  try {
    signer = parseSignerKey(readFileSync(file, 'utf8').trim());
  } catch (e) {
    throw new UsageError('WITNESS_KEY_INVALID', `not a C2SP signer key (${(e as Error).message})`, {
      file,
      cause: e,
    });
  }
  if (signer.type !== SIGNATURE_TYPE_ED25519)
    throw new UsageError('WITNESS_KEY_INVALID', 'want an Ed25519 (type 0x01) signer key', { file });
  if (name !== undefined && name !== signer.name) {
    throw new UsageError(
      'WITNESS_KEY_INVALID',
      `the key is named ${JSON.stringify(signer.name)}, the operator ${JSON.stringify(name)}`,
      { file },
    );
  }
  return { name: signer.name, sign: async (m) => signer.sign(m) };
}

/**
 * An operator signer over the HSM key `label` (Ed25519, or P-256: ECDSA over SHA-256, raw r||s).
 * @throws UsageError `WITNESS_KEY_MISSING` when the device has no such signing key.
 */
export async function operatorSignerFromHsm(hsm: Hsm, label: string, name: string): Promise<OperatorSigner> {
  const key = await hsm.findKey(label);
  if (
    key === undefined ||
    (key.algorithm !== 'ed25519' && key.algorithm !== 'p256') ||
    !key.usages.includes('sign')
  ) {
    throw new UsageError(
      'WITNESS_KEY_MISSING',
      `the HSM has no Ed25519 or P-256 signing key labelled ${JSON.stringify(label)}`,
      { field: 'key-label' },
    );
  }
  return { name, sign: (m) => hsm.sign(label, m) };
}
